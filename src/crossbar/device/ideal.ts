/** Ideal device: the weight is stored exactly; a pulse moves it by ±dwMin, clipped to [wMin, wMax]. */
import type { DeviceArray } from './types.js';

export class IdealArray implements DeviceArray {
  readonly kind = 'ideal';
  pulsesApplied = 0;
  readonly w: Float64Array;
  constructor(
    readonly size: number,
    private readonly dwMin: number,
    private readonly lo: number,
    private readonly hi: number,
  ) {
    this.w = new Float64Array(size);
  }
  weight(k: number): number {
    return this.w[k];
  }
  wMin(): number {
    return this.lo;
  }
  wMax(): number {
    return this.hi;
  }
  readCurrentA(k: number): number {
    return this.w[k];
  }
  pulse(k: number, count: number): number {
    let w = this.w[k] + count * this.dwMin;
    if (w > this.hi) w = this.hi;
    else if (w < this.lo) w = this.lo;
    this.pulsesApplied += Math.abs(count);
    this.w[k] = w;
    return w;
  }
  setWeight(k: number, w: number): void {
    this.w[k] = Math.min(this.hi, Math.max(this.lo, w));
  }
  stateArrays(): Float64Array[] {
    return [this.w];
  }
}
