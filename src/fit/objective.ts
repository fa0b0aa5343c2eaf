/**
 * The JART cycle objective (the only part of src/fit that knows the physics, with guess.ts).
 *
 * Residuals, in decades, at every measured sample with |V| ≥ minAbsV:
 *   log10 max(|I_model|, floor) − log10 max(|I_data|, floor)
 * with the measured waveform (its own time base) as the stimulus and the measured compliance
 * applied through the model's measurement circuit. The abrupt switching makes such residuals
 * useless near SET and RESET (a few mV shift costs decades, and the cost is a staircase in the
 * parameters), so:
 *   - the outward samples lying between the model's and the data's switching voltage get the
 *     fixed residual `windowResidual` (default 0), and the residuals of the outward samples within
 *     `taperV` of that window are scaled by distance/taperV, so that the cost stays continuous as
 *     the window moves with the parameters (a hard window edge makes the cost a staircase, since a
 *     sample next to a gradual RESET carries a sizeable residual when it leaves the window);
 *   - the switching voltages are residuals of their own: (V_model − V_data)/σ_V with V_data the
 *     midpoint of the measured step in which the jump happened (switchTarget 'midpoint', default);
 *     with switchTarget 'step' the distance from that step (0 inside it) is used instead, which
 *     removes the quantisation bias but leaves the fit too little pull (see docs/fitting.md).
 * If the model does not switch inside the sweep, its switching voltage is taken as the sweep's
 * extreme, so the residual still points the way.
 */
import { simulate, Tangent, type JartParams, type SimResult, type TangentParam } from '../model/index.js';
import type { ObjectiveOptions, PreparedCycle } from './cycle-data.js';
import { modelSwitching, switchingLevels } from './features.js';
import { simulateCoarse, type FineSim, type SensRequest } from './coarse.js';

export interface CycleEvaluation {
  residuals: Float64Array;
  /** The simulation on the refined stimulus (pc.wave); sample i of the cycle is index pc.at[i]
   *  (filled in from the coarse grid where pc.coarse is set, see coarse.ts). */
  sim: FineSim;
  /** Model current at the measured samples, A. */
  iAModel: Float64Array;
  vSetModelV: number | null;
  vResetModelV: number | null;
  /** N at the end of the cycle (the next cycle's initial state). */
  endNdisc: number;
  /** Filament geometry r_var, l_var at the end of the cycle, m (the next cycle's starting geometry). */
  endGeometry: Geometry;
  /** RMS of the plain log residuals over the residual samples (no window replacement). */
  rmsLog10: number;
  /** Model log10|I| at every sample. */
  logIModel: Float64Array;
  /** With sensitivities requested: d residual/dθ, row-major (residual · d + direction), and
   *  dN(end)/dθ (the next cycle's initial state). */
  jacobian?: Float64Array;
  endDN?: Float64Array;
}

/** Cycle sensitivities: the directions (model parameters and `ninit`) and dN(t0)/dθ. */
export interface CycleSens {
  dirs: readonly TangentParam[];
  sN0: Float64Array;
}

/**
 * The SET runaway takes far less than one sample step (N goes 0.015 → 20 within 0.5 mV at
 * 1 V/s), so the crossing interpolated between samples is a staircase in the parameters. We
 * re-simulate the crossing interval from its start state on a `sub`-point sub-grid, `levels` deep
 * (SET: 48 points, 1 level = step/48; the gradual RESET: 16 points, 1 level), which makes the
 * model's switching voltage smooth in the parameters.
 */
function refineCrossing(
  p: JartParams,
  wave: { tS: Float64Array; vV: Float64Array },
  sim: FineSim,
  k: number,
  nCross: number,
  circuit: { complianceA?: number; seriesOhm?: number },
  levels: number,
  sub: number,
  tol: { relTol?: number; maxDlnN?: number; maxEvals?: number },
  sens?: { dirs: readonly TangentParam[]; dLnCross: Float64Array; dv: Float64Array },
): number | null {
  const lc = Math.log(nCross);
  let t0 = wave.tS[k - 1],
    t1 = wave.tS[k],
    v0 = wave.vV[k - 1],
    v1 = wave.vV[k];
  let n0 = sim.ndisc[k - 1],
    n1 = sim.ndisc[k];
  const d = sens ? sens.dirs.length : 0;
  // dN/dθ at the bracketing points (sensitivities only)
  let s0 = sens && sim.dN ? sim.dN.slice((k - 1) * d, k * d) : null,
    s1 = sens && sim.dN ? sim.dN.slice(k * d, (k + 1) * d) : null;
  let r0 = sim.lnNdot ? sim.lnNdot[k - 1] : NaN,
    r1 = sim.lnNdot ? sim.lnNdot[k] : NaN;
  const up = n1 > n0;
  const tS = new Float64Array(sub + 1),
    vV = new Float64Array(sub + 1);
  for (let level = 0; level < levels; level++) {
    for (let j = 0; j <= sub; j++) {
      const f = j / sub;
      tS[j] = t0 + f * (t1 - t0);
      vV[j] = v0 + f * (v1 - v0);
    }
    const tan = sens && s0 ? new Tangent(p, sens.dirs, s0) : undefined;
    const s = simulate(p, { tS, vV }, { circuit, ninit: n0, ...tol, tangent: tan });
    let j = 1;
    for (; j <= sub; j++) if (up ? s.ndisc[j] >= nCross : s.ndisc[j] <= nCross) break;
    if (j > sub || !Number.isFinite(s.ndisc[j])) break;
    t0 = tS[j - 1];
    t1 = tS[j];
    v0 = vV[j - 1];
    v1 = vV[j];
    n0 = s.ndisc[j - 1];
    n1 = s.ndisc[j];
    if (tan) {
      s0 = tan.dN.slice((j - 1) * d, j * d);
      s1 = tan.dN.slice(j * d, (j + 1) * d);
      r0 = tan.lnNdot[j - 1];
      r1 = tan.lnNdot[j];
    }
  }
  const a = Math.log(n0),
    b = Math.log(n1);
  const f = b !== a ? (lc - a) / (b - a) : 0.5;
  const v = v0 + Math.min(1, Math.max(0, f)) * (v1 - v0);
  if (sens) crossingDerivative(sens.dv, f, (v1 - v0) / (t1 - t0), t1 - t0, n0, n1, s0, s1, r0, r1, sens.dLnCross);
  return Number.isFinite(v) ? v : null;
}

/**
 * dv/dθ of a switching voltage: the shift of the crossing time of the trajectory, not the slope of
 * the interpolation between two points. The runaway is far sharper than the points (N rises three
 * decades within one sub-step), so the interpolated crossing is a staircase in θ whose local slope
 * is a fraction of its mean slope; the trajectory itself moves in time by dτ with
 * d ln N/dθ + (d ln N/dt)·dτ = d ln N_c/dθ at both points (d ln N/dt from the model), solved in
 * least squares, weighted by the rates: dτ = Σ ṙ(dlc − dlnN)/Σ ṙ². dv = (dV/dt)·dτ; zero where the
 * interpolation is clamped. Where the two points resolve the trajectory (|Δ ln N| ≤ RESOLVED_DLNN
 * between them: a gradual RESET, a SET slowed by a compliance) the interpolation's own derivative is
 * used instead.
 */
const RESOLVED_DLNN = 0.5;
function crossingDerivative(
  out: Float64Array,
  f: number,
  vdot: number,
  dt: number,
  n0: number,
  n1: number,
  s0: ArrayLike<number> | null,
  s1: ArrayLike<number> | null,
  r0: number,
  r1: number,
  dLc: ArrayLike<number>,
): void {
  out.fill(0);
  if (!(f > 0 && f < 1) || !s0 || !s1) return;
  const a = Math.log(n0),
    b = Math.log(n1);
  if (Math.abs(b - a) <= RESOLVED_DLNN) {
    // the points resolve the trajectory: the interpolation's own derivative
    const ba = b - a,
      lc = a + f * ba;
    for (let q = 0; q < out.length; q++) {
      const da = s0[q] / n0,
        db = s1[q] / n1;
      out[q] = (vdot * dt * ((dLc[q] - da) * ba - (lc - a) * (db - da))) / (ba * ba);
    }
    return;
  }
  const w0 = Number.isFinite(r0) ? r0 : 0,
    w1 = Number.isFinite(r1) ? r1 : 0;
  const rr = w0 * w0 + w1 * w1;
  if (!(rr > 0)) return;
  for (let q = 0; q < out.length; q++) {
    const da = s0[q] / n0,
      db = s1[q] / n1;
    out[q] = (vdot * (w0 * (dLc[q] - da) + w1 * (dLc[q] - db))) / rr;
  }
}

/** Signed distance of v from the span [lo, hi] (0 inside). */
function spanDistance(v: number, [lo, hi]: [number, number]): number {
  return v < lo ? v - lo : v > hi ? v - hi : 0;
}

/**
 * Distance (≥ 0) of a sample at v from the window of samples where model and data are in different
 * states: [m, lo] when the model switches at m before reaching the measured step [lo, hi] (in
 * |V|), [hi, m] when after it, and the point m when inside it. The window shrinks continuously to
 * a point as m enters the step, so the tapered residuals stay continuous in m.
 */
function windowDistance(v: number, m: number, [lo, hi]: [number, number]): number {
  const [a, b] = m < lo ? [m, lo] : m > hi ? [hi, m] : [m, m];
  return v < a ? a - v : v > b ? v - b : 0;
}

/** d windowDistance / dm (the sample's distance from the window, as the model's switching voltage m moves). */
function windowDistanceSlope(v: number, m: number, [lo, hi]: [number, number]): number {
  const [a, b] = m < lo ? [m, lo] : m > hi ? [hi, m] : [m, m];
  const aIsM = m < lo || (m >= lo && m <= hi),
    bIsM = m > hi || (m >= lo && m <= hi);
  return v < a ? (aIsM ? 1 : 0) : v > b ? (bIsM ? -1 : 0) : 0;
}

/** Row of a switching-voltage residual: d spanDistance(m)/dθ / σ_V. */
function spanRow(jac: Float64Array, k: number, d: number, m: number, [lo, hi]: [number, number], dm: Float64Array, sigma: number): void {
  const inside = m >= lo && m <= hi;
  for (let q = 0; q < d; q++) jac[k * d + q] = inside ? 0 : dm[q] / sigma;
}

/** The plain (every-sample) simulation as a FineSim, with sensitivities when asked. */
function simulateFine(
  p: JartParams,
  wave: { tS: Float64Array; vV: Float64Array },
  opts: Parameters<typeof simulate>[2],
  req?: SensRequest,
): FineSim {
  const tan = req ? new Tangent(req.p, req.dirs, req.sN0) : undefined;
  const s = simulate(p, wave, { ...opts, tangent: tan });
  return tan ? { iA: s.iA, ndisc: s.ndisc, dlnI: tan.dlnI, dN: tan.dN, lnNdot: tan.lnNdot } : s;
}

/** Integration tolerances of the model during a fit (undefined = the model's defaults). */
function simTol(o: ObjectiveOptions, points: number): { relTol?: number; maxDlnN?: number; maxEvals?: number } {
  return {
    ...(o.simRelTol ? { relTol: o.simRelTol } : {}),
    ...(o.simMaxDlnN ? { maxDlnN: o.simMaxDlnN } : {}),
    ...(o.simMaxEvalsPerPoint ? { maxEvals: Math.max(2e4, o.simMaxEvalsPerPoint * points) } : {}),
  };
}

/** The v1b var filament geometry (r_var, l_var), m. */
export interface Geometry {
  rM: number;
  lM: number;
}

/**
 * The cycle's simulation. Without a carried geometry the cycle runs at its own rnew, lnew throughout.
 * With one (v1b var, spec §6.1, one draw per cycle held for its SET and RESET): the cycle starts
 * with the geometry the previous cycle ended in, and the model moves it towards the cycle's own
 * rnew, lnew (and N bounds) with the switching progress, from the first switching event on.
 */
function simulateCycle(
  pc: PreparedCycle,
  p: JartParams,
  ninit: number,
  o: ObjectiveOptions,
  circuit: { complianceA?: number; seriesOhm?: number },
  geomIn: Geometry | null,
): SimResult {
  const tol = simTol(o, pc.wave.tS.length);
  if (!geomIn) return simulate(p, pc.wave, { circuit, ninit, ...tol });
  const target = { rnew: p.rnew, lnew: p.lnew, Ndiscmin: p.Ndiscmin, Ndiscmax: p.Ndiscmax };
  return simulate({ ...p, rnew: geomIn.rM, lnew: geomIn.lM }, pc.wave, { circuit, ninit, ...tol, sampler: () => target });
}

export function residualCount(pc: PreparedCycle): number {
  return pc.idx.length + (pc.vSetV !== null ? 1 : 0) + (pc.vResetV !== null ? 1 : 0);
}

/**
 * The cycle's residuals; with `sens` also their derivatives by the forward sensitivities of the
 * model (src/model/tangent.ts) chained through the objective's transforms. Sensitivities need the
 * cycle's own geometry (no carried geometry) and the fixed crossing level (no adaptiveLevels).
 */
export function evaluateCycle(
  pc: PreparedCycle,
  p: JartParams,
  ninit: number,
  o: ObjectiveOptions,
  geomIn: Geometry | null = null,
  sens?: CycleSens,
): CycleEvaluation {
  const circuit = { complianceA: pc.complianceA ?? undefined, seriesOhm: o.seriesOhm > 0 ? o.seriesOhm : undefined };
  if (sens && (geomIn || o.adaptiveLevels))
    throw new Error("evaluateCycle: sensitivities need the cycle's own geometry and fixed crossing levels");
  const req: SensRequest | undefined = sens ? { p, dirs: sens.dirs, sN0: sens.sN0 } : undefined;
  // carried geometry (settings.carryGeometry): the fine simulation with the v1b var targets; else main's path
  const full: SimResult | null = geomIn ? simulateCycle(pc, p, ninit, o, circuit, geomIn) : null;
  const sim: FineSim = full
    ? full
    : pc.coarse
      ? simulateCoarse(p, pc.wave, pc.coarse, { circuit, ninit, ...simTol(o, pc.coarse.k.length) }, o.quietDlnN, req)
      : simulateFine(p, pc.wave, { circuit, ninit, ...simTol(o, pc.wave.tS.length) }, req);
  const n = pc.vV.length;
  const logIModel = new Float64Array(n);
  for (let i = 0; i < n; i++) logIModel[i] = Math.log10(Math.max(Math.abs(sim.iA[pc.at[i]]), pc.floorA));
  const lv = o.adaptiveLevels ? switchingLevels(pc.wave.vV, sim.ndisc, Math.sqrt(p.Ndiscmin * p.Ndiscmax)) : null;
  const nCross = lv ? lv.set : Math.sqrt(p.Ndiscmin * p.Ndiscmax);
  const nCrossReset = lv ? lv.reset : nCross;
  const sw = modelSwitching(pc.wave.vV, sim.ndisc, nCross, nCrossReset);
  // the crossing's sub-simulation runs at the geometry the cycle had at its start (carried geometry)
  const pAt = (k: number): JartParams => (full ? { ...p, rnew: full.rVarM[k - 1], lnew: full.lVarM[k - 1] } : p);
  const d = sens ? sens.dirs.length : 0;
  // sensitivities of the model's switching voltages (0 where the sweep's extreme stands in)
  const dvSet = new Float64Array(d),
    dvReset = new Float64Array(d);
  const dLnCross = new Float64Array(d);
  sens?.dirs.forEach((name, q) => {
    if (name === 'Ndiscmin') dLnCross[q] = 0.5 / p.Ndiscmin;
    else if (name === 'Ndiscmax') dLnCross[q] = 0.5 / p.Ndiscmax;
  });
  const refine = !(pc.plainResiduals && o.refinePhase2 === false);
  if (sw.kSet > 0 && refine)
    sw.vSetV = refineCrossing(
      pAt(sw.kSet),
      pc.wave,
      sim,
      sw.kSet,
      nCross,
      circuit,
      1,
      48,
      simTol(o, 0),
      sens ? { dirs: sens.dirs, dLnCross, dv: dvSet } : undefined,
    );
  if (sw.kReset > 0 && refine)
    sw.vResetV = refineCrossing(
      pAt(sw.kReset),
      pc.wave,
      sim,
      sw.kReset,
      nCrossReset,
      circuit,
      1,
      16,
      simTol(o, 0),
      sens ? { dirs: sens.dirs, dLnCross, dv: dvReset } : undefined,
    );
  if (sens && !refine) {
    for (const [k, dv, lc] of [
      [sw.kSet, dvSet, nCross],
      [sw.kReset, dvReset, nCrossReset],
    ] as const) {
      if (k <= 0 || !sim.dN) continue;
      const a = Math.log(sim.ndisc[k - 1]),
        b = Math.log(sim.ndisc[k]),
        l = Math.log(lc);
      const dtk = pc.wave.tS[k] - pc.wave.tS[k - 1];
      const vdot = (pc.wave.vV[k] - pc.wave.vV[k - 1]) / dtk;
      const rd = sim.lnNdot ?? new Float64Array(0);
      crossingDerivative(
        dv,
        (l - a) / (b - a),
        vdot,
        dtk,
        sim.ndisc[k - 1],
        sim.ndisc[k],
        sim.dN.subarray((k - 1) * d, k * d),
        sim.dN.subarray(k * d, (k + 1) * d),
        rd[k - 1] ?? NaN,
        rd[k] ?? NaN,
        dLnCross,
      );
    }
  }
  if (sw.vSetV === null) dvSet.fill(0);
  if (sw.vResetV === null) dvReset.fill(0);
  let vmin = 0,
    vmax = 0;
  for (let i = 0; i < n; i++) {
    vmin = Math.min(vmin, pc.vV[i]);
    vmax = Math.max(vmax, pc.vV[i]);
  }
  const vSetM = sw.vSetV ?? vmin;
  const vResetM = sw.vResetV ?? vmax;
  const mid = (x: [number, number] | null, v: number | null): [number, number] | null =>
    o.switchTarget === 'step' ? x : v === null ? null : [v, v];
  const setSpan = mid(pc.setSpan, pc.vSetV),
    resetSpan = mid(pc.resetSpan, pc.vResetV);
  const res = new Float64Array(residualCount(pc));
  const jac = sens ? new Float64Array(res.length * d) : undefined;
  let ss = 0;
  for (let k = 0; k < pc.idx.length; k++) {
    const i = pc.idx[k];
    const dd = logIModel[i] - pc.logI[i];
    ss += dd * dd;
    const v = pc.vV[i];
    // distance (V) of an outward sample from the window between model and data switching voltage
    let dist = Infinity;
    let set = false;
    if (pc.outward[i] && !pc.plainResiduals) {
      if (v < 0 && setSpan !== null) {
        dist = windowDistance(v, vSetM, setSpan);
        set = true;
      } else if (v > 0 && resetSpan !== null) dist = windowDistance(v, vResetM, resetSpan);
    }
    const r = dist <= 0 ? o.windowResidual : dist < o.taperV ? (dd * dist) / o.taperV : dd;
    const w = pc.outward[i] ? 1 : o.returnWeight;
    res[k] = r * w;
    if (jac && sim.dlnI && dist > 0) {
      // d log10|I| (0 below the floor), times the taper, plus the taper's motion with the switching voltage
      const at = pc.at[i];
      const onFloor = !(Math.abs(sim.iA[at]) > pc.floorA);
      const taper = dist < o.taperV;
      const dm = taper ? windowDistanceSlope(v, set ? vSetM : vResetM, (set ? setSpan : resetSpan) as [number, number]) : 0;
      const dvm = set ? dvSet : dvReset;
      for (let q = 0; q < d; q++) {
        const dl = onFloor ? 0 : sim.dlnI[at * d + q] / Math.LN10;
        jac[k * d + q] = w * (taper ? (dl * dist + dd * dm * dvm[q]) / o.taperV : dl);
      }
    }
  }
  let k = pc.idx.length;
  if (setSpan !== null) {
    if (jac) spanRow(jac, k, d, vSetM, setSpan, dvSet, pc.vSigmaV);
    res[k++] = spanDistance(vSetM, setSpan) / pc.vSigmaV;
  }
  if (resetSpan !== null) {
    if (jac) spanRow(jac, k, d, vResetM, resetSpan, dvReset, pc.vSigmaV);
    res[k++] = spanDistance(vResetM, resetSpan) / pc.vSigmaV;
  }
  return {
    jacobian: jac,
    endDN: sim.dN ? sim.dN.slice(sim.dN.length - d) : undefined,
    residuals: res,
    sim,
    iAModel: Float64Array.from(pc.at, (k) => sim.iA[k]),
    vSetModelV: sw.vSetV,
    vResetModelV: sw.vResetV,
    endNdisc: sim.ndisc[sim.ndisc.length - 1],
    endGeometry: full ? { rM: full.rVarM[full.rVarM.length - 1], lM: full.lVarM[full.lVarM.length - 1] } : { rM: p.rnew, lM: p.lnew },
    rmsLog10: Math.sqrt(ss / Math.max(1, pc.idx.length)),
    logIModel,
  };
}
