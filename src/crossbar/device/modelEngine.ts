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

export class ModelEngine implements PulseEngine {
  readonly name = 'jart-full-physics';
  private readonly kSet: PulseKernel;
  private readonly kReset: PulseKernel;
  private readonly read: ReadTable;
  constructor(s: PulseSettings, o: ModelEngineOptions) {
    const p: JartParams = { ...DEFAULT_PARAMS, ...(o.params ?? {}) };
    const opts = { rRange: o.rRangeM, lRange: o.lRangeM, ...(o.nRange ? { nRange: o.nRange } : {}) };
    this.kSet = createPulseKernel(p, s.vSetV, s.widthS, opts);
    this.kReset = createPulseKernel(p, s.vResetV, s.widthS, opts);
    this.read = createReadTable(p, s.vReadV, opts);
  }
  pulse(set: boolean, n: number, rM: number, lM: number, nMin: number, nMax: number, widthFactor = 1): number {
    const k = set ? this.kSet : this.kReset;
    return widthFactor === 1 ? k.apply(n, rM, lM, nMin, nMax) : k.apply(n, rM, lM, nMin, nMax, widthFactor * k.widthS);
  }
  readA(n: number, rM: number, lM: number): number {
    return Math.abs(this.read.current(n, rM, lM));
  }
  /** Pulses that fell outside the kernel's tables and were integrated in full. */
  get fallbacks(): number {
    return this.kSet.fallbacks + this.kReset.fallbacks;
  }
}
