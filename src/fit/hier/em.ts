/**
 * Hierarchical (nonlinear mixed-effects) campaign fit: a Laplace-approximation EM in the fit's
 * transformed space u (ln for positive parameters), the FOCE idea of pharmacometrics.
 *
 * Model, per device d and cycle c (u-space):
 *   device-level  v_d ~ N(mV, ΩV)                         (e.g. RseriesTiOx, phiBn0, dWa)
 *   cycle-level   θ_dc = a_d + η_dc,  a_d ~ N(mA, ΩD),  η_dc ~ N(0, ΩC)   (the v1b var set)
 *   data          r_dc(v_d, θ_dc) ~ N(0, s_d²)            (the cycle objective's residuals)
 * E-step (per device): the MAP of (v_d, θ_d·) with the population prior appended to the residual
 * vector as s_d·L⁻¹(x − m) (a_d profiled out in closed form), by the project's LM; then the Laplace
 * posterior covariance from the data Jacobian plus the exact prior precision. M-step: population
 * means and covariances from the posterior means and covariances (EM). A device-level spread that
 * the EM drives to its floor is a campaign-shared constant (reported in `shared`).
 * The state carried from cycle to cycle is lagged inside one LM (each cycle starts from the end
 * state of the previous cycle at the estimate the LM started from) and recomputed after it.
 */
import type { JartParams, ParamName } from '../../model/index.js';
import type { PreparedCycle } from '../cycle-data.js';
import { createLayout, evaluateGroup, groupResidualsAndJacobian, sensitivitiesApply, type GroupLayout } from '../group.js';
import { levenbergMarquardtFit } from '../lm.js';
import { median } from '../../util/stats.js';
import type { CycleEvaluation, Geometry } from '../objective.js';
import type { FitParamName, FitSettings } from '../settings.js';
import {
  add,
  eye,
  invGen,
  cholLower,
  invLower,
  invSym,
  mul,
  mulv,
  outer,
  regularizeCov,
  scale,
  sub,
  transpose,
  zeros,
  type Mat,
} from './linalg.js';
import { countSimulation, enterPhase, inPhase, type HierCost } from './cost.js';

export interface HierOptions {
  /** EM passes at most (default 6). */
  maxPasses: number;
  /** Stop when no population mean moves more than this (u units) and no spread by more than 10·tol relative. */
  tol: number;
  /** Devices with at most this many cycles get one joint LM over all their parameters; more: block-wise (default 8). */
  jointMaxCycles: number;
  /** Floor of every population standard deviation, u units (a spread at the floor = shared). */
  sdFloor: number;
  /** Spread below which a device-level parameter is reported as campaign-shared, u units. */
  sharedSd: number;
  /** Standard deviation of the weak prior used where a spread cannot be estimated (one device), u units. */
  weakSd: number;
  /** LM iterations per E-step and pass (the first pass gets twice as many). */
  estepIterations: number;
  /** Central-difference step (u) of the posterior's Jacobian. */
  posteriorStep: number;
  /** Estimate the simulation's numerical error's effect on the estimates and widen the intervals by it. */
  numericalCheck: boolean;
  /** Scale each coordinate's information down to the cost's secant curvature over ±posteriorStep where that is smaller. */
  secantCurvature: boolean;
  /**
   * Profile-likelihood intervals where the linearisation misleads: the posterior cost is checked at
   * both ends of each linearised 95 % interval (along the conditional direction); where it is far
   * from the χ²₁ quantile, or an end crosses a bound, that end is found on the profile instead.
   */
  profile: boolean;
  /**
   * Profile-likelihood ends also where they lie inside the linearised ones (the profile rising
   * faster than the quadratic: a narrower interval). Off: where the check finds the rise too steep,
   * one refit at the linearised end decides, and where the profile's rise there reaches the χ²₁
   * quantile the linearised end is kept (no narrower than a monotone profile's); else the secant goes on.
   */
  profileInside: boolean;
  /**
   * Relative tolerance of the model's integration in the hierarchical fit (the smaller of this and
   * the objective's): at the per-device fit's looser default a switching event can land a sample
   * late, one sample's residual of a decade outweighs the rest of the cycle at 3 % noise, and the fit
   * moves Ndiscmin by tens of per cent to put it back (docs/results/hierarchical-fit.md).
   */
  simRelTol: number;
  /**
   * Skip the E-step of a device whose last E-step moved it less than `tol` and whose MAP the
   * population's change since would move less than `tol` and less than a tenth of each coordinate's
   * posterior standard deviation (first order, `predictedMove`): its posterior is only recomputed
   * under the new population.
   */
  skipSettled: boolean;
  /**
   * Whole-value-set starts from the campaign's well-fitted devices tried per E-step of a device that
   * is poor, above the campaign's noise, far from the population or off the compensating valley (0: none).
   */
  donorStarts: number;
  /**
   * The compensating starts for every device on the first pass. Off: only where a device is far
   * from the population, off the compensating valley (judged on the first pass from the posterior at
   * its start values), poor or above the campaign's noise, as on the later passes.
   */
  firstPassStarts: boolean;
  /** Cycle restarts also refit a poor cycle with its predecessor, the carried state following (chainWindowFit). */
  chainWindow: boolean;
  /**
   * For a device at the campaign's noise (neither poor nor above it), the chain windows from its own
   * estimate at incomplete RESETs (the cycle itself not poor) stop, within the sweep over its
   * cycles, after the first that lowers the posterior cost by less than the device's residual
   * variance s² (one unit of χ²). Off (the default): a window at every incomplete RESET. On the
   * 12 × 6 campaign it ran 17 % fewer window simulations, but the estimates moved within their
   * intervals and pooled coverage fell 90.3 → 89.6 % (docs/results/hierarchical-fit.md).
   */
  windowStop: boolean;
  /**
   * Robust M-step: each device weighted by its Mahalanobis distance from the previous population
   * (device-level values and cycle-level mean, the device's posterior covariance added to the
   * population's), 1 within the χ²'s 99 % quantile and Huber-like (k/δ) beyond, in the means, the
   * device-to-device and the cycle-to-cycle covariances: a device left in a wrong basin does not pull
   * the population along the compensating direction (and so widen its own prior).
   */
  robust: boolean;
}

export const DEFAULT_HIER_OPTIONS: HierOptions = {
  maxPasses: 6,
  tol: 2e-3,
  jointMaxCycles: 8,
  sdFloor: 1e-3,
  sharedSd: 5e-3,
  weakSd: 1,
  estepIterations: 4,
  posteriorStep: 1e-2,
  numericalCheck: true,
  secantCurvature: true,
  profile: true,
  profileInside: false,
  simRelTol: 1e-4,
  skipSettled: true,
  donorStarts: 2,
  firstPassStarts: false,
  chainWindow: true,
  windowStop: false,
  robust: true,
};

export interface HierDeviceInput {
  id: string;
  /** The device's cycles as the final objective sees them (plain residuals, weighted switching voltages). */
  cycles: PreparedCycle[];
  /** Start values: device-level parameters by name, and each cycle's cycle-level parameters. */
  start: { device: Record<string, number>; cycles: Record<string, number>[] };
}

export interface Population {
  mV: number[];
  omV: Mat;
  /** Uncertainty of mV (the GLS estimate over devices; the interval of a campaign-shared constant). */
  varMV?: Mat;
  mA: number[];
  omD: Mat;
  omC: Mat;
}

export interface DeviceState {
  id: string;
  cycles: PreparedCycle[];
  v: Float64Array;
  theta: Float64Array[];
  /** Residual scale (decades), re-estimated each pass. */
  s: number;
  carried: (number | null)[];
  geomIn: (Geometry | null)[];
  evals: CycleEvaluation[];
  ninits: number[];
  /** Posterior covariance over [v, θ_1, ..., θ_C] (u), and the posterior precision it inverts. */
  cov: Mat;
  prec: Mat;
  /** First-order shift of [v, θ] the simulation's numerical error makes (opt.numericalCheck), u. */
  numShift: number[];
  /** Posterior mean and covariance of the device's cycle-level mean a, and Cov(θ_c, a). */
  a: number[];
  covA: Mat;
  covThetaA: Mat[];
  /** Data-only information of [v, θ_c] per cycle (for the condition number). */
  infoC: Mat[];
  lmConverged: boolean;
  lmStop: string;
  evaluations: number;
  lastMove: number;
  /** Starts tried in the last E-step (2 when the compensating start was tried). */
  starts: number;
  dataCost: number;
  nData: number;
  /** Profile-likelihood ends (u) of the 95 % interval, by index into [v, θ_1, ..., θ_C], where the linearisation misleads. */
  profiles: Map<number, [number, number]>;
}

export interface HierResult {
  layout: GroupLayout;
  devNames: FitParamName[];
  cycNames: ParamName[];
  pop: Population;
  devices: DeviceState[];
  passes: number;
  converged: boolean;
  /** Per pass: the largest change of a population mean (u). */
  history: { maxMeanMove: number; maxSdMove: number; seconds: number; skipped: number }[];
  /** CPU seconds and simulations per phase, summed over the devices: the start scales, each pass, the final posteriors. */
  costs: { init: HierCost; passes: HierCost[]; final: HierCost };
  options: HierOptions;
}

const Z95_EM = 1.959964;

/** The residual blocks of a device (its cycles', then the prior's) as one vector. */
function concatParts(parts: ArrayLike<number>[]): Float64Array {
  let m = 0;
  for (const a of parts) m += a.length;
  const out = new Float64Array(m);
  let o = 0;
  for (const a of parts) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

const sumSq = (r: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return s;
};

interface Ctx {
  layout: GroupLayout;
  /** The model's forward sensitivities give the Jacobians (else finite differences). */
  sens: boolean;
  devNames: readonly string[];
  base: JartParams;
  settings: FitSettings;
  q: number;
  p: number;
}

function valuesOf(ctx: Ctx, v: ArrayLike<number>, th: ArrayLike<number>): Float64Array {
  const u = new Float64Array(ctx.q + ctx.p);
  u.set(v, 0);
  u.set(th, ctx.q);
  return ctx.layout.space.fromU(u);
}

function evalCycle(ctx: Ctx, dev: DeviceState, c: number, v: ArrayLike<number>, th: ArrayLike<number>): CycleEvaluation {
  countSimulation(false);
  const { evals, ninits } = evaluateGroup(
    [dev.cycles[c]],
    ctx.layout,
    ctx.base,
    valuesOf(ctx, v, th),
    ctx.settings,
    dev.carried[c],
    undefined,
    dev.geomIn[c],
  );
  dev.ninits[c] = ninits[0];
  return evals[0];
}

/**
 * A cycle's residuals and their exact Jacobian in (v, θ_c) from the model's forward sensitivities
 * (group.ts), the carried initial state held (only its clamp into [Ndiscmin, Ndiscmax] follows θ_c).
 * Rows of length q + p. Null where the sensitivities do not apply (then finite differences).
 */
function evalCycleJac(
  ctx: Ctx,
  dev: DeviceState,
  c: number,
  v: ArrayLike<number>,
  th: ArrayLike<number>,
): { residuals: Float64Array; jacobian: Float64Array[]; ev: CycleEvaluation } | null {
  if (!ctx.sens) return null;
  countSimulation(true);
  const u = new Float64Array(ctx.q + ctx.p);
  u.set(v, 0);
  u.set(th, ctx.q);
  const g = groupResidualsAndJacobian([dev.cycles[c]], ctx.layout, ctx.base, u, ctx.settings, dev.carried[c]);
  dev.ninits[c] = g.ninits[0];
  return { residuals: g.residuals, jacobian: g.jacobian, ev: g.evals[0] };
}

/** Runs the carried chain at the current estimate: every cycle's start state from its predecessor's end. */
export function runChain(ctx: Ctx, dev: DeviceState): void {
  let carried: number | null = null;
  let geom: Geometry | null = null;
  dev.cycles.forEach((_, c) => {
    dev.carried[c] = carried;
    dev.geomIn[c] = ctx.settings.carryGeometry ? geom : null;
    const ev = evalCycle(ctx, dev, c, dev.v, dev.theta[c]);
    dev.evals[c] = ev;
    carried = Number.isFinite(ev.endNdisc) ? ev.endNdisc : null;
    geom = Number.isFinite(ev.endGeometry.rM) && Number.isFinite(ev.endGeometry.lM) ? ev.endGeometry : null;
  });
}

interface MapOut {
  cost: number;
  converged: boolean;
  stop: string;
  evaluations: number;
  moved: number;
  apply: () => void;
}

interface PriorFactors {
  liV: Mat;
  liD: Mat;
  liC: Mat;
  omDi: Mat;
  omCi: Mat;
  omVi: Mat;
}
function factors(pop: Population): PriorFactors {
  return {
    liV: invLower(cholLower(pop.omV)),
    liD: invLower(cholLower(pop.omD)),
    liC: invLower(cholLower(pop.omC)),
    omDi: invSym(pop.omD),
    omCi: invSym(pop.omC),
    omVi: invSym(pop.omV),
  };
}

/** The device's cycle-level mean a given its θ (closed form) and A = Var(a | θ). */
function profiledA(pop: Population, f: PriorFactors, theta: ArrayLike<number>[]): { a: number[]; A: Mat } {
  const C = theta.length;
  const A = invSym(add(f.omDi, scale(f.omCi, C)));
  const sumT = new Array<number>(pop.mA.length).fill(0);
  for (const t of theta) for (let i = 0; i < sumT.length; i++) sumT[i] += t[i];
  const rhs = add([mulv(f.omDi, pop.mA)], [mulv(f.omCi, sumT)])[0];
  return { a: mulv(A, rhs), A };
}

/** Prior residuals (before the factor s): Lv⁻¹(v − mV), Ld⁻¹(a − mA), Lc⁻¹(θ_c − a). */
function priorResiduals(pop: Population, f: PriorFactors, v: ArrayLike<number>, theta: ArrayLike<number>[], withV: boolean): number[] {
  const out: number[] = [];
  if (withV && v.length)
    out.push(
      ...mulv(
        f.liV,
        Array.from(v, (x, i) => x - pop.mV[i]),
      ),
    );
  if (pop.mA.length) {
    const { a } = profiledA(pop, f, theta);
    out.push(
      ...mulv(
        f.liD,
        a.map((x, i) => x - pop.mA[i]),
      ),
    );
    for (const t of theta)
      out.push(
        ...mulv(
          f.liC,
          Array.from(t, (x, i) => x - a[i]),
        ),
      );
  }
  return out;
}

/**
 * One LM over the free blocks of a device: `freeV` and the cycles in `freeCycles`; data residuals
 * of the cycles the free blocks touch; the whole prior. Updates dev.v / dev.theta in place when the
 * posterior cost went down. Returns the posterior cost reached.
 */
function mapFit(
  ctx: Ctx,
  dev: DeviceState,
  pop: Population,
  f: PriorFactors,
  freeV: boolean,
  freeCycles: number[],
  iterations: number,
  vStart?: ArrayLike<number>,
  hold?: { k: number; value: number },
): MapOut {
  const { q, p, layout } = ctx;
  const dataCycles = freeV ? dev.cycles.map((_, c) => c) : freeCycles;
  const n = (freeV ? q : 0) + freeCycles.length * p;
  const memo = dev.cycles.map(() => new Map<string, Float64Array>());
  const unpack = (x: ArrayLike<number>) => {
    const v = freeV ? Array.from(x).slice(0, q) : Array.from(dev.v);
    const theta = dev.theta.map((t) => Array.from(t));
    freeCycles.forEach((c, k) => {
      const o = (freeV ? q : 0) + k * p;
      theta[c] = Array.from(x).slice(o, o + p);
    });
    return { v, theta };
  };
  const fn = (x: Float64Array): Float64Array => {
    const { v, theta } = unpack(x);
    const parts: ArrayLike<number>[] = [];
    for (const c of dataCycles) {
      const key = `${v.join(',')}|${theta[c].join(',')}`;
      let r = memo[c].get(key);
      if (!r) {
        r = evalCycle(ctx, dev, c, v, theta[c]).residuals;
        memo[c].set(key, r);
        if (memo[c].size > 4 * n + 16) memo[c].delete(memo[c].keys().next().value as string);
      }
      parts.push(r);
    }
    parts.push(priorResiduals(pop, f, v, theta, freeV).map((z) => z * dev.s));
    return concatParts(parts);
  };
  // with the model's sensitivities: the data rows exact, the prior rows (linear in x) by differences
  const withJac = (x: Float64Array): { residuals: Float64Array; jacobian: Float64Array[] } => {
    const { v, theta } = unpack(x);
    const rows: Float64Array[] = [];
    const res: number[] = [];
    for (const c of dataCycles) {
      const g = evalCycleJac(ctx, dev, c, v, theta[c])!;
      const k = freeCycles.indexOf(c);
      const o = (freeV ? q : 0) + k * p;
      for (let i = 0; i < g.residuals.length; i++) {
        const row = new Float64Array(n);
        const jr = g.jacobian[i];
        if (freeV) for (let j = 0; j < q; j++) row[j] = jr[j];
        if (k >= 0) for (let j = 0; j < p; j++) row[o + j] = jr[q + j];
        rows.push(row);
        res.push(g.residuals[i]);
      }
    }
    const pr0 = priorResiduals(pop, f, v, theta, freeV);
    const pRows = pr0.map(() => new Float64Array(n));
    for (let k = 0; k < n; k++) {
      const xk = Float64Array.from(x);
      xk[k] += 1e-3;
      const u = unpack(xk);
      const pr = priorResiduals(pop, f, u.v, u.theta, freeV);
      for (let i = 0; i < pr.length; i++) pRows[i][k] = ((pr[i] - pr0[i]) / 1e-3) * dev.s;
    }
    for (let i = 0; i < pr0.length; i++) {
      rows.push(pRows[i]);
      res.push(pr0[i] * dev.s);
    }
    return { residuals: Float64Array.from(res), jacobian: rows };
  };
  const x0 = new Float64Array(n);
  if (freeV) x0.set(vStart ?? dev.v, 0);
  freeCycles.forEach((c, k) => x0.set(dev.theta[c], (freeV ? q : 0) + k * p));
  const uMin = new Float64Array(n),
    uMax = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = freeV && k < q ? k : q + ((k - (freeV ? q : 0)) % p);
    uMin[k] = layout.space.uMin[i];
    uMax[k] = layout.space.uMax[i];
  }
  for (let k = 0; k < n; k++) x0[k] = Math.min(uMax[k], Math.max(uMin[k], x0[k]));
  // a held coordinate (profile likelihood): the LM runs over the others
  if (hold) x0[hold.k] = hold.value;
  const keep = hold ? Array.from({ length: n }, (_, k) => k).filter((k) => k !== hold.k) : null;
  const expand = (y: ArrayLike<number>): Float64Array => {
    if (!keep) return Float64Array.from(y);
    const x = Float64Array.from(x0);
    keep.forEach((k, j) => {
      x[k] = y[j];
    });
    return x;
  };
  const reduce = (x: ArrayLike<number>): Float64Array => (keep ? Float64Array.from(keep, (k) => x[k]) : Float64Array.from(x));
  const lmR = levenbergMarquardtFit(keep ? (y) => fn(expand(y)) : fn, reduce(x0), {
    uMin: reduce(uMin),
    uMax: reduce(uMax),
    // an evaluation with its Jacobian is one iteration (a difference Jacobian costs n + 1)
    maxEvaluations: ctx.sens ? 3 * iterations + 6 : iterations * (n + 2) + 4,
    relTol: ctx.settings.relTol,
    gradientStep: ctx.settings.gradientStep,
    ...(ctx.sens
      ? {
          residualsWithJacobian: keep
            ? (y: Float64Array) => {
                const g = withJac(expand(y));
                return { residuals: g.residuals, jacobian: g.jacobian.map((r) => reduce(r)) };
              }
            : withJac,
        }
      : {}),
  });
  const lm = { ...lmR, u: expand(lmR.u) };
  const { v, theta } = unpack(lm.u);
  let moved = 0;
  for (let k = 0; k < n; k++) moved = Math.max(moved, Math.abs(lm.u[k] - x0[k]));
  const apply = () => {
    dev.v = Float64Array.from(v);
    theta.forEach((t, c) => {
      dev.theta[c] = Float64Array.from(t);
    });
  };
  return { cost: lm.cost, converged: lm.converged, stop: lm.stopReason, evaluations: lm.evaluations, moved, apply };
}

/** Posterior cost of the device at its current estimate (data + prior, in units of s²). */
function posteriorCost(ctx: Ctx, dev: DeviceState, pop: Population, f: PriorFactors): number {
  runChain(ctx, dev);
  let cost = 0;
  for (const ev of dev.evals) cost += sumSq(ev.residuals);
  return (
    cost +
    dev.s *
      dev.s *
      sumSq(
        priorResiduals(
          pop,
          f,
          dev.v,
          dev.theta.map((t) => Array.from(t)),
          true,
        ),
      )
  );
}

/**
 * Data and posterior cost of a device at given values (u; the chain carried from them), the device's
 * estimate left unchanged: for diagnosis (is the truth's cost lower than the fit's?).
 */
export function costsAt(
  ctx: HierContext,
  dev: DeviceState,
  pop: Population,
  v: ArrayLike<number>,
  theta: ArrayLike<number>[],
): { data: number; posterior: number; rms: number[] } {
  const keep = { v: dev.v, theta: dev.theta };
  dev.v = Float64Array.from(v);
  dev.theta = theta.map((t) => Float64Array.from(t));
  const f = factors(pop);
  const posteriorC = posteriorCost(ctx, dev, pop, f);
  let data = 0;
  for (const ev of dev.evals) data += sumSq(ev.residuals);
  const rms = dev.evals.map((e) => e.rmsLog10);
  dev.v = keep.v;
  dev.theta = keep.theta;
  runChain(ctx, dev);
  return { data, posterior: posteriorC, rms };
}

/**
 * A window of the chain refitted with the carried states following: cycles c−1 and c free, the data
 * of c−1, c and c+1, every evaluation simulating them in order, each from its predecessor's end state
 * (the E-step's LM holds each cycle's start state). Where a RESET is incomplete, cycle c−1's values
 * act on cycle c through the state it ends in, and neither cycle's fit alone can leave the pair's
 * basin. Finite-difference LM (the sensitivities do not follow the carried state); the device-level
 * values and the other cycles held; the prior of the device's cycles included. Applied when the
 * posterior cost goes down. Returns the evaluations.
 */
function chainWindowFit(
  ctx: Ctx,
  dev: DeviceState,
  pop: Population,
  f: PriorFactors,
  c: number,
  iters: number,
): { evaluations: number; gain: number } {
  const { p, layout } = ctx;
  const C = dev.cycles.length;
  if (c < 1 || c >= C) return { evaluations: 0, gain: 0 };
  const free = [c - 1, c];
  const data = [c - 1, c, ...(c + 1 < C ? [c + 1] : [])];
  const theta = dev.theta.map((t) => Array.from(t));
  const fn = (x: Float64Array): Float64Array => {
    free.forEach((k, j) => {
      theta[k] = Array.from(x.subarray(j * p, (j + 1) * p));
    });
    const parts: ArrayLike<number>[] = [];
    let carried = dev.carried[c - 1];
    let geom = dev.geomIn[c - 1];
    for (const k of data) {
      countSimulation(false);
      const { evals } = evaluateGroup(
        [dev.cycles[k]],
        layout,
        ctx.base,
        valuesOf(ctx, dev.v, theta[k]),
        ctx.settings,
        carried,
        undefined,
        geom,
      );
      const ev = evals[0];
      parts.push(ev.residuals);
      carried = Number.isFinite(ev.endNdisc) ? ev.endNdisc : null;
      geom = ctx.settings.carryGeometry && Number.isFinite(ev.endGeometry.rM) && Number.isFinite(ev.endGeometry.lM) ? ev.endGeometry : null;
    }
    parts.push(priorResiduals(pop, f, dev.v, theta, false).map((z) => z * dev.s));
    return concatParts(parts);
  };
  const x0 = new Float64Array(2 * p);
  free.forEach((k, j) => x0.set(dev.theta[k], j * p));
  const uMin = Float64Array.from({ length: 2 * p }, (_, i) => layout.space.uMin[ctx.q + (i % p)]);
  const uMax = Float64Array.from({ length: 2 * p }, (_, i) => layout.space.uMax[ctx.q + (i % p)]);
  const before = posteriorCost(ctx, dev, pop, f);
  const keep = free.map((k) => Float64Array.from(dev.theta[k]));
  const lm = levenbergMarquardtFit(fn, x0, {
    uMin,
    uMax,
    // the window's valley (a cycle's Ndiscmin against its successor's start) is long and narrow: the
    // E-step's budget of four difference-Jacobian iterations leaves it halfway (test/fit/hier-chain.test.ts)
    maxEvaluations: 3 * iters * (2 * p + 2) + 4,
    relTol: ctx.settings.relTol,
    gradientStep: ctx.settings.gradientStep,
  });
  free.forEach((k, j) => {
    dev.theta[k] = Float64Array.from(lm.u.subarray(j * p, (j + 1) * p));
  });
  const after = posteriorCost(ctx, dev, pop, f);
  if (process.env.HIER_DEBUG)
    process.stderr.write(
      `    ${dev.id}#${c + 1}: window ${before.toPrecision(6)} -> ${after.toPrecision(6)} (${lm.evaluations} evaluations)\n`,
    );
  if (!(after < before)) {
    free.forEach((k, j) => {
      dev.theta[k] = keep[j];
    });
    runChain(ctx, dev);
  }
  return { evaluations: lm.evaluations, gain: after < before ? before - after : 0 };
}

/**
 * The chain windows of a device (chainWindowFit), in cycle order: every cycle that starts from a state
 * its predecessor left above its Ndiscmin (an incomplete RESET: the predecessor's values act on it
 * through that state, which the E-step's LM holds), and every cycle fitted poorly (mean square
 * residual above 1.2 × the device's median). `stop` (opt.windowStop): the incomplete RESETs of a
 * cycle that is not poor only until one such window gains less than s², one unit of χ² (on the
 * 12 × 6 campaign, 148 of the 189 windows were at incomplete RESETs of cycles fitted at the
 * device's level, 70 % of the windows' evaluations; docs/results/hierarchical-fit.md). Returns the
 * evaluations.
 */
function chainWindows(ctx: Ctx, dev: DeviceState, pop: Population, f: PriorFactors, iters: number, stop: boolean): number {
  return inPhase('windows', () => chainWindowsInner(ctx, dev, pop, f, iters, stop));
}
function chainWindowsInner(ctx: Ctx, dev: DeviceState, pop: Population, f: PriorFactors, iters: number, stop: boolean): number {
  const C = dev.cycles.length;
  // Ndiscmin of a cycle: fitted (device- or cycle-level) or fixed
  const k = ctx.layout.entries.findIndex((e) => e.name === 'Ndiscmin');
  const ndiscmin = (c: number) => (k >= 0 ? valuesOf(ctx, dev.v, dev.theta[c])[k] : ctx.base.Ndiscmin);
  let evaluations = 0;
  let flat = false;
  for (let c = 1; c < C; c++) {
    runChain(ctx, dev);
    const ms = dev.evals.map((e) => sumSq(e.residuals) / Math.max(1, e.residuals.length));
    const carried = dev.carried[c];
    const incomplete = carried !== null && carried > ndiscmin(c);
    const poorCycle = ms[c] > 1.2 * median(ms);
    if (!poorCycle && !(incomplete && !flat)) continue;
    const w = chainWindowFit(ctx, dev, pop, f, c, iters);
    evaluations += w.evaluations;
    if (stop && !poorCycle && w.gain < dev.s * dev.s) flat = true;
  }
  runChain(ctx, dev);
  return evaluations;
}

/**
 * Restarts of the cycles a device fits poorly (mean square residual above 1.5 × the device's median
 * cycle): the cycle's θ from the median of the device's other cycles and from its neighbours, each
 * refined with the device-level values held; the lowest posterior cost is kept. Returns the evaluations.
 */
function cycleRestarts(ctx: Ctx, dev: DeviceState, pop: Population, f: PriorFactors, iters: number): number {
  const C = dev.cycles.length;
  if (C < 2) return 0;
  runChain(ctx, dev);
  const ms = dev.evals.map((e) => sumSq(e.residuals) / Math.max(1, e.residuals.length));
  const ref = median(ms);
  let evaluations = 0;
  for (let c = 0; c < C; c++) {
    if (!(ms[c] > 1.2 * ref)) continue;
    const others = dev.theta.filter((_, k) => k !== c);
    // the median of the device's other cycles, the population's mean, and the neighbours
    const cands = [Float64Array.from(dev.theta[c], (_, i) => median(others.map((t) => t[i]))), Float64Array.from(pop.mA)];
    if (c > 0) cands.push(Float64Array.from(dev.theta[c - 1]));
    if (c < C - 1) cands.push(Float64Array.from(dev.theta[c + 1]));
    let best = { cost: posteriorCost(ctx, dev, pop, f), theta: Float64Array.from(dev.theta[c]) };
    for (const cand of cands) {
      dev.theta[c] = cand;
      runChain(ctx, dev);
      const o = mapFit(ctx, dev, pop, f, false, [c], iters);
      o.apply();
      evaluations += o.evaluations;
      const cost = posteriorCost(ctx, dev, pop, f);
      if (cost < best.cost) best = { cost, theta: Float64Array.from(dev.theta[c]) };
    }
    if (process.env.HIER_DEBUG)
      process.stderr.write(`    ${dev.id}#${c + 1}: ms ${(ms[c] / ref).toFixed(2)}x, restart cost ${best.cost.toPrecision(6)}\n`);
    dev.theta[c] = best.theta;
    runChain(ctx, dev);
  }
  return evaluations;
}

/** Device-level parameters along the known compensating directions (lnew/Ndiscmin against phiBn0/dWa; dWa against Rth0, ny0). */
const COMPENSATING: readonly string[] = ['phiBn0', 'dWa', 'Rth0', 'ny0'];

/**
 * A well-fitted device of the campaign as a start of another: its device-level values, the median of
 * its cycle-level values, and (where given) every cycle's own values, the whole chain it fitted.
 */
export interface Donor {
  v: Float64Array;
  a: Float64Array;
  theta?: Float64Array[];
}

/**
 * Whole-value-set starts from the campaign's well-fitted devices (docs/fitting.md, hierarchical fit):
 * a device in a chain of cycles with incomplete RESETs (a cycle's Ndiscmin acting on the next through
 * the carried state) or in the compensating basin (phiBn0/dWa against lnew/Ndiscmin) is not left by
 * moving one cycle, or the device-level values, at a time. A donor's device-level values and every
 * one of its cycles' values (its cycle k for this device's cycle k, the last for any beyond) put the
 * whole chain near a consistent point at once; the device keeps its own RseriesTiOx-like values (the
 * ones with a real device-to-device spread) in a second variant. The `count` candidates whose chain,
 * simulated from them, fits this device's data best are returned.
 */
function donorStarts(
  ctx: Ctx,
  dev: DeviceState,
  donors: Donor[],
  own: { v: Float64Array; theta: Float64Array[] },
  count: number,
): { v: Float64Array; theta: Float64Array[] }[] {
  const C = dev.cycles.length;
  const cands: { v: Float64Array; theta: Float64Array[] }[] = [];
  for (const d of donors) {
    const theta = Array.from({ length: C }, (_, c) => Float64Array.from(d.theta?.length ? d.theta[Math.min(c, d.theta.length - 1)] : d.a));
    cands.push({ v: Float64Array.from(d.v), theta });
    if (d.theta?.length) cands.push({ v: Float64Array.from(d.v), theta: theta.map(() => Float64Array.from(d.a)) });
    // the donor's material constants (the compensating directions) with the device's own other device-level values
    const mixed = Float64Array.from(own.v, (x, i) => (COMPENSATING.includes(ctx.devNames[i]) ? d.v[i] : x));
    if (mixed.some((x, i) => x !== d.v[i])) cands.push({ v: mixed, theta: theta.map((t) => Float64Array.from(t)) });
  }
  const scored = cands.map((st) => {
    dev.v = Float64Array.from(st.v);
    dev.theta = st.theta.map((t) => Float64Array.from(t));
    runChain(ctx, dev);
    let cost = 0;
    for (const ev of dev.evals) cost += sumSq(ev.residuals);
    return { st, cost: Number.isFinite(cost) ? cost : Infinity };
  });
  scored.sort((x, y) => x.cost - y.cost);
  return scored.slice(0, count).map((x) => x.st);
}

/** E-step of one device: MAP fit (joint or block-wise), with a start at the population's device-level values. */
export function eStep(
  ctx: Ctx,
  dev: DeviceState,
  pop: Population,
  opt: HierOptions,
  firstPass: boolean,
  poor = false,
  donors: Donor[] = [],
  above = false,
): void {
  const f = factors(pop);
  const C = dev.cycles.length;
  const iters = opt.estepIterations * (firstPass ? 2 : 1);
  runChain(ctx, dev);
  // a device without a posterior yet (the first pass): the one at its start values, for the
  // off-valley test of the compensating starts below
  if (ctx.q > 0 && !opt.firstPassStarts && dev.cov.length === 0)
    inPhase('posterior', () => posterior(ctx, dev, pop, { ...opt, numericalCheck: false }));
  const startCost = posteriorCost(ctx, dev, pop, f);
  const snapshot = () => ({ v: Float64Array.from(dev.v), theta: dev.theta.map((t) => Float64Array.from(t)) });
  const restore = (s: { v: Float64Array; theta: Float64Array[] }) => {
    dev.v = s.v;
    dev.theta = s.theta;
  };
  const before = snapshot();
  let evaluations = 0;
  const run = (vStart?: ArrayLike<number>): { out: MapOut; cost: number } => {
    let out: MapOut;
    if (C <= opt.jointMaxCycles) {
      out = mapFit(
        ctx,
        dev,
        pop,
        f,
        ctx.q > 0,
        dev.cycles.map((_, c) => c),
        iters,
        vStart,
      );
      out.apply();
      evaluations += out.evaluations;
    } else {
      // block-wise: each cycle's θ, then the device-level v over all cycles
      out = { cost: 0, converged: true, stop: 'relative', evaluations: 0, moved: 0, apply: () => {} };
      if (vStart) dev.v = Float64Array.from(vStart);
      for (let round = 0; round < 2; round++) {
        for (let c = 0; c < C; c++) {
          const o = mapFit(ctx, dev, pop, f, false, [c], iters);
          o.apply();
          evaluations += o.evaluations;
          out.moved = Math.max(out.moved, o.moved);
          out.converged &&= o.converged;
        }
        runChain(ctx, dev);
        if (ctx.q > 0) {
          const o = mapFit(ctx, dev, pop, f, true, [], iters);
          o.apply();
          evaluations += o.evaluations;
          out.moved = Math.max(out.moved, o.moved);
          out.converged &&= o.converged;
          out.stop = o.stop;
        }
      }
    }
    return { out, cost: posteriorCost(ctx, dev, pop, f) };
  };
  evaluations += inPhase('restarts', () => cycleRestarts(ctx, dev, pop, f, iters));
  // the stop only from the device's own estimate, and only for a device at the campaign's noise: in
  // the other starts, and on a poor device, a window after a flat one can still leave a wrong basin
  // (D006 of the 12 × 6 campaign, docs/results/hierarchical-fit.md)
  if (opt.chainWindow) evaluations += inPhase('restarts', () => chainWindows(ctx, dev, pop, f, iters, opt.windowStop && !poor && !above));
  let best = run();
  let bestState = snapshot();
  if (best.cost > startCost) {
    restore(before);
    bestState = snapshot();
    best = { ...best, cost: startCost };
  }
  dev.starts = 1;
  // compensating start (docs/fitting.md, hierarchical fit): the device-level values at the
  // population's, the cycle-level ones free to follow; tried whenever the device sits more than 2.5
  // population spreads from the population mean in a device-level parameter (opt.firstPassStarts:
  // also for every device on the first pass)
  const far = ctx.q > 0 && Array.from(before.v).some((x, i) => Math.abs(x - pop.mV[i]) > 2.5 * Math.sqrt(pop.omV[i][i]));
  // or whenever a compensating coordinate sits more than 2 of its own standard errors from the
  // population mean (the last pass's posterior; the equal-RMS basins of issue 16 are 3–25 away), or
  // the device fits above the campaign's noise: an equal-cost basin is not left otherwise
  const sdOwn = (i: number) => Math.sqrt(Math.max(0, dev.cov[i]?.[i] ?? 0) + Math.max(0, pop.varMV?.[i]?.[i] ?? 0));
  const offValley =
    ctx.q > 0 &&
    dev.cov.length > 0 &&
    ctx.devNames.some((n, i) => COMPENSATING.includes(n) && Math.abs(before.v[i] - pop.mV[i]) > 2 * sdOwn(i));
  if (process.env.HIER_DEBUG)
    process.stderr.write(`    ${dev.id}: first ${firstPass} far ${far} poor ${poor} offValley ${offValley} above ${above}\n`);
  if (ctx.q > 0 && ((firstPass && opt.firstPassStarts) || far || poor || offValley || above)) {
    // only the material constants of the compensating directions move to the population's values;
    // a device-level parameter with a real device-to-device spread (RseriesTiOx) keeps the device's
    const vAlt = Float64Array.from(before.v, (x, i) => (COMPENSATING.includes(ctx.devNames[i]) ? pop.mV[i] : x));
    // two cycle-level starts: the device's own, and the population's (a device whose cycles all sit
    // in the compensating basin has no good cycle of its own to start from)
    const fromPop = before.theta.map(() => Float64Array.from(pop.mA));
    const altStarts: { v: Float64Array; theta: Float64Array[] }[] = [
      { v: vAlt, theta: before.theta },
      { v: vAlt, theta: fromPop },
    ];
    // a device above the campaign's noise: every cycle from the median of its own cycles (a chain of
    // cycles whose carried states compensate each other is not left one cycle at a time)
    if (above || poor)
      altStarts.push({
        v: Float64Array.from(before.v),
        theta: before.theta.map((t) => Float64Array.from(t, (_, i) => median(before.theta.map((x) => x[i])))),
      });
    // a device fitted well above the campaign's noise: also entirely from the population
    if (poor) altStarts.push({ v: Float64Array.from(pop.mV), theta: fromPop });
    // a device off the valley, above the campaign's noise or far from the population: also from the
    // whole value sets of the well-fitted devices whose chains fit this one's data best
    const leave = enterPhase('starts');
    if (donors.length && (poor || above || offValley || far)) altStarts.push(...donorStarts(ctx, dev, donors, before, opt.donorStarts));
    for (const st of altStarts) {
      restore({ v: Float64Array.from(st.v), theta: st.theta.map((t) => Float64Array.from(t)) });
      // the cycle-level values first follow the device-level ones to the bottom of the valley (each
      // cycle's θ with v held), then the joint fit: from the old θ the joint LM starts high on the
      // valley's wall and, within its budget, ends above the basin it left
      for (let c = 0; c < C; c++) {
        const o = mapFit(ctx, dev, pop, f, false, [c], iters);
        o.apply();
        evaluations += o.evaluations;
        runChain(ctx, dev);
      }
      evaluations += cycleRestarts(ctx, dev, pop, f, iters);
      if (opt.chainWindow) evaluations += chainWindows(ctx, dev, pop, f, iters, false);
      const alt = run(st.v);
      dev.starts++;
      if (process.env.HIER_DEBUG) process.stderr.write(`    ${dev.id}: cost ${best.cost.toPrecision(6)} alt ${alt.cost.toPrecision(6)}\n`);
      if (alt.cost < best.cost) {
        best = alt;
        bestState = snapshot();
      }
    }
    leave();
  }
  restore(bestState);
  runChain(ctx, dev);
  let moved = 0;
  before.v.forEach((x, i) => {
    moved = Math.max(moved, Math.abs(dev.v[i] - x));
  });
  before.theta.forEach((t, c) =>
    t.forEach((x, i) => {
      moved = Math.max(moved, Math.abs(dev.theta[c][i] - x));
    }),
  );
  dev.lmConverged = best.out.converged;
  dev.lmStop = best.out.stop;
  dev.evaluations += evaluations;
  dev.lastMove = moved;
}

/**
 * Laplace posterior of a device at its MAP: data information from a forward-difference Jacobian of
 * each cycle in (v, θ_c) (the carried state held), plus the exact prior precision; re-estimates s.
 */
export function posterior(ctx: Ctx, dev: DeviceState, pop: Population, opt: HierOptions = DEFAULT_HIER_OPTIONS): void {
  const { q, p, layout, settings } = ctx;
  const C = dev.cycles.length;
  const n = q + C * p;
  const H = zeros(n);
  const g = new Array<number>(n).fill(0);
  dev.infoC = [];
  let dataCost = 0,
    nData = 0;
  // central differences with a step wider than the LM's: the switching voltages make the cost a fine
  // staircase in the parameters, and a forward difference across one stair claims far too much information
  const h = Math.max(settings.gradientStep, opt.posteriorStep);
  for (let c = 0; c < C; c++) {
    const r0 = dev.evals[c].residuals;
    dataCost += sumSq(r0);
    nData += r0.length;
    const cols: Float64Array[] = [];
    const idx: number[] = [];
    // the exact Jacobian from the model's sensitivities where they apply: the differences below over
    // 1 % of a parameter do not resolve the compensating valleys (lnew/Ndiscmin against phiBn0/dWa)
    // and made the posterior 10-40 times too narrow
    const exact = evalCycleJac(ctx, dev, c, dev.v, dev.theta[c]);
    if (exact)
      for (let k = 0; k < q + p; k++) {
        cols.push(Float64Array.from(exact.jacobian, (row) => row[k]));
        idx.push(k < q ? k : q + c * p + (k - q));
      }
    for (let k = 0; k < q + p && !exact; k++) {
      const at = (dx: number) => {
        const v = Float64Array.from(dev.v),
          th = Float64Array.from(dev.theta[c]);
        if (k < q) v[k] += dx;
        else th[k - q] += dx;
        return evalCycle(ctx, dev, c, v, th).residuals;
      };
      const lo = layout.space.uMin[k],
        hi = layout.space.uMax[k];
      const x = k < q ? dev.v[k] : dev.theta[c][k - q];
      const up = x + h <= hi,
        down = x - h >= lo;
      const rp = up ? at(h) : r0,
        rm = down ? at(-h) : r0;
      const span = (up ? h : 0) + (down ? h : 0);
      const col = Float64Array.from(rp, (y, i) => (span > 0 && Number.isFinite(y) && Number.isFinite(rm[i]) ? (y - rm[i]) / span : 0));
      if (up && down && opt.secantCurvature) {
        // the cost's own curvature along this coordinate over ±h against the Gauss–Newton one: where the
        // residuals jump (switching on a sample grid), JᵀJ claims a curvature the cost does not have
        const c0 = sumSq(r0),
          actual = (sumSq(rp) + sumSq(rm) - 2 * c0) / (h * h);
        const gn = 2 * sumSq(col);
        if (gn > 0) {
          const ratio = actual > 0 ? gn / actual : Infinity;
          if (ratio > 1) {
            const f = 1 / Math.sqrt(Math.min(ratio, 1e4));
            for (let i = 0; i < col.length; i++) col[i] *= f;
          }
        }
      }
      cols.push(col);
      idx.push(k < q ? k : q + c * p + (k - q));
    }
    const info = zeros(q + p);
    for (let a = 0; a < q + p; a++)
      for (let b = a; b < q + p; b++) {
        let s = 0;
        const ca = cols[a],
          cb = cols[b];
        for (let i = 0; i < ca.length; i++) s += ca[i] * cb[i];
        info[a][b] = info[b][a] = s;
        H[idx[a]][idx[b]] += s;
        if (a !== b) H[idx[b]][idx[a]] += s;
      }
    dev.infoC.push(info);
    if (opt.numericalCheck) {
      // the numerical model error: the same cycle simulated on every stimulus point with tight
      // tolerances; its first-order effect on the estimate (below) widens the intervals
      const leaveNum = enterPhase('numerical');
      countSimulation(false);
      const tight = evaluateGroup(
        [{ ...dev.cycles[c], coarse: null }],
        layout,
        ctx.base,
        valuesOf(ctx, dev.v, dev.theta[c]),
        { ...settings, objective: { ...settings.objective, simRelTol: 1e-5, simMaxDlnN: 0.05 } },
        dev.carried[c],
        undefined,
        dev.geomIn[c],
      ).evals[0].residuals;
      leaveNum();
      for (let a = 0; a < q + p; a++) {
        let s = 0;
        const ca = cols[a];
        for (let i = 0; i < ca.length; i++) if (Number.isFinite(tight[i])) s += ca[i] * (tight[i] - r0[i]);
        g[idx[a]] += s;
      }
    }
  }
  // the evaluation of the base point left dev.ninits consistent with the chain
  runChain(ctx, dev);
  const dof = Math.max(1, nData - n);
  dev.dataCost = dataCost;
  dev.nData = nData;
  const s2 = Math.max(dataCost / dof, 1e-6);
  dev.s = Math.sqrt(s2);
  // posterior precision = H/s² + prior precision (v: ΩV⁻¹; θ: the profiled-a marginal precision)
  const f = factors(pop);
  const P = H.map((r) => r.map((x) => x / s2));
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) P[i][j] += f.omVi[i][j];
  const A = invSym(add(f.omDi, scale(f.omCi, C)));
  const corr = mul(mul(f.omCi, A), f.omCi);
  for (let c = 0; c < C; c++)
    for (let d = 0; d < C; d++)
      for (let i = 0; i < p; i++)
        for (let j = 0; j < p; j++) {
          P[q + c * p + i][q + d * p + j] += (c === d ? f.omCi[i][j] : 0) - corr[i][j];
        }
  dev.prec = P;
  dev.cov = invSym(P);
  dev.numShift = opt.numericalCheck
    ? mulv(
        dev.cov,
        g.map((x) => -x / s2),
      )
    : new Array<number>(n).fill(0);
  // a: E = A(ΩD⁻¹mA + ΩC⁻¹Σθ), Var = A + W S Wᵀ with W = A ΩC⁻¹, S = Var(Σθ)
  const { a } = profiledA(pop, f, dev.theta);
  const W = mul(A, f.omCi);
  const rowSum = (c: number): Mat => {
    const m = zeros(p);
    for (let d = 0; d < C; d++) for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) m[i][j] += dev.cov[q + c * p + i][q + d * p + j];
    return m;
  };
  let S = zeros(p);
  const covThetaA: Mat[] = [];
  for (let c = 0; c < C; c++) {
    const rs = rowSum(c);
    S = add(S, rs);
    covThetaA.push(mul(rs, transpose(W)));
  }
  dev.a = a;
  dev.covA = add(A, mul(mul(W, S), transpose(W)));
  dev.covThetaA = covThetaA;
}

/** Gradient of ½|prior residuals|² over [v, θ_1, ..., θ_C] at the device's estimate (quadratic: central differences are exact). */
function priorGradient(ctx: Ctx, dev: DeviceState, pop: Population, f: PriorFactors): number[] {
  const { q, p } = ctx;
  const C = dev.theta.length;
  const x0 = [...Array.from(dev.v), ...dev.theta.flatMap((t) => Array.from(t))];
  const half = (x: number[]) =>
    0.5 *
    sumSq(
      priorResiduals(
        pop,
        f,
        x.slice(0, q),
        Array.from({ length: C }, (_, c) => x.slice(q + c * p, q + (c + 1) * p)),
        true,
      ),
    );
  const h = 1e-3;
  return x0.map((_, k) => {
    const xp = x0.slice(),
      xm = x0.slice();
    xp[k] += h;
    xm[k] -= h;
    return (half(xp) - half(xm)) / (2 * h);
  });
}

/** χ²₁ 95 % quantile: the rise of the (posterior) cost, in units of s², at a 95 % profile-likelihood end. */
const CHI2_95 = 3.841459;

/**
 * Profile-likelihood 95 % intervals of a device's coordinates where the Laplace linearisation
 * misleads. Check: the posterior cost at each end of the linearised interval, moved along the
 * conditional direction cov[:,k]/cov[k][k] (where a quadratic cost rises by exactly χ²₁(0.95));
 * a rise outside [0.6, 1.6] × that, or an end beyond a bound, makes that end a profile end: the
 * coordinate held, the others refitted (for a device-level coordinate the whole device; for a
 * cycle-level one that cycle's other values, the device-level ones held at their conditional
 * prediction), the end found by secant steps on the signed root of the rise. Where the rise was
 * too steep, the first refit (at the linearised end) decides: a profile rise there of χ²₁(0.95) or
 * more keeps the linearised end (opt.profileInside: the secant goes on). The estimate itself is left
 * unchanged. Results in dev.profiles (u).
 */
export function profileIntervals(ctx: Ctx, dev: DeviceState, pop: Population, opt: HierOptions = DEFAULT_HIER_OPTIONS): void {
  const { q, p, layout } = ctx;
  const C = dev.cycles.length;
  const n = q + C * p;
  const f = factors(pop);
  dev.profiles = new Map();
  const t00 = performance.now();
  const s2 = dev.s * dev.s;
  const keep = { v: Float64Array.from(dev.v), theta: dev.theta.map((t) => Float64Array.from(t)) };
  const x0 = [...Array.from(keep.v), ...keep.theta.flatMap((t) => Array.from(t))];
  const setX = (x: ArrayLike<number>) => {
    dev.v = Float64Array.from({ length: q }, (_, i) => x[i]);
    dev.theta = keep.theta.map((_, c) => Float64Array.from({ length: p }, (_, i) => x[q + c * p + i]));
  };
  const lo = (k: number) => layout.space.uMin[k < q ? k : q + ((k - q) % p)];
  const hi = (k: number) => layout.space.uMax[k < q ? k : q + ((k - q) % p)];
  const c0 = posteriorCost(ctx, dev, pop, f);
  const rise = (x: ArrayLike<number>) => {
    setX(x);
    return (posteriorCost(ctx, dev, pop, f) - c0) / s2;
  };
  const along = (k: number, t: number) => x0.map((x, j) => x + (dev.cov[j][k] / dev.cov[k][k]) * t);
  /** Rise of the profile at x_k = x̂_k + t: the others refitted from the conditional prediction. */
  const profileAt = (k: number, t: number): number => inPhase('profileEnds', () => profileAtInner(k, t));
  const profileAtInner = (k: number, t: number): number => {
    // the unrefitted prediction's rise; its chain is also the refit's start
    const predicted = rise(along(k, t));
    // a device-level coordinate: the whole device refitted; a cycle-level one: that cycle's other
    // values (the device-level ones, pinned by all the device's cycles, held at the prediction)
    const cyc = k < q ? dev.cycles.map((_, c) => c) : [Math.floor((k - q) / p)];
    const local = k < q ? k : (k - q) % p;
    const o = mapFit(ctx, dev, pop, f, k < q, cyc, 4, undefined, { k: local, value: x0[k] + t });
    o.apply();
    const r = (posteriorCost(ctx, dev, pop, f) - c0) / s2;
    // a refit that ends above the unrefitted prediction (a short budget) keeps the prediction's rise
    return Math.min(r, predicted);
  };
  for (let k = 0; k < n; k++) {
    const se = Math.sqrt(Math.max(0, dev.cov[k][k]));
    if (!(se > 0)) continue;
    const ends: [number, number] = [x0[k] - Z95_EM * se, x0[k] + Z95_EM * se];
    let changed = false;
    for (const sg of [-1, 1] as const) {
      const t0 = Z95_EM * se;
      const bound = sg < 0 ? x0[k] - lo(k) : hi(k) - x0[k];
      const tc = Math.min(t0, bound);
      const r0 = tc > 0 ? rise(along(k, sg * tc)) : 0;
      const misleads = t0 > bound || !(r0 >= 0.6 * CHI2_95 && r0 <= 1.6 * CHI2_95);
      if (!misleads) continue;
      // secant on the signed root of the rise, from (0, 0)
      let nRefit = 1;
      let tA = 0,
        gA = 0,
        t = tc,
        g = Math.sqrt(Math.max(0, profileAt(k, sg * t)));
      const firstRise = g * g;
      // the profile's rise at the linearised end reaches χ²₁(0.95): the profile end lies at or inside
      // the linearised one, which is kept, a conservative end (opt.profileInside: found on the profile)
      if (!opt.profileInside && t0 <= bound && g * g >= CHI2_95) {
        if (process.env.HIER_DEBUG)
          process.stderr.write(
            `PROFILE ${dev.id} k ${k} ${k < q ? 'dev' : 'cyc'} side ${sg} r0 ${(r0 / CHI2_95).toFixed(3)} bound 0 t/t0 1.000 refits 1 firstRise ${(firstRise / CHI2_95).toFixed(3)} kept\n`,
          );
        continue;
      }
      changed = true;
      const target = Math.sqrt(CHI2_95);
      for (let it = 0; it < 3 && Math.abs(g - target) > 0.15; it++) {
        if (g < target && t >= bound) break; // the bound is reached inside the interval
        const slope = (g - gA) / (t - tA);
        let tn = slope > 0 ? t + (target - g) / slope : t * 2;
        tn = Math.min(Math.max(tn, 0.3 * t), 3 * t, bound);
        tA = t;
        gA = g;
        t = tn;
        g = Math.sqrt(Math.max(0, profileAt(k, sg * t)));
        nRefit++;
      }
      ends[sg < 0 ? 0 : 1] = x0[k] + sg * t;
      if (process.env.HIER_DEBUG)
        process.stderr.write(
          `PROFILE ${dev.id} k ${k} ${k < q ? 'dev' : 'cyc'} side ${sg} r0 ${(r0 / CHI2_95).toFixed(3)} bound ${t0 > bound ? 1 : 0} t/t0 ${(t / t0).toFixed(3)} refits ${nRefit} firstRise ${(firstRise / CHI2_95).toFixed(3)}\n`,
        );
    }
    if (changed) dev.profiles.set(k, ends);
  }
  if (process.env.HIER_DEBUG)
    process.stderr.write(
      `    ${dev.id}: profiled ${[...dev.profiles.keys()].join(',') || 'none'} of ${n} in ${((performance.now() - t00) / 1000).toFixed(1)} s\n`,
    );
  setX(x0);
  runChain(ctx, dev);
}

/** M-step: the population from the devices' posterior means and covariances. */
export function mStep(ctx: Ctx, devs: DeviceState[], prev: Population, opt: HierOptions): Population {
  const { q, p } = ctx;
  const D = devs.length;
  const floorV = new Array<number>(q).fill(opt.sdFloor),
    floorP = new Array<number>(p).fill(opt.sdFloor);
  const capV = new Array<number>(q).fill(opt.weakSd),
    capP = new Array<number>(p).fill(opt.weakSd);
  const w = opt.robust && D >= 3 ? deviceWeights(devs, q, p) : devs.map(() => 1);
  const W = w.reduce((a, b) => a + b, 0);
  const mV = new Array<number>(q).fill(0),
    mA = new Array<number>(p).fill(0);
  devs.forEach((d, k) => {
    d.v.forEach((x, i) => {
      mV[i] += (w[k] * x) / W;
    });
    d.a.forEach((x, i) => {
      mA[i] += (w[k] * x) / W;
    });
  });
  let omV = zeros(q),
    omD = zeros(p),
    omC = zeros(p);
  let nC = 0;
  devs.forEach((d, k) => {
    const dv = Array.from(d.v, (x, i) => x - mV[i]);
    const cv = d.cov.slice(0, q).map((r) => r.slice(0, q));
    // spread about an estimated mean: W − 1 degrees of freedom (the REML correction of the ML 1/W)
    omV = add(omV, scale(add(scale(outer(dv, dv), 1 / Math.max(1, W - 1)), scale(cv, 1 / W)), w[k]));
    const da = d.a.map((x, i) => x - mA[i]);
    omD = add(omD, scale(add(scale(outer(da, da), 1 / Math.max(1, W - 1)), scale(d.covA, 1 / W)), w[k]));
    d.theta.forEach((t, c) => {
      const e = Array.from(t, (x, i) => x - d.a[i]);
      const ct = d.cov.slice(q + c * p, q + (c + 1) * p).map((r) => r.slice(q + c * p, q + (c + 1) * p));
      const cta = d.covThetaA[c];
      omC = add(omC, scale(sub(add(add(outer(e, e), ct), d.covA), add(cta, transpose(cta))), w[k]));
      nC += w[k];
    });
  });
  omC = scale(omC, 1 / Math.max(1e-9, nC));
  nC = devs.reduce((a, d) => a + d.theta.length, 0);
  // mV: the marginal-likelihood (GLS) mean over devices instead of the plain EM average, which
  // crawls when a spread is near zero (a shared constant stays where it started): each device's
  // data information on v (θ marginalised), I_d = Cov_vv⁻¹ − ΩV⁻¹, weights W_d = (1 + I_d ΩV)⁻¹ I_d
  // and data-only value through W_d ṽ_d = (1 + I_d ΩV)⁻¹ (Cov_vv⁻¹ v̂_d − ΩV⁻¹ mV).
  let varMV: Mat | undefined;
  if (q > 0 && D >= 2) {
    const omVi = invSym(prev.omV);
    let sumW = zeros(q);
    let sumWv = new Array<number>(q).fill(0);
    devs.forEach((d, k) => {
      const M = invSym(d.cov.slice(0, q).map((r) => r.slice(0, q)));
      const I = sub(M, omVi);
      const K = invGen(add(eye(q), mul(I, prev.omV)));
      sumW = add(sumW, scale(mul(K, I), w[k]));
      const rhs = mulv(M, d.v).map((x, i) => x - mulv(omVi, prev.mV)[i]);
      sumWv = sumWv.map((x, i) => x + w[k] * mulv(K, rhs)[i]);
    });
    varMV = invSym(sumW);
    const gls = mulv(varMV, sumWv);
    if (gls.every((x, i) => Number.isFinite(x) && Math.abs(x - mV[i]) < 1)) mV.splice(0, q, ...gls);
  }
  // what the campaign cannot tell: one device → no d2d spread (weak prior); one cycle per device → no c2c spread
  if (D < 2) {
    omV = prev.omV;
    omD = prev.omD;
    mV.splice(0, q, ...prev.mV);
  }
  if (nC <= D) omC = prev.omC;
  return {
    mV,
    varMV,
    omV: regularizeCov(omV, floorV, capV),
    mA,
    omD: regularizeCov(omD, floorP, capP),
    omC: regularizeCov(omC, floorP, capP),
  };
}

const mad = (xs: number[]) => {
  const m = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)));
};

/** χ²_k quantile (Wilson–Hilferty), z the standard normal quantile. */
const chi2Quantile = (k: number, z: number) => k * (1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k))) ** 3;

/**
 * Robust weights of the devices in the M-step (opt.robust). Each device's device-level values and
 * cycle-level mean against the campaign's centre, per coordinate in units of the campaign's spread
 * (at least the devices' median posterior variance; the device's own posterior variance added):
 * δ² = Σ z². Weight 1 for δ² within χ²'s 99 % quantile k² of the dimension, (k²/δ²)² beyond (the
 * influence redescends). Centre and spread first the median and MAD, then twice the weighted mean
 * and SD: not the EM's own population, which one device left in a wrong basin inflates by itself
 * and so hides inside. Under a Gaussian population every weight is 1 (the plain EM's estimates).
 */
function deviceWeights(devs: DeviceState[], q: number, p: number): number[] {
  const cols: { x: number[]; v: number[] }[] = [];
  for (let i = 0; i < q; i++) cols.push({ x: devs.map((d) => d.v[i]), v: devs.map((d) => Math.max(0, d.cov[i]?.[i] ?? 0)) });
  for (let j = 0; j < p; j++) cols.push({ x: devs.map((d) => d.a[j]), v: devs.map((d) => Math.max(0, d.covA[j]?.[j] ?? 0)) });
  const k2 = chi2Quantile(cols.length, 2.326348);
  let w = devs.map(() => 1);
  // the median and MAD first, then twice the weighted mean and SD of the devices kept (a more
  // efficient scale than the MAD of a dozen devices, which alone rejects good devices by chance)
  for (let it = 0; it < 3; it++) {
    const d2 = devs.map(() => 0);
    for (const { x, v } of cols) {
      let m: number, s2: number;
      if (it === 0) {
        m = median(x);
        s2 = mad(x) ** 2;
      } else {
        const W = w.reduce((a, b) => a + b, 0);
        m = x.reduce((a, xi, k) => a + w[k] * xi, 0) / W;
        s2 = x.reduce((a, xi, k) => a + w[k] * (xi - m) ** 2, 0) / Math.max(1e-9, W - 1);
      }
      // a spread no smaller than the devices' typical posterior variance (a shared constant's values
      // scatter by their standard errors alone)
      s2 = Math.max(s2, median(v));
      x.forEach((xi, k) => {
        const den = s2 + v[k];
        if (den > 0) d2[k] += (xi - m) ** 2 / den;
      });
    }
    w = d2.map((x) => (Number.isFinite(x) && x > k2 ? (k2 / x) ** 2 : 1));
  }
  return w;
}

/** Robust start of the population: medians and MAD spreads of the start values (independent per parameter). */
export function initialPopulation(devs: DeviceState[], q: number, p: number, opt: HierOptions): Population {
  const D = devs.length;
  const col = (f: (d: DeviceState) => number[]) => devs.map(f);
  const vs = col((d) => Array.from(d.v));
  const as = col((d) => {
    const a = new Array<number>(p).fill(0);
    d.theta.forEach((t) =>
      t.forEach((x, i) => {
        a[i] += x / d.theta.length;
      }),
    );
    return a;
  });
  const mV = Array.from({ length: q }, (_, i) => median(vs.map((v) => v[i])));
  const mA = Array.from({ length: p }, (_, i) => median(as.map((a) => a[i])));
  const sdOr = (s: number, enough: boolean) =>
    enough && Number.isFinite(s) ? Math.min(opt.weakSd, Math.max(opt.sdFloor * 10, s)) : opt.weakSd;
  const omV = zeros(q).map((r, i) => {
    r[i] = sdOr(mad(vs.map((v) => v[i])), D >= 3) ** 2;
    return r;
  });
  const omD = zeros(p).map((r, i) => {
    r[i] = sdOr(mad(as.map((a) => a[i])), D >= 3) ** 2;
    return r;
  });
  const within: number[][] = Array.from({ length: p }, () => []);
  devs.forEach((d, k) => d.theta.forEach((t) => t.forEach((x, i) => within[i].push(x - as[k][i]))));
  const manyCycles = devs.some((d) => d.theta.length > 1);
  const omC = zeros(p).map((r, i) => {
    r[i] = sdOr(mad(within[i]), manyCycles) ** 2;
    return r;
  });
  return { mV, omV, mA, omD, omC };
}

export function createContext(settings: FitSettings, base: JartParams): Ctx & { devNames: FitParamName[]; cycNames: ParamName[] } {
  const cycNames = settings.cycleParams.filter((n) => settings.fitParams.includes(n));
  const devNames = settings.fitParams.filter((n) => !cycNames.includes(n as ParamName));
  const layout = createLayout(devNames, cycNames, 1, base);
  const sens = sensitivitiesApply(layout, settings);
  return { layout, sens, base, settings, q: devNames.length, p: cycNames.length, devNames, cycNames };
}

export type HierContext = ReturnType<typeof createContext>;

/** A device's state at its start values (u space, clamped); its residual scale still to be set (`initScale`). */
export function startState(ctx: HierContext, d: HierDeviceInput): DeviceState {
  const u0 = (dev: Record<string, number>, cyc: Record<string, number>) =>
    ctx.layout.space.clampU(ctx.layout.space.toU([...ctx.devNames.map((n) => dev[n]), ...ctx.cycNames.map((n) => cyc[n])]));
  const first = u0(d.start.device, d.start.cycles[0]);
  return {
    ...emptyState(d.id, d.cycles),
    v: first.slice(0, ctx.q),
    theta: d.start.cycles.map((c) => u0(d.start.device, c).slice(ctx.q)),
  };
}

/** A device's state with nothing estimated yet (its values to be set). */
export function emptyState(id: string, cycles: PreparedCycle[]): DeviceState {
  return {
    id,
    cycles,
    v: new Float64Array(0),
    theta: [],
    s: 0.02,
    carried: [],
    geomIn: [],
    evals: [],
    ninits: [],
    cov: [],
    prec: [],
    numShift: [],
    a: [],
    covA: [],
    covThetaA: [],
    infoC: [],
    lmConverged: false,
    lmStop: '',
    evaluations: 0,
    lastMove: Infinity,
    starts: 0,
    dataCost: 0,
    nData: 0,
    profiles: new Map(),
  };
}

/** The residual scale of a device at its start values (the chain simulated once). */
export function initScale(ctx: HierContext, dev: DeviceState): void {
  runChain(ctx, dev);
  let ss = 0,
    m = 0;
  for (const ev of dev.evals) {
    ss += sumSq(ev.residuals);
    m += ev.residuals.length;
  }
  dev.s = Math.max(Math.sqrt(ss / Math.max(1, m - ctx.q - ctx.p * dev.cycles.length)), 1e-3);
}

/**
 * How far a device's MAP would move when the population prior changes from `from` to `to`, to first
 * order, without simulating: the posterior cost F(x) = data/(2s²) + ½|z(x)|² changes by the prior
 * term alone, so the minimum shifts by Δx = −Cov·∇(½|z_to|² − ½|z_from|²) at the current estimate
 * (Cov the device's posterior covariance, the inverse Hessian of F). `abs`: the largest |Δx| over
 * [v, θ], u units; `rel`: the largest |Δx_i| in units of the coordinate's posterior standard deviation.
 * The prior term is quadratic in x: central differences give its gradient exactly.
 */
export function predictedMove(ctx: Ctx, dev: DeviceState, from: Population, to: Population): { abs: number; rel: number } {
  const { q, p } = ctx;
  const C = dev.theta.length;
  const n = q + C * p;
  if (dev.cov.length !== n) return { abs: Infinity, rel: Infinity };
  const gT = priorGradient(ctx, dev, to, factors(to)),
    gF = priorGradient(ctx, dev, from, factors(from));
  const g = gT.map((x, i) => x - gF[i]);
  const dx = mulv(dev.cov, g);
  let abs = 0,
    rel = 0;
  dx.forEach((x, i) => {
    abs = Math.max(abs, Math.abs(x));
    rel = Math.max(rel, Math.abs(x) / Math.sqrt(Math.max(dev.cov[i][i], 1e-300)));
  });
  return Number.isFinite(abs) && Number.isFinite(rel) ? { abs, rel } : { abs: Infinity, rel: Infinity };
}
