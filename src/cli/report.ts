/** `jartcal report fits.json --out report/`: a static HTML report with SVG plots and their PNG exports. */
import type { Command } from './command.js';
import { parseCommandArgs } from './command.js';
import { JartcalError } from '../util/errors.js';
import { writeFitReport } from '../report/write.js';

export { writeFitReport, type ReportOptions } from '../report/write.js';

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
