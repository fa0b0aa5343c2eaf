/** `jartcal profile population.json dataset.json`: variability profile / posterior predictive check. */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from './command.js';
import { numberFlag, parseCommandArgs } from './command.js';
import { createProgress } from './progress.js';
import { JartcalError } from '../util/errors.js';
import { createRng } from '../util/rng.js';
import { TOOLKIT_VERSION } from '../version.js';
import {
  cycleProtocols,
  measuredFeatures,
  measuredGroups,
  measuredNoiseLog10,
  predictiveProfile,
  labelBeyondModel,
  replayProfile,
  sweepConditions,
  withinSamplingError,
  type DatasetIn,
  type LevelRow,
  type PopulationFile,
  type ReplayProfile,
  type SweepConditions,
} from '../population/index.js';
import { FEATURES, MIN_CYCLES, type Feature } from '../population/moments.js';
import { ecdfChart, ecdfText, svgToPng } from '../plot/index.js';
import { loadPopulationArg, presetsDir, readDatasetFile } from '../io/population.js';
import { readJsonFile } from '../io/json.js';
import { writeFileAtomic } from '../io/atomic.js';
import { attachProfile, writeProfile } from '../io/profile.js';
import type { ProfileFile } from '../schema/profile.js';
import { formatSi } from './format.js';

const HELP = `Usage: jartcal profile POPULATION DATASET.json [--devices N] [--cycles C] [--seed S] [--out profile.json] [--attach OUT_POPULATION.json] [--plots DIR]

Variability profile (posterior predictive check): the measured switching-feature statistics of the
dataset beside the same statistics of devices sampled from the population and simulated through the JART
model. Each simulated device replays a measured device: as many cycles as it has (at most C), each cycle
on the protocol of one of its measured cycles (its voltage samples and time, compliance, read voltage,
start state; v1b var targets redrawn every cycle). Both sides go through one feature extractor. Rows:
device-to-device (one value per device: its first cycle) and cycle-to-cycle (spread within the devices
with ${MIN_CYCLES} or more cycles) levels and spreads of HRS, LRS, |V_SET|, |V_RESET|, on/off, each with
its sampling error (bootstrap over devices); the measured devices are replayed until every predicted
row's sampling error is below --target-se. A refined population (population --refine) is profiled
before and after its refinement. Prints the table and ECDF overlays; --plots DIR writes them as SVG and
PNG; --out writes the profile (schema jartcal.profile/1); --attach writes the population with the
profile under "profile".

Options:
  --devices N    simulated devices to start from (default 50; rounded up to whole replicates of the
                 measured devices, then grown until the sampling errors are below the target)
  --max-devices N  the cap on simulated devices (default 2000)
  --target-se F  each predicted row's relative sampling error below this (default 0.05)
  --cycles C     cycles per simulated device at most (default 0: as many as its measured device has,
                 so a long measured device is replayed whole, as the refinement replays it)
  --plots DIR    ECDF overlays measured / predicted per feature (d2d and c2c) as SVG and PNG
  --median-sweep every device on the dataset's median sweep for C cycles (the former profile; pooled
                 rows: CV of HRS and LRS, V_SET and V_RESET mean and spread, on/off)
  --seed S       random seed (default 1)
  --rate R       sweep rate in V/s when the dataset has no time (default 1)
  --series-resistance R
                 external series resistance of the measurement circuit in Ω, the same for every device
                 (0: none). Default: a population built from fits with a fitted resistance (\`--fit
                 ...,seriesOhm\`) carries it per device (its "circuit" block) and each sampled device
                 draws its own; otherwise none
  --within       with --median-sweep: predicted statistics per device, averaged over devices
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
  /** statistics per device, averaged over devices (median-sweep profile) */
  within: boolean;
  /** the former profile: every device on the dataset's median sweep */
  medianSweep?: boolean;
  maxDevices?: number;
  targetSe?: number;
  /** a folder for the ECDF overlays (SVG and PNG) */
  plots?: string;
  out?: string;
  attach?: string;
}

export const PROFILE_DEFAULTS = {
  devices: 50,
  cycles: 5,
  /** 0: every cycle of the measured device a simulated device replays */
  replayCycles: 0,
  maxDevices: 2000,
  targetSe: 0.05,
  seed: 1,
  rateVps: 1,
  within: false,
} as const;

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
    ['cycles', o.cycles === 0 && !o.medianSweep && !o.within ? 1 : o.cycles],
    ['max-devices', o.maxDevices ?? 1],
  ] as const) {
    if (!Number.isInteger(x) || x < 1)
      throw new JartcalError(`profile: --${flag} expects a positive integer, got ${x}.`, { code: 'bad_arguments' });
  }
  if (o.targetSe !== undefined && !(o.targetSe > 0 && o.targetSe < 1))
    throw new JartcalError(`profile: --target-se expects a fraction in (0, 1), got ${o.targetSe}.`, { code: 'bad_arguments' });
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
  if (o.medianSweep || o.within) return medianSweepProfile(o, pop, ds, sweep);
  return replayStage(o, pop, ds);
}

function replayStage(o: ProfileStageOptions, pop: PopulationFile, ds: DatasetIn): Record<string, unknown> {
  const groups = measuredGroups(ds).filter((g) => g.length > 0);
  const protos = cycleProtocols(ds, o.rateVps);
  const est = pop.refinement?.estimate;
  const before: PopulationFile | null = est
    ? { ...pop, parameters: est.parameters, ...(est.circuit ? { circuit: est.circuit } : {}), refinement: undefined }
    : null;
  if (before && !est?.circuit) delete before.circuit;
  let progress: ReturnType<typeof createProgress> | null = null;
  const opts = {
    seed: o.seed,
    minDevices: o.devices,
    maxDevices: o.maxDevices ?? PROFILE_DEFAULTS.maxDevices,
    // 0: each simulated device replays all its measured device's cycles (the measured structure: a first
    // cycle from the initial state weighs as much in a device's c2c spread as it does in the data)
    maxCycles: o.cycles > 0 ? o.cycles : Math.max(1, ...groups.map((g) => g.length)),
    targetRelSe: o.targetSe ?? PROFILE_DEFAULTS.targetSe,
    seriesOhm: o.seriesOhm,
    noiseLog10: measuredNoiseLog10(ds),
  };
  let total = 0;
  const tick = (done: number, n: number): void => {
    if (n !== total || !progress || done === 1) {
      progress?.done();
      total = n;
      progress = createProgress('profile', n);
    }
    progress.tick();
  };
  const replayed = replayProfile(pop, groups, protos, { ...opts, onProgress: tick });
  // rows the all-free refinement could not bring within its tolerance either: beyond JART v1b
  const after = { ...replayed, rows: labelBeyondModel(replayed.rows, pop.refinement) };
  // before refinement: the estimate, the same simulated devices (common random numbers)
  const prior = before
    ? replayProfile(before, groups, protos, {
        ...opts,
        minDevices: after.simulated.devices,
        maxDevices: after.simulated.devices,
        onProgress: tick,
      })
    : null;
  (progress as ReturnType<typeof createProgress> | null)?.done();
  const rateSources = new Set(protos.flat().map((p) => p.rateSource));
  const comp = protos
    .flat()
    .map((p) => p.complianceA)
    .filter((x): x is number => x !== null);
  process.stdout.write(
    `simulated: ${after.simulated.devices} devices (${after.simulated.replicates} per measured device, ${after.simulated.measuredDevices} measured), ${after.simulated.cycles} cycles, each on the protocol of a measured cycle (its voltage samples, ${rateSources.has('data') ? 'measured time' : ''}${rateSources.size > 1 ? ' or ' : ''}${rateSources.has('default') ? `${o.rateVps} V/s` : ''}, compliance ${complianceRange(comp)}, read voltage, start state; the measured current noise of ${opts.noiseLog10.toFixed(4)} decade added)${seriesLine(o.seriesOhm, pop.circuit?.seriesOhm)}\n`,
  );
  process.stdout.write(
    `largest predicted sampling error ${(100 * after.simulated.worstPredictedRelSe).toFixed(1)} % (target ${(100 * after.simulated.targetRelSe).toFixed(0)} %${after.simulated.capped ? `; growth stopped by the cap of --max-devices or 500,000 simulated voltage samples` : ''})\n`,
  );
  printReplayTable(after.rows, prior?.rows ?? null);
  printEcdfs(after, prior);
  if (o.plots) writeEcdfPlots(o.plots, after, prior);
  return saveProfile(o, {
    protocol: 'replay',
    rows: after.rows,
    simulated: after.simulated,
    samples: after.samples,
    ...(prior ? { before: { rows: prior.rows, simulated: prior.simulated, samples: { predicted: prior.samples.predicted } } } : {}),
    seed: o.seed,
  });
}

const pct = (x: number): string => (Number.isFinite(x) ? `${x > 0 ? '+' : ''}${(100 * x).toFixed(0)} %` : 'n/a');
const num = (x: number): string => (Number.isFinite(x) ? x.toPrecision(4) : 'n/a');

/** measured ± its sampling error, predicted (before / after refinement) ± error, relative differences; a miss beyond ±25 % marked. */
export function printReplayTable(rows: LevelRow[], before: LevelRow[] | null): void {
  const w = (x: string, n: number): string => x.padStart(n);
  const byMoment = new Map((before ?? []).map((r) => [r.moment, r]));
  process.stdout.write(
    `${'statistic'.padEnd(34)}${w('measured', 11)}${w('± se', 8)}${before ? `${w('before', 11)}${w('diff', 8)}` : ''}${w(before ? 'after' : 'predicted', 11)}${w('± se', 8)}${w('diff', 8)}\n`,
  );
  for (const r of rows) {
    const b = byMoment.get(r.moment);
    const miss = r.beyondModel
      ? `  * beyond JART v1b (all free: closest ${pct(r.beyondModel.closestRelDiff)})`
      : Number.isFinite(r.relDiff) && Math.abs(r.relDiff) > 0.25
        ? withinSamplingError(r)
          ? '  ~ within 2 sampling errors'
          : '  *'
        : '';
    process.stdout.write(
      `${r.statistic.padEnd(34)}${w(num(r.measured), 11)}${w(pct(r.measuredRelSe).replace('+', ''), 8)}${before ? `${w(b ? num(b.predicted) : 'n/a', 11)}${w(b ? pct(b.relDiff) : 'n/a', 8)}` : ''}${w(num(r.predicted), 11)}${w(pct(r.predictedRelSe).replace('+', ''), 8)}${w(pct(r.relDiff), 8)}${miss}\n`,
    );
  }
  process.stdout.write(
    '(* beyond ±25 %; ~ beyond ±25 % but within 2 combined sampling errors, which the data cannot tell from agreement; sampling errors relative to the value, bootstrap over devices)\n',
  );
  if (rows.some((r) => r.beyondModel))
    process.stdout.write(
      '(beyond JART v1b: the row still missed when the population was refined with every parameter free — centres, d2d and c2c spreads, copula, circuit —; "closest" is the nearest any population came)\n',
    );
}

const ECDF_LABEL: Record<Feature, string> = {
  log10Hrs: 'log10 HRS (Ω)',
  log10Lrs: 'log10 LRS (Ω)',
  vSetV: '|V_SET| (V)',
  vResetV: '|V_RESET| (V)',
  log10OnOff: 'log10 on/off',
};

function ecdfPanels(after: ReplayProfile, prior: ReplayProfile | null) {
  const out: { level: 'd2d' | 'c2c'; feat: Feature; title: string; xLabel: string; m: number[]; p: number[]; b: number[] | null }[] = [];
  for (const level of ['d2d', 'c2c'] as const)
    for (const feat of FEATURES) {
      const m = after.samples.measured[level][feat];
      const p = after.samples.predicted[level][feat];
      if (!m || m.length < (level === 'd2d' ? 3 : MIN_CYCLES)) continue;
      out.push({
        level,
        feat,
        title: `${level === 'd2d' ? 'device-to-device' : 'cycle-to-cycle (deviation from the device mean)'}: ${ECDF_LABEL[feat]}`,
        xLabel: level === 'd2d' ? ECDF_LABEL[feat] : `${ECDF_LABEL[feat]}, deviation`,
        m,
        p: p ?? [],
        b: prior?.samples.predicted[level][feat] ?? null,
      });
    }
  return out;
}

function printEcdfs(after: ReplayProfile, prior: ReplayProfile | null): void {
  for (const pn of ecdfPanels(after, prior)) {
    process.stdout.write(`\n${pn.title}\n`);
    const series = [
      ...(pn.b ? [{ name: 'before refinement', mark: '.', values: pn.b }] : []),
      { name: prior ? 'after refinement' : 'predicted', mark: 'o', values: pn.p },
      { name: 'measured', mark: '#', values: pn.m },
    ];
    for (const line of ecdfText(series, { width: 56, rows: 8 })) process.stdout.write(`  ${line}\n`);
  }
}

function writeEcdfPlots(dir: string, after: ReplayProfile, prior: ReplayProfile | null): void {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const pn of ecdfPanels(after, prior)) {
    const svg = ecdfChart({
      title: pn.title,
      xLabel: pn.xLabel,
      series: [
        { name: 'measured', values: pn.m, color: '#1f77b4' },
        ...(pn.b ? [{ name: 'before refinement', values: pn.b, color: '#7f7f7f', dash: true }] : []),
        { name: prior ? 'after refinement' : 'predicted', values: pn.p, color: '#d62728' },
      ],
    });
    const base = join(dir, `ecdf_${pn.level}_${pn.feat}`);
    writeFileAtomic(`${base}.svg`, svg);
    writeFileAtomic(`${base}.png`, svgToPng(svg));
    files.push(`${base}.svg`);
  }
  process.stderr.write(`profile: wrote ${files.length} ECDF overlays (SVG and PNG) to ${dir}\n`);
}

function medianSweepProfile(
  o: ProfileStageOptions,
  pop: PopulationFile,
  ds: DatasetIn,
  sweep: SweepConditions & { rateSource: string },
): Record<string, unknown> {
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
  return saveProfile(o, { protocol: 'median-sweep', ...prof });
}

function saveProfile(o: ProfileStageOptions, prof: object): Record<string, unknown> {
  const record = {
    schema: 'jartcal.profile/1',
    toolkitVersion: TOOLKIT_VERSION,
    createdAt: new Date().toISOString(),
    population: o.population,
    dataset: o.dataset,
    ...prof,
  };
  if (o.out) writeProfile(o.out, record as ProfileFile);
  // attached to the population file as it is (not re-serialised), so that the rest of it stays byte for byte what it was
  if (o.attach) attachProfile(o.attach, rawPopulationJson(o.population), record as ProfileFile);
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
      'median-sweep': { type: 'boolean' },
      'max-devices': { type: 'string' },
      'target-se': { type: 'string' },
      plots: { type: 'string' },
    });
    if (positionals.length !== 2)
      throw new JartcalError('profile: give a population (file or preset) and a dataset.json. See `jartcal profile --help`.', {
        code: 'bad_arguments',
      });
    const d = PROFILE_DEFAULTS;
    const medianSweep = (values['median-sweep'] ?? false) || (values.within ?? false);
    profileStage({
      population: positionals[0],
      dataset: positionals[1],
      devices: numberFlag('profile', 'devices', values.devices, d.devices),
      cycles: numberFlag('profile', 'cycles', values.cycles, medianSweep ? d.cycles : d.replayCycles),
      seed: numberFlag('profile', 'seed', values.seed, d.seed),
      rateVps: numberFlag('profile', 'rate', values.rate, d.rateVps),
      seriesOhm:
        values['series-resistance'] === undefined ? undefined : numberFlag('profile', 'series-resistance', values['series-resistance']),
      within: values.within ?? d.within,
      medianSweep,
      maxDevices: numberFlag('profile', 'max-devices', values['max-devices'], d.maxDevices),
      targetSe: numberFlag('profile', 'target-se', values['target-se'], d.targetSe),
      plots: values.plots,
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

/** The population file's JSON as written (a file, else the preset of that name). */
function rawPopulationJson(arg: string): unknown {
  return readJsonFile(existsSync(arg) ? arg : join(presetsDir(), `${arg}.json`));
}

function complianceRange(comp: number[]): string {
  if (!comp.length) return 'none';
  const lo = Math.min(...comp),
    hi = Math.max(...comp);
  return formatSi(lo, 'A') === formatSi(hi, 'A') ? formatSi(lo, 'A') : `${formatSi(lo, 'A')} … ${formatSi(hi, 'A')} (per cycle)`;
}
