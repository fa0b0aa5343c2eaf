/**
 * The subset of `jartcal.fits/1` (CONTRACTS §3) this stage reads, and its validation.
 * Validation errors name the file and the JSON path and what was expected.
 */
import type { HierPopulationBlock } from '../fit/hier/format.js';
import { JartcalError } from '../util/errors.js';
import { isParamName, type ParamName } from './params.js';

export interface CycleFitIn {
  device: string; cycle: number;
  params: Partial<Record<ParamName, number>>;
  fitted: ParamName[];
  stderr: Partial<Record<ParamName, number>>;
  converged: boolean;
  flags: { code: string; param?: string }[];
}

export interface FitsIn {
  schema: 'jartcal.fits/1'; toolkitVersion: string; seed: number; dataset: string;
  /** The hierarchical fit's population block (fits /2, fit/hier/format.ts), when present. */
  population?: HierPopulationBlock;
  settings: { fitParams?: ParamName[]; cycleParams?: ParamName[]; fixed?: Partial<Record<ParamName, number>>; [k: string]: unknown };
  devices: { device: string; params: Partial<Record<ParamName, number>>; stderr: Partial<Record<ParamName, number>>;
    /** the device's fitted measurement circuit (`--fit ...,seriesOhm`): external series resistance, Ω */
    circuit?: { seriesOhm?: number } }[];
  cycles: CycleFitIn[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(file: string, path: string, expected: string): never {
  throw new JartcalError(`${path}: expected ${expected}`, { code: 'bad_fits', location: { file } });
}

function paramRecord(v: unknown, file: string, path: string): Partial<Record<ParamName, number>> {
  if (!isObj(v)) fail(file, path, 'an object of parameter values');
  const out: Partial<Record<ParamName, number>> = {};
  for (const [k, x] of Object.entries(v)) {
    if (!isParamName(k)) fail(file, `${path}.${k}`, 'a JART parameter name (spec §4)');
    if (x === null) continue;
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(file, `${path}.${k}`, 'a finite number');
    out[k] = x;
  }
  return out;
}

export function validateFits(v: unknown, file = 'fits.json'): FitsIn {
  if (!isObj(v)) fail(file, '(root)', 'a JSON object');
  if (v.schema !== 'jartcal.fits/1' && v.schema !== 'jartcal.fits/2') fail(file, 'schema', `"jartcal.fits/1" or "jartcal.fits/2", got ${JSON.stringify(v.schema)}`);
  if (!Array.isArray(v.cycles)) fail(file, 'cycles', 'an array');
  const settings = isObj(v.settings) ? v.settings : {};
  const devices = (Array.isArray(v.devices) ? v.devices : []).map((d: unknown, i: number) => {
    if (!isObj(d) || typeof d.device !== 'string') fail(file, `devices[${i}].device`, 'a string');
    let circuit: { seriesOhm?: number } | undefined;
    if (d.circuit !== undefined) {
      if (!isObj(d.circuit)) fail(file, `devices[${i}].circuit`, 'an object {seriesOhm}');
      const r = (d.circuit as Obj).seriesOhm;
      if (r !== undefined && (typeof r !== 'number' || !Number.isFinite(r) || r < 0)) fail(file, `devices[${i}].circuit.seriesOhm`, 'a resistance ≥ 0 in Ω');
      circuit = r === undefined ? {} : { seriesOhm: r as number };
    }
    return { device: d.device, params: paramRecord(d.params ?? {}, file, `devices[${i}].params`), stderr: paramRecord(d.stderr ?? {}, file, `devices[${i}].stderr`), ...(circuit ? { circuit } : {}) };
  });
  const cycles = v.cycles.map((c: unknown, i: number): CycleFitIn => {
    const p = `cycles[${i}]`;
    if (!isObj(c)) fail(file, p, 'an object');
    if (typeof c.device !== 'string') fail(file, `${p}.device`, 'a string');
    if (typeof c.cycle !== 'number') fail(file, `${p}.cycle`, 'a number');
    const fitted = Array.isArray(c.fitted) ? c.fitted : [];
    fitted.forEach((n: unknown, j: number) => { if (typeof n !== 'string' || !isParamName(n)) fail(file, `${p}.fitted[${j}]`, 'a JART parameter name'); });
    return {
      device: c.device, cycle: c.cycle,
      params: paramRecord(c.params, file, `${p}.params`),
      fitted: fitted as ParamName[],
      stderr: paramRecord(c.stderr ?? {}, file, `${p}.stderr`),
      converged: c.converged !== false,
      flags: Array.isArray(c.flags) ? (c.flags as { code: string; param?: string }[]) : [],
    };
  });
  return {
    schema: 'jartcal.fits/1', toolkitVersion: String(v.toolkitVersion ?? ''), seed: Number(v.seed ?? 0),
    dataset: typeof v.dataset === 'string' ? v.dataset : '', settings: settings as FitsIn['settings'], devices, cycles,
    ...(isObj(v.population) && isObj(v.population.parameters) ? { population: v.population as unknown as HierPopulationBlock } : {}),
  };
}

/** Several fits files as one campaign; device ids are prefixed with the file index when more than one. */
export function mergeFits(files: FitsIn[]): FitsIn {
  if (files.length === 1) return files[0];
  const pre = (i: number, d: string): string => `${i}:${d}`;
  return {
    ...files[0],
    devices: files.flatMap((f, i) => f.devices.map((d) => ({ ...d, device: pre(i, d.device) }))),
    cycles: files.flatMap((f, i) => f.cycles.map((c) => ({ ...c, device: pre(i, c.device) }))),
  };
}
