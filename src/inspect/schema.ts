/**
 * Reader-side views of the three files the inspector and the report read (CONTRACTS §2–§4):
 * dataset.json (jartcal.dataset/1), fits.json (jartcal.fits/1), population.json (jartcal.population/1).
 * Only the fields these tools use are typed; `validate*` checks them once and throws a JartcalError
 * naming the file and the JSON path of the first bad field. Unknown fields are kept untouched.
 */
import { JartcalError } from '../util/errors.js';
import { parseWith } from '../schema/issues.js';
import { fitsSchema } from '../schema/fits.js';
import { populationSchema } from '../schema/population.js';

export type ParamValues = Record<string, number>;

export interface FitFlag {
  code: string;
  param?: string;
  bound?: 'min' | 'max';
  detail?: string;
}

export interface CycleFitView {
  device: string;
  cycle: number;
  params: ParamValues;
  fitted: string[];
  stderr: ParamValues;
  correlation: { params: string[]; matrix: number[][] } | null;
  rmsLog10: number;
  converged: boolean;
  flags: FitFlag[];
  metrics: {
    rmsLog10: number;
    dVSetV: number | null;
    dVResetV: number | null;
    hrsRelErr: number | null;
    lrsRelErr: number | null;
    evaluations: number;
    seconds: number;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface FitsFileView {
  schema: 'jartcal.fits/1' | 'jartcal.fits/2';
  toolkitVersion: string;
  createdAt: string;
  seed: number;
  dataset: string;
  settings: { fitParams: string[]; cycleParams: string[]; fixed: ParamValues; [k: string]: unknown };
  devices: { device: string; params: ParamValues; stderr: ParamValues }[];
  cycles: CycleFitView[];
  [k: string]: unknown;
}

export interface CycleFeatures {
  vSetV: number | null;
  vResetV: number | null;
  readVoltageV: number;
  hrsOhm: number | null;
  lrsOhm: number | null;
  onOff: number | null;
  resetPeakA: number | null;
  complianceHit: boolean;
}

export interface CycleData {
  device: string;
  cycle: number;
  tS: number[];
  vV: number[];
  iA: number[];
  branch: number[];
  complianceA: number | null;
  features: CycleFeatures;
  currentFloorA?: number;
  provenance?: { file: string; sheet?: string; rowStart: number; rowEnd: number };
  [k: string]: unknown;
}

export interface DatasetView {
  schema: 'jartcal.dataset/1' | 'jartcal.dataset/2';
  devices: { id: string; setPolarity: string; complianceA: number | null; cycles: CycleData[] }[];
  [k: string]: unknown;
}

export type SpreadKind = 'absolute' | 'relative' | 'ln';
export interface PopulationParam {
  family: 'normal' | 'lognormal' | 'truncnormal' | 'trunclognormal';
  d2d: { center: number; spread: number; spreadKind: SpreadKind; lower?: number; upper?: number; ci?: [number, number] };
  c2c: { spread: number; spreadKind: SpreadKind; ci?: [number, number] };
}
export interface PopulationView {
  schema: 'jartcal.population/1';
  seed: number;
  base: ParamValues;
  parameters: Record<string, PopulationParam>;
  correlation: { params: string[]; matrix: number[][] };
  profile?: unknown;
  [k: string]: unknown;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

class Checker {
  constructor(readonly file: string) {}
  fail(path: string, expected: string, got: unknown): never {
    const shown = got === undefined ? 'nothing' : (JSON.stringify(got)?.slice(0, 40) ?? String(got));
    throw new JartcalError(`${this.file}: ${path}: expected ${expected}, got ${shown}`, {
      code: 'bad_schema',
      location: { file: this.file },
    });
  }
  obj(x: unknown, path: string): Obj {
    return isObj(x) ? x : this.fail(path, 'an object', x);
  }
  arr(x: unknown, path: string): unknown[] {
    return Array.isArray(x) ? x : this.fail(path, 'an array', x);
  }
  str(x: unknown, path: string): string {
    return typeof x === 'string' ? x : this.fail(path, 'a string', x);
  }
  num(x: unknown, path: string): number {
    return typeof x === 'number' && Number.isFinite(x) ? x : this.fail(path, 'a finite number', x);
  }
  /** A number or null; non-finite values (written as null by JSON) read as NaN. */
  numOrNaN(x: unknown, path: string): number {
    return x === null ? NaN : this.num(x, path);
  }
  nums(x: unknown, path: string): number[] {
    const a = this.arr(x, path);
    for (let i = 0; i < a.length; i++)
      if (typeof a[i] !== 'number' || !Number.isFinite(a[i] as number)) this.fail(`${path}[${i}]`, 'a finite number', a[i]);
    return a as number[];
  }
  record(x: unknown, path: string): ParamValues {
    const o = this.obj(x, path);
    for (const [k, v] of Object.entries(o)) this.num(v, `${path}.${k}`);
    return o as ParamValues;
  }
  schema(o: Obj, want: string, also: string[] = []): void {
    if (o.schema !== want && !also.includes(o.schema as string))
      this.fail('schema', [want, ...also].map((w) => `"${w}"`).join(' or '), o.schema);
  }
}

/** fits.json through its one schema (src/schema/fits.ts); defaults filled, unknown fields kept. */
export function validateFits(x: unknown, file: string): FitsFileView {
  return parseWith(fitsSchema, x, file, 'bad_fits') as unknown as FitsFileView;
}

export function validateDataset(x: unknown, file: string): DatasetView {
  const c = new Checker(file);
  const o = c.obj(x, '(top level)');
  c.schema(o, 'jartcal.dataset/2', ['jartcal.dataset/1']);
  c.arr(o.devices, 'devices').forEach((d, i) => {
    const p = `devices[${i}]`;
    const dd = c.obj(d, p);
    c.str(dd.id, `${p}.id`);
    c.arr(dd.cycles, `${p}.cycles`).forEach((cy, j) => {
      const q = `${p}.cycles[${j}]`;
      const cc = c.obj(cy, q);
      c.str(cc.device, `${q}.device`);
      c.num(cc.cycle, `${q}.cycle`);
      const n = c.nums(cc.vV, `${q}.vV`).length;
      if (c.nums(cc.iA, `${q}.iA`).length !== n) c.fail(`${q}.iA`, `${n} values (as many as vV)`, (cc.iA as unknown[]).length);
      const br = cc.branch === undefined ? new Array(n).fill(-1) : c.nums(cc.branch, `${q}.branch`);
      if (br.length !== n) c.fail(`${q}.branch`, `${n} values (as many as vV)`, br.length);
      cc.branch = br;
      if (cc.complianceA !== null && cc.complianceA !== undefined) c.num(cc.complianceA, `${q}.complianceA`);
      else cc.complianceA = null;
      if (!isObj(cc.features))
        cc.features = {
          vSetV: null,
          vResetV: null,
          readVoltageV: 0.1,
          hrsOhm: null,
          lrsOhm: null,
          onOff: null,
          resetPeakA: null,
          complianceHit: false,
        };
    });
  });
  return o as unknown as DatasetView;
}

/** population.json through its one schema (src/schema/population.ts). */
export function validatePopulation(x: unknown, file: string): PopulationView {
  return parseWith(populationSchema, x, file, 'bad_population') as unknown as PopulationView;
}

/** Finds the measured cycle of a fit (by device id and cycle index), or undefined. */
export function indexDataset(ds: DatasetView | null): Map<string, CycleData> {
  const m = new Map<string, CycleData>();
  if (ds) for (const d of ds.devices) for (const cy of d.cycles) m.set(cycleKey(cy.device, cy.cycle), cy);
  return m;
}

export const cycleKey = (device: string, cycle: number): string => `${device}#${cycle}`;
