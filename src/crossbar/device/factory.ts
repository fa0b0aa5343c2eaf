/** Builds the device arrays of a resolved experiment config (one engine shared by all tiles); the models are in ./models. */
import type { Rng } from '../../util/rng.js';
import type { ExperimentConfig } from '../experiment/config.js';
import { FitEulerEngine, TabulatedEngine, type PulseEngine } from './jartEngine.js';
import type { DeviceArray } from './types.js';
import { DifferentialPairArray, ScaledArray } from '../mapping/mapping.js';
import { ModelEngine } from './modelEngine.js';
import { deviceModel } from './models/registry.js';
import { NO_VAR, type VarSpec } from './types.js';
import { classEngines, kineticClasses, type KineticClasses } from './population.js';
import { nominalParams } from './operatingPoint.js';
import type { JartParams } from '../../model/index.js';
import { amplitudePlan, type AmplitudePlan } from './amplitude.js';

/** Range of a geometry quantity a device can reach (D2D clip bounds and C2C excursions), for the engine's tables. */
function geoRange(r: VarSpec, nom: number): [number, number] {
  if (r.dtod === 0 && r.std === 0 && r.slope === 0) return [nom, nom];
  let lo = r.dtodLower > 0 ? r.dtodLower : nom * Math.max(0.2, 1 - 5 * r.dtod);
  let hi = r.dtodUpper > 0 ? r.dtodUpper : nom * (1 + 5 * r.dtod);
  if (r.std > 0 || r.slope > 0) {
    lo *= 1 + Math.min(0, r.ctocLower);
    hi *= 1 + Math.max(0, r.ctocUpper);
  }
  return [lo, hi];
}

function radiusRange(c: ExperimentConfig): [number, number] {
  return geoRange(c.device.jart.variability.rdisc, c.device.jart.nominal.rM);
}

const varies = (v: VarSpec): boolean => v.dtod > 0 || v.std > 0 || v.slope > 0;

/**
 * The nominal pulse engine of a config (with a population and the full model: the population's central
 * device, src/crossbar/device/population.ts). `params` replaces model parameters (a kinetic class).
 */
export function createEngine(c: ExperimentConfig, params: Partial<JartParams> = {}): PulseEngine {
  const j = c.device.jart;
  let base: PulseEngine;
  if (c.device.model === 'jart') {
    const pad = (x: [number, number], nom: number): [number, number] => (x[1] > x[0] ? [x[0] * 0.98, x[1] * 1.02] : [nom * 0.9, nom * 1.1]);
    // the kernel's N tables hold every device's N bounds (d2d and c2c), else its pulses are integrated in full
    const nRange: [number, number] = [
      Math.min(j.nominal.nMin / 10, 0.9 * geoRange(j.variability.Ndiscmin, j.nominal.nMin)[0]),
      Math.max(2 * j.nominal.nMax, 1.1 * geoRange(j.variability.Ndiscmax, j.nominal.nMax)[1]),
    ];
    base = new ModelEngine(j, {
      nRange,
      params: { ...nominalParams(c), ...params },
      rRangeM: pad(radiusRange(c), j.nominal.rM),
      lRangeM: capL(pad(geoRange(j.variability.ldisc, j.nominal.lM), j.nominal.lM), lMaxOf(c)),
    });
    // In the full model the disc length also changes the current and heating: the 1/l scaling of the
    // table holds only for the aihwkit algorithm, so devices with varied l use the model kernel directly.
    if (varies(j.variability.ldisc)) return base;
  } else {
    base = new FitEulerEngine(j);
  }
  if (j.engine === 'exact') return base;
  const [rLo, rHi] = radiusRange(c);
  // Varied disc length (aihwkit algorithm): a third table axis in ln l, so that fast devices with large
  // single-pulse changes need no exact integration (error measured in test/crossbar/device.test.ts).
  const [lLo, lHi] = geoRange(j.variability.ldisc, j.nominal.lM);
  const lVaries = varies(j.variability.ldisc) && lHi > lLo;
  const lAxis = lVaries && j.tableLengths > 1 ? { lLoM: lLo * 0.99, lHiM: lHi * 1.01, lPoints: j.tableLengths } : {};
  // Exact integration only for near-binary pulses, unless l varies without an l axis (1/l scaling).
  const exactAbove = lVaries && j.tableLengths <= 1 ? 0.01 : 0.1;
  // An N clamp wider than [nLo, nHi] (the paper-era weight bounds): a second, ln N table out to the lowest
  // N_min and highest N_max a device can have (or the clamp), so that those states need no exact integration.
  const [cLo, cHi] = programClamp(c) ?? clampBounds(j, base);
  const nLowest = Math.max(cLo, geoRange(j.variability.Ndiscmin, j.nominal.nMin)[0]);
  const nHighest = Math.min(cHi, geoRange(j.variability.Ndiscmax, j.nominal.nMax)[1]);
  const outer =
    nLowest < j.nLo || nHighest > j.nHi
      ? { outer: { nLo: Math.min(nLowest, j.nLo) * 0.999, nHi: Math.max(nHighest, j.nHi) * 1.001, nPoints: j.tablePoints } }
      : {};
  return new TabulatedEngine(base, {
    nLo: j.nLo,
    nHi: j.nHi,
    nPoints: j.tablePoints,
    rLoM: rLo,
    rHiM: rHi,
    rPoints: rHi > rLo ? j.tableRadii : 1,
    lNomM: j.nominal.lM,
    nMinNom: j.nominal.nMin,
    nMaxNom: j.nominal.nMax,
    exactAbove,
    ...lAxis,
    ...outer,
  });
}

/**
 * The N clamp of the aihwkit JARTv1bDevice for a weight bound w (upper or lower): the N whose nominal read
 * current maps to w under the linear mapping (wMin at nLo … wMax at nHi). A bound equal to the mapping's
 * end point gives nLo/nHi exactly; a current outside what the read can reach (above I(100·N_max) or below
 * I(N_min/100), e.g. negative) gives no clamp (0 / Infinity: the device's own N_min/N_max), as in the
 * paper-era C++, where the inverse read is NaN or 0 there and its MIN/MAX macros then keep the physical bound.
 */
export function weightToClampN(j: ExperimentConfig['device']['jart'], engine: PulseEngine): (w: number, upper: boolean) => number {
  const nom = j.nominal;
  const read = (n: number): number => engine.readA(n, nom.rM, nom.lM);
  const iLo = read(j.nLo),
    iHi = read(j.nHi);
  return (w, upper) => {
    if (w === (upper ? j.wMax : j.wMin)) return upper ? j.nHi : j.nLo;
    const target = iLo + ((w - j.wMin) * (iHi - iLo)) / (j.wMax - j.wMin);
    let a = nom.nMin / 100,
      b = nom.nMax * 100;
    if (!(target > read(a)) || !(target < read(b))) return upper ? Infinity : 0;
    for (let it = 0; it < 200 && b - a > 1e-15 * b; it++) {
      const m = 0.5 * (a + b);
      if (read(m) < target) a = m;
      else b = m;
    }
    return 0.5 * (a + b);
  };
}

/**
 * Inference with `program.window: "device"`: no peripheral N clamp, each device is programmed within its own
 * N bounds ([0, ∞) as the clamp); null otherwise (the clamp of the weight bounds).
 */
export function programClamp(c: ExperimentConfig): [number, number] | null {
  return c.mode === 'inference' && c.program.window === 'device' ? [0, Infinity] : null;
}

/** The N clamp [lo, hi] of the nominal weight bounds (wBoundMin, wBoundMax); see weightToClampN. */
export function clampBounds(j: ExperimentConfig['device']['jart'], engine: PulseEngine): [number, number] {
  const of = weightToClampN(j, engine);
  return [of(j.wBoundMin, false), of(j.wBoundMax, true)];
}

export type DeviceMaker = (size: number, tileIndex: number) => DeviceArray;

/** Kinetic classes of a population and their engines (full model only; null when every device shares one engine). */
export interface KineticEngines {
  classes: KineticClasses;
  engines: PulseEngine[];
}

export function createKineticEngines(c: ExperimentConfig): KineticEngines | null {
  const pop = c.device.population;
  if (!pop || c.device.model !== 'jart') return null;
  const classes = kineticClasses(pop, c.device.jart.kineticClasses);
  return classes ? { classes, engines: classEngines(pop, classes, (p) => createEngine(c, p)) } : null;
}

/** Full model: the longest disc a device may have, 0.95·lcell (the plug needs a length; the model is invalid at lnew ≥ lcell). */
export function lMaxOf(c: ExperimentConfig): number {
  return c.device.model === 'jart' ? 0.95 * nominalParams(c).lcell : Infinity;
}
const capL = ([lo, hi]: [number, number], max: number): [number, number] => [Math.min(lo, 0.9 * max), Math.min(hi, max)];

/** Geometry ranges the engines cover (drawn devices are kept inside). */
function engineRanges(c: ExperimentConfig): { r: [number, number]; l: [number, number] } {
  const j = c.device.jart;
  const d2dOnly = (v: VarSpec): VarSpec => ({ ...v, std: 0, slope: 0 });
  return {
    r: geoRange(d2dOnly(j.variability.rdisc), j.nominal.rM),
    l: capL(geoRange(d2dOnly(j.variability.ldisc), j.nominal.lM), lMaxOf(c)),
  };
}

/** Returns a maker for layer `layerIndex`; every tile gets its own forked RNG stream (seeded, order-independent). */
export function deviceMaker(
  c: ExperimentConfig,
  engine: PulseEngine | null,
  rng: Rng,
  layerIndex: number,
  kinetic: KineticEngines | null = null,
): DeviceMaker {
  const model = deviceModel(c.device.model);
  const withEngine = model.pulseEngine && engine;
  const window = programClamp(c);
  const context = {
    config: c,
    engine,
    clamp: withEngine ? (window ?? clampBounds(c.device.jart, engine)) : null,
    clampOf: withEngine && !window ? weightToClampN(c.device.jart, engine) : undefined,
    kinetic,
    ranges: withEngine && c.device.population ? engineRanges(c) : null,
    lMaxM: lMaxOf(c),
    amplitude: withEngine ? programAmplitudes(c, engine, kinetic)?.ladder : undefined,
  };
  return (size, tileIndex) => {
    const r = rng.fork(layerIndex * 1000 + tileIndex);
    const one = (stream: Rng): DeviceArray => model.make({ ...context, size, rng: stream });
    if (c.mapping.kind === 'differential-pair')
      return new DifferentialPairArray(one(r.fork(1)), one(r.fork(2)), c.mapping.weightScale, c.mapping.pairZero);
    const d = one(r);
    return c.mapping.weightScale === 1 ? d : new ScaledArray(d, c.mapping.weightScale);
  };
}

const plans = new WeakMap<PulseEngine, AmplitudePlan>();
/**
 * The amplitude ladder of write-verify with `program.ramp: "amplitude"` (inference; src/crossbar/device/amplitude.ts),
 * one per nominal engine (so per network), else null.
 */
export function programAmplitudes(c: ExperimentConfig, engine: PulseEngine, kinetic: KineticEngines | null): AmplitudePlan | null {
  if (c.mode !== 'inference' || c.program.method !== 'write-verify' || c.program.ramp !== 'amplitude') return null;
  let plan = plans.get(engine);
  if (!plan) plans.set(engine, (plan = amplitudePlan(c, kinetic, createEngine)));
  return plan;
}

/**
 * One nominal device of the config's model (no device-to-device or cycle-to-cycle variation, single
 * device, unscaled): the reference open-loop programming counts its pulses on.
 */
export function nominalDevice(c: ExperimentConfig, engine: PulseEngine | null, rng: Rng): DeviceArray {
  const nominal: ExperimentConfig = {
    ...c,
    mapping: { ...c.mapping, kind: 'single-device', weightScale: 1 },
    device: {
      ...c.device,
      jart: { ...c.device.jart, variability: { Ndiscmax: NO_VAR, Ndiscmin: NO_VAR, ldisc: NO_VAR, rdisc: NO_VAR, wBounds: NO_VAR } },
      population: null,
      softBounds: { ...c.device.softBounds, dwMinDtod: 0, dwMinStd: 0, upDownDtod: 0, wMinDtod: 0, wMaxDtod: 0 },
    },
  };
  return deviceMaker(nominal, engine, rng, 999)(1, 0);
}
