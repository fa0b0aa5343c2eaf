/**
 * Fit a group of cycles of one device: `shared` parameters common to all of them, `perCycle`
 * parameters free for each cycle, everything else from `base`. Covers a single-cycle fit (one
 * cycle), a joint fit of several measurements (rates) of one device (perCycle empty) and the
 * device stage of a campaign. The state carries over: cycle j starts where cycle j−1 ended
 * (clamped into cycle j's bounds by default); the first cycle starts at `carriedIn` (the end
 * state of a cycle fitted before), else at Ninit when it is fitted, else at N_min (SET first) or
 * N_max (RESET first). With `Ninit` cycle-level, every cycle starts at its own fitted Ninit instead.
 */
import { PARAM_TABLE, TANGENT_PARAMS, type JartParams, type ParamName, type TangentParam } from '../model/index.js';
import type { Rng } from '../util/rng.js';
import type { PreparedCycle } from './cycle-data.js';
import { forwardJacobian, levenbergMarquardtFit } from './lm.js';
import { multiStartFit, startDesign, type MultiStartResult } from './multistart.js';
import { evaluateCycle, residualCount, type CycleEvaluation, type Geometry } from './objective.js';
import { CIRCUIT_PARAMS, isCircuitParam, SERIES_OHM_STARTS, type FitParamName, type FitSettings } from './settings.js';
import type { ObjectiveOptions } from './cycle-data.js';
import { createSpace, type ParamSpace } from './space.js';
import { jacobianUncertainty, type Uncertainty } from './uncertainty.js';

export interface GroupLayout {
  /** Shared entries: JART parameters and circuit parameters (`seriesOhm`, always shared). */
  shared: FitParamName[];
  perCycle: ParamName[];
  nCycles: number;
  /** Vector entry → (name, cycle index or −1 for shared). */
  entries: { name: FitParamName; cycle: number }[];
  space: ParamSpace;
}

/** The disc must stay shorter than the cell (lcell = disc + plug): the largest disc length a fit may take. */
export const MAX_DISC_FRACTION = 0.98;

/**
 * `base`: the fixed parameters. When lcell is not fitted, the disc lengths (lnew, ldet) are bounded by
 * MAX_DISC_FRACTION·lcell as well as by the parameter table (whose 5 nm upper bound exceeds the default
 * 3 nm cell): a longer disc leaves a negative plug length, which the model refuses.
 */
export function createLayout(
  shared: FitParamName[],
  perCycle: ParamName[],
  nCycles: number,
  base?: Pick<JartParams, 'lcell'>,
): GroupLayout {
  const entries: { name: FitParamName; cycle: number }[] = [...shared.map((name) => ({ name, cycle: -1 }))];
  for (let j = 0; j < nCycles; j++) for (const name of perCycle) entries.push({ name, cycle: j });
  const lcellFree = entries.some((e) => e.name === 'lcell');
  const space = createSpace(
    entries.map(({ name }) => {
      const c = CIRCUIT_PARAMS.find((x) => x.name === name);
      if (c) return { name, min: c.min, max: c.max, positive: false, typical: c.default, offset: c.offset };
      const s = PARAM_TABLE.find((p) => p.name === name)!;
      const max = (name === 'lnew' || name === 'ldet') && base && !lcellFree ? Math.min(s.max, MAX_DISC_FRACTION * base.lcell) : s.max;
      return { name, min: s.min, max, positive: s.positive, typical: Math.min(s.default, max) };
    }),
  );
  return { shared, perCycle, nCycles, entries, space };
}

/** The JART parameters of cycle j (circuit entries are left out: see `groupObjective`). */
export function cycleParams(layout: GroupLayout, base: JartParams, values: ArrayLike<number>, j: number): JartParams {
  const p = { ...base };
  layout.entries.forEach((e, k) => {
    if ((e.cycle === -1 || e.cycle === j) && !isCircuitParam(e.name)) p[e.name] = values[k];
  });
  // with lcell and a disc length both free, the bound above cannot hold the pair: keep the disc inside the cell
  const top = MAX_DISC_FRACTION * p.lcell;
  if (p.lnew > top) p.lnew = top;
  if (p.ldet > top) p.ldet = top;
  return p;
}

/** The objective options with the layout's fitted circuit parameters (seriesOhm) put in. */
export function groupObjective(layout: GroupLayout, o: ObjectiveOptions, values: ArrayLike<number>): ObjectiveOptions {
  let out = o;
  layout.entries.forEach((e, k) => {
    if (e.cycle === -1 && isCircuitParam(e.name)) out = { ...out, [e.name]: values[k] };
  });
  return out;
}

/** Start value of a free entry: a JART parameter from `p`, a circuit parameter from the objective. */
export function startValue(name: FitParamName, p: JartParams, o: ObjectiveOptions): number {
  return isCircuitParam(name) ? o[name] : p[name];
}

/**
 * A cycle's initial state: the previous cycle's end (clamped into this cycle's [N_min, N_max] when
 * `clampCarried`, the spec's equivalent of the VA bound logic, §5.4, and what the example campaign
 * generator does), else a fitted Ninit, else N_min (SET first) or N_max (RESET first).
 */
function initialState(pc: PreparedCycle, p: JartParams, carried: number | null, ninit0: number | null, clamp: boolean): number {
  // carried: end state of the previous cycle; ninit0: a fitted Ninit
  const n = carried ?? ninit0 ?? (pc.setFirst ? p.Ndiscmin : p.Ndiscmax);
  return clamp && carried !== null ? Math.min(p.Ndiscmax, Math.max(p.Ndiscmin, n)) : n;
}

/**
 * Per-cycle memo: a cycle whose own parameters and initial state are unchanged is not simulated
 * again (in a group Jacobian, perturbing cycle j's parameters leaves the cycles before it, and
 * often after it, untouched).
 */
export type CycleMemo = Map<string, CycleEvaluation>[];

export function evaluateGroup(
  cycles: PreparedCycle[],
  layout: GroupLayout,
  base: JartParams,
  values: ArrayLike<number>,
  settings: FitSettings,
  carriedIn: number | null,
  memo?: CycleMemo,
  geometryIn: Geometry | null = null,
): { evals: CycleEvaluation[]; ninits: number[] } {
  const evals: CycleEvaluation[] = [];
  const ninits: number[] = [];
  let carried: number | null = carriedIn;
  // settings.carryGeometry: a cycle starts with the filament geometry the previous one ended in
  let geom: Geometry | null = settings.carryGeometry ? geometryIn : null;
  const o = groupObjective(layout, settings.objective, values);
  const ninitPerCycle = layout.perCycle.includes('Ninit');
  cycles.forEach((pc, j) => {
    const p = cycleParams(layout, base, values, j);
    // Ninit cycle-level: each cycle's initial state is fitted (what the cycle started in is not what the
    // model says the previous cycle ended in, e.g. after other operations between the sweeps)
    const n0 = ninitPerCycle
      ? p.Ninit
      : initialState(pc, p, carried, layout.shared.includes('Ninit') ? p.Ninit : null, settings.clampCarried);
    const key = memo
      ? `${layout.entries.map((e, k) => (e.cycle === -1 || e.cycle === j ? values[k] : '')).join(',')}|${n0}|${geom ? `${geom.rM},${geom.lM}` : ''}|${pc.plainResiduals ? 1 : 0}|${pc.vSigmaV}`
      : '';
    let ev = memo?.[j]?.get(key);
    if (!ev) {
      ev = evaluateCycle(pc, p, n0, o, geom);
      if (memo) {
        const m = (memo[j] ??= new Map());
        m.set(key, ev);
        if (m.size > 4 * layout.entries.length + 16) m.delete(m.keys().next().value as string);
      }
    }
    ninits.push(n0);
    evals.push(ev);
    carried = Number.isFinite(ev.endNdisc) ? ev.endNdisc : null;
    if (settings.carryGeometry) geom = Number.isFinite(ev.endGeometry.rM) && Number.isFinite(ev.endGeometry.lM) ? ev.endGeometry : null;
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

export function fitGroup(
  cycles: PreparedCycle[],
  layout: GroupLayout,
  base: JartParams,
  start: ArrayLike<number>,
  settings: FitSettings,
  rng: Rng,
  carriedIn: number | null = null,
  geometryIn: Geometry | null = null,
): GroupFit {
  const { space } = layout;
  const counts = cycles.map(residualCount);
  const m = counts.reduce((a, b) => a + b, 0);
  const memo: CycleMemo = [];
  const residualsOf =
    (cs: PreparedCycle[]) =>
    (u: Float64Array): Float64Array => {
      const { evals } = evaluateGroup(
        cs,
        layout,
        base,
        space.fromU(u),
        settings,
        carriedIn,
        cycles.length > 1 ? memo : undefined,
        geometryIn,
      );
      const r = new Float64Array(m);
      let off = 0;
      evals.forEach((ev) => {
        r.set(ev.residuals, off);
        off += ev.residuals.length;
      });
      return r;
    };
  const fn = residualsOf(cycles);
  // the model's forward sensitivities for the Jacobian where they apply (not with a carried geometry)
  const sens = sensitivitiesApply(layout, settings);
  // the cycle evaluations of the last sensitivity evaluations, so that the point the LM returns is not
  // simulated again for the phase-2 weights and the results (same values as evaluateGroup)
  const seen = new Map<string, { evals: CycleEvaluation[]; ninits: number[] }>();
  const seenKey = (cs: PreparedCycle[], u: ArrayLike<number>) => `${cs === cycles ? 1 : 2}|${Array.prototype.join.call(u, ',')}`;
  const withJac = (cs: PreparedCycle[]) =>
    sens
      ? {
          residualsWithJacobian: (u: Float64Array) => {
            const g = groupResidualsAndJacobian(cs, layout, base, u, settings, carriedIn);
            seen.set(seenKey(cs, u), { evals: g.evals, ninits: g.ninits });
            if (seen.size > 8) seen.delete(seen.keys().next().value as string);
            return g;
          },
        }
      : {};
  const u0 = space.clampU(space.toU(start));
  if (u0.length === 0) {
    // nothing free: evaluate only
    const { evals, ninits } = evaluateGroup(cycles, layout, base, [], settings, carriedIn, undefined, geometryIn);
    const r = fn(u0);
    let cost = 0;
    for (const x of r) cost += x * x;
    const lm0: MultiStartResult = {
      u: u0,
      residuals: r,
      cost,
      evaluations: 1,
      iterations: 0,
      converged: true,
      stopReason: 'xtol',
      errors: [],
      jacobian: [],
      starts: 0,
      bestStart: 0,
      totalEvaluations: 1,
    };
    const e = new Float64Array(0);
    return {
      layout,
      values: e,
      u: u0,
      evals,
      ninits,
      lm: lm0,
      unc: { seU: e, correlation: [], condition: 1, s2: cost / Math.max(1, m) },
      seU: e,
      seP: e,
    };
  }
  // the evaluation budget is per six free parameters (a forward-difference Jacobian costs n + 1)
  const lmOpts = {
    uMin: space.uMin,
    uMax: space.uMax,
    maxEvaluations: Math.round(settings.maxEvaluations * Math.max(1, u0.length / 6)),
    relTol: settings.relTol,
    gradientStep: settings.gradientStep,
    // the LM schedule that spends fewer evaluations (lm.ts), checked on single-cycle fits only
    fastSchedule: settings.mode === 'independent',
    ...withJac(cycles),
  };
  // Phase 1 only has to reach the basin when phase 2 follows: a looser relative stop.
  const phase1Opts = settings.statWeights ? { ...lmOpts, relTol: Math.max(settings.relTol, 1e-2) } : lmOpts;
  let lm = multiStartFit(fn, [u0], phase1Opts);
  const rmsOf = (cost: number) => Math.sqrt(cost / Math.max(1, m));
  if (settings.starts > 1 && (rmsOf(lm.cost) > settings.poorFitRms || !lm.converged)) {
    const design = startDesign(lm.u, space.uMin, space.uMax, settings.starts, settings.startSpread, rng).concat(
      startDesign(u0, space.uMin, space.uMax, 1, 0, rng),
    );
    // a free external series resistance: also one start per decade (its cost has separate minima;
    // the ±startSpread design around one value does not reach the others)
    layout.entries.forEach((e, kr) => {
      if (!isCircuitParam(e.name)) return;
      for (const r of SERIES_OHM_STARTS) {
        const v = space.fromU(lm.u);
        v[kr] = r;
        design.push(space.clampU(space.toU(v)));
      }
    });
    const again = multiStartFit(fn, design, { ...phase1Opts, exploreEvaluations: Math.max(30, Math.round(settings.maxEvaluations / 4)) });
    if (again.cost < lm.cost) lm = { ...again, totalEvaluations: again.totalEvaluations + lm.totalEvaluations };
    else lm = { ...lm, totalEvaluations: lm.totalEvaluations + again.totalEvaluations, starts: again.starts + 1 };
  }
  let finalCycles = cycles;
  if (settings.statWeights) {
    // Phase 2: the switching voltages weighted by what they are worth. A measured switching voltage
    // is known to ±step/2 (σ = step/√12); in units of the sample residuals (σ_s, their RMS after
    // phase 1) its residual scale becomes σ_V = (step/√12)/σ_s. Phase 1's tight 10 mV scale pulls
    // the fit into the right basin; kept to the end it biases the kinetics by the quantisation.
    // Phase 2 also drops the window and taper: near the optimum the model switches between the
    // same two samples as the data, where the plain residuals are smooth, while the window would
    // let the fit hide a noisy sample next to the switching by moving the window over it.
    const first = (
      seen.get(seenKey(cycles, lm.u)) ?? evaluateGroup(cycles, layout, base, space.fromU(lm.u), settings, carriedIn, undefined, geometryIn)
    ).evals;
    let ss = 0,
      nn = 0;
    first.forEach((e, j) => {
      ss += e.rmsLog10 ** 2 * cycles[j].idx.length;
      nn += cycles[j].idx.length;
    });
    const sigmaS = Math.max(Math.sqrt(ss / Math.max(1, nn)), 0.005);
    finalCycles = cycles.map((pc) => ({ ...pc, plainResiduals: true, vSigmaV: Math.max(pc.vSigmaV, pc.stepV / Math.sqrt(12) / sigmaS) }));
    const lm2 = levenbergMarquardtFit(residualsOf(finalCycles), lm.u, { ...lmOpts, ...withJac(finalCycles) });
    lm = { ...lm2, starts: lm.starts, bestStart: lm.bestStart, totalEvaluations: lm.totalEvaluations + lm2.evaluations };
  }
  const values = space.fromU(lm.u);
  const { evals, ninits } =
    seen.get(seenKey(finalCycles, lm.u)) ?? evaluateGroup(finalCycles, layout, base, values, settings, carriedIn, undefined, geometryIn);
  const unc = jacobianUncertainty(lm.jacobian, lm.cost, lm.u.length);
  const dpdu = space.dpdu(lm.u);
  const seP = Float64Array.from(unc.seU, (s, k) => s * dpdu[k]);
  return { layout, values, u: lm.u, evals, ninits, lm, unc, seU: unc.seU, seP };
}

/** Free entries the model's forward sensitivities cover (`Ninit` through the initial state only). */
function sensDirection(name: FitParamName): TangentParam | 'Ninit' | null {
  if (name === 'Ninit') return 'Ninit';
  return (TANGENT_PARAMS as readonly string[]).includes(name) ? (name as TangentParam) : null;
}

/** Whether the group's Jacobian can come from the model's sensitivities (else finite differences). */
export function sensitivitiesApply(layout: GroupLayout, settings: FitSettings): boolean {
  return (
    settings.jacobian !== 'fd' &&
    !settings.carryGeometry &&
    !settings.objective.adaptiveLevels &&
    layout.entries.length > 0 &&
    layout.entries.every((e) => sensDirection(e.name) !== null)
  );
}

/**
 * Residuals and their Jacobian in u (rows per residual, columns per entry) from the forward
 * sensitivities of each cycle's simulation. Cycle j is differentiated by its own free parameters and
 * by its initial state N0; N0 depends on the entries through the previous cycle's end state (carried,
 * clamped into the bounds), a fitted Ninit, or the bound it starts at, and that chain is applied here.
 * The values are those of `evaluateGroup` (the sensitivities do not change the simulation).
 */
export function groupResidualsAndJacobian(
  cycles: PreparedCycle[],
  layout: GroupLayout,
  base: JartParams,
  u: Float64Array,
  settings: FitSettings,
  carriedIn: number | null,
): { residuals: Float64Array; jacobian: Float64Array[]; evals: CycleEvaluation[]; ninits: number[] } {
  const values = layout.space.fromU(u);
  const dpdu = layout.space.dpdu(u);
  const nE = layout.entries.length;
  const o = groupObjective(layout, settings.objective, values);
  const ninitPerCycle = layout.perCycle.includes('Ninit');
  const rows: Float64Array[] = [];
  const res: number[] = [];
  const evals: CycleEvaluation[] = [];
  const ninits: number[] = [];
  let carried: number | null = carriedIn;
  let dCarried = new Float64Array(nE); // d carried N / d entry
  const entryOf = (name: string, j: number): number =>
    layout.entries.findIndex((e) => e.name === name && (e.cycle === -1 || e.cycle === j));
  cycles.forEach((pc, j) => {
    const p = cycleParams(layout, base, values, j);
    const ninit0 = layout.shared.includes('Ninit') ? p.Ninit : null;
    const n0 = ninitPerCycle ? p.Ninit : initialState(pc, p, carried, ninit0, settings.clampCarried);
    // dN0 / d entry
    const dN0 = new Float64Array(nE);
    const unit = (name: string): void => {
      const e = entryOf(name, j);
      if (e >= 0) dN0[e] = 1;
    };
    if (ninitPerCycle || (carried === null && ninit0 !== null)) unit('Ninit');
    else if (carried !== null) {
      if (settings.clampCarried && carried > p.Ndiscmax) unit('Ndiscmax');
      else if (settings.clampCarried && carried < p.Ndiscmin) unit('Ndiscmin');
      else dN0.set(dCarried);
    } else unit(pc.setFirst ? 'Ndiscmin' : 'Ndiscmax');
    // the cycle's directions: its free model parameters and N0
    const dirs: TangentParam[] = [];
    const col = new Int32Array(nE).fill(-1);
    layout.entries.forEach((e, k) => {
      if (e.cycle !== -1 && e.cycle !== j) return;
      const dname = sensDirection(e.name);
      if (dname && dname !== 'Ninit') {
        col[k] = dirs.length;
        dirs.push(dname);
      }
    });
    const qN0 = dirs.length;
    dirs.push('ninit');
    const sN0 = new Float64Array(dirs.length);
    sN0[qN0] = 1;
    const ev = evaluateCycle(pc, p, n0, o, null, { dirs, sN0 });
    evals.push(ev);
    ninits.push(n0);
    const d = dirs.length,
      jac = ev.jacobian as Float64Array;
    for (let i = 0; i < ev.residuals.length; i++) {
      const row = new Float64Array(nE);
      const gN0 = jac[i * d + qN0];
      for (let k = 0; k < nE; k++) {
        const v = (col[k] >= 0 ? jac[i * d + col[k]] : 0) + gN0 * dN0[k];
        row[k] = Number.isFinite(v) ? v * dpdu[k] : 0;
      }
      rows.push(row);
      res.push(ev.residuals[i]);
    }
    const end = ev.endDN as Float64Array;
    const next = new Float64Array(nE);
    for (let k = 0; k < nE; k++) next[k] = (col[k] >= 0 ? end[col[k]] : 0) + end[qN0] * dN0[k];
    dCarried = next;
    carried = Number.isFinite(ev.endNdisc) ? ev.endNdisc : null;
  });
  return { residuals: Float64Array.from(res), jacobian: rows, evals, ninits };
}

/** Jacobian of the group residuals at given values (for sensitivity analysis). */
export function groupJacobian(
  cycles: PreparedCycle[],
  layout: GroupLayout,
  base: JartParams,
  values: ArrayLike<number>,
  settings: FitSettings,
  step = 1e-3,
): Float64Array[] {
  const fn = (u: ArrayLike<number>): Float64Array => {
    const { evals } = evaluateGroup(cycles, layout, base, layout.space.fromU(u), settings, null);
    return Float64Array.from(evals.flatMap((e) => Array.from(e.residuals)));
  };
  const u = layout.space.toU(values);
  return forwardJacobian(fn, u, new Float64Array(u.length).fill(step));
}
