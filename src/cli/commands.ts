/**
 * The command registry: name → one-line summary (static, so `jartcal --help` loads no command module)
 * and a lazy module import. Each module exports `command: Command` whose `summary` equals the one here
 * (test/cli/main.test.ts checks it). Add a line to both tables when adding a command file.
 */
import type { Command } from './command.js';

export const SUMMARIES: Record<string, string> = {
  pipeline: 'run the whole pipeline (ingest → fit → population → crossbar → report) on a campaign',
  simulate: 'simulate one JART VCM v1b cell through a waveform or a sweep',
  ingest: 'read instrument exports (K4200, B1500, CSV/TSV/DAT, xlsx/xls) into a normalised dataset',
  fit: 'fit JART parameters to measured cycles (dataset.json or measurement files)',
  population: 'estimate a device population (d2d/c2c spreads, correlations) from fits.json',
  profile: 'variability profile: measured vs population-predicted switching statistics',
  sample: 'sample devices and cycles from a population (CSV)',
  export: 'export a population as Verilog-A/SPICE instance cards, aihwkit config or CSV',
  crossbar: 'crossbar simulator: in-situ training / inference accuracy of MNIST on JART devices',
  inspect: 'inspect fits in the terminal (I-V plots, residuals, parameters), refit and save',
  report: 'static HTML report of fits: I-V overlays, residuals, parameter histograms and correlations, variability',
  demo: 'simulate the default device on the default sweep (writes out/demo/)',
  worker: 'queue worker: runs fit and crossbar jobs from Redis (BullMQ) until stopped',
};

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
  worker: () => import('./worker.js'),
};
