/** `jartcal population fits.json [more.json] --out population.json`: d2d/c2c decomposition of per-cycle fits. */
import { displayUnit, formatNumber, formatParam } from '../model/display.js';
import type { Command } from './command.js';
import { numberFlag, parseCommandArgs } from './command.js';
import { JartcalError } from '../util/errors.js';
import {
  estimatePopulation,
  mergeFits,
  resolveEstimateOptions,
  type PopulationFile,
  type ResolvedEstimateOptions,
} from '../population/index.js';
import { fitsDatasetPath, readFitsFile, writePopulationFile } from '../io/population.js';
import { clearRefineCheckpoint, DEFAULT_BEYOND_TOLERANCE, refineStep } from './refine.js';

const HELP = `Usage: jartcal population FITS.json [FITS2.json ...] --out population.json [options]

Estimates a device population from per-cycle fits (schema jartcal.fits/1): for each fitted parameter a
random-effects (REML) decomposition into device-to-device and cycle-to-cycle spread that accounts for
each fit's standard error, bootstrap confidence intervals, the distribution family chosen by the data
(normal / lognormal, truncated at the valid range when needed) with Anderson-Darling goodness of fit,
and the device-to-device correlation (Gaussian copula on ln of positive parameters).
Writes schema jartcal.population/1 (docs/formats.md).

Options:
  --out PATH          output population file (required)
  --seed N            seed of the bootstrap (default 1; recorded in the file)
  --bootstrap N       bootstrap replicates for the 95 % CIs (default 200; 0 = none)
  --family F          auto (default) | normal | lognormal
  --include-unconverged   also use cycles whose fit did not converge
  --include-unidentified   also use per-cycle values the fit flagged param_unidentified (e.g. lnew of a
                      cycle without a complete RESET; default: treated as missing)
  --outlier-z Z       within-device outlier screen: a cycle's value further than Z × scale from its
                      device's weighted median is not used (default 5; 0 = off)
  --no-selection-correction   do not correct the d2d spread and correlation of a parameter with
                      excluded values for the selection (Pearson-Lawley on the complete parameters)
  --ignore-stderr     do not treat the fits' standard errors as known measurement error (when they are
                      not trustworthy; the fit noise is then counted as cycle-to-cycle spread)

Refinement against the measurements (method of simulated moments, docs/population.md):
  --refine            after the estimate, adjust the centres, d2d and c2c spreads (and the per-device
                      series resistance) so that devices sampled from the population and simulated
                      through each measured device's protocol reproduce the measured switching
                      statistics (HRS, LRS, V_SET, V_RESET, on/off: levels, d2d and c2c spreads, and
                      the share of cycles that switch). Prints measured / before / after per statistic.
                      Resumes from OUT.refine-checkpoint.json after an interruption.
  --dataset PATH      the dataset to refine against (default: the one the fits name)
  --refine-budget N   objective evaluations (default 150; each simulates the devices below)
  --refine-devices N  simulated devices per evaluation, at least (default: enough replicates of every
                      measured device that each simulated statistic's sample is 4 times the measured one's
                      — devices, within-device cycles, cycles — so its sampling error is half the
                      measured one's; at least 24 devices while an evaluation stays within 400 simulated
                      cycles): each measured device is replayed the same number of times, each simulated
                      cycle on the protocol of one of its measured cycles (voltage samples and time,
                      compliance, read voltage, start state)
  --refine-cycles C   cycles per simulated device at most (default: as many as the measured device has;
                      a one-cycle device is replayed with one)
  --beyond-tolerance F  when a statistic still misses by more than F (relative; default 0.25) after the
                      refinement, refine again with every population parameter free (every centre,
                      d2d and c2c spread, copula correlation, the circuit block; the same budget): a
                      statistic that still misses is recorded and shown as beyond JART v1b, with the
                      closest value any population reached
  --no-beyond         skip that second stage
`;

export interface PopulationStageOptions {
  fits: string[];
  out: string;
  /** resolved estimation settings (resolveEstimateOptions) */
  estimate: ResolvedEstimateOptions;
  /** refine the estimate against the measured switching statistics (docs/population.md) */
  refine?: { dataset?: string; budget: number; devices?: number; cycles?: number; beyondTolerance?: number | false };
}

/** The population stage: merges the fits, estimates the population, writes it and prints its table. */
export function populationStage(o: PopulationStageOptions): PopulationFile {
  if (o.fits.length === 0)
    throw new JartcalError('population: give at least one fits.json. See `jartcal population --help`.', { code: 'bad_arguments' });
  const files = o.fits.map((p) => readFitsFile(p));
  const fits = mergeFits(files);
  if (fits.cycles.length === 0 && fits.devices.length === 0)
    throw new JartcalError('no cycle or device fits in the input', { code: 'bad_fits', location: { file: o.fits[0] } });
  const e = o.estimate;
  const devices = new Set(fits.cycles.map((c) => c.device)).size;
  process.stderr.write(
    `population: ${fits.cycles.length} cycle fits, ${devices} device${devices === 1 ? '' : 's'}; bootstrap ${e.bootstrap}\n`,
  );
  const datasets = o.fits.map((p, i) => fitsDatasetPath(p, files[i])).filter(Boolean);
  const estimated = estimatePopulation(fits, { ...e, fitsPaths: o.fits, datasetPaths: datasets });
  let pop = estimated;
  if (o.refine) {
    const dataset = o.refine.dataset ?? datasets[0];
    if (!dataset)
      throw new JartcalError('population: --refine needs the measured dataset; the fits do not name one, give --dataset PATH.', {
        code: 'bad_arguments',
      });
    pop = refineStep(estimated, {
      dataset,
      out: o.out,
      seed: e.seed,
      budget: o.refine.budget,
      devices: o.refine.devices,
      cycles: o.refine.cycles,
      beyondTolerance: o.refine.beyondTolerance ?? DEFAULT_BEYOND_TOLERANCE,
    });
  }
  writePopulationFile(o.out, pop);
  if (o.refine) clearRefineCheckpoint(o.out);
  const one = devices <= 1;
  if (one)
    process.stderr.write(
      `warning: the fits come from one device: the population has no device-to-device information (its d2d spreads are not estimates). Fit several devices for a population; the cycle-to-cycle spreads below are that device's.\n`,
    );
  // parameters in their display units (src/model/display.ts); absolute spreads in the same unit as the centre
  const spreadOf = (n: string, sp: { spread: number; spreadKind: string }): string =>
    sp.spreadKind === 'absolute' ? `${formatParam(n, sp.spread, 3)} (abs)` : `${formatNumber(sp.spread, 3)} (${sp.spreadKind})`;
  process.stderr.write(
    `  ${'parameter'.padEnd(14)} ${'unit'.padEnd(9)} ${'family'.padEnd(14)} ${'center'.padStart(9)}  ${one ? '' : 'd2d spread     '}c2c spread\n`,
  );
  for (const [n, p] of Object.entries(pop.parameters)) {
    process.stderr.write(
      `  ${n.padEnd(14)} ${(displayUnit(n).unit || '-').padEnd(9)} ${p.family.padEnd(14)} ${formatParam(n, p.d2d.center).padStart(9)}  ${one ? '' : `${spreadOf(n, p.d2d).padEnd(14)} `}${spreadOf(n, p.c2c)}\n`,
    );
    const ex = p.diagnostics?.excluded;
    if (ex) {
      const sel = ex.selection?.map((q) => `${q.param} ${q.meanZ >= 0 ? '+' : ''}${q.meanZ.toFixed(2)} sd`).join(', ');
      const corr = ex.selectionCorrection
        ? `; d2d corrected ×${ex.selectionCorrection.d2dSpreadFactor.toFixed(3)} for the selection (on ${ex.selectionCorrection.on.join(', ')})`
        : '';
      process.stderr.write(
        `  ${''.padEnd(14)} not used: ${ex.unidentified} unidentified, ${ex.outliers} outlier cycle value(s); ${ex.devicesLost} device(s) left without a value${sel && !one ? `; excluded cycles sit at ${sel} (d2d)` : ''}${one ? '' : corr}\n`,
      );
    }
  }
  const rs = pop.circuit?.seriesOhm;
  if (rs)
    process.stderr.write(
      `  ${'seriesOhm'.padEnd(14)} ${'Ω'.padEnd(9)} ${'lognormal'.padEnd(14)} ${formatNumber(rs.center).padStart(9)}  ${one ? '' : `${`${formatNumber(rs.spread, 3)} (ln)`.padEnd(14)} `} — the fits' external series resistance (measurement circuit), ${rs.n} device${rs.n === 1 ? '' : 's'}\n`,
    );
  process.stderr.write(`wrote ${o.out}\n`);
  return pop;
}

function beyondTolerance(v: string | undefined): number {
  const x = numberFlag('population', 'beyond-tolerance', v, DEFAULT_BEYOND_TOLERANCE);
  if (!(x > 0)) throw new JartcalError(`population: --beyond-tolerance expects a positive fraction, got ${v}.`, { code: 'bad_arguments' });
  return x;
}

export const command: Command = {
  name: 'population',
  summary: 'estimate a device population (d2d/c2c spreads, correlations) from fits.json',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('population', argv, {
      out: { type: 'string' },
      seed: { type: 'string' },
      bootstrap: { type: 'string' },
      family: { type: 'string' },
      'include-unconverged': { type: 'boolean' },
      'ignore-stderr': { type: 'boolean' },
      'include-unidentified': { type: 'boolean' },
      'outlier-z': { type: 'string' },
      'no-selection-correction': { type: 'boolean' },
      refine: { type: 'boolean' },
      dataset: { type: 'string' },
      'refine-budget': { type: 'string' },
      'refine-devices': { type: 'string' },
      'refine-cycles': { type: 'string' },
      'beyond-tolerance': { type: 'string' },
      'no-beyond': { type: 'boolean' },
    });
    const outlierZ = numberFlag('population', 'outlier-z', values['outlier-z'], 5);
    if (!(outlierZ >= 0)) throw new JartcalError('population: --outlier-z expects a number ≥ 0.', { code: 'bad_arguments' });
    if (positionals.length === 0)
      throw new JartcalError('population: give at least one fits.json. See `jartcal population --help`.', { code: 'bad_arguments' });
    if (!values.out) throw new JartcalError('population: --out is required.', { code: 'bad_arguments' });
    const family = values.family ?? 'auto';
    if (family !== 'auto' && family !== 'normal' && family !== 'lognormal')
      throw new JartcalError(`population: --family expects auto, normal or lognormal, got "${family}".`, { code: 'bad_arguments' });
    const seed = numberFlag('population', 'seed', values.seed, 1);
    const bootstrap = numberFlag('population', 'bootstrap', values.bootstrap, 200);
    if (!Number.isInteger(bootstrap) || bootstrap < 0)
      throw new JartcalError('population: --bootstrap expects a non-negative integer.', { code: 'bad_arguments' });
    const estimate = resolveEstimateOptions({
      seed,
      bootstrap,
      family,
      includeUnconverged: Boolean(values['include-unconverged']),
      useStderr: !values['ignore-stderr'],
      includeUnidentified: Boolean(values['include-unidentified']),
      outlierZ,
      selectionCorrection: !values['no-selection-correction'],
    });
    const int = (flag: string, v: string | undefined, def: number | undefined): number | undefined => {
      if (v === undefined) return def;
      const x = numberFlag('population', flag, v, 0);
      if (!Number.isInteger(x) || x < 1)
        throw new JartcalError(`population: --${flag} expects a positive integer, got ${v}.`, { code: 'bad_arguments' });
      return x;
    };
    const refine = values.refine
      ? {
          dataset: values.dataset,
          budget: int('refine-budget', values['refine-budget'], 150) as number,
          devices: int('refine-devices', values['refine-devices'], undefined),
          cycles: int('refine-cycles', values['refine-cycles'], undefined),
          beyondTolerance: values['no-beyond'] ? (false as const) : beyondTolerance(values['beyond-tolerance']),
        }
      : undefined;
    populationStage({ fits: positionals, out: values.out, estimate, refine });
    return 0;
  },
};
