/** Piecewise-linear voltage waveforms. */
import { JartcalError } from '../util/errors.js';

export interface Waveform {
  tS: Float64Array;
  vV: Float64Array;
}

/**
 * Triangular sweep 0 → vSetV → 0 → vResetV → 0 at rateVps, a point every stepV (model convention:
 * vSetV < 0). Each leg has round(|V|/stepV) intervals.
 */
export function sweepWaveform(o: { vSetV: number; vResetV: number; rateVps: number; stepV: number }): Waveform {
  const { vSetV, vResetV, rateVps, stepV } = o;
  if (!(rateVps > 0) || !(stepV > 0) || !Number.isFinite(vSetV) || !Number.isFinite(vResetV)) {
    throw new JartcalError('sweepWaveform: rate and step must be positive and the voltages finite', { code: 'bad_arguments' });
  }
  const legs = [vSetV, vResetV];
  const v: number[] = [0];
  for (const peak of legs) {
    const n = Math.max(1, Math.round(Math.abs(peak) / stepV));
    for (let k = 1; k <= n; k++) v.push((peak * k) / n);
    for (let k = n - 1; k >= 0; k--) v.push((peak * k) / n);
  }
  const vV = Float64Array.from(v);
  const tS = new Float64Array(vV.length);
  for (let k = 1; k < vV.length; k++) tS[k] = tS[k - 1] + Math.abs(vV[k] - vV[k - 1]) / rateVps;
  return { tS, vV };
}

/** Checks a waveform (same length, ≥ 2 points, finite, time strictly increasing); throws JartcalError. */
export function validateWaveform(w: Waveform): void {
  if (w.tS.length !== w.vV.length) throw new JartcalError('waveform: tS and vV differ in length', { code: 'bad_waveform' });
  if (w.tS.length < 1) throw new JartcalError('waveform: no points', { code: 'bad_waveform' });
  for (let k = 0; k < w.tS.length; k++) {
    if (!Number.isFinite(w.tS[k]) || !Number.isFinite(w.vV[k])) {
      throw new JartcalError(`waveform: point ${k} is not finite`, { code: 'bad_waveform' });
    }
    if (k > 0 && !(w.tS[k] > w.tS[k - 1])) {
      throw new JartcalError(`waveform: time must increase strictly (point ${k})`, { code: 'bad_waveform' });
    }
  }
}
