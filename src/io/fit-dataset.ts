/**
 * Reads a dataset (jartcal.dataset/2 or /1) for fitting through the one dataset schema, then checks what a fit
 * needs beyond it (devices, ≥ 3 points per cycle, distinct cycle numbers), naming the cycle and field.
 */
import { JartcalError } from '../util/errors.js';
import type { FitCycleInput } from '../fit/cycle-data.js';
import type { FitDatasetInput } from '../fit/run.js';
import { datasetSchema } from '../schema/dataset.js';
import { parseWith } from '../schema/issues.js';
import { readJsonFile } from './json.js';

export function checkDatasetForFit(obj: unknown, file: string): FitDatasetInput {
  const fail = (msg: string): never => {
    throw new JartcalError(msg, { code: 'bad_dataset', location: { file } });
  };
  // the one dataset schema first (src/schema/dataset.ts), then what a fit needs beyond it
  const d = parseWith(datasetSchema, obj, file, 'bad_dataset');
  if (d.devices.length === 0) fail('expected a non-empty "devices" array');
  const devices = d.devices.map((x, di) => {
    const seen = new Set<number>();
    const cycles = x.cycles.map((c, ci) => {
      const where = `devices[${di}].cycles[${ci}] (device "${x.id}")`;
      if (c.vV.length < 3) fail(`${where}.vV: expected an array of ≥ 3 finite numbers`);
      if (seen.has(c.cycle)) fail(`${where}: cycle ${c.cycle} appears twice`);
      seen.add(c.cycle);
      return {
        device: x.id,
        cycle: c.cycle,
        tS: c.tS,
        timeSource: c.timeSource,
        vV: c.vV,
        iA: c.iA,
        complianceA: c.complianceA,
        branch: c.branch,
        features: c.features,
        currentFloorA: c.currentFloorA,
      } satisfies FitCycleInput;
    });
    return { id: x.id, cycles };
  });
  return { devices };
}

export function readDatasetForFit(path: string): FitDatasetInput {
  return checkDatasetForFit(readJsonFile(path), path);
}
