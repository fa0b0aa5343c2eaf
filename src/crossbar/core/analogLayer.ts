/**
 * A linear layer on analog tiles: the (out × in[+1 bias column]) matrix is split into tiles of at
 * most maxOut × maxIn (aihwkit mapped layers; 0 = one tile). Each tile runs its own periphery; partial
 * outputs of tiles sharing outputs are summed digitally. The bias is either digital (aihwkit 0.6.0's
 * default, `MappingParameter.digital_bias = True`: a float vector added after the analog MVM and the
 * digital output scale, trained by plain SGD) or analog (a tile column driven by an input of 1).
 */
import type { DeviceArray } from '../device/types.js';
import { FastRng } from './fastRng.js';
import { Tile } from './tile.js';
import { analogMatVec, type IOParams } from '../periphery/io.js';
import { pulseUpdate, updateScratch, type UpdateParams, type UpdateScratch } from '../train/pulseUpdate.js';

export interface Block {
  start: number;
  len: number;
}

export function splitBlocks(n: number, max: number): Block[] {
  if (max <= 0 || n <= max) return [{ start: 0, len: n }];
  const k = Math.ceil(n / max),
    base = Math.floor(n / k),
    extra = n % k;
  const out: Block[] = [];
  let s = 0;
  for (let i = 0; i < k; i++) {
    const len = base + (i < extra ? 1 : 0);
    out.push({ start: s, len });
    s += len;
  }
  return out;
}

export class AnalogLayer {
  /** Analog columns: inSize, plus 1 for an analog bias. */
  readonly inTotal: number;
  /** Columns of the logical weight layout of get/setWeights: inSize, plus 1 (last) for any bias. */
  readonly cols: number;
  /** The digital bias (length outSize) when the bias is digital, else null. */
  readonly digitalBias: Float64Array | null;
  readonly inBlocks: Block[];
  readonly outBlocks: Block[];
  /** tiles[ob][ib] */
  readonly tiles: Tile[][];
  private readonly xFull: Float64Array;
  private readonly xq: Float64Array;
  private readonly tIn: Float64Array;
  private readonly tOut: Float64Array;
  private readonly us: UpdateScratch;
  /** Optional physical forward product per tile [outBlock][inBlock] (e.g. with wire resistance). */
  product: (((xq: Float64Array, y: Float64Array) => void) | undefined)[][] | null = null;
  /** Digital output scale (weight scaling: physical weight range → network weight), applied after the ADC. */
  outScale = 1;

  constructor(
    readonly inSize: number,
    readonly outSize: number,
    readonly bias: boolean,
    maxIn: number,
    maxOut: number,
    makeDevices: (size: number, tileIndex: number) => DeviceArray,
    digitalBias = false,
  ) {
    const analogBias = bias && !digitalBias;
    this.inTotal = inSize + (analogBias ? 1 : 0);
    this.cols = inSize + (bias ? 1 : 0);
    this.digitalBias = bias && digitalBias ? new Float64Array(outSize) : null;
    this.inBlocks = splitBlocks(this.inTotal, maxIn);
    this.outBlocks = splitBlocks(outSize, maxOut);
    let t = 0;
    this.tiles = this.outBlocks.map((ob) => this.inBlocks.map((ib) => new Tile(ob.len, ib.len, makeDevices(ob.len * ib.len, t++))));
    const mi = Math.max(...this.inBlocks.map((b) => b.len)),
      mo = Math.max(...this.outBlocks.map((b) => b.len));
    this.xFull = new Float64Array(this.inTotal);
    this.xq = new Float64Array(Math.max(mi, mo));
    this.tIn = new Float64Array(Math.max(mi, mo));
    this.tOut = new Float64Array(Math.max(mi, mo));
    this.us = updateScratch(mi, mo);
  }

  private fill(x: Float64Array, xo: number): void {
    for (let i = 0; i < this.inSize; i++) this.xFull[i] = x[xo + i];
    if (this.inTotal > this.inSize) this.xFull[this.inSize] = 1;
  }

  /** y[yo..yo+out) = W·[x;1] through the periphery (analog bias), or W·x + b (digital bias). */
  forward(x: Float64Array, xo: number, y: Float64Array, yo: number, io: IOParams, rng: FastRng): void {
    this.fill(x, xo);
    for (let j = 0; j < this.outSize; j++) y[yo + j] = 0;
    for (let a = 0; a < this.outBlocks.length; a++) {
      const ob = this.outBlocks[a];
      for (let b = 0; b < this.inBlocks.length; b++) {
        const ib = this.inBlocks[b],
          t = this.tiles[a][b];
        for (let i = 0; i < ib.len; i++) this.tIn[i] = this.xFull[ib.start + i];
        analogMatVec(t.w, t.rows, t.cols, this.tIn, this.tOut, false, io, rng, this.xq, this.product?.[a][b]);
        for (let j = 0; j < ob.len; j++) y[yo + ob.start + j] += this.tOut[j];
      }
    }
    if (this.outScale !== 1) for (let j = 0; j < this.outSize; j++) y[yo + j] *= this.outScale;
    const db = this.digitalBias;
    if (db) for (let j = 0; j < this.outSize; j++) y[yo + j] += db[j];
  }

  /**
   * Plain SGD step of the digital bias over a batch (torch.optim.SGD on the bias parameter, as aihwkit's
   * AnalogSGD does for digital parameters): b ← b − lr·Σ_s d_s, d = ∂loss/∂y per sample (the loss's
   * batch mean is already in d). No-op for an analog bias.
   */
  updateDigitalBias(d: Float64Array, dOff: number, b: number, lr: number): void {
    const db = this.digitalBias;
    if (!db) return;
    const n = this.outSize;
    for (let j = 0; j < n; j++) {
      let g = 0;
      for (let s = 0; s < b; s++) g += d[dOff + s * n + j];
      db[j] -= lr * g;
    }
  }

  /** dx[dxo..dxo+in) = Wᵀ·d (the bias column's output is dropped). */
  backward(d: Float64Array, dOff: number, dx: Float64Array, dxo: number, io: IOParams, rng: FastRng): void {
    for (let i = 0; i < this.inSize; i++) dx[dxo + i] = 0;
    for (let a = 0; a < this.outBlocks.length; a++) {
      const ob = this.outBlocks[a];
      for (let j = 0; j < ob.len; j++) this.tIn[j] = d[dOff + ob.start + j];
      for (let b = 0; b < this.inBlocks.length; b++) {
        const ib = this.inBlocks[b],
          t = this.tiles[a][b];
        analogMatVec(t.w, t.rows, t.cols, this.tIn, this.tOut, true, io, rng, this.xq);
        for (let i = 0; i < ib.len; i++) {
          const k = ib.start + i;
          if (k < this.inSize) dx[dxo + k] += this.tOut[i];
        }
      }
    }
  }

  /** One sample's pulsed update on every tile; returns coincidences. */
  update(x: Float64Array, xo: number, d: Float64Array, dOff: number, lr: number, up: UpdateParams, rng: FastRng): number {
    this.fill(x, xo);
    let n = 0;
    for (let a = 0; a < this.outBlocks.length; a++) {
      const ob = this.outBlocks[a];
      for (let b = 0; b < this.inBlocks.length; b++) {
        const ib = this.inBlocks[b];
        n += pulseUpdate(this.tiles[a][b], this.xFull, ib.start, d, dOff + ob.start, lr, up, rng, this.us);
      }
    }
    return n;
  }

  /** Full weight matrix out × cols (row-major, bias last), as the devices read (a digital bias as stored). */
  getWeights(): Float64Array {
    const out = new Float64Array(this.outSize * this.cols);
    this.forEachCell((r, c, t, k) => {
      out[r * this.cols + c] = t.w[k];
    });
    const db = this.digitalBias;
    if (db) for (let r = 0; r < this.outSize; r++) out[r * this.cols + this.inSize] = db[r];
    return out;
  }

  /** Sets the weights (out × cols, bias last): analog cells without pulses, a digital bias exactly. */
  setWeights(values: ArrayLike<number>): void {
    this.forEachCell((r, c, t, k) => {
      t.dev.setWeight(k, values[r * this.cols + c]);
      t.w[k] = t.dev.weight(k);
    });
    const db = this.digitalBias;
    if (db) for (let r = 0; r < this.outSize; r++) db[r] = values[r * this.cols + this.inSize];
  }

  forEachCell(f: (row: number, col: number, tile: Tile, k: number) => void): void {
    for (let a = 0; a < this.outBlocks.length; a++)
      for (let b = 0; b < this.inBlocks.length; b++) {
        const ob = this.outBlocks[a],
          ib = this.inBlocks[b],
          t = this.tiles[a][b];
        for (let r = 0; r < ob.len; r++) for (let c = 0; c < ib.len; c++) f(ob.start + r, ib.start + c, t, r * ib.len + c);
      }
  }

  pulsesApplied(): number {
    let n = 0;
    for (const row of this.tiles) for (const t of row) n += t.dev.pulsesApplied;
    return n;
  }
}
