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
 *   - the switching voltages are residuals of their own, (V_model − V_data) / vSigmaV.
 * If the model does not switch inside the sweep, its switching voltage is taken as the sweep's
 * extreme, so the residual still points the way.
 */
import { simulate, type JartParams, type SimResult } from '../model/index.js';
import type { ObjectiveOptions, PreparedCycle } from './cycle-data.js';
import { modelSwitching } from './features.js';

export interface CycleEvaluation {
  residuals: Float64Array;
  /** The simulation on the refined stimulus (pc.wave); sample i of the cycle is index pc.at[i]. */
  sim: SimResult;
  /** Model current at the measured samples, A. */
  iAModel: Float64Array;
  vSetModelV: number | null;
  vResetModelV: number | null;
  /** N at the end of the cycle (the next cycle's initial state). */
  endNdisc: number;
  /** RMS of the plain log residuals over the residual samples (no window replacement). */
  rmsLog10: number;
  /** Model log10|I| at every sample. */
  logIModel: Float64Array;
}

/**
 * The SET runaway takes far less than one sample step (N goes 0.015 → 20 within 0.5 mV at
 * 1 V/s), so the crossing interpolated between samples is a staircase in the parameters. We
 * re-simulate the crossing interval from its start state on a `sub`-point sub-grid, `levels` deep
 * (SET: 32 points, 2 levels = step/1024; the gradual RESET: 16 points, 1 level), which makes the
 * model's switching voltage smooth in the parameters.
 */
function refineCrossing(p: JartParams, wave: { tS: Float64Array; vV: Float64Array }, sim: SimResult, k: number, nCross: number, circuit: { complianceA?: number; seriesOhm?: number }, levels: number, sub: number): number | null {
  const lc = Math.log(nCross);
  let t0 = wave.tS[k - 1], t1 = wave.tS[k], v0 = wave.vV[k - 1], v1 = wave.vV[k];
  let n0 = sim.ndisc[k - 1], n1 = sim.ndisc[k];
  const up = n1 > n0;
  const tS = new Float64Array(sub + 1), vV = new Float64Array(sub + 1);
  for (let level = 0; level < levels; level++) {
    for (let j = 0; j <= sub; j++) { const f = j / sub; tS[j] = t0 + f * (t1 - t0); vV[j] = v0 + f * (v1 - v0); }
    const s = simulate(p, { tS, vV }, { circuit, ninit: n0 });
    let j = 1;
    for (; j <= sub; j++) if (up ? s.ndisc[j] >= nCross : s.ndisc[j] <= nCross) break;
    if (j > sub || !Number.isFinite(s.ndisc[j])) break;
    t0 = tS[j - 1]; t1 = tS[j]; v0 = vV[j - 1]; v1 = vV[j]; n0 = s.ndisc[j - 1]; n1 = s.ndisc[j];
  }
  const a = Math.log(n0), b = Math.log(n1);
  const f = b !== a ? (lc - a) / (b - a) : 0.5;
  const v = v0 + Math.min(1, Math.max(0, f)) * (v1 - v0);
  return Number.isFinite(v) ? v : null;
}

/** 0 inside [min(a,b), max(a,b)], else the distance to it. */
function windowDistance(v: number, a: number, b: number): number {
  const lo = Math.min(a, b), hi = Math.max(a, b);
  return v < lo ? lo - v : v > hi ? v - hi : 0;
}

export function residualCount(pc: PreparedCycle): number {
  return pc.idx.length + (pc.vSetV !== null ? 1 : 0) + (pc.vResetV !== null ? 1 : 0);
}

export function evaluateCycle(pc: PreparedCycle, p: JartParams, ninit: number, o: ObjectiveOptions): CycleEvaluation {
  const circuit = { complianceA: pc.complianceA ?? undefined, seriesOhm: o.seriesOhm > 0 ? o.seriesOhm : undefined };
  const sim = simulate(p, pc.wave, { circuit, ninit });
  const n = pc.vV.length;
  const logIModel = new Float64Array(n);
  for (let i = 0; i < n; i++) logIModel[i] = Math.log10(Math.max(Math.abs(sim.iA[pc.at[i]]), pc.floorA));
  const nCross = Math.sqrt(p.Ndiscmin * p.Ndiscmax);
  const sw = modelSwitching(pc.wave.vV, sim.ndisc, nCross);
  if (sw.kSet > 0) sw.vSetV = refineCrossing(p, pc.wave, sim, sw.kSet, nCross, circuit, 2, 32);
  if (sw.kReset > 0) sw.vResetV = refineCrossing(p, pc.wave, sim, sw.kReset, nCross, circuit, 1, 16);
  let vmin = 0, vmax = 0;
  for (let i = 0; i < n; i++) { vmin = Math.min(vmin, pc.vV[i]); vmax = Math.max(vmax, pc.vV[i]); }
  const vSetM = sw.vSetV ?? vmin;
  const vResetM = sw.vResetV ?? vmax;
  const res = new Float64Array(residualCount(pc));
  let ss = 0;
  for (let k = 0; k < pc.idx.length; k++) {
    const i = pc.idx[k];
    const d = logIModel[i] - pc.logI[i];
    ss += d * d;
    const v = pc.vV[i];
    // distance (V) of an outward sample from the window between model and data switching voltage
    let dist = Infinity;
    if (pc.outward[i]) {
      if (v < 0 && pc.vSetV !== null) dist = windowDistance(v, vSetM, pc.vSetV);
      else if (v > 0 && pc.vResetV !== null) dist = windowDistance(v, vResetM, pc.vResetV);
    }
    res[k] = dist <= 0 ? o.windowResidual : dist < o.taperV ? (d * dist) / o.taperV : d;
  }
  let k = pc.idx.length;
  if (pc.vSetV !== null) res[k++] = (vSetM - pc.vSetV) / o.vSigmaV;
  if (pc.vResetV !== null) res[k++] = (vResetM - pc.vResetV) / o.vSigmaV;
  return {
    residuals: res, sim, iAModel: Float64Array.from(pc.at, (k) => sim.iA[k]), vSetModelV: sw.vSetV, vResetModelV: sw.vResetV,
    endNdisc: sim.ndisc[sim.ndisc.length - 1], rmsLog10: Math.sqrt(ss / Math.max(1, pc.idx.length)), logIModel,
  };
}
