/**
 * Reads a jartcal.dataset/1 file (CONTRACTS §2) for fitting, checking the fields the fit needs
 * and naming the cycle and field of anything malformed.
 */
import { readFileSync } from 'node:fs';
import { JartcalError } from '../util/errors.js';
import type { FitCycleInput } from '../fit/cycle-data.js';
import type { FitDatasetInput } from '../fit/run.js';

export function checkDatasetForFit(obj: unknown, file: string): FitDatasetInput {
  const fail = (msg: string): never => {
    throw new JartcalError(msg, { code: 'bad_dataset', location: { file } });
  };
  const d = obj as { schema?: unknown; devices?: unknown };
  if (!d || typeof d !== 'object') fail('expected a JSON object (a jartcal.dataset/1 file)');
  if (d.schema !== 'jartcal.dataset/1' && d.schema !== 'jartcal.dataset/2')
    fail(`expected schema "jartcal.dataset/2" (or /1), found ${JSON.stringify(d.schema)}`);
  if (!Array.isArray(d.devices) || d.devices.length === 0) fail('expected a non-empty "devices" array');
  const devices = (d.devices as unknown[]).map((dv, di) => {
    const x = dv as { id?: unknown; cycles?: unknown };
    if (typeof x?.id !== 'string') fail(`devices[${di}].id: expected a string`);
    if (!Array.isArray(x.cycles)) fail(`devices[${di}] ("${x.id}"): expected a "cycles" array`);
    const seen = new Set<number>();
    const cycles = (x.cycles as unknown[]).map((cv, ci) => {
      const c = cv as Partial<FitCycleInput>;
      const where = `devices[${di}].cycles[${ci}] (device "${x.id}")`;
      for (const f of ['vV', 'iA'] as const) {
        const a = c?.[f];
        if (!Array.isArray(a) || a.length < 3 || !a.every((v) => typeof v === 'number' && Number.isFinite(v)))
          fail(`${where}.${f}: expected an array of ≥ 3 finite numbers`);
      }
      if ((c.iA as number[]).length !== (c.vV as number[]).length) fail(`${where}: vV and iA differ in length`);
      if (!Number.isInteger(c.cycle)) fail(`${where}.cycle: expected an integer`);
      if (seen.has(c.cycle as number)) fail(`${where}: cycle ${c.cycle} appears twice`);
      seen.add(c.cycle as number);
      const tS = Array.isArray(c.tS) ? c.tS : [];
      return {
        device: x.id as string,
        cycle: c.cycle as number,
        tS: tS as number[],
        timeSource: (c.timeSource ?? 'index') as string,
        vV: c.vV as number[],
        iA: c.iA as number[],
        complianceA: typeof c.complianceA === 'number' ? c.complianceA : null,
        branch: Array.isArray(c.branch) ? c.branch : undefined,
        features: c.features,
        currentFloorA: c.currentFloorA,
      } satisfies FitCycleInput;
    });
    return { id: x.id as string, cycles };
  });
  return { devices };
}

export function readDatasetForFit(path: string): FitDatasetInput {
  let obj: unknown;
  try {
    obj = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new JartcalError(`cannot read dataset: ${e instanceof Error ? e.message : String(e)}`, {
      code: 'bad_dataset',
      location: { file: path },
    });
  }
  return checkDatasetForFit(obj, path);
}
