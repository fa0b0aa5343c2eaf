/** Device-to-device draws at construction and the cycle-to-cycle bounded random walk (spec §8). */
import type { Rng } from '../../util/rng.js';
import type { FastRng } from '../core/fastRng.js';
import type { VarSpec } from './types.js';

/** Fills `out` with X·(1 + dtod·ξ) clipped to the absolute bounds (0 = no bound), as aihwkit does. */
export function drawD2D(out: Float64Array, nominal: number, v: VarSpec, rng: Rng): void {
  for (let k = 0; k < out.length; k++) {
    let x = v.dtod > 0 ? nominal * (1 + v.dtod * rng.normal()) : nominal;
    if (v.dtodUpper > 0 && x > v.dtodUpper) x = v.dtodUpper;
    if (v.dtodLower > 0 && x < v.dtodLower) x = v.dtodLower;
    out[k] = x;
  }
}

export function hasC2C(v: VarSpec): boolean {
  return v.std > 0 || v.slope > 0;
}

/** One c2c step of quantity x of a device whose construction value is xDev. */
export function c2cStep(x: number, xDev: number, v: VarSpec, ratio: number, rng: FastRng, useSlope = true): number {
  let f = 1;
  if (v.std > 0) f += v.std * (2 * rng.uniform() - 1);
  if (useSlope && v.slope > 0) f += ratio * v.slope * (2 * rng.uniform() - 1);
  let y = x * f;
  const lo = xDev * (1 + v.ctocLower),
    hi = xDev * (1 + v.ctocUpper);
  if (y > hi) y = hi;
  if (y < lo) y = lo;
  return y;
}
