/** Builds the device arrays of a resolved experiment config (one engine shared by all tiles). */
import type { Rng } from '../../util/rng.js';
import type { ExperimentConfig } from '../experiment/config.js';
import { FitEulerEngine, TabulatedEngine, type PulseEngine } from './jartEngine.js';
import { JartArray } from './jartArray.js';
import { SoftBoundsArray } from './softBounds.js';
import { IdealArray } from './ideal.js';
import type { DeviceArray } from './types.js';
import { DifferentialPairArray, ScaledArray } from '../mapping/mapping.js';
import { JartcalError } from '../../util/errors.js';

/** Range of r a device can reach (D2D clip bounds and C2C excursions), for the engine's table. */
function radiusRange(c: ExperimentConfig): [number, number] {
  const r = c.device.jart.variability.rdisc;
  const nom = c.device.jart.nominal.rM;
  if (r.dtod === 0 && r.std === 0 && r.slope === 0) return [nom, nom];
  let lo = r.dtodLower > 0 ? r.dtodLower : nom * Math.max(0.2, 1 - 5 * r.dtod);
  let hi = r.dtodUpper > 0 ? r.dtodUpper : nom * (1 + 5 * r.dtod);
  if (r.std > 0 || r.slope > 0) { lo *= 1 + Math.min(0, r.ctocLower); hi *= 1 + Math.max(0, r.ctocUpper); }
  return [lo, hi];
}

export function createEngine(c: ExperimentConfig, modelEngine?: () => PulseEngine): PulseEngine {
  const j = c.device.jart;
  let base: PulseEngine;
  if (c.device.model === 'jart') {
    if (!modelEngine) throw new JartcalError('device.model "jart" needs the full-physics model (src/model), which this build does not include; use "aihwkit-jart"', { code: 'unavailable' });
    base = modelEngine();
  } else {
    base = new FitEulerEngine(j);
  }
  if (j.engine === 'exact') return base;
  const [rLo, rHi] = radiusRange(c);
  return new TabulatedEngine(base, {
    nLo: j.nLo, nHi: j.nHi, nPoints: j.tablePoints, rLoM: rLo, rHiM: rHi, rPoints: rHi > rLo ? j.tableRadii : 1,
    lNomM: j.nominal.lM, nMinNom: j.nominal.nMin, nMaxNom: j.nominal.nMax,
  });
}

export type DeviceMaker = (size: number, tileIndex: number) => DeviceArray;

/** Returns a maker for layer `layerIndex`; every tile gets its own forked RNG stream (seeded, order-independent). */
export function deviceMaker(c: ExperimentConfig, engine: PulseEngine | null, rng: Rng, layerIndex: number): DeviceMaker {
  return (size, tileIndex) => {
    const r = rng.fork(layerIndex * 1000 + tileIndex);
    const one = (stream: Rng): DeviceArray => {
      switch (c.device.model) {
        case 'ideal': return new IdealArray(size, c.update.dwMin, c.device.jart.wMin, c.device.jart.wMax);
        case 'soft-bounds': return new SoftBoundsArray({ size, ...c.device.softBounds }, stream);
        default: {
          if (!engine) throw new JartcalError('internal: no pulse engine for a JART device');
          const j = c.device.jart;
          return new JartArray({ size, engine, nLo: j.nLo, nHi: j.nHi, wMin: j.wMin, wMax: j.wMax, nominal: j.nominal, variability: j.variability }, stream);
        }
      }
    };
    if (c.mapping.kind === 'differential-pair') return new DifferentialPairArray(one(r.fork(1)), one(r.fork(2)), c.mapping.weightScale);
    const d = one(r);
    return c.mapping.weightScale === 1 ? d : new ScaledArray(d, c.mapping.weightScale);
  };
}
