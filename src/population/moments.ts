/**
 * The switching-feature moments a population is calibrated against, computed the same way from measured
 * and from simulated cycles (one extractor, one statistic), each with its standard error.
 *
 * Data are cycles grouped by device. Device-to-device moments use one value per device (its first cycle
 * with the feature), so a campaign of many devices with one cycle each is d2d data; cycle-to-cycle moments
 * use the deviations of each device's cycles from that device's mean (pooled within-device sd), so one
 * device of many cycles is c2c data. A dataset can give both (ddas04's workbook: 100 devices × 1 cycle and
 * 1 device × 100 cycles). Resistances enter as log10, voltages as they are.
 *
 * Standard errors (normal theory, the estimator's own): mean sd/√n, median 1.2533·sd/√n, sd sd/√(2(n−1)),
 * fraction √(p(1−p)/n) (with p clamped to [1/n, 1 − 1/n] so a 0 or 1 still carries an error).
 */
import { mean, quantile, variance } from './stats.js';
import type { CycleFeaturesIn } from './profile.js';
import { createRng } from '../util/rng.js';

export type Feature = 'log10Hrs' | 'log10Lrs' | 'vSetV' | 'vResetV' | 'log10OnOff';
export type MomentName = `${'d2d' | 'c2c' | 'all'}:${'median' | 'mean' | 'sd'}:${Feature}` | `all:switched`;

export interface Moment {
  value: number;
  se: number;
  n: number;
}
export type Moments = Partial<Record<MomentName, Moment>>;

export const FEATURES: Feature[] = ['log10Hrs', 'log10Lrs', 'vSetV', 'vResetV', 'log10OnOff'];
/** Resistances are compared by their median (robust to the heavy tails of HRS); voltages by their mean. */
const CENTRE: Record<Feature, 'median' | 'mean'> = {
  log10Hrs: 'median',
  log10Lrs: 'median',
  vSetV: 'mean',
  vResetV: 'mean',
  log10OnOff: 'median',
};

export function featureValue(f: CycleFeaturesIn, k: Feature): number | null {
  const lg = (x: number | null): number | null => (x !== null && x > 0 && Number.isFinite(x) ? Math.log10(x) : null);
  switch (k) {
    case 'log10Hrs':
      return lg(f.hrsOhm);
    case 'log10Lrs':
      return lg(f.lrsOhm);
    case 'log10OnOff':
      return lg(f.onOff);
    case 'vSetV':
      return f.vSetV !== null && Number.isFinite(f.vSetV) ? Math.abs(f.vSetV) : null;
    case 'vResetV':
      return f.vResetV !== null && Number.isFinite(f.vResetV) ? Math.abs(f.vResetV) : null;
  }
}

/** Minimum group sizes for a moment to be defined. */
const MIN_DEVICES = 8;
export const MIN_CYCLES = 3;

/**
 * The moments of cycles grouped by device (null entries: cycles that gave no features at all). With
 * `bootstrap` > 0 each moment's error is the sd of the moment over that many resamplings of the devices
 * (with replacement, seeded): switching features are heavy-tailed (a few devices with a large HRS swing
 * make the c2c spread), and the normal-theory error then claims far more precision than the data have.
 * The larger of the two errors is kept.
 */
export function featureMoments(groups: (CycleFeaturesIn | null)[][], opts: { bootstrap?: number; seed?: number } = {}): Moments {
  // each device's feature values are extracted once; the resamplings only re-index them
  const pre = groups.map(prepareGroup);
  const all = new Int32Array(pre.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  const out = momentsOf(pre, all);
  const b = opts.bootstrap ?? 0;
  if (b > 1 && groups.length >= 2) {
    const rng = createRng(opts.seed ?? 1);
    const acc = new Map<MomentName, number[]>();
    const pick = new Int32Array(groups.length);
    for (let r = 0; r < b; r++) {
      for (let i = 0; i < groups.length; i++) pick[i] = Math.floor(rng.next() * groups.length);
      const m = momentsOf(pre, pick);
      for (const [k, v] of Object.entries(m) as [MomentName, Moment][]) {
        let a = acc.get(k);
        if (!a) acc.set(k, (a = []));
        a.push(v.value);
      }
    }
    for (const [k, v] of Object.entries(out) as [MomentName, Moment][]) {
      const a = acc.get(k);
      if (a && a.length > 1) v.se = Math.max(v.se, Math.sqrt(variance(a)));
    }
  }
  return out;
}

/** One device's cycles, reduced to what the moments read: cycle counts and each feature's values (and their mean). */
interface GroupData {
  cycles: number;
  switched: number;
  values: Record<Feature, number[]>;
  means: Record<Feature, number>;
}

function prepareGroup(g: (CycleFeaturesIn | null)[]): GroupData {
  const values = {} as Record<Feature, number[]>,
    means = {} as Record<Feature, number>;
  for (const feat of FEATURES) {
    const v: number[] = [];
    for (const c of g) {
      const x = c ? featureValue(c, feat) : null;
      if (x !== null) v.push(x);
    }
    values[feat] = v;
    means[feat] = v.length >= MIN_CYCLES ? mean(v) : NaN;
  }
  return {
    cycles: g.length,
    switched: g.filter((c) => c !== null && c.vSetV !== null && c.vResetV !== null).length,
    values,
    means,
  };
}

/** The moments of the devices pre[idx[0]], pre[idx[1]], ... (a device may repeat: a bootstrap resample). */
function momentsOf(pre: GroupData[], idx: ArrayLike<number>): Moments {
  const out: Moments = {};
  // switching success: a cycle that SETs and RESETs (both voltages found)
  let n = 0,
    k = 0;
  for (let i = 0; i < idx.length; i++) {
    n += pre[idx[i]].cycles;
    k += pre[idx[i]].switched;
  }
  if (n >= MIN_CYCLES) {
    const p = k / n,
      pc = Math.min(1 - 1 / n, Math.max(1 / n, p));
    out['all:switched'] = { value: p, se: Math.sqrt((pc * (1 - pc)) / n), n };
  }
  const first: number[] = [],
    all: number[] = [];
  for (const feat of FEATURES) {
    // d2d: one value per device, its first cycle with the feature
    first.length = 0;
    all.length = 0;
    for (let i = 0; i < idx.length; i++) {
      const v = pre[idx[i]].values[feat];
      if (v.length > 0) first.push(v[0]);
      for (const x of v) all.push(x);
    }
    if (first.length >= MIN_DEVICES) {
      const n = first.length,
        sd = Math.sqrt(variance(first));
      const centre = CENTRE[feat];
      out[`d2d:${centre}:${feat}`] =
        centre === 'mean'
          ? { value: mean(first), se: sd / Math.sqrt(n), n }
          : { value: quantile(first, 0.5), se: (1.2533 * sd) / Math.sqrt(n), n };
      out[`d2d:sd:${feat}`] = { value: sd, se: sd / Math.sqrt(2 * (n - 1)), n };
    }
    // the level over every cycle (what a dataset of few devices has to offer; selectMoments keeps the d2d one where both exist)
    if (all.length >= MIN_CYCLES) {
      const n = all.length,
        sd = Math.sqrt(variance(all)),
        centre = CENTRE[feat];
      out[`all:${centre}:${feat}`] =
        centre === 'mean'
          ? { value: mean(all), se: sd / Math.sqrt(n), n }
          : { value: quantile(all, 0.5), se: (1.2533 * sd) / Math.sqrt(n), n };
      // the spread over every cycle, d2d and c2c together: what the variability profile's rows show
      out[`all:sd:${feat}`] = { value: sd, se: sd / Math.sqrt(2 * (n - 1)), n };
    }
    // c2c: pooled within-device deviations over the devices with enough cycles
    let ss = 0,
      dof = 0,
      nCycles = 0;
    for (let i = 0; i < idx.length; i++) {
      const g = pre[idx[i]];
      const v = g.values[feat];
      if (v.length < MIN_CYCLES) continue;
      const m = g.means[feat];
      for (const x of v) ss += (x - m) ** 2;
      dof += v.length - 1;
      nCycles += v.length;
    }
    if (dof >= MIN_CYCLES - 1) {
      const sd = Math.sqrt(ss / dof);
      out[`c2c:sd:${feat}`] = { value: sd, se: sd / Math.sqrt(2 * dof), n: nCycles };
    }
  }
  return out;
}

/** The moments to match: a feature's level over devices (d2d) where the data have it, else over all cycles; every spread. */
export function selectMoments(m: Moments): Moments {
  const out: Moments = { ...m };
  for (const name of Object.keys(m) as MomentName[]) {
    if (/^all:(median|mean):/.test(name) && m[name.replace(/^all:/, 'd2d:') as MomentName]) delete out[name];
  }
  return out;
}

export interface MomentRow {
  name: MomentName;
  measured: Moment;
  simulated: Moment | null;
  z: number;
}

/**
 * The discrepancy of simulated against measured moments: Σ z² with z = (sim − meas)/√(se_meas² + se_sim²).
 * A measured moment the simulation cannot form (too few usable cycles) counts as z = `missingZ`. Each error
 * has a floor from the measurement's resolution (`resolution.voltageV`: the sweep step / √12 by default 10 mV).
 */
export function momentDiscrepancy(
  measured: Moments,
  simulated: Moments,
  opts: {
    missingZ?: number;
    resolution?: Partial<Record<'voltageV' | 'log10' | 'fraction', number>>;
    /**
     * fixed simulated sampling errors per moment (simulatedSe), used instead of the simulated sample's own: weights
     * fixed outside a search, which cannot then lower a z by making the simulated statistic noisier
     */
    simulatedSe?: Partial<Record<MomentName, number>>;
  } = {},
): { value: number; rows: MomentRow[] } {
  const missingZ = opts.missingZ ?? 10;
  // a floor under each moment's error: what the instrument resolves (the sweep step for a voltage read off a
  // sweep, a hundredth of a decade for a resistance) — a measured sd of 0 V from a quantised reading is not exact
  const res = { voltageV: 0.01 / Math.sqrt(12), log10: 0.01, fraction: 0.02, ...opts.resolution };
  const floor = (name: MomentName): number => (name === 'all:switched' ? res.fraction : name.endsWith('V') ? res.voltageV : res.log10);
  let value = 0;
  const rows: MomentRow[] = [];
  for (const name of Object.keys(measured) as MomentName[]) {
    const m = measured[name] as Moment,
      s = simulated[name] ?? null;
    let z = missingZ;
    if (s && Number.isFinite(s.value)) {
      const sse = opts.simulatedSe?.[name] ?? s.se;
      const se = Math.sqrt(m.se ** 2 + sse ** 2 + floor(name) ** 2);
      z = se > 0 ? (s.value - m.value) / se : s.value === m.value ? 0 : missingZ;
      if (!Number.isFinite(z)) z = missingZ;
    }
    value += z * z;
    rows.push({ name, measured: m, simulated: s, z });
  }
  return { value, rows };
}

/**
 * The relative difference the profile shows for a moment: a level of a log10 feature (HRS, LRS, on/off) as
 * the ratio of the values − 1, every other moment (spreads, voltages, the switching share) as
 * (simulated − measured) / |measured|.
 */
export function momentRelDiff(name: MomentName | string, measured: number, simulated: number | null): number {
  if (simulated === null || !Number.isFinite(simulated)) return NaN;
  const [, stat, feat] = name.split(':');
  if (feat !== undefined && feat.startsWith('log10') && stat !== 'sd') return 10 ** (simulated - measured) - 1;
  return (simulated - measured) / Math.abs(measured);
}

/** What a sample of devices (their cycle counts) offers each level of moment: devices for d2d, within-device degrees of freedom for c2c, cycles for the pooled ones. */
export interface SampleSizes {
  d2d: number;
  c2c: number;
  all: number;
}

export function sampleSizes(cyclesPerDevice: ArrayLike<number>): SampleSizes {
  let d2d = 0,
    c2c = 0,
    all = 0;
  for (let i = 0; i < cyclesPerDevice.length; i++) {
    const n = cyclesPerDevice[i];
    if (n <= 0) continue;
    d2d++;
    all += n;
    if (n >= MIN_CYCLES) c2c += n - 1;
  }
  return { d2d, c2c, all };
}

/** The level of a moment (its sample: devices, within-device deviations, or all cycles). */
function momentLevel(name: MomentName): keyof SampleSizes {
  return name.startsWith('d2d:') ? 'd2d' : name.startsWith('c2c:') ? 'c2c' : 'all';
}

/**
 * The sampling error a simulated moment has when the simulation reproduces the measured distribution: the
 * measured moment's error (bootstrap over devices, or normal theory when larger) scaled by √(measured sample /
 * simulated sample) at the moment's level (sampleSizes). Known before any simulation, so the objective's
 * weights are fixed outside the search.
 */
export function simulatedSe(
  measured: Moments,
  measuredSizes: SampleSizes,
  simulatedSizes: SampleSizes,
): Partial<Record<MomentName, number>> {
  const out: Partial<Record<MomentName, number>> = {};
  for (const [name, m] of Object.entries(measured) as [MomentName, Moment][]) {
    const level = momentLevel(name);
    const nm = measuredSizes[level],
      ns = simulatedSizes[level];
    out[name] = nm > 0 && ns > 0 ? m.se * Math.sqrt(nm / ns) : m.se;
  }
  return out;
}
