/**
 * Weight mappings over device arrays.
 * - single device (the paper's): w = scale · w_dev, where w_dev is linear in the read current between
 *   the N bounds (JartArray) — a signed weight on one device;
 * - differential pair: w = scale · (g⁺ − g⁻), g = (w_dev − w_min)/(w_max − w_min) ∈ [0, 1] of each device;
 *   zero 'low' (default): w = 0 is both devices at g = 0, and a weight puts its magnitude on one device,
 *   the other at g = 0; zero 'mid': w = 0 is both at g = ½, and a weight splits symmetrically,
 *   g± = ½ ± w/(2·scale) — both devices then start from the middle of their range, where a JART device
 *   moves a few per cent per pulse, not from N_lo, where it takes thousands of pulses to start (write-verify,
 *   `programPair`). In training, potentiation pulses SET g⁺ and depression pulses SET g⁻ (one-sided, no
 *   refresh: a pair saturates eventually).
 */
import type { DeviceArray } from '../device/types.js';

export class ScaledArray implements DeviceArray {
  readonly kind: string;
  readonly size: number;
  /** Width- (and amplitude-) ramped single pulse, when the wrapped array has it. */
  readonly pulseWidth?: (k: number, dir: number, widthFactor: number, amplitudeFactor?: number) => number;
  readonly amplitudeFactors?: readonly number[];
  constructor(
    private readonly d: DeviceArray,
    readonly scale: number,
  ) {
    this.kind = d.kind;
    this.size = d.size;
    const pw = d.pulseWidth?.bind(d);
    if (pw) this.pulseWidth = (k, dir, f, a) => this.scale * pw(k, dir, f, a);
    if (d.amplitudeFactors) this.amplitudeFactors = d.amplitudeFactors;
  }
  /** The wrapped array. */
  get inner(): DeviceArray {
    return this.d;
  }
  get pulsesApplied(): number {
    return this.d.pulsesApplied;
  }
  weight(k: number): number {
    return this.scale * this.d.weight(k);
  }
  pulse(k: number, count: number): number {
    return this.scale * this.d.pulse(k, count);
  }
  setWeight(k: number, w: number): void {
    this.d.setWeight(k, w / this.scale);
  }
  readCurrentA(k: number): number {
    return this.d.readCurrentA(k);
  }
  wMin(k: number): number {
    return this.scale * this.d.wMin(k);
  }
  wMax(k: number): number {
    return this.scale * this.d.wMax(k);
  }
  stateArrays(): Float64Array[] {
    return this.d.stateArrays();
  }
}

export class DifferentialPairArray implements DeviceArray {
  readonly kind: string;
  readonly size: number;
  constructor(
    private readonly plus: DeviceArray,
    private readonly minus: DeviceArray,
    readonly scale: number,
    readonly zero: 'low' | 'mid' = 'low',
  ) {
    this.kind = `pair(${plus.kind})`;
    this.size = plus.size;
  }
  get pulsesApplied(): number {
    return this.plus.pulsesApplied + this.minus.pulsesApplied;
  }
  private g(d: DeviceArray, k: number): number {
    const lo = d.wMin(k),
      hi = d.wMax(k);
    return (d.weight(k) - lo) / (hi - lo);
  }
  weight(k: number): number {
    return this.scale * (this.g(this.plus, k) - this.g(this.minus, k));
  }
  pulse(k: number, count: number): number {
    if (count > 0) this.plus.pulse(k, count);
    else this.minus.pulse(k, -count);
    return this.weight(k);
  }
  /** The normalised states [g⁺, g⁻] that represent weight w. */
  split(w: number): [number, number] {
    if (this.zero === 'mid') {
      const h = Math.max(-0.5, Math.min(0.5, w / (2 * this.scale)));
      return [0.5 + h, 0.5 - h];
    }
    const m = Math.min(1, Math.abs(w) / this.scale);
    return [w > 0 ? m : 0, w < 0 ? m : 0];
  }
  /** Device weight of `d` at normalised state g. */
  static at(d: DeviceArray, k: number, g: number): number {
    return d.wMin(k) + g * (d.wMax(k) - d.wMin(k));
  }
  setWeight(k: number, w: number): void {
    const [gp, gm] = this.split(w);
    this.plus.setWeight(k, DifferentialPairArray.at(this.plus, k, gp));
    this.minus.setWeight(k, DifferentialPairArray.at(this.minus, k, gm));
  }
  readCurrentA(k: number): number {
    return this.plus.readCurrentA(k) - this.minus.readCurrentA(k);
  }
  wMin(): number {
    return -this.scale;
  }
  wMax(): number {
    return this.scale;
  }
  stateArrays(): Float64Array[] {
    return [...this.plus.stateArrays(), ...this.minus.stateArrays()];
  }
  /** The two devices, for programming each one through its own pulses. */
  get devices(): [DeviceArray, DeviceArray] {
    return [this.plus, this.minus];
  }
}
