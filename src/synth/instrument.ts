/**
 * What an SMU does to a true current before it reaches the file: a compliance clamp (the SMU holds
 * |I| at Icc), relative gain noise, an additive noise floor, and quantisation to the range's
 * resolution (auto-ranging: ~5 significant digits of the reading, never finer than the floor).
 */
import type { Rng } from '../util/rng.js';

export interface SmuModel {
  /** Relative (multiplicative) noise, e.g. 0.01 = 1 %. */
  noiseRel?: number;
  /** Additive current noise and resolution floor in A (e.g. 1e-12). */
  floorA?: number;
  /** SET compliance in A, applied while V has the SET sign; |I| is held there (an SMU plateau, no gain noise). */
  complianceA?: number | null;
  /** Compliance on the RESET side (default none). */
  resetComplianceA?: number | null;
  /** Sign of the voltage that SETs the device (default -1, the model convention). */
  setSign?: 1 | -1;
  /** Significant digits kept (auto-range resolution), default 5. */
  digits?: number;
}

export function measureCurrent(vV: ArrayLike<number>, iA: ArrayLike<number>, rng: Rng, m: SmuModel = {}): Float64Array {
  const noise = m.noiseRel ?? 0;
  const floor = m.floorA ?? 0;
  const digits = m.digits ?? 5;
  const out = new Float64Array(iA.length);
  for (let k = 0; k < iA.length; k++) {
    let i = iA[k];
    const cc = Math.sign(vV[k]) === (m.setSign ?? -1) ? m.complianceA : m.resetComplianceA;
    if (cc != null && Math.abs(i) >= cc) i = Math.sign(i) * cc * (1 - 2e-5 * rng.next());
    else {
      i = i * (1 + noise * rng.normal()) + floor * rng.normal();
      if (cc != null && Math.abs(i) > cc) i = Math.sign(i) * cc; // the SMU never reports beyond its limit
    }
    const a = Math.abs(i);
    if (a > 0) {
      const q = Math.max(10 ** (Math.floor(Math.log10(a)) - digits + 1), floor > 0 ? floor / 10 : 0);
      i = Math.round(i / q) * q;
    }
    out[k] = i;
  }
  return out;
}
