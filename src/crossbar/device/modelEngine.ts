/**
 * The full-physics JART VCM v1b pulse engine: the model stage's fast per-pulse kernel
 * (`createPulseKernel`, τ-tables over the device geometry, error vs full integration documented in
 * docs/model.md) for the SET and RESET pulses, and its read table for the static read current
 * (implicit electrical solve, per-device geometry) at the read voltage.
 */
import {
  createPulseKernel,
  createReadTable,
  DEFAULT_PARAMS,
  type JartParams,
  type PulseKernel,
  type ReadTable,
} from '../../model/index.js';
import type { PulseEngine, PulseSettings } from './jartEngine.js';

export interface ModelEngineOptions {
  params?: Partial<JartParams>;
  rRangeM: [number, number];
  lRangeM: [number, number];
  /** N range of the kernel tables (default [Ndiscmin/10, 2·Ndiscmax]); must hold every device's N bounds, else pulses are integrated in full. */
  nRange?: [number, number];
}

/**
 * The SET and RESET kernels and the read table are built when first used (an engine of another amplitude,
 * for amplitude-ramped programming, may only ever pulse one polarity and never read).
 */
export class ModelEngine implements PulseEngine {
  readonly name = 'jart-full-physics';
  private kSet: PulseKernel | null = null;
  private kReset: PulseKernel | null = null;
  private read: ReadTable | null = null;
  private readonly p: JartParams;
  private readonly opts: { rRange: [number, number]; lRange: [number, number]; nRange?: [number, number] };
  private readonly s: PulseSettings;
  constructor(s: PulseSettings, o: ModelEngineOptions) {
    // the settings as they are now (a config section may be changed afterwards)
    this.s = { vSetV: s.vSetV, vResetV: s.vResetV, widthS: s.widthS, dtS: s.dtS, vReadV: s.vReadV };
    this.p = { ...DEFAULT_PARAMS, ...(o.params ?? {}) };
    this.opts = { rRange: o.rRangeM, lRange: o.lRangeM, ...(o.nRange ? { nRange: o.nRange } : {}) };
  }
  private kernel(set: boolean): PulseKernel {
    if (set) return (this.kSet ??= createPulseKernel(this.p, this.s.vSetV, this.s.widthS, this.opts));
    return (this.kReset ??= createPulseKernel(this.p, this.s.vResetV, this.s.widthS, this.opts));
  }
  pulse(set: boolean, n: number, rM: number, lM: number, nMin: number, nMax: number, widthFactor = 1): number {
    const k = this.kernel(set);
    return widthFactor === 1 ? k.apply(n, rM, lM, nMin, nMax) : k.apply(n, rM, lM, nMin, nMax, widthFactor * k.widthS);
  }
  readA(n: number, rM: number, lM: number): number {
    this.read ??= createReadTable(this.p, this.s.vReadV, this.opts);
    return Math.abs(this.read.current(n, rM, lM));
  }
  /** Pulses that fell outside the kernel's tables and were integrated in full. */
  get fallbacks(): number {
    return (this.kSet?.fallbacks ?? 0) + (this.kReset?.fallbacks ?? 0);
  }
}
