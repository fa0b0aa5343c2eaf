/**
 * The command registry: name → lazy module import. Each module exports `command: Command`.
 * Add a line here when adding a command file.
 */
import type { Command } from './command.js';

export const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  crossbar: () => import('./crossbar.js'),
  simulate: () => import('./simulate.js'),
  demo: () => import('./demo.js'),
};
