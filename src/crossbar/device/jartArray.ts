/**
 * A tile's worth of JART cells (aihwkit JARTv1bDevice semantics, spec §8): per-device N, geometry
 * (r, l) and bounds (N_min, N_max) drawn at construction (D2D) and random-walked after every applied
 * pulse (C2C); weight linear in the read current from wMin at the nominal current of nLo to wMax at that
 * of nHi (one global mapping, as aihwkit). After every pulse N is clamped to the clamp bounds [nClampLo,
 * nClampHi] (default [nLo, nHi]; per device with varied weight bounds) and to the device's own [N_min, N_max].
 */
import type { Rng } from '../../util/rng.js';
import { FastRng } from '../core/fastRng.js';
import type { PulseEngine } from './jartEngine.js';
import type { DeviceArray, VarSpec } from './types.js';
import { c2cStep, drawD2D, hasC2C } from './variability.js';

export interface JartVariability {
  Ndiscmax: VarSpec;
  Ndiscmin: VarSpec;
  ldisc: VarSpec;
  rdisc: VarSpec;
  wBounds: VarSpec;
}

export interface JartArrayOptions {
  size: number;
  engine: PulseEngine;
  nLo: number;
  nHi: number;
  wMin: number;
  wMax: number;
  /**
   * N clamp after a pulse (aihwkit: the N of the device's weight bounds under the mapping, min/max with the
   * device's N_max/N_min). Default [nLo, nHi]; 0 / Infinity = only the device's physical bounds.
   */
  nClampLo?: number;
  nClampHi?: number;
  /**
   * Device weight bounds (default wMin/wMax). With d2d variation (`variability.wBounds`) each device gets its
   * own bounds X·(1 + dtod·ξ) clipped to the absolute [dtodLower, dtodUpper] (|w| for the lower bound) and
   * its own N clamp `clampOf(bound, upper)`; the weight mapping stays global (aihwkit).
   */
  wBoundMin?: number;
  wBoundMax?: number;
  clampOf?: (w: number, upper: boolean) => number;
  nominal: { rM: number; lM: number; nMin: number; nMax: number };
  variability: JartVariability;
  /** Optional per-device values (e.g. sampled from a population) replacing the D2D draws. */
  perDevice?: { rM?: Float64Array; lM?: Float64Array; nMin?: Float64Array; nMax?: Float64Array; engineIndex?: Uint16Array | null };
  /**
   * Per-device engines (kinetic classes of a population, src/crossbar/device/population.ts): device k pulses
   * and reads with engines[perDevice.engineIndex[k]]; `engine` stays the nominal one the mapping is read from.
   */
  engines?: PulseEngine[];
  /** Upper bound of a device's disc length under c2c (full model: below lcell); default none. */
  lMaxM?: number;
  /**
   * Amplitude ramping (write-verify): the ladder of amplitude factors and the engine of a factor for a
   * kinetic class (-1: the nominal engine's parameters); built on demand by the caller, who caches them.
   */
  amplitude?: AmplitudeLadder;
}

/** The amplitudes a programmer may pulse a device with: factors on the configured amplitudes, and their engines. */
export interface AmplitudeLadder {
  factors: readonly number[];
  engine(factor: number, kineticClass: number): PulseEngine;
}

export class JartArray implements DeviceArray {
  readonly kind = 'jart';
  readonly size: number;
  pulsesApplied = 0;
  readonly n: Float64Array;
  readonly r: Float64Array;
  readonly l: Float64Array;
  readonly nMin: Float64Array;
  readonly nMax: Float64Array;
  private readonly rDev: Float64Array;
  private readonly lDev: Float64Array;
  private readonly nMinDev: Float64Array;
  private readonly nMaxDev: Float64Array;
  private readonly wLo: number;
  private readonly wHi: number;
  /** Per-device N clamps (only with varied weight bounds), else null and the scalar nLo/nHi. */
  private readonly cLo: Float64Array | null;
  private readonly cHi: Float64Array | null;
  private readonly iLo: number;
  private readonly iSpan: number;
  private readonly c2c: boolean;
  private readonly rng: FastRng;
  private readonly v: JartVariability;
  private readonly e: PulseEngine;
  private readonly engines: PulseEngine[] | null;
  private readonly cls: Uint16Array | null;
  private readonly lMax: number;
  private readonly nLo: number;
  private readonly nHi: number;
  private readonly amp: AmplitudeLadder | null;
  readonly amplitudeFactors?: readonly number[];

  constructor(o: JartArrayOptions, rng: Rng) {
    const s = o.size;
    this.size = s;
    this.e = o.engine;
    this.v = o.variability;
    this.nLo = o.nClampLo ?? o.nLo;
    this.nHi = o.nClampHi ?? o.nHi;
    this.rDev = new Float64Array(s);
    this.lDev = new Float64Array(s);
    this.nMinDev = new Float64Array(s);
    this.nMaxDev = new Float64Array(s);
    const v = o.variability;
    drawD2D(this.nMaxDev, o.nominal.nMax, v.Ndiscmax, rng);
    drawD2D(this.nMinDev, o.nominal.nMin, v.Ndiscmin, rng);
    drawD2D(this.lDev, o.nominal.lM, v.ldisc, rng);
    drawD2D(this.rDev, o.nominal.rM, v.rdisc, rng);
    if (o.perDevice?.rM) this.rDev.set(o.perDevice.rM);
    if (o.perDevice?.lM) this.lDev.set(o.perDevice.lM);
    if (o.perDevice?.nMin) this.nMinDev.set(o.perDevice.nMin);
    if (o.perDevice?.nMax) this.nMaxDev.set(o.perDevice.nMax);
    this.lMax = o.lMaxM ?? Infinity;
    this.amp = o.amplitude ?? null;
    if (this.amp) this.amplitudeFactors = this.amp.factors;
    const cls = o.perDevice?.engineIndex;
    if (o.engines && o.engines.length > 0 && cls) {
      for (let k = 0; k < s; k++)
        if (!(cls[k] < o.engines.length)) throw new RangeError(`device ${k}: engine index ${cls[k]} of ${o.engines.length}`);
      this.engines = o.engines;
      this.cls = cls;
    } else {
      this.engines = null;
      this.cls = null;
    }
    this.wLo = o.wMin;
    this.wHi = o.wMax;
    const bHi = new Float64Array(s),
      bLo = new Float64Array(s);
    drawD2D(bHi, o.wBoundMax ?? o.wMax, v.wBounds, rng);
    drawD2D(bLo, -(o.wBoundMin ?? o.wMin), v.wBounds, rng);
    if (v.wBounds.dtod > 0 && o.clampOf) {
      // the draws pile up on their clip bounds: each distinct bound is inverted once
      const clampOf = o.clampOf,
        memo = [new Map<number, number>(), new Map<number, number>()];
      const of = (w: number, up: boolean): number => {
        const m = memo[up ? 1 : 0];
        let n = m.get(w);
        if (n === undefined) {
          n = clampOf(w, up);
          m.set(w, n);
        }
        return n;
      };
      this.cLo = new Float64Array(s);
      this.cHi = new Float64Array(s);
      for (let k = 0; k < s; k++) {
        this.cHi[k] = of(bHi[k], true);
        this.cLo[k] = of(-bLo[k], false);
      }
    } else {
      this.cLo = null;
      this.cHi = null;
    }
    this.r = this.rDev.slice();
    this.l = this.lDev.slice();
    this.nMin = this.nMinDev.slice();
    this.nMax = this.nMaxDev.slice();
    const nom = o.nominal;
    const iLo = this.e.readA(o.nLo, nom.rM, nom.lM),
      iHi = this.e.readA(o.nHi, nom.rM, nom.lM);
    this.iLo = iLo;
    this.iSpan = iHi - iLo;
    this.c2c = hasC2C(v.Ndiscmax) || hasC2C(v.Ndiscmin) || hasC2C(v.ldisc) || hasC2C(v.rdisc);
    this.rng = new FastRng(rng);
    this.n = new Float64Array(s).fill(o.nLo);
  }

  private engineOf(k: number): PulseEngine {
    return this.cls !== null ? (this.engines as PulseEngine[])[this.cls[k]] : this.e;
  }
  readCurrentA(k: number): number {
    return this.engineOf(k).readA(this.n[k], this.r[k], this.l[k]);
  }
  weight(k: number): number {
    return this.wLo + ((this.readCurrentA(k) - this.iLo) * (this.wHi - this.wLo)) / this.iSpan;
  }
  /** w = a + b·I_read of device k (the single-device mapping as a line in the read current). */
  mapCoeffs(_k: number): [number, number] {
    const b = (this.wHi - this.wLo) / this.iSpan;
    return [this.wLo - this.iLo * b, b];
  }
  /** Reachable weight range of device k: its weights at the clamp bounds (the mapping's end points when those are nLo/nHi). */
  wMin(k: number): number {
    const c = this.cLo ? this.cLo[k] : this.nLo;
    return this.atN(k, this.nMinDev[k] > c ? this.nMinDev[k] : c);
  }
  wMax(k: number): number {
    const c = this.cHi ? this.cHi[k] : this.nHi;
    return this.atN(k, this.nMaxDev[k] < c ? this.nMaxDev[k] : c);
  }
  private atN(k: number, n: number): number {
    const keep = this.n[k];
    this.n[k] = n;
    const w = this.weight(k);
    this.n[k] = keep;
    return w;
  }

  pulse(k: number, count: number): number {
    return this.pulses(k, count, 1);
  }

  /**
   * One pulse of `widthFactor` times the configured width (write-verify with width ramping), at
   * `amplitudeFactor` times the configured amplitude (one of `amplitudeFactors`; amplitude ramping);
   * dir > 0 SET, < 0 RESET. Returns the new weight.
   */
  pulseWidth(k: number, dir: number, widthFactor: number, amplitudeFactor = 1): number {
    return this.pulses(k, dir > 0 ? 1 : -1, widthFactor, amplitudeFactor);
  }

  private pulses(k: number, count: number, f: number, a = 1): number {
    const set = count > 0;
    let c = set ? count : -count;
    let n = this.n[k];
    const e = a === 1 || !this.amp ? this.engineOf(k) : this.amp.engine(a, this.cls !== null ? this.cls[k] : -1);
    while (c-- > 0) {
      const cHi = this.cHi ? this.cHi[k] : this.nHi,
        cLo = this.cLo ? this.cLo[k] : this.nLo;
      const hi = this.nMax[k] < cHi ? this.nMax[k] : cHi;
      const lo = this.nMin[k] > cLo ? this.nMin[k] : cLo;
      if (set ? n >= hi : n <= lo) break;
      const raw =
        f === 1
          ? e.pulse(set, n, this.r[k], this.l[k], this.nMin[k], this.nMax[k])
          : e.pulse(set, n, this.r[k], this.l[k], this.nMin[k], this.nMax[k], f);
      // The explicit Euler of a very fast device (small r) can overshoot past 0 into NaN: such a pulse
      // switches the device fully, so it lands on the bound in the pulse's direction (as aihwkit's clamp).
      let n1 = raw === raw ? raw : set ? hi : lo;
      if (n1 > hi) n1 = hi;
      else if (n1 < lo) n1 = lo;
      if (this.c2c) this.applyC2C(k, set, n, raw);
      n = n1;
      this.pulsesApplied++;
    }
    this.n[k] = n;
    return this.weight(k);
  }

  /**
   * C2C step after a pulse from n0 whose unclamped result is `raw` (aihwkit: the switching ratio is taken
   * before the clamp). An overflowing pulse (raw NaN, aihwkit algorithm only) makes aihwkit's ratio NaN;
   * its disc length and radius then become NaN and its clamp macros put them on their upper c2c bound
   * (rpu_JART_v1b_device.cpp, apply_cycle_to_cycle_noise), which is reproduced here; the N bounds carry no
   * ratio term there and are redrawn as usual.
   */
  private applyC2C(k: number, set: boolean, n0: number, raw: number): void {
    const overflow = !(raw === raw);
    const den = set ? this.nMax[k] - n0 : n0 - this.nMin[k];
    const ratio = overflow || !(den > 0) ? 0 : (set ? raw - n0 : n0 - raw) / den;
    const v = this.v,
      g = this.rng;
    // aihwkit has no slope term on the N bounds (its configs set none); a population's v1b var redraw
    // of the bounds is update-scaled like the geometry's (src/crossbar/experiment/applyPopulation.ts), so it is applied.
    if (hasC2C(v.Ndiscmax)) this.nMax[k] = c2cStep(this.nMax[k], this.nMaxDev[k], v.Ndiscmax, ratio, g);
    if (hasC2C(v.Ndiscmin)) this.nMin[k] = c2cStep(this.nMin[k], this.nMinDev[k], v.Ndiscmin, ratio, g);
    if (hasC2C(v.ldisc)) {
      const l = overflow ? this.lDev[k] * (1 + v.ldisc.ctocUpper) : c2cStep(this.l[k], this.lDev[k], v.ldisc, ratio, g);
      this.l[k] = l < this.lMax ? l : this.lMax;
    }
    if (hasC2C(v.rdisc))
      this.r[k] = overflow ? this.rDev[k] * (1 + v.rdisc.ctocUpper) : c2cStep(this.r[k], this.rDev[k], v.rdisc, ratio, g);
  }

  setWeight(k: number, w: number): void {
    // Bisection on N (read current is monotone in N) within the device's clamp bounds.
    const cHi = this.cHi ? this.cHi[k] : this.nHi,
      cLo = this.cLo ? this.cLo[k] : this.nLo;
    let a = this.nMinDev[k] > cLo ? this.nMinDev[k] : cLo,
      b = this.nMaxDev[k] < cHi ? this.nMaxDev[k] : cHi;
    const wl = this.wMin(k),
      wh = this.wMax(k);
    const t = w <= wl ? wl : w >= wh ? wh : w;
    for (let it = 0; it < 60; it++) {
      const m = 0.5 * (a + b);
      this.n[k] = m;
      if (this.weight(k) < t) a = m;
      else b = m;
    }
    this.n[k] = 0.5 * (a + b);
  }

  stateArrays(): Float64Array[] {
    return [this.n, this.r, this.l, this.nMin, this.nMax];
  }
}
