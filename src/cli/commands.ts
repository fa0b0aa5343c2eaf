/**
 * The command registry: name → lazy module import. Each module exports `command: Command`.
 * Add a line here when adding a command file.
 */
import type { Command } from './command.js';

export const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  crossbar: () => import('./crossbar.js'),
  simulate: () => import('./simulate.js'),
  demo: () => import('./demo.js'),
  fit: () => import('./fit.js'),
  inspect: () => import('./inspect.js'),
  report: () => import('./report.js'),
  ingest: () => import('./ingest.js'),
  pipeline: () => import('./pipeline.js'),
  population: () => import('./population.js'),
  sample: () => import('./sample.js'),
  export: () => import('./export.js'),
  profile: () => import('./profile.js'),
};
