/**
 * What the variability profile reads from a dataset (`jartcal.dataset/1`, CONTRACTS §2): the
 * per-cycle `features` and the sweep conditions to simulate (model convention: SET at negative V).
 */
import { JartcalError } from '../util/errors.js';
import { DEFAULT_READ_VOLTAGE_V } from '../model/constants.js';
import { quantile } from './stats.js';
import { curveFeatures } from '../features/index.js';
import type { CycleFeaturesIn } from './profile.js';
import type { CycleProtocol, SweepConditions } from './ppc.js';
import { datasetSchema } from '../schema/dataset.js';
import { parseWith } from '../schema/issues.js';
import { noiseLevelLog10 } from '../fit/auto.js';
import type { FitCycleInput } from '../fit/cycle-data.js';

interface CycleIn {
  device: string;
  cycle: number;
  tS: number[];
  timeSource: string;
  vV: number[];
  iA?: number[];
  complianceA: number | null;
  currentFloorA?: number;
  features: CycleFeaturesIn & { readVoltageV?: number };
}
export interface DatasetIn {
  devices: { id: string; cycles: CycleIn[] }[];
}

/** dataset.json through its one schema (src/schema/dataset.ts); the profile also needs each cycle's features. */
export function validateDataset(v: unknown, file = 'dataset.json'): DatasetIn {
  const d = parseWith(datasetSchema, v, file, 'bad_dataset');
  d.devices.forEach((dev, i) =>
    dev.cycles.forEach((c, j) => {
      if (c.features === undefined)
        throw new JartcalError(`devices[${i}].cycles[${j}].features: expected an object (the switching features ingest writes)`, {
          code: 'bad_dataset',
          location: { file },
        });
    }),
  );
  return d as unknown as DatasetIn;
}

/**
 * A measured cycle's features through the one extractor (src/features) when the dataset carries its
 * current, so that they are the simulated cycles' definitions even for a dataset written by an older
 * ingest; else the features stored with the cycle.
 */
export function cycleFeatures(c: CycleIn): CycleFeaturesIn {
  if (!Array.isArray(c.iA) || c.iA.length !== c.vV.length) return c.features;
  const readV = Math.abs(c.features.readVoltageV ?? DEFAULT_READ_VOLTAGE_V);
  const f = curveFeatures(c.vV, c.iA, readV, c.complianceA ?? null);
  return { vSetV: f.vSetV, vResetV: f.vResetV, hrsOhm: f.hrsOhm, lrsOhm: f.lrsOhm, onOff: f.onOff };
}

export function measuredFeatures(ds: DatasetIn): CycleFeaturesIn[] {
  return ds.devices.flatMap((d) => d.cycles.map(cycleFeatures));
}

/** Median sweep of the dataset; `defaultRateVps` when no cycle has real time. */
export function sweepConditions(ds: DatasetIn, defaultRateVps = 1): SweepConditions & { rateSource: 'data' | 'default' } {
  const cycles = ds.devices.flatMap((d) => d.cycles);
  const vmin: number[] = [],
    vmax: number[] = [],
    steps: number[] = [],
    rates: number[] = [],
    comp: number[] = [],
    read: number[] = [];
  for (const c of cycles) {
    vmin.push(Math.min(...c.vV));
    vmax.push(Math.max(...c.vV));
    for (let k = 1; k < c.vV.length; k++) {
      const dv = Math.abs(c.vV[k] - c.vV[k - 1]);
      if (dv > 0) {
        steps.push(dv);
        const dt = c.tS ? c.tS[k] - c.tS[k - 1] : NaN;
        if (c.timeSource !== 'index' && dt > 0) rates.push(dv / dt);
      }
    }
    if (c.complianceA !== null && c.complianceA !== undefined) comp.push(c.complianceA);
    if (c.features.readVoltageV !== undefined) read.push(Math.abs(c.features.readVoltageV));
  }
  return {
    vSetV: quantile(vmin, 0.5),
    vResetV: quantile(vmax, 0.5),
    stepV: quantile(steps, 0.5),
    rateVps: rates.length ? quantile(rates, 0.5) : defaultRateVps,
    rateSource: rates.length ? 'data' : 'default',
    readVoltageV: read.length ? quantile(read, 0.5) : DEFAULT_READ_VOLTAGE_V,
    complianceA: comp.length * 2 >= cycles.length ? quantile(comp, 0.5) : null,
  };
}

/** Each measured device's cycles' features, grouped by device (the data the population is refined against). */
export function measuredGroups(ds: DatasetIn): CycleFeaturesIn[][] {
  return ds.devices.map((d) => d.cycles.map(cycleFeatures));
}

/** One protocol per device (its own median sweep, compliance and read voltage), for devices with cycles. */
export function deviceProtocols(ds: DatasetIn, defaultRateVps = 1): SweepConditions[] {
  return ds.devices
    .filter((d) => d.cycles.length > 0)
    .map((d) => {
      const { rateSource: _source, ...sweep } = sweepConditions({ devices: [d] }, defaultRateVps);
      return sweep;
    });
}

/** A measured cycle's protocol (ppc.ts CycleProtocol): its samples, time (measured, else |ΔV| / rate), compliance, read voltage, start state. */
export function cycleProtocol(device: string, c: CycleIn, defaultRateVps = 1): CycleProtocol {
  const n = c.vV.length;
  const vV = Float64Array.from(c.vV);
  let tS: Float64Array | null = null;
  if (c.timeSource !== 'index' && Array.isArray(c.tS) && c.tS.length === n) {
    tS = new Float64Array(n);
    for (let k = 0; k < n; k++) tS[k] = c.tS[k] - c.tS[0];
    for (let k = 1; k < n && tS; k++) if (!(tS[k] > tS[k - 1])) tS = null; // not strictly increasing: not usable
  }
  const rateSource = tS ? 'data' : 'default';
  if (!tS) {
    // a held voltage (ΔV = 0) lasts one typical step
    const steps: number[] = [];
    for (let k = 1; k < n; k++) if (vV[k] !== vV[k - 1]) steps.push(Math.abs(vV[k] - vV[k - 1]));
    const typical = steps.length ? quantile(steps, 0.5) : 0.01;
    tS = new Float64Array(n);
    for (let k = 1; k < n; k++) tS[k] = tS[k - 1] + (Math.abs(vV[k] - vV[k - 1]) || typical) / defaultRateVps;
  }
  let first = 0;
  for (let k = 0; k < n && first === 0; k++) if (Math.abs(vV[k]) > 0) first = Math.sign(vV[k]);
  return {
    source: { device, cycle: c.cycle },
    tS,
    vV,
    complianceA: c.complianceA ?? null,
    readVoltageV: Math.abs(c.features.readVoltageV ?? DEFAULT_READ_VOLTAGE_V),
    startsWithSet: first <= 0,
    rateSource,
  };
}

/** Every measured cycle's protocol, grouped by device (devices without cycles left out). */
export function cycleProtocols(ds: DatasetIn, defaultRateVps = 1): CycleProtocol[][] {
  return ds.devices.filter((d) => d.cycles.length > 0).map((d) => d.cycles.map((c) => cycleProtocol(d.id, c, defaultRateVps)));
}

/**
 * The measured current's own scatter in decades (the fit stage's estimate, noiseLevelLog10: robust second
 * differences of log10|I| along each cycle, median over cycles); 0 when the dataset carries no currents.
 * The check adds it to the simulated currents, so both sides go through the same measurement.
 */
export function measuredNoiseLog10(ds: DatasetIn): number {
  const cycles = ds.devices.flatMap((d) =>
    d.cycles
      .filter((c) => Array.isArray(c.iA) && c.iA.length === c.vV.length)
      .map((c): FitCycleInput => ({
        device: d.id,
        cycle: c.cycle,
        tS: c.tS,
        timeSource: c.timeSource,
        vV: c.vV,
        iA: c.iA as number[],
        complianceA: c.complianceA ?? null,
        ...(c.currentFloorA !== undefined ? { currentFloorA: c.currentFloorA } : {}),
      })),
  );
  return cycles.length ? noiseLevelLog10(cycles) : 0;
}
