/**
 * Weight mappings over device arrays.
 * - single device (the paper's): w = scale · w_dev, where w_dev is linear in the read current between
 *   the N bounds (JartArray) — a signed weight on one device;
 * - differential pair: w = scale · (g⁺ − g⁻), g = (w_dev − w_min)/(w_max − w_min) ∈ [0, 1] of each device;
 *   programming puts the magnitude on one device and the other at g = 0; in training, potentiation
 *   pulses SET g⁺ and depression pulses SET g⁻ (one-sided, no refresh: a pair saturates eventually).
 */
import type { DeviceArray } from '../device/types.js';

export class ScaledArray implements DeviceArray {
  readonly kind: string; readonly size: number;
  constructor(private readonly d: DeviceArray, readonly scale: number) { this.kind = d.kind; this.size = d.size; }
  /** The wrapped array. */
  get inner(): DeviceArray { return this.d; }
  get pulsesApplied(): number { return this.d.pulsesApplied; }
  weight(k: number): number { return this.scale * this.d.weight(k); }
  pulse(k: number, count: number): number { return this.scale * this.d.pulse(k, count); }
  setWeight(k: number, w: number): void { this.d.setWeight(k, w / this.scale); }
  readCurrentA(k: number): number { return this.d.readCurrentA(k); }
  wMin(k: number): number { return this.scale * this.d.wMin(k); }
  wMax(k: number): number { return this.scale * this.d.wMax(k); }
  stateArrays(): Float64Array[] { return this.d.stateArrays(); }
}

export class DifferentialPairArray implements DeviceArray {
  readonly kind: string; readonly size: number;
  constructor(private readonly plus: DeviceArray, private readonly minus: DeviceArray, readonly scale: number) {
    this.kind = `pair(${plus.kind})`; this.size = plus.size;
  }
  get pulsesApplied(): number { return this.plus.pulsesApplied + this.minus.pulsesApplied; }
  private g(d: DeviceArray, k: number): number { const lo = d.wMin(k), hi = d.wMax(k); return (d.weight(k) - lo) / (hi - lo); }
  weight(k: number): number { return this.scale * (this.g(this.plus, k) - this.g(this.minus, k)); }
  pulse(k: number, count: number): number {
    if (count > 0) this.plus.pulse(k, count); else this.minus.pulse(k, -count);
    return this.weight(k);
  }
  setWeight(k: number, w: number): void {
    const m = Math.min(1, Math.abs(w) / this.scale);
    const set = (d: DeviceArray, g: number): void => d.setWeight(k, d.wMin(k) + g * (d.wMax(k) - d.wMin(k)));
    set(this.plus, w > 0 ? m : 0); set(this.minus, w < 0 ? m : 0);
  }
  readCurrentA(k: number): number { return this.plus.readCurrentA(k) - this.minus.readCurrentA(k); }
  wMin(): number { return -this.scale; }
  wMax(): number { return this.scale; }
  stateArrays(): Float64Array[] { return [...this.plus.stateArrays(), ...this.minus.stateArrays()]; }
  /** The two devices, for programming each one through its own pulses. */
  get devices(): [DeviceArray, DeviceArray] { return [this.plus, this.minus]; }
}
