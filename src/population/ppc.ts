/**
 * Posterior predictive check: devices sampled from the population, each cycle simulated through the
 * model on the measurement's sweep (v1b var targets drawn once per cycle and held for its SET and
 * RESET, the geometry carried over from cycle to cycle: cycleSampler),
 * switching features extracted, statistics set beside the measured ones.
 */
import type { Rng } from '../util/rng.js';
import { resolveParams, simulate, sweepWaveform, type Waveform } from '../model/index.js';
import { cycleSampler, samplePopulation, type SampledDevice } from './sample.js';
import {
  compareProfiles,
  featureStats,
  featureStatsWithin,
  sweepFeatures,
  type CycleFeaturesIn,
  type FeatureStats,
  type ProfileRow,
} from './profile.js';
import type { PopulationFile } from './types.js';

/** The measurement's sweep in the model convention (SET at negative V). */
export interface SweepConditions {
  vSetV: number;
  vResetV: number;
  rateVps: number;
  stepV: number;
  readVoltageV: number;
  complianceA: number | null;
  /** External series resistance of the measurement circuit, Ω (as fitted with `--fit ...,seriesOhm`); 0 or absent: none. */
  seriesOhm?: number;
}

export interface PpcOptions {
  devices: number;
  cycles: number;
  sweep: SweepConditions;
  /** 'all' (default): statistics over all cycles of all devices (d2d + c2c); 'within': per device, averaged (c2c only). */
  pooling?: 'all' | 'within';
  onProgress?: (done: number, total: number) => void;
}

export interface VariabilityProfile {
  sweep: SweepConditions;
  measured: FeatureStats;
  predicted: FeatureStats;
  rows: ProfileRow[];
  simulated: { devices: number; cycles: number; usable: number; pooling: 'all' | 'within' };
  seed: number;
  /** the sweeps went through a series resistance drawn per device from the population's circuit */
  seriesOhmPerDevice?: { center: number; spread: number; n: number };
}

export interface SimulatedCycle {
  tS: Float64Array;
  vV: Float64Array;
  iA: Float64Array;
  ok: boolean;
}

/** `cycles` consecutive sweeps of one device (N carries over from cycle to cycle), split per cycle. */
export function simulateDeviceSweeps(
  pop: PopulationFile,
  device: SampledDevice,
  cycles: number,
  sweep: SweepConditions,
  rng: Rng,
): SimulatedCycle[] {
  const one = sweepWaveform({ vSetV: sweep.vSetV, vResetV: sweep.vResetV, rateVps: sweep.rateVps, stepV: sweep.stepV });
  const n = one.tS.length,
    period = one.tS[n - 1]; // first and last points are both 0 V: shared between cycles
  const wave: Waveform = { tS: new Float64Array((n - 1) * cycles + 1), vV: new Float64Array((n - 1) * cycles + 1) };
  for (let c = 0; c < cycles; c++)
    for (let k = c === 0 ? 0 : 1; k < n; k++) {
      wave.tS[c * (n - 1) + k] = c * period + one.tS[k];
      wave.vV[c * (n - 1) + k] = one.vV[k];
    }
  const cs = cycleSampler(pop, device, rng);
  const params = resolveParams({ ...device.params, ...cs.initial });
  // The sweep starts with a SET: the device sits in its HRS, N = its (first cycle's) Ndiscmin (as the fit stage assumes).
  const res = simulate(params, wave, {
    ninit: params.Ndiscmin,
    circuit: { complianceA: sweep.complianceA ?? undefined, seriesOhm: sweep.seriesOhm },
    sampler: cs.sampler,
  });
  const out: SimulatedCycle[] = [];
  for (let c = 0; c < cycles; c++) {
    const a = c * (n - 1),
      b = a + n;
    const iA = res.iA.slice(a, b);
    out.push({ tS: one.tS.slice(), vV: res.vV.slice(a, b), iA, ok: iA.every((x) => Number.isFinite(x)) });
  }
  return out;
}

/** Switching features of `cycles` consecutive simulated sweeps of one device (null: simulation failed). */
export function simulateDeviceCycles(
  pop: PopulationFile,
  device: SampledDevice,
  cycles: number,
  sweep: SweepConditions,
  rng: Rng,
): (CycleFeaturesIn | null)[] {
  return simulateDeviceSweeps(pop, device, cycles, sweep, rng).map((c) =>
    c.ok ? sweepFeatures(c.vV, c.iA, sweep.readVoltageV, sweep.complianceA) : null,
  );
}

/** One device's external series resistance from the population's fitted circuit (lognormal), Ω; 0 without one. */
export function deviceSeriesOhm(pop: PopulationFile, rng: Rng): number {
  const c = pop.circuit?.seriesOhm;
  return c ? c.center * Math.exp(c.spread * rng.normal()) : 0;
}

export function predictiveProfile(pop: PopulationFile, measured: CycleFeaturesIn[], opts: PpcOptions, rng: Rng): VariabilityProfile {
  const devices = samplePopulation(pop, opts.devices, rng.fork(1));
  const cr = rng.fork(2);
  const rr = rng.fork(3);
  // the population's fitted circuit, one series resistance per device, unless the sweep states one
  const fromPop = opts.sweep.seriesOhm === undefined ? pop.circuit?.seriesOhm : undefined;
  const perDevice: CycleFeaturesIn[][] = [];
  devices.forEach((d, i) => {
    const sweep = fromPop ? { ...opts.sweep, seriesOhm: deviceSeriesOhm(pop, rr.fork(d.index)) } : opts.sweep;
    perDevice.push(simulateDeviceCycles(pop, d, opts.cycles, sweep, cr.fork(d.index)).filter((f): f is CycleFeaturesIn => f !== null));
    opts.onProgress?.(i + 1, devices.length);
  });
  const predicted = perDevice.flat();
  const within = opts.pooling === 'within';
  const m = featureStats(measured),
    p = within ? featureStatsWithin(perDevice) : featureStats(predicted);
  return {
    ...(fromPop ? { seriesOhmPerDevice: { center: fromPop.center, spread: fromPop.spread, n: fromPop.n } } : {}),
    sweep: opts.sweep,
    measured: m,
    predicted: p,
    rows: compareProfiles(m, p),
    simulated: { devices: opts.devices, cycles: opts.cycles, usable: predicted.length, pooling: within ? 'within' : 'all' },
    seed: rng.seed,
  };
}
