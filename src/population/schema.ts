/**
 * readPopulation: validates an already-parsed JSON value as `jartcal.population/1` and returns it
 * typed, with the correlation repaired to positive definite if needed. Errors name the JSON path.
 */
import { JartcalError } from '../util/errors.js';
import { isParamName, paramInfo, type ParamName } from './params.js';
import { repairCorrelation } from './correlation.js';
import { POPULATION_SCHEMA, type Family, type ParameterSpec, type PopulationFile, type SpreadKind } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const FAMILIES: Family[] = ['normal', 'lognormal', 'truncnormal', 'trunclognormal'];
const KINDS: SpreadKind[] = ['absolute', 'relative', 'ln'];

export function readPopulation(v: unknown, file = 'population.json'): PopulationFile {
  const fail = (path: string, expected: string): never => {
    throw new JartcalError(`${path}: expected ${expected}`, { code: 'bad_population', location: { file } });
  };
  const num = (x: unknown, path: string, opt = false): number | undefined => {
    if (x === undefined && opt) return undefined;
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(path, 'a finite number');
    return x as number;
  };
  if (!isObj(v)) return fail('(root)', 'a JSON object');
  if (v.schema !== POPULATION_SCHEMA) fail('schema', `"${POPULATION_SCHEMA}", got ${JSON.stringify(v.schema)}`);
  if (!isObj(v.parameters)) fail('parameters', 'an object keyed by parameter name');
  const base: PopulationFile['base'] = {};
  if (v.base !== undefined) {
    if (!isObj(v.base)) fail('base', 'an object of parameter values');
    for (const [k, x] of Object.entries(v.base as Obj)) {
      if (!isParamName(k)) fail(`base.${k}`, 'a JART parameter name (spec §4)');
      base[k as ParamName] = num(x, `base.${k}`);
    }
  }
  const parameters: PopulationFile['parameters'] = {};
  for (const [k, raw] of Object.entries(v.parameters as Obj)) {
    const p = `parameters.${k}`;
    if (!isParamName(k)) fail(p, 'a JART parameter name (spec §4)');
    if (!isObj(raw)) fail(p, 'an object {family, d2d, c2c}');
    const r = raw as Obj;
    if (!FAMILIES.includes(r.family as Family)) fail(`${p}.family`, `one of ${FAMILIES.join(', ')}`);
    const family = r.family as Family;
    if (!isObj(r.d2d)) fail(`${p}.d2d`, 'an object {center, spread, spreadKind}');
    if (!isObj(r.c2c)) fail(`${p}.c2c`, 'an object {spread, spreadKind}');
    const d = r.d2d as Obj, c = r.c2c as Obj;
    const center = num(d.center, `${p}.d2d.center`) as number;
    if ((family === 'lognormal' || family === 'trunclognormal') && !(center > 0)) fail(`${p}.d2d.center`, 'a positive number for a lognormal family');
    const spread = num(d.spread, `${p}.d2d.spread`) as number;
    if (spread < 0) fail(`${p}.d2d.spread`, 'a non-negative number');
    if (!KINDS.includes(d.spreadKind as SpreadKind)) fail(`${p}.d2d.spreadKind`, `one of ${KINDS.join(', ')}`);
    const lower = num(d.lower, `${p}.d2d.lower`, true), upper = num(d.upper, `${p}.d2d.upper`, true);
    if (lower !== undefined && upper !== undefined && !(lower < upper)) fail(`${p}.d2d.upper`, 'upper > lower');
    if (d.bounding !== undefined && d.bounding !== 'truncate' && d.bounding !== 'clip') fail(`${p}.d2d.bounding`, '"truncate" or "clip"');
    const cs = num(c.spread, `${p}.c2c.spread`) as number;
    if (cs < 0) fail(`${p}.c2c.spread`, 'a non-negative number');
    if (!KINDS.includes(c.spreadKind as SpreadKind)) fail(`${p}.c2c.spreadKind`, `one of ${KINDS.join(', ')}`);
    if (c.distribution !== undefined && c.distribution !== 'normal' && c.distribution !== 'uniform') fail(`${p}.c2c.distribution`, '"normal" or "uniform"');
    for (const f of ['slope', 'lower', 'upper']) num(c[f], `${p}.c2c.${f}`, true);
    const info = paramInfo(k);
    const tolC = 1e-9 * Math.max(Math.abs(info?.min ?? 0), Math.abs(info?.max ?? 0));
    if (info && (center < info.min - tolC || center > info.max + tolC)) fail(`${p}.d2d.center`, `a value in the valid range [${info.min}, ${info.max}] of ${k}`);
    parameters[k as ParamName] = raw as unknown as ParameterSpec;
  }
  const corr = v.correlation === undefined ? { params: [], matrix: [] } : v.correlation;
  if (!isObj(corr) || !Array.isArray(corr.params) || !Array.isArray(corr.matrix)) fail('correlation', 'an object {params: [names], matrix: [[...]]}');
  const cp = (corr as Obj).params as unknown[], cm = (corr as Obj).matrix as unknown[];
  cp.forEach((n, i) => { if (typeof n !== 'string' || !parameters[n as ParamName]) fail(`correlation.params[${i}]`, 'the name of a parameter listed under "parameters"'); });
  if (new Set(cp).size !== cp.length) fail('correlation.params', 'distinct names');
  if (cm.length !== cp.length) fail('correlation.matrix', `${cp.length} rows`);
  cm.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cp.length) fail(`correlation.matrix[${i}]`, `${cp.length} numbers`);
    (row as unknown[]).forEach((x, j) => {
      const val = num(x, `correlation.matrix[${i}][${j}]`) as number;
      if (Math.abs(val) > 1 + 1e-9) fail(`correlation.matrix[${i}][${j}]`, 'a correlation in [-1, 1]');
      if (i === j && Math.abs(val - 1) > 1e-9) fail(`correlation.matrix[${i}][${j}]`, '1 on the diagonal');
    });
  });
  const rep = repairCorrelation(cm as number[][]);
  const correlation: PopulationFile['correlation'] = { ...(corr as PopulationFile['correlation']), matrix: rep.matrix };
  if (rep.repaired) { correlation.repaired = true; correlation.minEigenvalueBefore = rep.minEigenvalueBefore; }
  if (v.circuit !== undefined) {
    const c = v.circuit;
    if (!isObj(c) || !isObj(c.seriesOhm)) fail('circuit', 'an object {seriesOhm: {family, center, spread, spreadKind, n}}');
    const r = (c as Obj).seriesOhm as Obj;
    if (r.family !== 'lognormal' || r.spreadKind !== 'ln') fail('circuit.seriesOhm', 'family "lognormal" with spreadKind "ln"');
    if (!((num(r.center, 'circuit.seriesOhm.center') as number) > 0)) fail('circuit.seriesOhm.center', 'a resistance > 0 in Ω');
    if (!((num(r.spread, 'circuit.seriesOhm.spread') as number) >= 0)) fail('circuit.seriesOhm.spread', 'a non-negative number');
    num(r.n, 'circuit.seriesOhm.n');
  }
  const prov = isObj(v.provenance) ? v.provenance : {};
  return {
    ...(v as unknown as PopulationFile),
    toolkitVersion: String(v.toolkitVersion ?? ''), createdAt: String(v.createdAt ?? ''), seed: Number(v.seed ?? 0),
    provenance: { fits: [], datasets: [], ...(prov as Obj) } as PopulationFile['provenance'],
    base, parameters, correlation,
  };
}
