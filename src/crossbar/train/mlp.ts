/**
 * The paper's network on analog layers: fully connected, sigmoid hidden activations, log-softmax +
 * NLL loss (mean over the batch), trained in situ: analog forward and backward MVMs, then one pulsed
 * rank-1 update per sample and layer (aihwkit AnalogSGD) and, for a digital bias, one plain SGD step
 * per batch. Buffers are allocated once per batch size.
 */
import type { AnalogLayer } from '../core/analogLayer.js';
import type { FastRng } from '../core/fastRng.js';
import type { IOParams } from '../periphery/io.js';
import type { UpdateParams } from './pulseUpdate.js';

export interface MlpIO {
  forward: IOParams;
  backward: IOParams;
  update: UpdateParams;
}

export class AnalogMLP {
  readonly sizes: number[];
  private acts: Float64Array[] = [];
  private deltas: Float64Array[] = [];
  private cap = 0;
  private readonly tmp: Float64Array;
  coincidences = 0;

  constructor(
    readonly layers: AnalogLayer[],
    readonly io: MlpIO,
  ) {
    this.sizes = [layers[0].inSize, ...layers.map((l) => l.outSize)];
    this.tmp = new Float64Array(Math.max(...this.sizes));
  }

  private ensure(b: number): void {
    if (b <= this.cap) return;
    this.acts = this.sizes.map((s) => new Float64Array(s * b));
    this.deltas = this.sizes.map((s) => new Float64Array(s * b));
    this.cap = b;
  }

  /**
   * Forward of `b` samples: sample s is row idx[xo + s] of x (rows × in), or row xo + s when idx is null.
   * Logits land in the last activation buffer.
   */
  forward(x: ArrayLike<number>, idx: Int32Array | null, xo: number, b: number, rng: FastRng): Float64Array {
    this.ensure(b);
    const nIn = this.sizes[0];
    const a0 = this.acts[0];
    for (let s = 0; s < b; s++) {
      const row = idx ? idx[xo + s] : xo + s;
      for (let i = 0; i < nIn; i++) a0[s * nIn + i] = x[row * nIn + i];
    }
    const L = this.layers.length;
    for (let l = 0; l < L; l++) {
      const inS = this.sizes[l],
        outS = this.sizes[l + 1];
      const ain = this.acts[l],
        aout = this.acts[l + 1];
      for (let s = 0; s < b; s++) {
        this.layers[l].forward(ain, s * inS, aout, s * outS, this.io.forward, rng);
        if (l < L - 1)
          for (let j = 0; j < outS; j++) {
            const k = s * outS + j;
            aout[k] = 1 / (1 + Math.exp(-aout[k]));
          }
      }
    }
    return this.acts[L];
  }

  /** One SGD step on b samples; returns the mean NLL loss. */
  trainBatch(
    x: ArrayLike<number>,
    labels: ArrayLike<number>,
    idx: Int32Array | null,
    xo: number,
    b: number,
    lr: number,
    rng: FastRng,
  ): number {
    const logits = this.forward(x, idx, xo, b, rng);
    const L = this.layers.length,
      nOut = this.sizes[L];
    const dL = this.deltas[L];
    let loss = 0;
    for (let s = 0; s < b; s++) {
      let m = -Infinity;
      for (let j = 0; j < nOut; j++) m = Math.max(m, logits[s * nOut + j]);
      let z = 0;
      for (let j = 0; j < nOut; j++) z += Math.exp(logits[s * nOut + j] - m);
      const lse = m + Math.log(z),
        y = labels[idx ? idx[xo + s] : xo + s];
      loss += lse - logits[s * nOut + y];
      for (let j = 0; j < nOut; j++) dL[s * nOut + j] = (Math.exp(logits[s * nOut + j] - lse) - (j === y ? 1 : 0)) / b;
    }
    for (let l = L - 1; l >= 1; l--) {
      const inS = this.sizes[l],
        outS = this.sizes[l + 1];
      const din = this.deltas[l],
        a = this.acts[l];
      for (let s = 0; s < b; s++) {
        this.layers[l].backward(this.deltas[l + 1], s * outS, din, s * inS, this.io.backward, rng);
        for (let i = 0; i < inS; i++) {
          const k = s * inS + i;
          din[k] *= a[k] * (1 - a[k]);
        }
      }
    }
    for (let l = 0; l < L; l++) {
      const inS = this.sizes[l],
        outS = this.sizes[l + 1];
      for (let s = 0; s < b; s++)
        this.coincidences += this.layers[l].update(this.acts[l], s * inS, this.deltas[l + 1], s * outS, lr, this.io.update, rng);
      this.layers[l].updateDigitalBias(this.deltas[l + 1], 0, b, lr);
    }
    return loss / b;
  }

  /** Test accuracy (fraction) over n samples, in chunks. */
  evaluate(x: ArrayLike<number>, labels: ArrayLike<number>, n: number, rng: FastRng, chunk = 64): number {
    let correct = 0;
    const nOut = this.sizes[this.sizes.length - 1];
    for (let s0 = 0; s0 < n; s0 += chunk) {
      const b = Math.min(chunk, n - s0);
      const out = this.forward(x, null, s0, b, rng);
      for (let s = 0; s < b; s++) {
        let best = 0;
        for (let j = 1; j < nOut; j++) if (out[s * nOut + j] > out[s * nOut + best]) best = j;
        if (best === labels[s0 + s]) correct++;
      }
    }
    return correct / n;
  }
}
