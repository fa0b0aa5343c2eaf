/**
 * The command registry: name → lazy module import. Each module exports `command: Command`.
 * Add a line here when adding a command file.
 */
import type { Command } from './command.js';

export const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  pipeline: () => import('./pipeline.js'),
  simulate: () => import('./simulate.js'),
  ingest: () => import('./ingest.js'),
  fit: () => import('./fit.js'),
  population: () => import('./population.js'),
  profile: () => import('./profile.js'),
  sample: () => import('./sample.js'),
  export: () => import('./export.js'),
  crossbar: () => import('./crossbar.js'),
  inspect: () => import('./inspect.js'),
  report: () => import('./report.js'),
  demo: () => import('./demo.js'),
};
