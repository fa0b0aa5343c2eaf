/**
 * Periphery of an analog MVM (aihwkit `IOParameters` semantics, ONE_PASS): noise management
 * (abs-max input scaling), DAC (input clip and resolution), the analog product, output noise,
 * ADC (output clip and resolution) and iterative bound management (forward). Resolutions are
 * fractions of the full range 2·bound (inp_res 1/126 ≈ 7 bit, out_res 1/510 ≈ 9 bit).
 */
import type { FastRng } from '../core/fastRng.js';

export interface IOParams {
  isPerfect: boolean;
  inpBound: number;
  inpRes: number;
  outBound: number;
  outRes: number;
  outNoise: number;
  /** Additive Gaussian weight (read) noise, in weight units, folded into the output as σ_w·‖x‖. */
  wNoise: number;
  noiseManagement: 'abs_max' | 'none';
  boundManagement: 'iterative' | 'none';
  maxBmFactor: number;
  maxBmRes: number;
}

export const AIHWKIT_FORWARD: IOParams = {
  isPerfect: false,
  inpBound: 1,
  inpRes: 1 / 126,
  outBound: 12,
  outRes: 1 / 510,
  outNoise: 0.06,
  wNoise: 0,
  noiseManagement: 'abs_max',
  boundManagement: 'iterative',
  maxBmFactor: 1000,
  maxBmRes: 0.25,
};
export const AIHWKIT_BACKWARD: IOParams = { ...AIHWKIT_FORWARD, boundManagement: 'none' };
export const PERFECT_IO: IOParams = { ...AIHWKIT_FORWARD, isPerfect: true };

/** Plain product y[0..rows) = W·x (W rows×cols row-major) or, transposed, y[0..cols) = Wᵀ·x. */
export function matVec(w: Float32Array, rows: number, cols: number, x: Float64Array, y: Float64Array, transposed: boolean): void {
  if (!transposed) {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      const o = r * cols;
      for (let c = 0; c < cols; c++) s += w[o + c] * x[c];
      y[r] = s;
    }
  } else {
    y.fill(0, 0, cols);
    for (let r = 0; r < rows; r++) {
      const xr = x[r];
      if (xr === 0) continue;
      const o = r * cols;
      for (let c = 0; c < cols; c++) y[c] += w[o + c] * xr;
    }
  }
}

function quantize(v: number, step: number): number {
  return step > 0 ? Math.round(v / step) * step : v;
}

/**
 * One analog MVM with periphery. x has length nIn (cols, or rows if transposed); y receives nOut.
 * `xq` is scratch of length ≥ nIn. No allocation.
 */
export function analogMatVec(
  w: Float32Array,
  rows: number,
  cols: number,
  x: Float64Array,
  y: Float64Array,
  transposed: boolean,
  io: IOParams,
  rng: FastRng,
  xq: Float64Array,
  product?: (xq: Float64Array, y: Float64Array) => void,
): void {
  const nIn = transposed ? rows : cols,
    nOut = transposed ? cols : rows;
  if (io.isPerfect) {
    if (product) product(x, y);
    else matVec(w, rows, cols, x, y, transposed);
    return;
  }
  let alpha = 1;
  if (io.noiseManagement === 'abs_max') {
    alpha = 0;
    for (let i = 0; i < nIn; i++) {
      const a = Math.abs(x[i]);
      if (a > alpha) alpha = a;
    }
    if (alpha === 0) {
      y.fill(0, 0, nOut);
      return;
    }
  }
  const stepIn = io.inpRes > 0 ? io.inpRes * 2 * io.inpBound : 0;
  const stepOut = io.outRes > 0 ? io.outRes * 2 * io.outBound : 0;
  const bmLimit = Math.min(io.maxBmFactor, stepIn > 0 && io.maxBmRes > 0 ? io.maxBmRes / io.inpRes : io.maxBmFactor);
  let bm = 1;
  for (;;) {
    const s = 1 / (alpha * bm);
    let xNorm2 = 0;
    for (let i = 0; i < nIn; i++) {
      let v = x[i] * s;
      if (v > io.inpBound) v = io.inpBound;
      else if (v < -io.inpBound) v = -io.inpBound;
      v = quantize(v, stepIn);
      xq[i] = v;
      xNorm2 += v * v;
    }
    if (product) product(xq, y);
    else matVec(w, rows, cols, xq, y, transposed);
    const wn = io.wNoise > 0 ? io.wNoise * Math.sqrt(xNorm2) : 0;
    let saturated = false;
    for (let j = 0; j < nOut; j++) {
      let v = y[j];
      if (io.outNoise > 0) v += io.outNoise * rng.normal();
      if (wn > 0) v += wn * rng.normal();
      if (v >= io.outBound) {
        v = io.outBound;
        saturated = true;
      } else if (v <= -io.outBound) {
        v = -io.outBound;
        saturated = true;
      }
      y[j] = quantize(v, stepOut);
    }
    if (saturated && io.boundManagement === 'iterative' && bm * 2 <= bmLimit) {
      bm *= 2;
      continue;
    }
    break;
  }
  const f = alpha * bm;
  for (let j = 0; j < nOut; j++) y[j] *= f;
}
