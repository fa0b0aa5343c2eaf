/** `jartcal report fits.json --out report/`: a static HTML report with SVG plots and their PNG exports. */
import type { Command } from './command.js';
import { parseCommandArgs } from './command.js';
import { JartcalError } from '../util/errors.js';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadInspectInputs, writeReportDir } from '../io/inspect-files.js';
import { readJsonFile } from '../io/json.js';
import { crossbarView } from '../report/crossbar.js';
import { buildReport } from '../report/build.js';
import { loadBackend } from './inspect-backend.js';

const HELP = `Usage: jartcal report FITS.json --out DIR [--dataset DATASET.json] [--population POPULATION.json]
                      [--crossbar RESULTS.json] [--max-cycles 24] [--no-png]

Writes a static HTML report DIR/index.html with its plots in DIR/plots/ (each as SVG and PNG):
  - an overview: the data, the fits, the population with its predictive check, the crossbar accuracy;
  - a summary of the fits (counts, RMS of log10|I|, flags, the worst fits);
  - per-cycle overlays (measured SET and RESET branches, the fitted model, compliance) and residuals
    for the worst cycles and an even sample of the rest (--max-cycles, default 24);
  - histograms of every fitted parameter with the population's marginal distribution, scatter plots
    of the fitted parameters against each other with their correlations, the within-fit correlation;
  - the variability profile: measured switching features (V_SET, V_RESET, HRS, LRS, on/off) and the
    population's measured-against-predicted statistics.
The folder is written atomically: built beside DIR and swapped in when complete.

Options:
  --out DIR           output folder (required)
  --dataset FILE      dataset.json; default: the one FITS.json names
  --population FILE   population.json; default: population.json beside FITS.json built from it
  --crossbar FILE     results.json of \`jartcal crossbar run\`; default: crossbar/results.json beside FITS.json
  --max-cycles N      cycles with overlay plots (default 24)
  --no-png            write the SVG plots only
`;

export interface ReportOptions {
  fits: string;
  out: string;
  dataset?: string;
  population?: string;
  crossbar?: string;
  maxCycles?: number;
  png?: boolean;
}

/** Library entry (also used by the pipeline): builds and writes the report; returns the index path. */
export async function writeFitReport(o: ReportOptions): Promise<{ index: string; plots: number; notes: string[] }> {
  const inputs = loadInspectInputs(o.fits, { dataset: o.dataset, population: o.population });
  const backend = await loadBackend();
  // The crossbar run: --crossbar, else crossbar/results.json beside FITS.json (where the pipeline writes it).
  const cbPath = o.crossbar ?? join(dirname(o.fits), 'crossbar', 'results.json');
  const cb = o.crossbar || existsSync(cbPath) ? crossbarView(readJsonFile(cbPath), cbPath) : { view: null };
  if (o.crossbar && !cb.view)
    throw new JartcalError(cb.problem ?? `${cbPath}: not a crossbar results file`, {
      code: 'bad_crossbar_results',
      location: { file: cbPath },
    });
  const report = buildReport({
    fits: inputs.fits,
    fitsPath: o.fits,
    dataset: inputs.dataset,
    population: inputs.population,
    model: backend.model,
    crossbar: cb.view,
    crossbarNote: cb.problem,
    maxCycles: o.maxCycles,
    notes: [...inputs.notes, ...backend.notes],
  });
  writeReportDir(o.out, report, { png: o.png });
  return { index: `${o.out.replace(/\/$/, '')}/index.html`, plots: report.plots.length, notes: [...inputs.notes, ...backend.notes] };
}

export const command: Command = {
  name: 'report',
  summary: 'static HTML report of fits: I-V overlays, residuals, parameter histograms and correlations, variability',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('report', argv, {
      out: { type: 'string' },
      dataset: { type: 'string' },
      population: { type: 'string' },
      crossbar: { type: 'string' },
      'max-cycles': { type: 'string' },
      'no-png': { type: 'boolean' },
    });
    if (positionals.length !== 1)
      throw new JartcalError('report: expected one fits file (jartcal report fits.json --out report/). See `jartcal report --help`.', {
        code: 'bad_arguments',
      });
    if (!values.out) throw new JartcalError('report: --out DIR is required. See `jartcal report --help`.', { code: 'bad_arguments' });
    const mc = values['max-cycles'] === undefined ? 24 : Number(values['max-cycles']);
    if (!Number.isInteger(mc) || mc < 0)
      throw new JartcalError(`report: --max-cycles expects a whole number ≥ 0, got "${values['max-cycles']}".`, { code: 'bad_arguments' });
    const r = await writeFitReport({
      fits: positionals[0],
      out: values.out,
      dataset: values.dataset,
      population: values.population,
      crossbar: values.crossbar,
      maxCycles: mc,
      png: !values['no-png'],
    });
    for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
    process.stdout.write(`report: ${r.index} (${r.plots} plots${values['no-png'] ? '' : ', SVG and PNG'})\n`);
    return 0;
  },
};
