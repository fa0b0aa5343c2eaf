/**
 * Fit a group of cycles of one device: `shared` parameters common to all of them, `perCycle`
 * parameters free for each cycle, everything else from `base`. Covers a single-cycle fit (one
 * cycle), a joint fit of several measurements (rates) of one device (perCycle empty) and the
 * device stage of a campaign. The state carries over: cycle j starts where cycle j−1 ended
 * (clamped to cycle j's N bounds); the first cycle starts at `ninit0`, else at N_min (SET first)
 * or N_max (RESET first).
 */
import { PARAM_TABLE, type JartParams, type ParamName } from '../model/index.js';
import type { Rng } from '../util/rng.js';
import type { PreparedCycle } from './cycle-data.js';
import { forwardJacobian } from './lm.js';
import { multiStartFit, startDesign, type MultiStartResult } from './multistart.js';
import { evaluateCycle, residualCount, type CycleEvaluation } from './objective.js';
import type { FitSettings } from './settings.js';
import { createSpace, type ParamSpace } from './space.js';
import { jacobianUncertainty, type Uncertainty } from './uncertainty.js';

export interface GroupLayout {
  shared: ParamName[];
  perCycle: ParamName[];
  nCycles: number;
  /** Vector entry → (name, cycle index or −1 for shared). */
  entries: { name: ParamName; cycle: number }[];
  space: ParamSpace;
}

export function createLayout(shared: ParamName[], perCycle: ParamName[], nCycles: number): GroupLayout {
  const entries = [...shared.map((name) => ({ name, cycle: -1 }))];
  for (let j = 0; j < nCycles; j++) for (const name of perCycle) entries.push({ name, cycle: j });
  const spec = (name: ParamName) => PARAM_TABLE.find((p) => p.name === name)!;
  const space = createSpace(entries.map(({ name }) => { const s = spec(name); return { name, min: s.min, max: s.max, positive: s.positive, typical: s.default }; }));
  return { shared, perCycle, nCycles, entries, space };
}

export function cycleParams(layout: GroupLayout, base: JartParams, values: ArrayLike<number>, j: number): JartParams {
  const p = { ...base };
  layout.entries.forEach((e, k) => { if (e.cycle === -1 || e.cycle === j) p[e.name] = values[k]; });
  return p;
}

function initialState(pc: PreparedCycle, p: JartParams, carried: number | null, ninit0: number | null): number {
  const n = carried ?? ninit0 ?? (pc.setFirst ? p.Ndiscmin : p.Ndiscmax);
  return Math.min(p.Ndiscmax, Math.max(p.Ndiscmin, n));
}

export function evaluateGroup(cycles: PreparedCycle[], layout: GroupLayout, base: JartParams, values: ArrayLike<number>, settings: FitSettings, ninit0: number | null): { evals: CycleEvaluation[]; ninits: number[] } {
  const evals: CycleEvaluation[] = [];
  const ninits: number[] = [];
  let carried: number | null = null;
  cycles.forEach((pc, j) => {
    const p = cycleParams(layout, base, values, j);
    const n0 = initialState(pc, p, carried, ninit0 ?? (layout.shared.includes('Ninit') ? p.Ninit : null));
    const ev = evaluateCycle(pc, p, n0, settings.objective);
    ninits.push(n0);
    evals.push(ev);
    carried = Number.isFinite(ev.endNdisc) ? ev.endNdisc : null;
  });
  return { evals, ninits };
}

export interface GroupFit {
  layout: GroupLayout;
  values: Float64Array;
  u: Float64Array;
  evals: CycleEvaluation[];
  ninits: number[];
  lm: MultiStartResult;
  unc: Uncertainty;
  seU: Float64Array;
  seP: Float64Array;
}

export function fitGroup(cycles: PreparedCycle[], layout: GroupLayout, base: JartParams, start: ArrayLike<number>, settings: FitSettings, rng: Rng, ninit0: number | null = null): GroupFit {
  const { space } = layout;
  const counts = cycles.map(residualCount);
  const m = counts.reduce((a, b) => a + b, 0);
  const fn = (u: Float64Array): Float64Array => {
    const { evals } = evaluateGroup(cycles, layout, base, space.fromU(u), settings, ninit0);
    const r = new Float64Array(m);
    let off = 0;
    evals.forEach((ev) => { r.set(ev.residuals, off); off += ev.residuals.length; });
    return r;
  };
  const u0 = space.clampU(space.toU(start));
  if (u0.length === 0) {
    // nothing free: evaluate only
    const { evals, ninits } = evaluateGroup(cycles, layout, base, [], settings, ninit0);
    const r = fn(u0);
    let cost = 0; for (const x of r) cost += x * x;
    const lm0: MultiStartResult = { u: u0, residuals: r, cost, evaluations: 1, iterations: 0, converged: true, stopReason: 'xtol', errors: [], jacobian: [], starts: 0, bestStart: 0, totalEvaluations: 1 };
    const e = new Float64Array(0);
    return { layout, values: e, u: u0, evals, ninits, lm: lm0, unc: { seU: e, correlation: [], condition: 1, s2: cost / Math.max(1, m) }, seU: e, seP: e };
  }
  const lmOpts = { uMin: space.uMin, uMax: space.uMax, maxEvaluations: settings.maxEvaluations, relTol: settings.relTol, gradientStep: settings.gradientStep };
  let lm = multiStartFit(fn, [u0], lmOpts);
  const rmsOf = (cost: number) => Math.sqrt(cost / Math.max(1, m));
  if (settings.starts > 1 && (rmsOf(lm.cost) > settings.poorFitRms || !lm.converged)) {
    const design = startDesign(lm.u, space.uMin, space.uMax, settings.starts, settings.startSpread, rng).concat(startDesign(u0, space.uMin, space.uMax, 1, 0, rng));
    const again = multiStartFit(fn, design, { ...lmOpts, exploreEvaluations: Math.max(30, Math.round(settings.maxEvaluations / 4)) });
    if (again.cost < lm.cost) lm = { ...again, totalEvaluations: again.totalEvaluations + lm.totalEvaluations };
    else lm = { ...lm, totalEvaluations: lm.totalEvaluations + again.totalEvaluations, starts: again.starts + 1 };
  }
  const values = space.fromU(lm.u);
  const { evals, ninits } = evaluateGroup(cycles, layout, base, values, settings, ninit0);
  const unc = jacobianUncertainty(lm.jacobian, lm.cost, lm.u.length);
  const dpdu = space.dpdu(lm.u);
  const seP = Float64Array.from(unc.seU, (s, k) => s * dpdu[k]);
  return { layout, values, u: lm.u, evals, ninits, lm, unc, seU: unc.seU, seP };
}

/** Jacobian of the group residuals at given values (for sensitivity analysis). */
export function groupJacobian(cycles: PreparedCycle[], layout: GroupLayout, base: JartParams, values: ArrayLike<number>, settings: FitSettings, step = 1e-3): Float64Array[] {
  const fn = (u: ArrayLike<number>): Float64Array => {
    const { evals } = evaluateGroup(cycles, layout, base, layout.space.fromU(u), settings, null);
    return Float64Array.from(evals.flatMap((e) => Array.from(e.residuals)));
  };
  const u = layout.space.toU(values);
  return forwardJacobian(fn, u, new Float64Array(u.length).fill(step));
}
