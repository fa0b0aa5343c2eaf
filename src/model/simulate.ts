/**
 * Transient simulation of one cell in its measurement circuit for a piecewise-linear waveform.
 * Pieces are split at zero crossings of V (where the transform of the state changes) and, with a
 * cycle sampler, at the v1b var events |V| = 1.5e-5 V. Output: one row per waveform point, the
 * operating point evaluated after the state update at (V(t_k), N(t_k)) (spec §12).
 */
import { Driver, type Circuit } from './circuit.js';
import { V_ZERO_BAND } from './constants.js';
import { Integrator } from './integrator.js';
import type { JartParams } from './params.js';
import { VarState, type CycleSampler } from './variability.js';
import type { Tangent } from './tangent.js';
import { JartcalError } from '../util/errors.js';
import { validateWaveform, type Waveform } from './waveform.js';

export interface SimOptions {
  circuit?: Circuit;
  /** Max |Δ ln N| per step (default 0.02). */
  maxDlnN?: number;
  /** Local error tolerance per step in ln N (default 2e-4). */
  relTol?: number;
  /** Initial state N (default p.Ninit). */
  ninit?: number;
  /** v1b var: new targets (rnew, lnew, Ndiscmin, Ndiscmax) at every entry into SET/RESET polarity. */
  sampler?: CycleSampler;
  /**
   * Integration scheme. Default 'heun' (adaptive Heun–Euler with |Δ ln N| ≤ 0.02 and local error
   * ≤ 2e-4: the settings of the reference implementation, spec §13). 'rk23' (Bogacki–Shampine) with a
   * small relTol (1e-7) gives the converged solution; see docs/model.md for the difference.
   */
  scheme?: 'heun' | 'rk23';
  /** Budget of right-hand-side evaluations (default 5e6); beyond it the rest of the output is NaN. */
  maxEvals?: number;
  /**
   * Forward sensitivities (tangent.ts): filled per output point alongside the simulation (its
   * numbers are the same with or without). Not with a cycle sampler.
   */
  tangent?: Tangent;
}

export interface SimResult {
  tS: Float64Array;
  /** Source voltage. */
  vV: Float64Array;
  /** Voltage across the cell (differs from vV with series resistance or compliance). */
  vCellV: Float64Array;
  iA: Float64Array;
  ndisc: Float64Array;
  tempK: Float64Array;
  complianceActive: Uint8Array;
  /** Schottky voltage V_S, V (the branch the solve followed). */
  vsV: Float64Array;
  /** v1b var filament radius and disc length at each point, m. */
  rVarM: Float64Array;
  lVarM: Float64Array;
  stats: { steps: number; rhsEvals: number; rejected: number };
}

export const DEFAULT_SIM = { maxDlnN: 0.02, relTol: 2e-4, maxEvals: 5e6, scheme: 'heun' } as const;

/**
 * Simulates the cell through `wave`. A malformed waveform (lengths differ, non-finite, time not
 * strictly increasing) throws JartcalError; the physics never throws (NaN after a failure).
 */
export function simulate(p: JartParams, wave: Waveform, opts: SimOptions = {}): SimResult {
  if (wave.tS.length > 0) validateWaveform(wave);
  const n = wave.tS.length;
  const res: SimResult = {
    tS: Float64Array.from(wave.tS),
    vV: Float64Array.from(wave.vV),
    vCellV: new Float64Array(n),
    iA: new Float64Array(n),
    ndisc: new Float64Array(n),
    tempK: new Float64Array(n),
    complianceActive: new Uint8Array(n),
    vsV: new Float64Array(n),
    rVarM: new Float64Array(n),
    lVarM: new Float64Array(n),
    stats: { steps: 0, rhsEvals: 0, rejected: 0 },
  };
  if (n === 0) return res;
  const n0 = opts.ninit ?? p.Ninit;
  const d = new Driver(p, opts.circuit);
  const vs = new VarState(p.rnew, p.lnew, n0, p.Ndiscmin, p.Ndiscmax);
  const integ = new Integrator(d, vs, n0, {
    maxDlnN: opts.maxDlnN ?? DEFAULT_SIM.maxDlnN,
    relTol: opts.relTol ?? DEFAULT_SIM.relTol,
    maxEvals: opts.maxEvals ?? DEFAULT_SIM.maxEvals,
    scheme: opts.scheme ?? DEFAULT_SIM.scheme,
  });
  const sampler = opts.sampler;
  const tan = opts.tangent ?? null;
  if (tan) {
    if (sampler) throw new JartcalError('simulate: sensitivities are not available with a cycle sampler', { code: 'bad_arguments' });
    integ.tan = tan;
    tan.allocate(n);
  }
  const record = (k: number): void => {
    if (tan) tan.record(k);
    res.iA[k] = d.iA;
    res.vCellV[k] = d.vCellV;
    res.tempK[k] = d.tempK;
    res.vsV[k] = d.vsV;
    res.ndisc[k] = integ.nDisc;
    res.complianceActive[k] = d.compliance ? 1 : 0;
    res.rVarM[k] = d.cell.rM;
    res.lVarM[k] = d.cell.lM;
  };
  const { tS, vV } = wave;
  integ.evalAt(tS[0], vV[0]);
  record(0);
  const cuts = new Float64Array(4);
  let k = 1;
  for (; k < n && !integ.failed; k++) {
    const ta = tS[k - 1];
    const va = vV[k - 1];
    const tb = tS[k];
    const vb = vV[k];
    // breakpoints inside (ta, tb): the v1b var band crossings and the zero crossing, in time order
    let nc = 0;
    if (sampler) {
      const dir = va < vb ? 1 : -1;
      for (let j = -1; j <= 1; j++) {
        const level = dir * j * V_ZERO_BAND;
        if ((va - level) * (vb - level) < 0) cuts[nc++] = level;
      }
    } else if (va * vb < 0) {
      cuts[nc++] = 0;
    }
    let tc0 = ta;
    let vc0 = va;
    for (let c = 0; c < nc && !integ.failed; c++) {
      const level = cuts[c];
      const tc = ta + ((level - va) / (vb - va)) * (tb - ta);
      if (!(tc > tc0 && tc < tb)) continue;
      integ.advance(tc0, vc0, tc, level);
      if (level !== 0) {
        // |V| crosses the band: leaving it (|V| rising) enters a polarity and redraws
        const rising = Math.sign(vb - va) === Math.sign(level);
        vs.crossing(integ.nDisc, tc, rising ? (level < 0 ? 'set' : 'reset') : null, sampler);
        d.cell.nMin = vs.nMin;
        d.cell.nMax = vs.nMax;
      }
      tc0 = tc;
      vc0 = level;
    }
    if (!integ.failed) integ.advance(tc0, vc0, tb, vb);
    if (integ.failed) break;
    record(k);
  }
  for (; k < n; k++) {
    res.iA[k] = NaN;
    res.vCellV[k] = NaN;
    res.tempK[k] = NaN;
    res.vsV[k] = NaN;
    res.ndisc[k] = NaN;
    res.rVarM[k] = NaN;
    res.lVarM[k] = NaN;
  }
  res.stats = { steps: integ.steps, rhsEvals: integ.rhsEvals, rejected: integ.rejected };
  return res;
}
