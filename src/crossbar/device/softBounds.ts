/**
 * Behavioural soft-bounds device (aihwkit SoftBoundsDevice semantics): each pulse moves the weight by
 * dw·(1 − w/w_max) up or dw·(1 − w/w_min) down, dw = dw_min·(1 + dw_min_std·ξ) with a device-to-device
 * spread of dw_min and of the bounds. The baseline to compare the physical devices against.
 */
import type { Rng } from '../../util/rng.js';
import { FastRng } from '../core/fastRng.js';
import type { DeviceArray } from './types.js';

export interface SoftBoundsOptions {
  size: number;
  dwMin: number;
  dwMinDtod: number;
  dwMinStd: number;
  upDown: number;
  upDownDtod: number;
  wMin: number;
  wMax: number;
  wMinDtod: number;
  wMaxDtod: number;
}

export class SoftBoundsArray implements DeviceArray {
  readonly kind = 'soft-bounds';
  readonly size: number;
  pulsesApplied = 0;
  readonly w: Float64Array;
  private readonly dwUp: Float64Array;
  private readonly dwDown: Float64Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly std: number;
  private readonly rng: FastRng;

  constructor(o: SoftBoundsOptions, rng: Rng) {
    const s = o.size;
    this.size = s;
    this.std = o.dwMinStd;
    this.w = new Float64Array(s);
    this.dwUp = new Float64Array(s);
    this.dwDown = new Float64Array(s);
    this.lo = new Float64Array(s);
    this.hi = new Float64Array(s);
    for (let k = 0; k < s; k++) {
      const dw = Math.max(0, o.dwMin * (1 + o.dwMinDtod * rng.normal()));
      const ud = o.upDown + o.upDownDtod * rng.normal();
      this.dwUp[k] = dw * (1 + ud);
      this.dwDown[k] = dw * (1 - ud);
      this.hi[k] = Math.max(1e-6, o.wMax * (1 + o.wMaxDtod * rng.normal()));
      this.lo[k] = Math.min(-1e-6, o.wMin * (1 + o.wMinDtod * rng.normal()));
    }
    this.rng = new FastRng(rng);
  }

  weight(k: number): number {
    return this.w[k];
  }
  wMin(k: number): number {
    return this.lo[k];
  }
  wMax(k: number): number {
    return this.hi[k];
  }
  readCurrentA(k: number): number {
    return this.w[k];
  }

  pulse(k: number, count: number): number {
    let w = this.w[k];
    const up = count > 0;
    let c = up ? count : -count;
    const hi = this.hi[k],
      lo = this.lo[k];
    while (c-- > 0) {
      const noise = this.std > 0 ? 1 + this.std * this.rng.normal() : 1;
      if (up) w += this.dwUp[k] * noise * (1 - w / hi);
      else w -= this.dwDown[k] * noise * (1 - w / lo);
      if (w > hi) w = hi;
      else if (w < lo) w = lo;
      this.pulsesApplied++;
    }
    this.w[k] = w;
    return w;
  }

  setWeight(k: number, w: number): void {
    this.w[k] = Math.min(this.hi[k], Math.max(this.lo[k], w));
  }
  stateArrays(): Float64Array[] {
    return [this.w];
  }
}
