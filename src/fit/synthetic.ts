/**
 * Synthetic measured cycles from known parameters (for recovery tests, benchmarks and the
 * sensitivity study): the model on a triangular sweep, log-normal current noise, an optional
 * instrument floor and compliance, in the dataset's cycle shape.
 */
import { DEFAULT_READ_VOLTAGE_V } from '../model/constants.js';
import { simulate, sweepWaveform, type JartParams } from '../model/index.js';
import type { Rng } from '../util/rng.js';
import type { FitCycleInput } from './cycle-data.js';

export interface SynthOptions {
  vSetV?: number;
  vResetV?: number;
  rateVps?: number;
  stepV?: number;
  /** Standard deviation of the multiplicative current noise, decades. */
  noiseDec?: number;
  floorA?: number;
  complianceA?: number | null;
  /** External series resistance of the measurement circuit, Ω. */
  seriesOhm?: number;
  ninit?: number;
  device?: string;
  cycle?: number;
}

export function synthCycle(p: JartParams, rng: Rng, o: SynthOptions = {}): { cycle: FitCycleInput; endNdisc: number } {
  const wave = sweepWaveform({ vSetV: o.vSetV ?? -1.3, vResetV: o.vResetV ?? 1.3, rateVps: o.rateVps ?? 1, stepV: o.stepV ?? 0.005 });
  const circuit =
    o.complianceA || o.seriesOhm
      ? { ...(o.complianceA ? { complianceA: o.complianceA } : {}), ...(o.seriesOhm ? { seriesOhm: o.seriesOhm } : {}) }
      : undefined;
  const sim = simulate(p, wave, { circuit, ninit: o.ninit });
  const noise = o.noiseDec ?? 0.013;
  const floor = o.floorA ?? 0;
  const iA = Array.from(sim.iA, (i) => {
    const a = Math.abs(i) * 10 ** (noise * rng.normal()) + floor * Math.abs(rng.normal());
    return Math.sign(i) * a;
  });
  return {
    cycle: {
      device: o.device ?? 'synthetic',
      cycle: o.cycle ?? 1,
      tS: Array.from(wave.tS),
      timeSource: 'file',
      vV: Array.from(wave.vV),
      iA,
      complianceA: o.complianceA ?? null,
      features: { readVoltageV: DEFAULT_READ_VOLTAGE_V },
      currentFloorA: floor > 0 ? floor : undefined,
    },
    endNdisc: sim.ndisc[sim.ndisc.length - 1],
  };
}
