/**
 * aihwkit's stochastic pulse-train rank-1 update (STOCHASTIC_COMPRESSED, per sample): each input
 * line i and error line j fires a BL-slot Bernoulli train with probabilities A|x_i| and B|d_j|;
 * every coincidence is one device pulse, sign −sign(x_i·d_j) (SGD: ΔW = −lr·d·xᵀ). With BL management
 * BL = min(⌈lr·max|x|·max|d| / dw_min⌉, BL_desired); A = B = sqrt(lr / (dw_min·BL)); with update
 * management A ← A·sqrt(max|d|/max|x|), B ← B·sqrt(max|x|/max|d|). Expected change lr·x·d·(dw/dw_min).
 */
import { FastRng, popcount32 } from '../core/fastRng.js';
import type { Tile } from '../core/tile.js';

export interface UpdateParams {
  desiredBL: number;
  updateBLManagement: boolean;
  updateManagement: boolean;
  dwMin: number;
}

export const AIHWKIT_UPDATE: UpdateParams = { desiredBL: 31, updateBLManagement: true, updateManagement: true, dwMin: 1e-4 };

export interface UpdateScratch {
  xBits: Int32Array;
  dBits: Int32Array;
  rowsActive: Int32Array;
}

export function updateScratch(maxIn: number, maxOut: number): UpdateScratch {
  return { xBits: new Int32Array(maxIn), dBits: new Int32Array(maxOut), rowsActive: new Int32Array(maxOut) };
}

/**
 * Applies one sample's update to a tile: x (length cols, offset xo), d (length rows, offset dOff).
 * Returns the number of coincidences (device pulse requests).
 */
export function pulseUpdate(
  tile: Tile,
  x: Float64Array,
  xo: number,
  d: Float64Array,
  dOff: number,
  lr: number,
  up: UpdateParams,
  rng: FastRng,
  s: UpdateScratch,
): number {
  const rows = tile.rows,
    cols = tile.cols;
  let xMax = 0,
    dMax = 0;
  for (let c = 0; c < cols; c++) {
    const a = Math.abs(x[xo + c]);
    if (a > xMax) xMax = a;
  }
  for (let r = 0; r < rows; r++) {
    const a = Math.abs(d[dOff + r]);
    if (a > dMax) dMax = a;
  }
  if (xMax === 0 || dMax === 0 || lr === 0) return 0;
  let bl = up.desiredBL;
  if (up.updateBLManagement) bl = Math.max(1, Math.min(bl, Math.ceil((lr * xMax * dMax) / up.dwMin)));
  if (bl > 32) bl = 32;
  let a = Math.sqrt(lr / (up.dwMin * bl)),
    b = a;
  if (up.updateManagement) {
    const sc = Math.sqrt(xMax / dMax);
    a /= sc;
    b *= sc;
  }
  const xb = s.xBits,
    db = s.dBits,
    act = s.rowsActive;
  for (let c = 0; c < cols; c++) {
    const v = x[xo + c];
    xb[c] = v === 0 ? 0 : rng.train(a * Math.abs(v), bl);
  }
  let nAct = 0;
  for (let r = 0; r < rows; r++) {
    const v = d[dOff + r];
    const m = v === 0 ? 0 : rng.train(b * Math.abs(v), bl);
    db[r] = m;
    if (m !== 0) act[nAct++] = r;
  }
  const dev = tile.dev,
    w = tile.w;
  let total = 0;
  for (let q = 0; q < nAct; q++) {
    const r = act[q];
    const dm = db[r];
    const dNeg = d[dOff + r] < 0;
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const xm = xb[c];
      if (xm === 0) continue;
      const n = popcount32(xm & dm);
      if (n === 0) continue;
      // sign(x)·sign(d) > 0 → weight down (RESET); < 0 → weight up (SET)
      const down = x[xo + c] < 0 === dNeg;
      w[o + c] = dev.pulse(o + c, down ? -n : n);
      total += n;
    }
  }
  return total;
}
