/**
 * Posterior predictive check: devices sampled from the population, each cycle simulated through the
 * model on the measurement's sweep (v1b var targets drawn once per cycle and held for its SET and
 * RESET, the geometry carried over from cycle to cycle: cycleSampler),
 * switching features extracted, statistics set beside the measured ones.
 */
import { createRng, type Rng } from '../util/rng.js';
import { resolveParams, simulate, sweepWaveform, type Waveform } from '../model/index.js';
import { cycleSampler, drawCycle, samplePopulation, type SampledDevice } from './sample.js';
import {
  compareProfiles,
  featureStats,
  featureStatsWithin,
  sweepFeatures,
  type CycleFeaturesIn,
  type FeatureStats,
  type ProfileRow,
} from './profile.js';
import type { PopulationFile, RefinementRecord } from './types.js';
import {
  FEATURES,
  featureMoments,
  featureValue,
  MIN_CYCLES,
  selectMoments,
  type Feature,
  type Moment,
  type MomentName,
  type Moments,
} from './moments.js';

/** The measurement's sweep in the model convention (SET at negative V). */
export interface SweepConditions {
  vSetV: number;
  vResetV: number;
  rateVps: number;
  stepV: number;
  readVoltageV: number;
  complianceA: number | null;
  /** External series resistance of the measurement circuit, Ω (as fitted with `--fit ...,seriesOhm`); 0 or absent: none. */
  seriesOhm?: number;
}

export interface PpcOptions {
  devices: number;
  cycles: number;
  sweep: SweepConditions;
  /** 'all' (default): statistics over all cycles of all devices (d2d + c2c); 'within': per device, averaged (c2c only). */
  pooling?: 'all' | 'within';
  onProgress?: (done: number, total: number) => void;
}

export interface VariabilityProfile {
  sweep: SweepConditions;
  measured: FeatureStats;
  predicted: FeatureStats;
  rows: ProfileRow[];
  simulated: { devices: number; cycles: number; usable: number; pooling: 'all' | 'within' };
  seed: number;
  /** the sweeps went through a series resistance drawn per device from the population's circuit */
  seriesOhmPerDevice?: { center: number; spread: number; n: number };
}

export interface SimulatedCycle {
  tS: Float64Array;
  vV: Float64Array;
  iA: Float64Array;
  ok: boolean;
}

/** `cycles` consecutive sweeps of one device (N carries over from cycle to cycle), split per cycle. */
export function simulateDeviceSweeps(
  pop: PopulationFile,
  device: SampledDevice,
  cycles: number,
  sweep: SweepConditions,
  rng: Rng,
): SimulatedCycle[] {
  const one = sweepWaveform({ vSetV: sweep.vSetV, vResetV: sweep.vResetV, rateVps: sweep.rateVps, stepV: sweep.stepV });
  const n = one.tS.length,
    period = one.tS[n - 1]; // first and last points are both 0 V: shared between cycles
  const wave: Waveform = { tS: new Float64Array((n - 1) * cycles + 1), vV: new Float64Array((n - 1) * cycles + 1) };
  for (let c = 0; c < cycles; c++)
    for (let k = c === 0 ? 0 : 1; k < n; k++) {
      wave.tS[c * (n - 1) + k] = c * period + one.tS[k];
      wave.vV[c * (n - 1) + k] = one.vV[k];
    }
  const cs = cycleSampler(pop, device, rng);
  const params = resolveParams({ ...device.params, ...cs.initial });
  // The sweep starts with a SET: the device sits in its HRS, N = its (first cycle's) Ndiscmin (as the fit stage assumes).
  const res = simulate(params, wave, {
    ninit: params.Ndiscmin,
    circuit: { complianceA: sweep.complianceA ?? undefined, seriesOhm: sweep.seriesOhm },
    sampler: cs.sampler,
  });
  const out: SimulatedCycle[] = [];
  for (let c = 0; c < cycles; c++) {
    const a = c * (n - 1),
      b = a + n;
    const iA = res.iA.slice(a, b);
    out.push({ tS: one.tS.slice(), vV: res.vV.slice(a, b), iA, ok: iA.every((x) => Number.isFinite(x)) });
  }
  return out;
}

/** Switching features of `cycles` consecutive simulated sweeps of one device (null: simulation failed). */
export function simulateDeviceCycles(
  pop: PopulationFile,
  device: SampledDevice,
  cycles: number,
  sweep: SweepConditions,
  rng: Rng,
): (CycleFeaturesIn | null)[] {
  return simulateDeviceSweeps(pop, device, cycles, sweep, rng).map((c) =>
    c.ok ? sweepFeatures(c.vV, c.iA, sweep.readVoltageV, sweep.complianceA) : null,
  );
}

/**
 * The protocol of one measured cycle, to be replayed on a simulated device: its own voltage samples (model
 * convention), their times (measured, or |ΔV| / rate when the file has none), its compliance and read
 * voltage, and the state it starts from (HRS when its first excursion is a SET).
 */
export interface CycleProtocol {
  source: { device: string; cycle: number };
  tS: Float64Array;
  vV: Float64Array;
  complianceA: number | null;
  readVoltageV: number;
  startsWithSet: boolean;
  rateSource: 'data' | 'default';
}

/**
 * One simulated device through a sequence of measured cycles' protocols, each cycle with its own compliance
 * (one simulation per cycle). What carries over from cycle to cycle is what a continuous simulation carries:
 * the state N and the v1b var geometry at the end of the previous cycle, the previous cycle's N bounds until
 * the next switching event; each cycle draws its own var targets (held for its SET and RESET, as cycleSampler).
 */
export function simulateProtocolCycles(
  pop: PopulationFile,
  device: SampledDevice,
  protos: CycleProtocol[],
  seriesOhm: number | undefined,
  rng: Rng,
  noise?: { log10: number; rng: Rng },
): (CycleFeaturesIn | null)[] {
  const out: (CycleFeaturesIn | null)[] = [];
  let carry: { rnew: number; lnew: number; Ndiscmin: number; Ndiscmax: number; n: number } | null = null;
  for (const pr of protos) {
    const draw = drawCycle(pop, device, rng);
    const params = resolveParams({
      ...device.params,
      ...draw,
      ...(carry ? { rnew: carry.rnew, lnew: carry.lnew, Ndiscmin: carry.Ndiscmin, Ndiscmax: carry.Ndiscmax } : {}),
    });
    const ninit = carry ? carry.n : pr.startsWithSet ? params.Ndiscmin : params.Ndiscmax;
    const res = simulate(
      params,
      { tS: pr.tS, vV: pr.vV },
      { ninit, circuit: { complianceA: pr.complianceA ?? undefined, seriesOhm }, sampler: () => draw },
    );
    const last = res.iA.length - 1;
    const ok = res.iA.every((x) => Number.isFinite(x));
    const iA = noise ? measurementNoise(res.iA, pr.complianceA, noise.log10, noise.rng) : res.iA;
    out.push(ok ? sweepFeatures(res.vV, iA, pr.readVoltageV, pr.complianceA) : null);
    carry =
      ok && last >= 0
        ? { rnew: res.rVarM[last], lnew: res.lVarM[last], Ndiscmin: draw.Ndiscmin, Ndiscmax: draw.Ndiscmax, n: res.ndisc[last] }
        : null;
  }
  return out;
}

/**
 * The simulated current as the instrument would report it: each sample times 10^(σ·N(0, 1)), σ the measured
 * data's own scatter in decades (the fit stage's noise estimate, src/fit/auto.ts noiseLevelLog10), except
 * where the current is held at the compliance (a plateau, no gain noise). One normal is drawn per sample
 * whatever the current, so the random stream does not depend on the population's values.
 */
export function measurementNoise(iA: Float64Array, complianceA: number | null, log10: number, rng: Rng): Float64Array {
  const out = new Float64Array(iA.length);
  const hold = complianceA !== null ? 0.98 * complianceA : Infinity;
  const k = Math.LN10 * log10;
  for (let j = 0; j < iA.length; j++) {
    const z = rng.normal();
    out[j] = Math.abs(iA[j]) >= hold ? iA[j] : iA[j] * Math.exp(k * z);
  }
  return out;
}

/** How the measured data are replayed: `replicates` simulated devices per measured device, at most `maxCycles` cycles each. */
export interface ReplayPlan {
  /** the measured devices' cycle protocols (devices with cycles) */
  groups: CycleProtocol[][];
  replicates: number;
  maxCycles: number;
  /** a stated series resistance (Ω) for every device; undefined: the population's circuit, if any */
  seriesOhm?: number;
  /** the measured data's current noise in decades (measurementNoise), added to every simulated current; 0 or absent: none */
  noiseLog10?: number;
}

/**
 * Simulated devices that replay the measured structure: device j copies measured device j mod G (G = measured
 * devices): as many cycles as it has (at most maxCycles), each cycle the protocol of one of its measured
 * cycles drawn at random. A dataset of many one-cycle devices and one many-cycle device thus gives simulated
 * d2d data from the former and c2c data from the latter. Common random numbers: the device draws, the cycle
 * draws, the protocols drawn and the series resistances depend on the seed and the plan only.
 */
export function replayMeasured(pop: PopulationFile, plan: ReplayPlan, seed: number, onDevice?: () => void): (CycleFeaturesIn | null)[][] {
  return replayRange(pop, plan, seed, 0, plan.groups.length * plan.replicates, onDevice);
}

/**
 * Simulated devices [from, to) of replayMeasured (the same devices and draws whatever the range: every
 * device's random streams are forked in device order), for splitting the work between threads.
 */
export function replayRange(
  pop: PopulationFile,
  plan: ReplayPlan,
  seed: number,
  from: number,
  to: number,
  onDevice?: () => void,
): (CycleFeaturesIn | null)[][] {
  const rng = createRng(seed);
  const g = plan.groups.length;
  const devices = samplePopulation(pop, g * plan.replicates, rng.fork(1));
  const cr = rng.fork(2),
    rr = rng.fork(3),
    pr = rng.fork(4),
    nr = rng.fork(5);
  const noise = plan.noiseLog10 && plan.noiseLog10 > 0 ? plan.noiseLog10 : 0;
  const fromPop = plan.seriesOhm === undefined && pop.circuit?.seriesOhm;
  const out: (CycleFeaturesIn | null)[][] = [];
  for (let j = 0; j < Math.min(to, devices.length); j++) {
    const d = devices[j];
    const pick = pr.fork(j),
      rs = fromPop ? rr.fork(d.index) : null,
      rc = cr.fork(d.index),
      rn = noise > 0 ? nr.fork(d.index) : null;
    if (j < from) continue;
    const group = plan.groups[j % g];
    const n = Math.min(group.length, plan.maxCycles);
    const protos =
      n === group.length && plan.replicates === 1 ? group : Array.from({ length: n }, () => group[Math.floor(pick.next() * group.length)]);
    const seriesOhm = rs ? deviceSeriesOhm(pop, rs) : plan.seriesOhm;
    out.push(simulateProtocolCycles(pop, d, protos, seriesOhm, rc, rn ? { log10: noise, rng: rn } : undefined));
    onDevice?.();
  }
  return out;
}

/** One device's external series resistance from the population's fitted circuit (lognormal), Ω; 0 without one. */
export function deviceSeriesOhm(pop: PopulationFile, rng: Rng): number {
  const c = pop.circuit?.seriesOhm;
  return c ? c.center * Math.exp(c.spread * rng.normal()) : 0;
}

export function predictiveProfile(pop: PopulationFile, measured: CycleFeaturesIn[], opts: PpcOptions, rng: Rng): VariabilityProfile {
  const devices = samplePopulation(pop, opts.devices, rng.fork(1));
  const cr = rng.fork(2);
  const rr = rng.fork(3);
  // the population's fitted circuit, one series resistance per device, unless the sweep states one
  const fromPop = opts.sweep.seriesOhm === undefined ? pop.circuit?.seriesOhm : undefined;
  const perDevice: CycleFeaturesIn[][] = [];
  devices.forEach((d, i) => {
    const sweep = fromPop ? { ...opts.sweep, seriesOhm: deviceSeriesOhm(pop, rr.fork(d.index)) } : opts.sweep;
    perDevice.push(simulateDeviceCycles(pop, d, opts.cycles, sweep, cr.fork(d.index)).filter((f): f is CycleFeaturesIn => f !== null));
    opts.onProgress?.(i + 1, devices.length);
  });
  const predicted = perDevice.flat();
  const within = opts.pooling === 'within';
  const m = featureStats(measured),
    p = within ? featureStatsWithin(perDevice) : featureStats(predicted);
  return {
    ...(fromPop ? { seriesOhmPerDevice: { center: fromPop.center, spread: fromPop.spread, n: fromPop.n } } : {}),
    sweep: opts.sweep,
    measured: m,
    predicted: p,
    rows: compareProfiles(m, p),
    simulated: { devices: opts.devices, cycles: opts.cycles, usable: predicted.length, pooling: within ? 'within' : 'all' },
    seed: rng.seed,
  };
}

/** A row of the replayed profile: one moment (moments.ts) in natural units, measured and predicted with their sampling errors. */
export interface LevelRow {
  /** e.g. "d2d median HRS (Ohm)", "c2c sd log10 LRS (dec)" */
  statistic: string;
  moment: MomentName;
  level: 'd2d' | 'c2c' | 'all';
  measured: number;
  predicted: number;
  /** (predicted − measured) / |measured|, in natural units (a resistance level: the ratio of resistances − 1) */
  relDiff: number;
  /** sampling errors, relative to the value (a resistance level: ln 10 × se of its log10) */
  measuredRelSe: number;
  predictedRelSe: number;
  /** the row is beyond JART v1b: it still missed with every population parameter free (refinement.beyondModel) */
  beyondModel?: { tolerance: number; closest: number; closestRelDiff: number; allFreeRelDiff: number };
}

/**
 * The profile's rows with the refinement's beyond-the-model verdict: a row that misses the tolerance here and
 * that the all-free refinement could not bring within it either is labelled, with the closest value reached.
 */
export function labelBeyondModel(rows: LevelRow[], rec: RefinementRecord | undefined): LevelRow[] {
  const b = rec?.beyondModel;
  if (!b) return rows;
  const byName = new Map(b.rows.map((r) => [r.name, r]));
  return rows.map((r) => {
    const x = byName.get(r.moment);
    if (!x || !x.beyondModel || !(Math.abs(r.relDiff) > b.tolerance)) return r;
    return {
      ...r,
      beyondModel: {
        tolerance: b.tolerance,
        closest: x.closest ?? NaN,
        closestRelDiff: x.closestRelDiff,
        allFreeRelDiff: x.allFreeRelDiff,
      },
    };
  });
}

/** Feature values behind the rows, for the plots: per level and feature (d2d: one value a device; c2c: deviations from the device's mean). */
export type LevelSamples = Record<'d2d' | 'c2c', Partial<Record<Feature, number[]>>>;

export interface ReplayProfile {
  rows: LevelRow[];
  samples: { measured: LevelSamples; predicted: LevelSamples };
  simulated: {
    devices: number;
    replicates: number;
    measuredDevices: number;
    cycles: number;
    usable: number;
    maxCycles: number;
    /** the largest predicted row's relative sampling error, and the target */
    worstPredictedRelSe: number;
    targetRelSe: number;
    /** the cap on devices or samples stopped the growth before the target */
    capped: boolean;
    protocols: string;
    /** the measured current noise added to the simulated currents, decades */
    noiseLog10: number;
  };
  seed: number;
}

const FEATURE_LABEL: Record<Feature, [string, boolean]> = {
  log10Hrs: ['HRS (Ohm)', true],
  log10Lrs: ['LRS (Ohm)', true],
  vSetV: ['|V_SET| (V)', false],
  vResetV: ['|V_RESET| (V)', false],
  log10OnOff: ['on/off', true],
};

/** The profile rows of two moment sets (levels of log10 features shown as the resistance / ratio itself). */
export function levelRows(measured: Moments, predicted: Moments): LevelRow[] {
  const rows: LevelRow[] = [];
  for (const name of Object.keys(measured) as MomentName[]) {
    const m = measured[name] as Moment,
      p = predicted[name];
    if (name === 'all:switched') {
      const pv = p?.value ?? NaN;
      rows.push({
        statistic: 'cycles that switch (fraction)',
        moment: name,
        level: 'all',
        measured: m.value,
        predicted: pv,
        relDiff: (pv - m.value) / Math.abs(m.value),
        measuredRelSe: m.se / Math.abs(m.value),
        predictedRelSe: p ? p.se / Math.max(Math.abs(pv), Math.abs(m.value)) : NaN,
      });
      continue;
    }
    const [level, stat, feat] = name.split(':') as ['d2d' | 'c2c' | 'all', 'median' | 'mean' | 'sd', Feature];
    const [label, log] = FEATURE_LABEL[feat];
    if (log && stat !== 'sd') {
      const pv = p ? 10 ** p.value : NaN;
      rows.push({
        statistic: `${level} ${stat} ${label}`,
        moment: name,
        level,
        measured: 10 ** m.value,
        predicted: pv,
        relDiff: p ? 10 ** (p.value - m.value) - 1 : NaN,
        measuredRelSe: Math.LN10 * m.se,
        predictedRelSe: p ? Math.LN10 * p.se : NaN,
      });
    } else {
      const unitLabel = log ? `log10 ${label.replace(/ \(Ohm\)$/, '')} (dec)` : label;
      const pv = p?.value ?? NaN;
      rows.push({
        statistic: `${level} ${stat} ${unitLabel}`,
        moment: name,
        level,
        measured: m.value,
        predicted: pv,
        relDiff: (pv - m.value) / Math.abs(m.value),
        measuredRelSe: m.se / Math.abs(m.value),
        predictedRelSe: p ? p.se / Math.max(Math.abs(pv), Math.abs(m.value)) : NaN,
      });
    }
  }
  return rows;
}

/**
 * A row whose difference is within `k` (default 2) combined sampling errors of the measured and the predicted
 * value: a miss of the tolerance that the data cannot tell from agreement (a 12-device spread is known to ±21 %).
 * Levels of resistances compare ln(ratio) with their errors in ln (the rows' relative errors), the others the
 * relative difference.
 */
export function withinSamplingError(row: LevelRow, k = 2): boolean {
  if (!Number.isFinite(row.relDiff) || !Number.isFinite(row.measuredRelSe)) return false;
  const logLevel = /^(d2d|all):(median|mean):log10/.test(row.moment);
  const d = logLevel ? Math.log1p(row.relDiff) : row.relDiff;
  const se = Math.hypot(row.measuredRelSe, Number.isFinite(row.predictedRelSe) ? row.predictedRelSe : 0);
  return Math.abs(d) <= k * se;
}

/** d2d values (each device's first cycle with the feature) and c2c deviations (cycles of devices with ≥ MIN_CYCLES), per feature. */
export function levelSamples(groups: (CycleFeaturesIn | null)[][]): LevelSamples {
  const out: LevelSamples = { d2d: {}, c2c: {} };
  for (const feat of FEATURES) {
    const d2d: number[] = [],
      c2c: number[] = [];
    for (const g of groups) {
      const v = g.map((c) => (c ? featureValue(c, feat) : null)).filter((x): x is number => x !== null);
      if (v.length > 0) d2d.push(v[0]);
      if (v.length >= MIN_CYCLES) {
        const m = v.reduce((a, b) => a + b, 0) / v.length;
        for (const x of v) c2c.push(x - m);
      }
    }
    if (d2d.length) out.d2d[feat] = d2d;
    if (c2c.length) out.c2c[feat] = c2c;
  }
  return out;
}

export interface ReplayProfileOptions {
  seed: number;
  /** simulated devices to start from (rounded up to whole replicates of the measured devices; default 50) */
  minDevices?: number;
  /** the cap on simulated devices (default 2000) */
  maxDevices?: number;
  /** the cap on simulated voltage samples, over all cycles (default 500,000: a few minutes of simulation) */
  maxPoints?: number;
  /** cycles per simulated device at most (default 20) */
  maxCycles?: number;
  /** each predicted row's relative sampling error is brought below this (default 0.05) */
  targetRelSe?: number;
  seriesOhm?: number;
  /** the measured current noise (decades) added to the simulated currents (ReplayPlan.noiseLog10) */
  noiseLog10?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * The variability profile with every simulated cycle on the protocol of a measured cycle (replayMeasured):
 * measured and predicted moments (moments.ts, errors by bootstrap over devices), the replicates grown until
 * every predicted row's sampling error is below the target (se ∝ 1/√replicates: one pilot, then the count
 * that reaches the target, within the cap).
 */
export function replayProfile(
  pop: PopulationFile,
  measured: (CycleFeaturesIn | null)[][],
  groups: CycleProtocol[][],
  o: ReplayProfileOptions,
): ReplayProfile {
  const g = groups.length;
  const target = o.targetRelSe ?? 0.05,
    maxDevices = Math.max(g, o.maxDevices ?? 2000),
    maxCycles = o.maxCycles ?? 20;
  const mMoments = selectMoments(featureMoments(measured, { bootstrap: 200, seed: o.seed }));
  const run = (replicates: number) => {
    let done = 0;
    const sim = replayMeasured(pop, { groups, replicates, maxCycles, seriesOhm: o.seriesOhm, noiseLog10: o.noiseLog10 }, o.seed, () =>
      o.onProgress?.(++done, replicates * g),
    );
    const p = featureMoments(sim, { bootstrap: 200, seed: o.seed });
    const rows = levelRows(mMoments, p);
    const worst = Math.max(0, ...rows.map((r) => (Number.isFinite(r.predictedRelSe) ? r.predictedRelSe : 0)));
    return { sim, rows, worst, replicates };
  };
  // the cost of one replicate: the voltage samples of the cycles it simulates
  let perReplicate = 0;
  for (const grp of groups) {
    const n = Math.min(grp.length, maxCycles);
    const mean = grp.reduce((a, c) => a + c.vV.length, 0) / grp.length;
    perReplicate += n * mean;
  }
  const cap = Math.max(1, Math.min(Math.floor(maxDevices / g), Math.floor((o.maxPoints ?? 500_000) / Math.max(1, perReplicate))));
  let r = run(Math.min(cap, Math.max(1, Math.ceil((o.minDevices ?? 50) / g))));
  if (r.worst > target && r.replicates < cap) {
    const need = Math.min(cap, Math.ceil(r.replicates * (r.worst / target) ** 2 * 1.1));
    if (need > r.replicates) r = run(need);
  }
  const usable = r.sim.flat().filter((c) => c !== null).length;
  return {
    rows: r.rows,
    samples: { measured: levelSamples(measured), predicted: levelSamples(r.sim) },
    simulated: {
      devices: r.replicates * g,
      replicates: r.replicates,
      measuredDevices: g,
      cycles: r.sim.reduce((a, s) => a + s.length, 0),
      usable,
      maxCycles,
      worstPredictedRelSe: r.worst,
      targetRelSe: target,
      capped: r.worst > target && r.replicates >= cap,
      noiseLog10: o.noiseLog10 ?? 0,
      protocols:
        'each simulated cycle on the protocol of a measured cycle of the device it replicates (its voltage samples and time, compliance, read voltage, start state)',
    },
    seed: o.seed,
  };
}
