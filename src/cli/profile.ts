/** `jartcal profile population.json dataset.json`: variability profile / posterior predictive check. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from './command.js';
import { numberFlag, parseCommandArgs } from './command.js';
import { createProgress } from './progress.js';
import { JartcalError } from '../util/errors.js';
import { createRng } from '../util/rng.js';
import { TOOLKIT_VERSION } from '../version.js';
import { measuredFeatures, predictiveProfile, sweepConditions } from '../population/index.js';
import { loadPopulationArg, presetsDir, readDatasetFile } from '../io/population.js';
import { attachProfile, writeProfile } from '../io/profile.js';
import { PROFILE_SCHEMA, type ProfileFile } from '../schema/profile.js';
import { formatSi } from './format.js';

const HELP = `Usage: jartcal profile POPULATION DATASET.json [--devices N] [--cycles C] [--seed S] [--out profile.json] [--attach OUT_POPULATION.json]

Variability profile (posterior predictive check): the measured switching-feature statistics of the
dataset (its per-cycle features: CV of HRS and LRS, V_SET and V_RESET mean and spread, on/off) beside
the same statistics of N devices sampled from the population, each simulated through the JART model for
C consecutive cycles of the dataset's median sweep (v1b var targets redrawn at every switching event).
Prints the table; --out writes it (schema jartcal.profile/1); --attach writes the population with the
profile under "profile".

Options:
  --devices N    sampled devices (default 50)
  --cycles C     cycles per device (default 5)
  --seed S       random seed (default 1)
  --rate R       sweep rate in V/s when the dataset has no time (default 1)
  --series-resistance R
                 external series resistance of the measurement circuit in Ω, the same for every device
                 (0: none). Default: a population built from fits with a fitted resistance (\`--fit
                 ...,seriesOhm\`) carries it per device (its "circuit" block) and each sampled device
                 draws its own; otherwise none
  --within       predicted statistics per device, averaged over devices (cycle-to-cycle only; for a
                 dataset of many cycles of one device). Default: pooled over all devices and cycles.
`;

export interface ProfileStageOptions {
  /** population file or preset name */
  population: string;
  dataset: string;
  devices: number;
  cycles: number;
  seed: number;
  /** sweep rate in V/s when the dataset has no time */
  rateVps: number;
  /** a stated external series resistance (Ω, 0 = none); undefined: the population's circuit, if any */
  seriesOhm?: number;
  /** statistics per device, averaged over devices */
  within: boolean;
  out?: string;
  attach?: string;
}

export const PROFILE_DEFAULTS = { devices: 50, cycles: 5, seed: 1, rateVps: 1, within: false } as const;

/**
 * Why the dataset's median sweep cannot be profiled (a dataset of half cycles: SET branches only, or
 * RESET only), or null. The profile simulates full cycles SET → RESET and compares both halves.
 */
export function sweepProblem(sweep: { vSetV: number; vResetV: number; stepV: number }): string | null {
  const set = sweep.vSetV < 0,
    reset = sweep.vResetV > 0;
  if (!set && !reset) return 'its cycles reach neither polarity (no SET at negative V, no RESET at positive V)';
  if (!reset)
    return `its cycles have a SET branch only (voltages ${sweep.vSetV.toPrecision(3)} V … 0 V, no RESET at positive V): half cycles. The profile compares full SET/RESET cycles`;
  if (!set)
    return `its cycles have a RESET branch only (voltages 0 V … ${sweep.vResetV.toPrecision(3)} V, no SET at negative V): half cycles. The profile compares full SET/RESET cycles`;
  if (!(sweep.stepV > 0)) return 'its cycles have no voltage step';
  return null;
}

/** The profile stage: simulates sampled devices through the dataset's median sweep, prints the table, writes and attaches. */
export function profileStage(o: ProfileStageOptions): Record<string, unknown> {
  for (const [flag, x] of [
    ['devices', o.devices],
    ['cycles', o.cycles],
  ] as const) {
    if (!Number.isInteger(x) || x < 1)
      throw new JartcalError(`profile: --${flag} expects a positive integer, got ${x}.`, { code: 'bad_arguments' });
  }
  if (o.seriesOhm !== undefined && !(o.seriesOhm >= 0))
    throw new JartcalError(`profile: --series-resistance expects a resistance ≥ 0 in Ω, got ${o.seriesOhm}.`, { code: 'bad_arguments' });
  const pop = loadPopulationArg(o.population);
  const ds = readDatasetFile(o.dataset);
  // a stated resistance (0 included) overrides the population's per-device circuit
  const sweep = { ...sweepConditions(ds, o.rateVps), ...(o.seriesOhm !== undefined ? { seriesOhm: o.seriesOhm } : {}) };
  const problem = sweepProblem(sweep);
  if (problem)
    throw new JartcalError(`profile: ${o.dataset}: cannot profile this dataset: ${problem}.`, {
      code: 'half_cycles',
      location: { file: o.dataset },
    });
  const progress = createProgress('profile', o.devices);
  const prof = predictiveProfile(
    pop,
    measuredFeatures(ds),
    { devices: o.devices, cycles: o.cycles, sweep, pooling: o.within ? 'within' : 'all', onProgress: () => progress.tick() },
    createRng(o.seed),
  );
  progress.done();
  const fmt = (x: number): string => (Number.isFinite(x) ? x.toPrecision(4) : 'n/a');
  process.stdout.write(
    `sweep: ${formatSi(sweep.vSetV, 'V')} -> ${formatSi(sweep.vResetV, 'V')}, step ${formatSi(sweep.stepV, 'V')}, ${fmt(sweep.rateVps)} V/s (${sweep.rateSource}), compliance ${sweep.complianceA === null || sweep.complianceA === undefined ? 'none' : formatSi(sweep.complianceA, 'A')}${seriesLine(sweep.seriesOhm, pop.circuit?.seriesOhm)}\n`,
  );
  process.stdout.write(`${'statistic'.padEnd(20)} ${'measured'.padStart(12)} ${'predicted'.padStart(12)} ${'rel. diff'.padStart(10)}\n`);
  for (const r of prof.rows)
    process.stdout.write(
      `${r.statistic.padEnd(20)} ${fmt(r.measured).padStart(12)} ${fmt(r.predicted).padStart(12)} ${(Number.isFinite(r.relDiff) ? (100 * r.relDiff).toFixed(0) + ' %' : 'n/a').padStart(10)}\n`,
    );
  const record: ProfileFile = {
    schema: PROFILE_SCHEMA,
    toolkitVersion: TOOLKIT_VERSION,
    createdAt: new Date().toISOString(),
    population: o.population,
    dataset: o.dataset,
    ...prof,
  };
  if (o.out) writeProfile(o.out, record);
  if (o.attach) attachProfile(existsSync(o.population) ? o.population : join(presetsDir(), `${o.population}.json`), o.attach, record);
  return record;
}

export const command: Command = {
  name: 'profile',
  summary: 'variability profile: measured vs population-predicted switching statistics',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('profile', argv, {
      devices: { type: 'string' },
      cycles: { type: 'string' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      'series-resistance': { type: 'string' },
      out: { type: 'string' },
      attach: { type: 'string' },
      within: { type: 'boolean' },
    });
    if (positionals.length !== 2)
      throw new JartcalError('profile: give a population (file or preset) and a dataset.json. See `jartcal profile --help`.', {
        code: 'bad_arguments',
      });
    const d = PROFILE_DEFAULTS;
    profileStage({
      population: positionals[0],
      dataset: positionals[1],
      devices: numberFlag('profile', 'devices', values.devices, d.devices),
      cycles: numberFlag('profile', 'cycles', values.cycles, d.cycles),
      seed: numberFlag('profile', 'seed', values.seed, d.seed),
      rateVps: numberFlag('profile', 'rate', values.rate, d.rateVps),
      seriesOhm:
        values['series-resistance'] === undefined ? undefined : numberFlag('profile', 'series-resistance', values['series-resistance']),
      within: values.within ?? d.within,
      out: values.out,
      attach: values.attach,
    });
    return 0;
  },
};

function seriesLine(stated: number | undefined, pop: { center: number; spread: number; n: number } | undefined): string {
  if (stated !== undefined) return stated > 0 ? `, series ${formatSi(stated, 'Ω')}` : '';
  if (!pop) return '';
  return `, series per device from the population (median ${pop.center.toPrecision(3)} Ω, ln sd ${pop.spread.toFixed(2)}, fitted on ${pop.n} devices)`;
}
