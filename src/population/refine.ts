/**
 * Population refinement by the method of simulated moments: the population's centres, device-to-device and
 * cycle-to-cycle spreads (and its measurement circuit, the per-device series resistance) are adjusted so
 * that devices sampled from it and simulated through the measured protocol reproduce the measured
 * switching-feature moments (moments.ts: HRS, LRS, V_SET, V_RESET, on/off; their d2d and c2c levels and
 * spreads; the fraction of cycles that switch).
 *
 * Objective: Σ z², z = (simulated − measured) / √(se_meas² + se_sim²) over the measured moments.
 * Common random numbers: every evaluation samples the same devices' copula coordinates, the same cycle
 * draws and the same per-device protocol (one seed), so the objective moves smoothly with the population's
 * parameters instead of jumping with fresh sampling noise. Minimised by Nelder–Mead over scaled
 * coordinates (a unit step: 35 % in a log-family centre, 10 % of a normal centre, ×1.65 in a spread),
 * with a restart from the best point while the budget lasts. Deterministic for a seed; evaluations are
 * memoised by their coordinates, so a resumed run (the cache passed back in) replays the path for free.
 */
import type { Rng } from '../util/rng.js';
import { createRng } from '../util/rng.js';
import { paramInfo, type ParamName } from './params.js';
import { isLogFamily } from './marginal.js';
import { nelderMead } from './stats.js';
import { samplePopulation, varyingParams } from './sample.js';
import { deviceSeriesOhm, replayMeasured, simulateDeviceCycles, type ReplayPlan, type SweepConditions } from './ppc.js';
import { ReplayPool } from './replay-pool.js';
import { featureMoments, momentDiscrepancy, selectMoments, type MomentRow, type Moments } from './moments.js';
import type { CycleFeaturesIn } from './profile.js';
import type { ParameterSpec, PopulationFile, RefinementRecord, RefineTerm } from './types.js';

export type { RefinementRecord, RefineTerm } from './types.js';

export interface RefineOptions {
  /** one protocol per measured device (its median sweep, compliance, read voltage); simulated device i uses i mod n */
  protocols?: SweepConditions[];
  /** instead of `protocols`: replay the measured devices, each simulated cycle on a measured cycle's protocol (replayMeasured; `devices`, `cycles` unused) */
  plan?: ReplayPlan;
  /** with a plan: threads that share each evaluation's simulations (default 1; the result is the same for any count) */
  threads?: number;
  /** simulated devices and consecutive cycles per device */
  devices: number;
  cycles: number;
  seed: number;
  /** the terms to refine (default: every centre, and every spread that is not zero) */
  free?: RefineTerm[];
  /** budget of objective evaluations (default 200) */
  maxEvaluations?: number;
  /** memo of evaluated points (coordinates key → objective), updated in place; pass the saved one back to resume */
  cache?: Record<string, number>;
  onEvaluation?: (done: number, budget: number, best: number) => void;
}

export interface RefineResult {
  population: PopulationFile;
  record: RefinementRecord;
  cache: Record<string, number>;
}

/** device resamplings for the moments' errors (measured and simulated alike, same seed: common random numbers) */
const BOOTSTRAP = 100;
const CENTER_LOG_STEP = 0.3,
  CENTER_LIN_STEP = 0.1,
  SPREAD_STEP = 0.5;

/** The default free terms: every varying parameter's centre and its non-zero spreads; the circuit's. */
export function defaultTerms(pop: PopulationFile): RefineTerm[] {
  const out: RefineTerm[] = [];
  for (const n of varyingParams(pop)) {
    const p = pop.parameters[n] as ParameterSpec;
    out.push(`${n}.center`);
    if (p.d2d.spread > 0) out.push(`${n}.d2d`);
    if (p.c2c.spread > 0) out.push(`${n}.c2c`);
  }
  const c = pop.circuit?.seriesOhm;
  if (c) {
    out.push('seriesOhm.center');
    if (c.spread > 0) out.push('seriesOhm.d2d');
  }
  return out;
}

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** The population at coordinates θ (θ = 0 is `pop`); `atBounds` lists terms clamped to the model's ranges. */
export function applyTerms(
  pop: PopulationFile,
  terms: RefineTerm[],
  theta: ArrayLike<number>,
): { population: PopulationFile; atBounds: RefineTerm[] } {
  const out = clone(pop);
  const atBounds: RefineTerm[] = [];
  terms.forEach((term, i) => {
    const [name, part] = term.split('.') as [ParamName | 'seriesOhm', 'center' | 'd2d' | 'c2c'];
    const t = theta[i];
    if (name === 'seriesOhm') {
      const c = out.circuit?.seriesOhm;
      if (!c) return;
      if (part === 'center') c.center *= Math.exp(CENTER_LOG_STEP * t);
      else c.spread *= Math.exp(SPREAD_STEP * t);
      return;
    }
    const p = out.parameters[name];
    if (!p) return;
    if (part === 'center') {
      const c0 = p.d2d.center;
      const log = isLogFamily(p.family) && c0 > 0;
      let c = log ? c0 * Math.exp(CENTER_LOG_STEP * t) : c0 + CENTER_LIN_STEP * Math.abs(c0 || 1) * t;
      const info = paramInfo(name);
      if (info && (c < info.min || c > info.max)) {
        c = Math.min(info.max, Math.max(info.min, c));
        atBounds.push(term);
      }
      // truncation bounds move with the centre (they describe the spread of the data around it)
      const move = (b: number | undefined): number | undefined => (b === undefined ? undefined : log ? b * (c / c0) : b + (c - c0));
      p.d2d.lower = move(p.d2d.lower);
      p.d2d.upper = move(p.d2d.upper);
      if (p.d2d.lower === undefined) delete p.d2d.lower;
      if (p.d2d.upper === undefined) delete p.d2d.upper;
      // an absolute spread keeps its relative size
      if (p.d2d.spreadKind === 'absolute' && c0 !== 0) p.d2d.spread *= Math.abs(c / c0);
      if (p.c2c.spreadKind === 'absolute' && c0 !== 0) p.c2c.spread *= Math.abs(c / c0);
      p.d2d.center = c;
    } else if (part === 'd2d') p.d2d.spread *= Math.exp(SPREAD_STEP * t);
    else p.c2c.spread *= Math.exp(SPREAD_STEP * t);
  });
  return { population: out, atBounds };
}

/**
 * Simulated features, cycles grouped by device, with common random numbers: the device draws, cycle draws,
 * series resistances and protocol assignment depend on the seed only, never on the population's values.
 */
export function simulateGroups(
  pop: PopulationFile,
  opts: { protocols?: SweepConditions[]; plan?: ReplayPlan; devices: number; cycles: number; seed: number },
): (CycleFeaturesIn | null)[][] {
  if (opts.plan) return replayMeasured(pop, opts.plan, opts.seed);
  const protocols = opts.protocols ?? [];
  if (protocols.length === 0) throw new Error('simulateGroups: give protocols or a replay plan');
  const rng: Rng = createRng(opts.seed);
  const devices = samplePopulation(pop, opts.devices, rng.fork(1));
  const cr = rng.fork(2),
    rr = rng.fork(3);
  return devices.map((d) => {
    const base = protocols[d.index % protocols.length];
    const sweep =
      base.seriesOhm === undefined && pop.circuit?.seriesOhm ? { ...base, seriesOhm: deviceSeriesOhm(pop, rr.fork(d.index)) } : base;
    return simulateDeviceCycles(pop, d, opts.cycles, sweep, cr.fork(d.index));
  });
}

const keyOf = (theta: ArrayLike<number>): string => Array.from(theta, (x) => x.toPrecision(12)).join(',');

class BudgetSpent extends Error {}

export function refinePopulation(pop: PopulationFile, measured: (CycleFeaturesIn | null)[][], opts: RefineOptions): RefineResult {
  const measuredMoments: Moments = selectMoments(featureMoments(measured, { bootstrap: BOOTSTRAP, seed: opts.seed }));
  const terms = opts.free ?? defaultTerms(pop);
  const budget = opts.maxEvaluations ?? 200;
  const cache: Record<string, number> = opts.cache ?? {};
  const stepV = opts.plan ? planStepV(opts.plan) : Math.max(...(opts.protocols ?? []).map((p) => p.stepV));
  const sim = { protocols: opts.protocols, plan: opts.plan, devices: opts.devices, cycles: opts.cycles, seed: opts.seed };
  const pool = opts.plan && (opts.threads ?? 1) > 1 ? new ReplayPool(opts.plan.groups, opts.threads ?? 1) : null;
  try {
    return refineWith(pop, measuredMoments, terms, budget, cache, stepV, opts, (population) =>
      pool && opts.plan
        ? pool.run(
            population,
            { replicates: opts.plan.replicates, maxCycles: opts.plan.maxCycles, seriesOhm: opts.plan.seriesOhm },
            opts.seed,
          )
        : simulateGroups(population, sim),
    );
  } finally {
    pool?.close();
  }
}

function refineWith(
  pop: PopulationFile,
  measuredMoments: Moments,
  terms: RefineTerm[],
  budget: number,
  cache: Record<string, number>,
  stepV: number,
  opts: RefineOptions,
  simulateAt: (population: PopulationFile) => (CycleFeaturesIn | null)[][],
): RefineResult {
  const evaluate = (theta: ArrayLike<number>): { value: number; rows: MomentRow[] } => {
    const { population } = applyTerms(pop, terms, theta);
    return momentDiscrepancy(measuredMoments, featureMoments(simulateAt(population), { bootstrap: BOOTSTRAP, seed: opts.seed }), {
      resolution: { voltageV: stepV / Math.sqrt(12) },
    });
  };
  let spent = 0,
    best = Infinity,
    bestTheta = new Array<number>(terms.length).fill(0);
  const f = (theta: number[]): number => {
    const key = keyOf(theta);
    let v = cache[key];
    if (v === undefined) {
      if (spent >= budget) throw new BudgetSpent();
      v = evaluate(theta).value;
      cache[key] = v;
    }
    spent++;
    if (v < best) {
      best = v;
      bestTheta = theta.slice();
    }
    opts.onEvaluation?.(Math.min(spent, budget), budget, best);
    return v;
  };
  const zero = new Array<number>(terms.length).fill(0);
  const before = evaluate(zero);
  cache[keyOf(zero)] = before.value;
  if (terms.length > 0) {
    try {
      let start = bestTheta;
      for (let round = 0; round < 4 && spent < budget; round++) {
        const r = nelderMead(f, start, { step: round === 0 ? 1 : 0.5, maxIter: budget, tol: 1e-4 });
        if (round > 0 && r.x.every((x, i) => Math.abs(x - start[i]) < 1e-3)) break;
        start = bestTheta;
      }
    } catch (e) {
      if (!(e instanceof BudgetSpent)) throw e;
    }
  }
  const { population, atBounds } = applyTerms(pop, terms, bestTheta);
  const after = evaluate(bestTheta);
  const byName = new Map(before.rows.map((r) => [r.name, r]));
  const record: RefinementRecord = {
    method: 'simulated-moments',
    seed: opts.seed,
    simulated: opts.plan
      ? {
          devices: opts.plan.groups.length * opts.plan.replicates,
          cycles: Math.min(opts.plan.maxCycles, Math.max(...opts.plan.groups.map((g) => g.length))),
          protocols: opts.plan.groups.reduce((a, g) => a + g.length, 0),
        }
      : { devices: opts.devices, cycles: opts.cycles, protocols: (opts.protocols ?? []).length },
    protocol: opts.plan ? 'replay' : 'median-sweep',
    estimate: { parameters: pop.parameters, ...(pop.circuit ? { circuit: pop.circuit } : {}) },
    free: terms,
    evaluations: Math.min(spent, budget),
    objectiveBefore: before.value,
    objectiveAfter: after.value,
    rows: after.rows.map((r) => {
      const b = byName.get(r.name) as MomentRow;
      return {
        name: r.name,
        measured: r.measured.value,
        measuredSe: r.measured.se,
        before: b.simulated?.value ?? null,
        after: r.simulated?.value ?? null,
        zBefore: b.z,
        zAfter: r.z,
      };
    }),
    atBounds,
  };
  return { population: { ...population, refinement: record }, record, cache };
}

/** The median voltage step of the measured protocols (the resolution of a voltage read off them). */
function planStepV(plan: ReplayPlan): number {
  const steps: number[] = [];
  for (const g of plan.groups)
    for (const c of g) for (let k = 1; k < c.vV.length; k++) if (c.vV[k] !== c.vV[k - 1]) steps.push(Math.abs(c.vV[k] - c.vV[k - 1]));
  if (steps.length === 0) return 0.01;
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)];
}
