/**
 * Levenberg–Marquardt driver around `ml-levenberg-marquardt` (generic: a residual function over a
 * bounded vector u; no physics).
 *
 * Why a wrapper: ml-levenberg-marquardt 5.x runs all `maxIterations` (no relative convergence
 * test), moves to a trial point even when the error went up (it only remembers the best point),
 * and throws "Matrix is not symmetric" from its Cholesky step when a residual is NaN. We therefore
 * call it one iteration at a time ("chunks"), always from the best point so far, with our own
 * damping schedule (×4 on a rejected step, ÷3 on an accepted one, scaled to diag(JᵀJ)), a
 * relative-improvement stop, optional Broyden updates of the Jacobian between finite-difference
 * refreshes (passed to the library as its `jacobianFunction`), NaN residuals replaced by a finite penalty, and catch-and-restart with
 * heavier damping when the library throws. A small cache of evaluated points makes the library's
 * repeated evaluations (the error at the start point, the Jacobian after a rejected step) free, so
 * a rejected step costs one residual evaluation, as in a textbook LM.
 *
 * With an exact Jacobian (`residualsWithJacobian`, every evaluation costs a simulation with its
 * sensitivities) the same damped Gauss–Newton step is computed here (JᵀJ formed once per point,
 * Cholesky; the same trajectory). With `fastSchedule` it spends fewer evaluations: the damping grows ×4, ×8, ×16, … over
 * consecutive rejections and falls ÷10 instead of ÷3 after a step whose gain the linear model
 * predicted well (gain ratio > 0.75), and after one accepted step that gained < relTol the fit
 * stops before evaluating another when even the undamped Gauss–Newton step promises less than
 * relTol/4 of the cost.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';

export type ResidualFn = (u: Float64Array) => Float64Array;

export interface LmOptions {
  uMin: Float64Array;
  uMax: Float64Array;
  /** Budget of (uncached) residual evaluations. */
  maxEvaluations?: number;
  /** Stop when an accepted step improves the cost by less than this fraction, twice in a row. */
  relTol?: number;
  /** Stop when the accepted step is smaller than this in every u coordinate (and gained < relTol). */
  xTol?: number;
  /** Forward-difference step in u (scalar or per parameter). */
  gradientStep?: number | Float64Array;
  /** Initial damping relative to max diag(JᵀJ). */
  relDamping?: number;
  /** Library errors tolerated before giving up. */
  maxErrors?: number;
  /** Value substituted for a NaN/±Inf residual. */
  nanPenalty?: number;
  /**
   * 'broyden': the Jacobian is computed by finite differences at the start and then
   * kept up to date with Broyden rank-1 updates from each accepted step, refreshed by finite
   * differences every `refreshEvery` accepted steps, after two rejected steps in a row, and before
   * any convergence decision; it reaches the library through its `jacobianFunction` option.
   * 'fd' (default): the library's own forward differences every iteration (n + 1 evaluations
   * each). On the JART objective Broyden took more evaluations, not fewer (docs/fitting.md).
   */
  jacobianUpdate?: 'broyden' | 'fd';
  refreshEvery?: number;
  /**
   * Residuals together with their exact Jacobian (rows per residual), e.g. from the model's forward
   * sensitivities. When given, it replaces both the residual function (the values must be the
   * same) and the finite differences: every evaluation brings its Jacobian, which reaches the
   * library through its `jacobianFunction`, so an LM iteration costs one evaluation. Each such
   * evaluation counts once against `maxEvaluations`.
   */
  residualsWithJacobian?: (u: Float64Array) => { residuals: Float64Array; jacobian: Float64Array[] };
  /**
   * With `residualsWithJacobian`: the schedule that spends fewer evaluations (see the file comment).
   * Checked on single-cycle fits; on multi-cycle campaign groups it changed which basin some
   * devices reached, so it is off by default.
   */
  fastSchedule?: boolean;
}

export type StopReason = 'relative' | 'xtol' | 'stalled' | 'max_evaluations' | 'errors' | 'zero_cost';

export interface LmResult {
  u: Float64Array;
  residuals: Float64Array;
  /** Sum of squared residuals. */
  cost: number;
  evaluations: number;
  iterations: number;
  converged: boolean;
  stopReason: StopReason;
  errors: string[];
  /** Forward-difference Jacobian at the returned point (m × n, row-major per residual). */
  jacobian: Float64Array[];
}

/**
 * Memoised, NaN-safe residual evaluator shared by the driver and the Jacobian. With `withJac` each
 * evaluation also yields the Jacobian (`jacobianAt`; a NaN residual gets a zero row).
 */
function createEvaluator(fn: ResidualFn, nanPenalty = 10, cacheSize = 32, withJac?: LmOptions['residualsWithJacobian']) {
  const cache = new Map<string, Float64Array>();
  const jacs = new Map<string, Float64Array[]>();
  /** Points whose residual had a non-finite entry (replaced by the penalty). */
  const penalised = new Set<string>();
  let evaluations = 0;
  const key = (u: ArrayLike<number>): string => Array.prototype.join.call(u, ',');
  const evaluate = (u: ArrayLike<number>): Float64Array => {
    const k = key(u);
    const hit = cache.get(k);
    if (hit) return hit;
    evaluations++;
    let r: Float64Array;
    if (withJac) {
      const rj = withJac(Float64Array.from(u));
      r = Float64Array.from(rj.residuals);
      for (let i = 0; i < r.length; i++) if (!Number.isFinite(r[i])) rj.jacobian[i].fill(0);
      jacs.set(k, rj.jacobian);
    } else r = Float64Array.from(fn(Float64Array.from(u)));
    let bad = false;
    for (let i = 0; i < r.length; i++)
      if (!Number.isFinite(r[i])) {
        r[i] = nanPenalty;
        bad = true;
      }
    cache.set(k, r);
    if (bad) penalised.add(k);
    else penalised.delete(k);
    if (cache.size > cacheSize) {
      const old = cache.keys().next().value as string;
      cache.delete(old);
      jacs.delete(old);
      penalised.delete(old);
    }
    return r;
  };
  /** The Jacobian at u (with `withJac`; evaluates u when not cached). */
  const jacobianAt = (u: ArrayLike<number>): Float64Array[] => {
    evaluate(u);
    return jacs.get(key(u)) as Float64Array[];
  };
  /** Whether the residual at `u` (evaluated and still cached) had a non-finite entry. */
  const wasPenalised = (u: ArrayLike<number>): boolean => penalised.has(key(u));
  return {
    evaluate,
    jacobianAt,
    wasPenalised,
    get evaluations() {
      return evaluations;
    },
  };
}

function sumSq(r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return s;
}

/**
 * Workspace of the damped Gauss–Newton step with an exact Jacobian: JᵀJ and Jᵀr at the current
 * point (formed once per point, reused by every damping tried there).
 */
interface GnWork {
  jtj: Float64Array;
  jtr: Float64Array;
  a: Float64Array;
  delta: Float64Array;
}

function gnWork(n: number): GnWork {
  return { jtj: new Float64Array(n * n), jtr: new Float64Array(n), a: new Float64Array(n * n), delta: new Float64Array(n) };
}

/** JᵀJ and Jᵀr into w (J: rows per residual). */
function normalEquations(J: Float64Array[], r: Float64Array, w: GnWork): void {
  const n = w.jtr.length;
  w.jtj.fill(0);
  w.jtr.fill(0);
  for (let i = 0; i < J.length; i++) {
    const row = J[i],
      ri = r[i];
    for (let k = 0; k < n; k++) {
      const jk = row[k];
      if (jk === 0) continue;
      w.jtr[k] += jk * ri;
      for (let l = 0; l <= k; l++) w.jtj[k * n + l] += jk * row[l];
    }
  }
  for (let k = 0; k < n; k++) for (let l = 0; l < k; l++) w.jtj[l * n + k] = w.jtj[k * n + l];
}

/**
 * The step of ml-levenberg-marquardt's iteration, computed here: δ = (JᵀJ + λI)⁻¹ Jᵀr by Cholesky,
 * trial = clamp(u − δ) into the box. Returns false when the matrix is not positive definite (a
 * non-finite Jacobian).
 */
function dampedStep(w: GnWork, u: Float64Array, lambda: number, uMin: Float64Array, uMax: Float64Array, trial: Float64Array): boolean {
  const n = u.length,
    a = w.a,
    x = w.delta;
  a.set(w.jtj);
  for (let k = 0; k < n; k++) a[k * n + k] += lambda;
  // in-place Cholesky a = L·Lᵀ (lower triangle)
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / ljj;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = w.jtr[i];
    for (let k = 0; k < i; k++) s -= a[i * n + k] * x[k];
    x[i] = s / a[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= a[k * n + i] * x[k];
    x[i] = s / a[i * n + i];
  }
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(x[k])) return false;
    trial[k] = Math.min(Math.max(uMin[k], u[k] - x[k]), uMax[k]);
  }
  return true;
}

/**
 * Reduction of the cost the linearised model predicts for the (almost) undamped Gauss–Newton step,
 * 2·gᵀx − xᵀ(JᵀJ)x with x = (JᵀJ + εI)⁻¹g, g = Jᵀr (the box ignored); Infinity when the solve fails.
 */
function gaussNewtonGain(w: GnWork, eps: number): number {
  const n = w.jtr.length;
  const zero = new Float64Array(n);
  const lo = new Float64Array(n).fill(-Infinity),
    hi = new Float64Array(n).fill(Infinity),
    minus = new Float64Array(n);
  if (!dampedStep(w, zero, eps, lo, hi, minus)) return Infinity;
  // minus = −x
  let gain = 0;
  for (let k = 0; k < n; k++) {
    let q = 0;
    for (let l = 0; l < n; l++) q += w.jtj[k * n + l] * minus[l];
    gain += -2 * w.jtr[k] * minus[k] - minus[k] * q;
  }
  return gain;
}

/** Forward-difference Jacobian with the same points the library uses (so the cache serves it). */
export function forwardJacobian(evaluate: (u: ArrayLike<number>) => Float64Array, u: Float64Array, step: Float64Array): Float64Array[] {
  const r0 = evaluate(u);
  const cols: Float64Array[] = [];
  for (let k = 0; k < u.length; k++) {
    const up = Array.from(u);
    up[k] += step[k];
    const r1 = evaluate(up);
    const c = new Float64Array(r0.length);
    for (let i = 0; i < r0.length; i++) c[i] = (r1[i] - r0[i]) / step[k];
    cols.push(c);
  }
  // transpose to rows
  const rows: Float64Array[] = [];
  for (let i = 0; i < r0.length; i++) {
    const row = new Float64Array(u.length);
    for (let k = 0; k < u.length; k++) row[k] = cols[k][i];
    rows.push(row);
  }
  return rows;
}

export function levenbergMarquardtFit(fn: ResidualFn, u0: ArrayLike<number>, opts: LmOptions): LmResult {
  const n = u0.length;
  const maxEvaluations = opts.maxEvaluations ?? 400;
  const relTol = opts.relTol ?? 1e-4;
  const xTol = opts.xTol ?? 1e-5;
  const maxErrors = opts.maxErrors ?? 4;
  const step = typeof opts.gradientStep === 'object' ? opts.gradientStep : new Float64Array(n).fill(opts.gradientStep ?? 1e-3);
  const analytic = opts.residualsWithJacobian !== undefined;
  const fast = analytic && opts.fastSchedule === true;
  const ev = createEvaluator(fn, opts.nanPenalty ?? 10, Math.max(32, 2 * n + 8), opts.residualsWithJacobian);
  let u: Float64Array = Float64Array.from(u0, (x, i) => Math.min(opts.uMax[i], Math.max(opts.uMin[i], x)));
  // Keep the finite-difference points inside the box: step backwards at the upper bound.
  const stepAt = (x: Float64Array): Float64Array => Float64Array.from(step, (s, i) => (x[i] + s > opts.uMax[i] ? -s : s));
  let r = ev.evaluate(u);
  let cost = sumSq(r);
  const m = r.length;
  const errors: string[] = [];
  const broyden = !analytic && (opts.jacobianUpdate ?? 'fd') === 'broyden';
  const refreshEvery = opts.refreshEvery ?? 5;
  const jacobianAt = (x: Float64Array): Float64Array[] => (analytic ? ev.jacobianAt(x) : forwardJacobian(ev.evaluate, x, stepAt(x)));
  let J = jacobianAt(u);
  let fresh = true;
  let sinceRefresh = 0;
  const refresh = () => {
    J = jacobianAt(u);
    fresh = true;
    sinceRefresh = 0;
  };
  let lambdaScale = 1;
  {
    let maxDiag = 0;
    for (let k = 0; k < n; k++) {
      let d = 0;
      for (let i = 0; i < m; i++) d += J[i][k] * J[i][k];
      maxDiag = Math.max(maxDiag, d);
    }
    lambdaScale = maxDiag > 0 && Number.isFinite(maxDiag) ? maxDiag : 1;
  }
  let lambda = (opts.relDamping ?? 1e-3) * lambdaScale;
  const gw = gnWork(n);
  let gnAt: Float64Array | null = null;
  let iterations = 0;
  let smallImprovements = 0;
  let rejects = 0;
  let stopReason: StopReason = 'max_evaluations';
  const zeros = new Array<number>(m).fill(0);
  const xs = Array.from({ length: m }, (_, i) => i);
  let consecutiveErrors = 0;
  /** A convergence decision is only taken on a finite-difference Jacobian. */
  const mayStop = (): boolean => {
    if (!broyden || fresh) return true;
    if (ev.evaluations + n > maxEvaluations) return true;
    refresh();
    smallImprovements = 0;
    return false;
  };
  while (true) {
    if (cost === 0) {
      stopReason = 'zero_cost';
      break;
    }
    if (ev.evaluations + (broyden || analytic ? 1 : n + 1) > maxEvaluations) {
      stopReason = 'max_evaluations';
      break;
    }
    if (lambda > 1e10 * lambdaScale) {
      if (mayStop()) {
        stopReason = 'stalled';
        break;
      }
      lambda = 1e-3 * lambdaScale;
      continue;
    }
    let trial: Float64Array;
    try {
      if (analytic) {
        // the library's step, computed here from JᵀJ formed once per point
        if (gnAt !== u) {
          normalEquations(J, r, gw);
          gnAt = u;
          // after one accepted step that gained < relTol: converged when even the undamped
          // Gauss–Newton step promises less than relTol/4 of the cost (the most the local linear
          // model offers, bounds ignored), instead of spending evaluations on a second such step.
          // (Alone, without the first small gain, this stopped too early on the JART objective,
          // whose switching residuals hold gains the linear model does not see.)
          if (fast && smallImprovements >= 1 && gaussNewtonGain(gw, 1e-9 * lambdaScale) <= (relTol / 4) * cost) {
            stopReason = 'relative';
            break;
          }
        }
        trial = new Float64Array(n);
        if (!dampedStep(gw, u, lambda, opts.uMin, opts.uMax, trial)) throw new Error('Matrix is not positive definite');
        // as the library: a step that does not lower the cost returns the start point (so a
        // rejected step is a zero step for the stall test below)
        if (!(sumSq(ev.evaluate(trial)) < cost)) trial = Float64Array.from(u);
        consecutiveErrors = 0;
      } else {
        const h = stepAt(u);
        const Jnow = J;
        const res = levenbergMarquardt(
          { x: xs, y: zeros },
          (p: number[]) => {
            const rr = ev.evaluate(p);
            return (x: number) => -rr[x];
          },
          {
            initialValues: Array.from(u),
            damping: lambda,
            maxIterations: 1,
            errorTolerance: 0,
            gradientDifference: Array.from(h),
            minValues: Array.from(opts.uMin),
            maxValues: Array.from(opts.uMax),
            // model = −r, so the model's partials are −J
            ...(broyden ? { jacobianFunction: () => (x: number) => Array.from(Jnow[x], (v) => -v) } : {}),
          },
        );
        // The library returns its best point: the trial point if the step lowered the error, else
        // the start. Either way, compare with our own cost.
        trial = Float64Array.from(res.parameterValues);
        consecutiveErrors = 0;
      }
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
      consecutiveErrors++;
      if (consecutiveErrors > maxErrors) {
        stopReason = 'errors';
        break;
      }
      lambda *= 100;
      if (broyden && !fresh) refresh();
      continue;
    }
    iterations++;
    // the cost the linearised model predicts at the trial point (exact Jacobian: for the gain ratio)
    let pc = NaN;
    if (fast) {
      pc = 0;
      for (let i = 0; i < m; i++) {
        let v = r[i];
        for (let k = 0; k < n; k++) v += J[i][k] * (trial[k] - u[k]);
        pc += v * v;
      }
    }
    const rt = ev.evaluate(trial);
    const ct = sumSq(rt);
    let maxDu = 0;
    for (let k = 0; k < n; k++) maxDu = Math.max(maxDu, Math.abs(trial[k] - u[k]));
    const cost0 = cost;
    if (ct < cost && maxDu > 0) {
      const rel = (cost - ct) / cost;
      if (broyden) {
        // Broyden rank-1 update: J += (Δr − J Δu) Δuᵀ / (Δuᵀ Δu)
        const du = Float64Array.from(trial, (x, k) => x - u[k]);
        let dd = 0;
        for (let k = 0; k < n; k++) dd += du[k] * du[k];
        for (let i = 0; i < m; i++) {
          const row = J[i];
          let jd = 0;
          for (let k = 0; k < n; k++) jd += row[k] * du[k];
          const c = (rt[i] - r[i] - jd) / dd;
          for (let k = 0; k < n; k++) row[k] += c * du[k];
        }
        sinceRefresh++;
      }
      fresh = analytic;
      u = trial;
      r = rt;
      cost = ct;
      if (analytic) J = ev.jacobianAt(u);
      rejects = 0;
      // ÷3; with an exact Jacobian ÷10 when the linear model predicted the gain well (gain ratio
      // ρ > 0.75), so that the damping leaves the slow, gradient-like regime in a few steps
      const rho = fast ? (cost0 - ct) / (cost0 - pc) : 0;
      lambda = Math.max(lambda / (fast && rho > 0.75 ? 10 : 3), 1e-12 * lambdaScale);
      if (broyden && sinceRefresh >= refreshEvery) refresh();
      // a tiny step only means convergence when it also gained (almost) nothing: a heavily
      // damped step is tiny too, far from the minimum
      if (maxDu < xTol && rel < relTol) {
        if (mayStop()) {
          stopReason = 'xtol';
          break;
        }
        continue;
      }
      smallImprovements = rel < relTol ? smallImprovements + 1 : 0;
      if (smallImprovements >= 2) {
        if (mayStop()) {
          stopReason = 'relative';
          break;
        }
        continue;
      }
    } else {
      rejects++;
      if (broyden && !fresh && rejects >= 2) {
        refresh();
        rejects = 0;
        continue;
      }
      if (maxDu === 0 && lambda > 1e3 * lambdaScale) {
        if (mayStop()) {
          stopReason = 'stalled';
          break;
        }
        continue;
      }
      // rejected: ×4, and with an exact Jacobian ×4, ×8, ×16, … over consecutive rejections
      // (Nielsen), since those steps cost a full evaluation each
      lambda *= fast ? 4 * 2 ** Math.min(rejects - 1, 10) : 4;
    }
  }
  const jacobian = fresh ? J : jacobianAt(u);
  // A stall (no step lowers the cost however damped) is a minimum only where the residual is a real
  // number and the Jacobian carries information; at a penalised (non-finite) point or on a flat
  // Jacobian it is a failure, not convergence.
  ev.evaluate(u);
  const informative = jacobian.some((row) => row.some((x) => x !== 0 && Number.isFinite(x)));
  const stalledAtMinimum = stopReason === 'stalled' && !ev.wasPenalised(u) && informative;
  const converged = stopReason === 'relative' || stopReason === 'xtol' || stopReason === 'zero_cost' || stalledAtMinimum;
  return { u, residuals: r, cost, evaluations: ev.evaluations, iterations, converged, stopReason, errors, jacobian };
}
