/** `jartcal inspect fits.json`: the interactive fit inspector, or a summary when not on a terminal. */
import type { Command } from './command.js';
import { parseCommandArgs } from './command.js';
import { JartcalError } from '../util/errors.js';
import { loadInspectInputs, saveFits } from '../io/inspect-files.js';
import { branchBreakdown, formatBranchBreakdown, formatSummary, summarizeFits, type BranchBreakdown } from '../inspect/summary.js';
import { loadBackend } from './inspect-backend.js';
import { jartCurve } from '../inspect/jart.js';

const HELP = `Usage: jartcal inspect FITS.json [--dataset DATASET.json] [--population POPULATION.json] [--json]

Opens the fit inspector in the terminal: the device/cycle list with fit quality and flags, the selected
cycle's I-V plot (log|I| against V: measured SET points red, RESET points cyan, fitted model yellow,
compliance magenta) and residuals, the parameter table with standard errors and bounds, and the
population's histograms. From the keyboard you can fix or free parameters, refit a cycle, compare the
old and new fit, and save it back into FITS.json (atomically).

Keys: ↑/↓ or j/k move · Tab next pane · Enter select · o sort · b bad fits only · / search
      f fix/free parameter · r refit · s save · Esc cancel/discard · ? help · q quit

The dataset is the one FITS.json names (relative to its folder) unless --dataset is given; the
population is --population, or population.json beside FITS.json when it was built from FITS.json.

Without a terminal (stdout not a TTY, or the CI environment variable set) a summary is printed
instead: counts, RMS of log10|I|, flags and the worst fits.

Options:
  --dataset FILE      dataset.json (jartcal.dataset/1) with the measured cycles
  --population FILE   population.json (jartcal.population/1) for the histograms
  --json              print the summary as JSON and exit
  --summary           print the text summary and exit (also when on a terminal)
  --worst N           how many of the worst fits the summary lists (default 10)
  --branches          with the summary: re-simulate every fitted cycle and report where the misfit
                      sits (RMS of log10|I| by branch: SET out, SET back, RESET out, RESET back; every
                      sample weighted equally); needs the dataset
`;

export const command: Command = {
  name: 'inspect',
  summary: 'inspect fits in the terminal (I-V plots, residuals, parameters), refit and save',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('inspect', argv, {
      dataset: { type: 'string' },
      population: { type: 'string' },
      json: { type: 'boolean' },
      summary: { type: 'boolean' },
      worst: { type: 'string' },
      branches: { type: 'boolean' },
    });
    if (positionals.length !== 1)
      throw new JartcalError('inspect: expected one fits file (jartcal inspect fits.json). See `jartcal inspect --help`.', {
        code: 'bad_arguments',
      });
    const fitsPath = positionals[0];
    const worst = values.worst === undefined ? 10 : Number(values.worst);
    if (!Number.isInteger(worst) || worst < 0)
      throw new JartcalError(`inspect: --worst expects a whole number ≥ 0, got "${values.worst}".`, { code: 'bad_arguments' });
    const interactive = !values.json && !values.summary && !process.env.CI && Boolean(process.stdout.isTTY) && Boolean(process.stdin.isTTY);
    if (!interactive) {
      const inputs = loadInspectInputs(fitsPath, { dataset: values.dataset, population: values.population });
      // A reader that stops early (`| head`) is not an error.
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
      });
      const s = summarizeFits(inputs.fits, fitsPath, worst);
      let byBranch: BranchBreakdown | undefined;
      if (values.branches) {
        if (!inputs.dataset)
          throw new JartcalError(`inspect --branches: no measured data for ${fitsPath} (its dataset was not found; give --dataset FILE).`, {
            code: 'bad_arguments',
          });
        byBranch = branchBreakdown(inputs.fits, inputs.dataset, jartCurve);
      }
      if (values.json)
        process.stdout.write(
          JSON.stringify(
            { ...s, datasetFound: inputs.dataset !== null, population: inputs.populationPath, ...(byBranch ? { byBranch } : {}) },
            null,
            2,
          ) + '\n',
        );
      else {
        process.stdout.write(formatSummary(s));
        if (byBranch) process.stdout.write(formatBranchBreakdown(byBranch));
        for (const n of inputs.notes) process.stdout.write(`note: ${n}\n`);
        if (!values.summary)
          process.stdout.write(`(not a terminal${process.env.CI ? ' / CI' : ''}: summary printed instead of the inspector)\n`);
      }
      return 0;
    }
    process.stdout.write(`jartcal inspect: starting (${fitsPath})…\n`);
    const { runInspector } = await import('../tui/run.js');
    // The start-up screen names each step while the files and the model load.
    await runInspector({
      fitsPath,
      load: async (step) => {
        step(`reading ${fitsPath}, its dataset and population`);
        const inputs = loadInspectInputs(fitsPath, { dataset: values.dataset, population: values.population });
        step('loading the model and the refit worker');
        const backend = await loadBackend();
        return {
          fits: inputs.fits,
          fitsPath,
          dataset: inputs.dataset,
          population: inputs.population,
          paramTable: backend.paramTable,
          model: backend.model,
          refitter: backend.refitter,
          save: (f) => saveFits(fitsPath, f),
          notes: [...inputs.notes, ...backend.notes],
        };
      },
    });
    return 0;
  },
};
