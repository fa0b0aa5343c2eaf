/** `jartcal profile population.json dataset.json`: variability profile / posterior predictive check. */
import type { Command } from './command.js';
import { numberFlag, parseCommandArgs } from './command.js';
import { createProgress } from './progress.js';
import { JartcalError } from '../util/errors.js';
import { createRng } from '../util/rng.js';
import { TOOLKIT_VERSION } from '../version.js';
import { measuredFeatures, predictiveProfile, sweepConditions } from '../population/index.js';
import { loadPopulationArg, readDatasetFile, writePopulationFile } from '../io/population.js';
import { writeJsonAtomic } from '../io/atomic.js';

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

export const command: Command = {
  name: 'profile',
  summary: 'variability profile: measured vs population-predicted switching statistics',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('profile', argv, {
      devices: { type: 'string' }, cycles: { type: 'string' }, seed: { type: 'string' }, rate: { type: 'string' }, 'series-resistance': { type: 'string' },
      out: { type: 'string' }, attach: { type: 'string' }, within: { type: 'boolean' },
    });
    if (positionals.length !== 2) throw new JartcalError('profile: give a population (file or preset) and a dataset.json. See `jartcal profile --help`.', { code: 'bad_arguments' });
    const devices = numberFlag('profile', 'devices', values.devices, 50), cycles = numberFlag('profile', 'cycles', values.cycles, 5);
    const seed = numberFlag('profile', 'seed', values.seed, 1), rate = numberFlag('profile', 'rate', values.rate, 1);
    for (const [flag, x] of [['devices', devices], ['cycles', cycles]] as const) {
      if (!Number.isInteger(x) || x < 1) throw new JartcalError(`profile: --${flag} expects a positive integer, got ${x}.`, { code: 'bad_arguments' });
    }
    const pop = loadPopulationArg(positionals[0]);
    const ds = readDatasetFile(positionals[1]);
    const given = values['series-resistance'] !== undefined;
    const seriesOhm = numberFlag('profile', 'series-resistance', values['series-resistance'], 0);
    if (!(seriesOhm >= 0)) throw new JartcalError(`profile: --series-resistance expects a resistance ≥ 0 in Ω, got ${seriesOhm}.`, { code: 'bad_arguments' });
    // a stated resistance (0 included) overrides the population's per-device circuit
    const sweep = { ...sweepConditions(ds, rate), ...(given ? { seriesOhm } : {}) };
    const progress = createProgress('profile', devices);
    const prof = predictiveProfile(pop, measuredFeatures(ds), { devices, cycles, sweep, pooling: values.within ? 'within' : 'all', onProgress: () => progress.tick() }, createRng(seed));
    progress.done();
    const fmt = (x: number): string => (Number.isFinite(x) ? x.toPrecision(4) : 'n/a');
    process.stdout.write(`sweep: ${sweep.vSetV} V -> ${sweep.vResetV} V, step ${fmt(sweep.stepV)} V, ${fmt(sweep.rateVps)} V/s (${sweep.rateSource}), compliance ${sweep.complianceA ?? 'none'}${seriesLine(sweep.seriesOhm, pop.circuit?.seriesOhm)}\n`);
    process.stdout.write(`${'statistic'.padEnd(20)} ${'measured'.padStart(12)} ${'predicted'.padStart(12)} ${'rel. diff'.padStart(10)}\n`);
    for (const r of prof.rows) process.stdout.write(`${r.statistic.padEnd(20)} ${fmt(r.measured).padStart(12)} ${fmt(r.predicted).padStart(12)} ${(Number.isFinite(r.relDiff) ? (100 * r.relDiff).toFixed(0) + ' %' : 'n/a').padStart(10)}\n`);
    const record = { schema: 'jartcal.profile/1', toolkitVersion: TOOLKIT_VERSION, createdAt: new Date().toISOString(), population: positionals[0], dataset: positionals[1], ...prof };
    if (values.out) writeJsonAtomic(values.out, record);
    if (values.attach) writePopulationFile(values.attach, { ...pop, profile: record });
    return 0;
  },
};

function seriesLine(stated: number | undefined, pop: { center: number; spread: number; n: number } | undefined): string {
  if (stated !== undefined) return stated > 0 ? `, series ${stated} Ω` : '';
  if (!pop) return '';
  return `, series per device from the population (median ${pop.center.toPrecision(3)} Ω, ln sd ${pop.spread.toFixed(2)}, fitted on ${pop.n} devices)`;
}
