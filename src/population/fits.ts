/**
 * The subset of `jartcal.fits/1` (CONTRACTS §3) this stage reads, and its validation.
 * Validation errors name the file and the JSON path and what was expected.
 */
import { parseWith } from '../schema/issues.js';
import { fitsSchema } from '../schema/fits.js';
import type { ParamName } from './params.js';
import type { FitFlagCode } from '../fit/types.js';
import type { HierPopulationBlock } from '../fit/hier/format.js';

export interface CycleFitIn {
  device: string;
  cycle: number;
  params: Partial<Record<ParamName, number>>;
  fitted: ParamName[];
  stderr: Partial<Record<ParamName, number>>;
  converged: boolean;
  flags: { code: FitFlagCode; param?: string }[];
}

export interface FitsIn {
  schema: 'jartcal.fits/1';
  toolkitVersion: string;
  seed: number;
  dataset: string;
  settings: { fitParams?: ParamName[]; cycleParams?: ParamName[]; fixed?: Partial<Record<ParamName, number>>; [k: string]: unknown };
  devices: {
    device: string;
    params: Partial<Record<ParamName, number>>;
    stderr: Partial<Record<ParamName, number>>;
    /** the device's fitted measurement circuit (`--fit ...,seriesOhm`): external series resistance, Ω */
    circuit?: { seriesOhm?: number };
  }[];
  cycles: CycleFitIn[];
  /** The hierarchical fit's population block (fits /2, fit/hier/format.ts), when present. */
  population?: HierPopulationBlock;
}

/** The fields this stage reads of a fits file validated by its one schema (src/schema/fits.ts). */
export function validateFits(v: unknown, file = 'fits.json'): FitsIn {
  const f = parseWith(fitsSchema, v, file, 'bad_fits');
  const devices = f.devices.map((d) => ({
    device: d.device,
    params: d.params,
    stderr: d.stderr,
    ...(d.circuit ? { circuit: d.circuit.seriesOhm === undefined ? {} : { seriesOhm: d.circuit.seriesOhm } } : {}),
  }));
  const cycles = f.cycles.map((c): CycleFitIn => ({
    device: c.device,
    cycle: c.cycle,
    params: c.params,
    fitted: c.fitted,
    stderr: c.stderr,
    converged: c.converged,
    flags: c.flags as CycleFitIn['flags'],
  }));
  return {
    schema: 'jartcal.fits/1',
    toolkitVersion: f.toolkitVersion,
    seed: f.seed,
    dataset: f.dataset,
    settings: f.settings as FitsIn['settings'],
    devices,
    cycles,
    ...(f.population ? { population: f.population as unknown as HierPopulationBlock } : {}),
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
