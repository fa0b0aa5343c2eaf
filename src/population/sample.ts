/**
 * Sampling devices and cycles from a population.
 * Devices: a Gaussian copula — z = L ξ with L the Cholesky factor of the d2d correlation (params in
 * `correlation.params`), independent N(0, 1) for the others — then each parameter's marginal (d2d).
 * Cycles: JART v1b var semantics — rnew, lnew, Ndiscmin, Ndiscmax (and any other parameter with a
 * c2c spread) are redrawn each cycle around the device's own value, independently; in a simulation
 * (cycleSampler) one draw per cycle serves its SET and its RESET, the geometry carried over.
 * Draw order is fixed (parameters in PARAM_NAMES order), so the same seed gives bit-identical output.
 */
import type { Rng } from '../util/rng.js';
import { PARAM_NAMES, V1B_VAR, paramInfo, type ParamName } from './params.js';
import { c2cDraw, d2dFromZ } from './marginal.js';
import { cholesky } from './stats.js';
import type { ParameterSpec, PopulationFile } from './types.js';

export interface SampledDevice {
  index: number;
  /** the device's own values of the varying parameters (d2d draws). */
  values: Partial<Record<ParamName, number>>;
  /** base ∪ values: every parameter the population fixes or varies. */
  params: Partial<Record<ParamName, number>>;
  /** each varying parameter's standard-normal copula coordinate (the value is its marginal at z). */
  z: Partial<Record<ParamName, number>>;
}

export interface CycleVar {
  rnew: number;
  lnew: number;
  Ndiscmin: number;
  Ndiscmax: number;
}

/** Parameters of the population in the canonical order. */
export function varyingParams(pop: PopulationFile): ParamName[] {
  return PARAM_NAMES.filter((n) => pop.parameters[n] !== undefined);
}

const MAX_REDRAWS = 100;

/** Ndiscmin < Ndiscmax (defaults 0.008 / 20 where absent), and the disc shorter than the cell (lnew < lcell, default 3 nm). */
function nBoundsOk(v: Partial<Record<ParamName, number>>): boolean {
  return (v.Ndiscmin ?? 0.008) < (v.Ndiscmax ?? 20) && (v.lnew === undefined || v.lnew < (v.lcell ?? 3e-9));
}

/** Every drawn value inside the model's valid range (PARAM_TABLE): an untruncated marginal may spill up to `truncMass`. */
function inModelRange(v: Partial<Record<ParamName, number>>): boolean {
  for (const [n, x] of Object.entries(v)) {
    const info = paramInfo(n);
    if (info && x !== undefined && !(x >= info.min && x <= info.max)) return false;
  }
  return true;
}

/** Cholesky factor of the population's correlation (already repaired to PD by the estimator / reader). */
function copulaFactor(pop: PopulationFile): number[][] {
  const m = pop.correlation.matrix;
  if (m.length === 0) return [];
  return cholesky(m) ?? m.map((_, i) => m.map((__, j) => (i === j ? 1 : 0)));
}

export function samplePopulation(pop: PopulationFile, nDevices: number, rng: Rng): SampledDevice[] {
  const names = varyingParams(pop);
  const corrIdx = new Map(pop.correlation.params.map((n, i) => [n, i] as const));
  const L = copulaFactor(pop);
  const k = pop.correlation.params.length;
  const xi = new Float64Array(k);
  const out: SampledDevice[] = [];
  for (let d = 0; d < nDevices; d++) {
    let values: Partial<Record<ParamName, number>> = {};
    let zs: Partial<Record<ParamName, number>> = {};
    // The joint distribution is restricted to the physical region Ndiscmin < Ndiscmax and to the model's
    // valid ranges: redraw (bounded).
    for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
      for (let i = 0; i < k; i++) xi[i] = rng.normal();
      values = {};
      zs = {};
      for (const n of names) {
        const ci = corrIdx.get(n);
        let z: number;
        if (ci !== undefined) {
          z = 0;
          for (let j = 0; j <= ci; j++) z += L[ci][j] * xi[j];
        } else z = rng.normal();
        values[n] = d2dFromZ(pop.parameters[n] as ParameterSpec, z);
        zs[n] = z;
      }
      if (nBoundsOk({ ...pop.base, ...values }) && inModelRange(values)) break;
    }
    out.push({ index: d, values, params: { ...pop.base, ...values }, z: zs });
  }
  return out;
}

function deviceValue(pop: PopulationFile, device: SampledDevice, n: ParamName): number {
  const v = device.params[n] ?? pop.base[n];
  if (v !== undefined) return v;
  // v1b var defaults: rnew → rdet, lnew → ldet (spec §13), else the spec defaults.
  if (n === 'rnew') return device.params.rdet ?? pop.base.rdet ?? 45e-9;
  if (n === 'lnew') return device.params.ldet ?? pop.base.ldet ?? 0.4e-9;
  if (n === 'Ndiscmin') return 0.008;
  return 20;
}

/** All parameters with a c2c spread, redrawn for one cycle (canonical order). */
export function drawCycleParams(pop: PopulationFile, device: SampledDevice, rng: Rng): Partial<Record<ParamName, number>> {
  let out: Partial<Record<ParamName, number>> = {};
  for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
    out = {};
    for (const n of varyingParams(pop)) {
      const p = pop.parameters[n] as ParameterSpec;
      if (p.c2c.spread > 0) out[n] = c2cDraw(p, deviceValue(pop, device, n), rng);
    }
    const lcell = device.params.lcell ?? pop.base.lcell;
    if (
      nBoundsOk({
        Ndiscmin: out.Ndiscmin ?? deviceValue(pop, device, 'Ndiscmin'),
        Ndiscmax: out.Ndiscmax ?? deviceValue(pop, device, 'Ndiscmax'),
        lnew: out.lnew,
        ...(lcell !== undefined ? { lcell } : {}),
      }) &&
      inModelRange(out)
    )
      return out;
  }
  return {}; // no admissible draw: the cycle keeps the device's values
}

/** The v1b var quantities of one cycle (rnew, lnew, Ndiscmin, Ndiscmax); non-varying ones stay at the device's value. */
export function drawCycle(pop: PopulationFile, device: SampledDevice, rng: Rng): CycleVar {
  const drawn = drawCycleParams(pop, device, rng);
  const get = (n: ParamName): number => drawn[n] ?? deviceValue(pop, device, n);
  return { rnew: get('rnew'), lnew: get('lnew'), Ndiscmin: get('Ndiscmin'), Ndiscmax: get('Ndiscmax') };
}

export interface SampleRow {
  device: number;
  cycle: number;
  values: Partial<Record<ParamName, number>>;
}

/**
 * n devices × `cycles` cycles. cycle 0 = the device's own (d2d) values; cycles 1..cycles = c2c draws.
 * Device draws use rng.fork(1), cycle draws rng.fork(2) then fork(device) — so adding cycles does not
 * change the devices.
 */
export function sampleTable(pop: PopulationFile, nDevices: number, cycles: number, rng: Rng): { columns: ParamName[]; rows: SampleRow[] } {
  const devRng = rng.fork(1),
    cycRng = rng.fork(2);
  const devices = samplePopulation(pop, nDevices, devRng);
  const varying = new Set(varyingParams(pop));
  const columns = PARAM_NAMES.filter((n) => varying.has(n) || V1B_VAR.includes(n) || pop.base[n] !== undefined);
  const rows: SampleRow[] = [];
  for (const d of devices) {
    const row0: Partial<Record<ParamName, number>> = {};
    for (const n of columns) row0[n] = deviceValue(pop, d, n);
    rows.push({ device: d.index, cycle: 0, values: row0 });
    const r = cycRng.fork(d.index);
    for (let c = 1; c <= cycles; c++) {
      const v = { ...row0, ...drawCycleParams(pop, d, r) };
      rows.push({ device: d.index, cycle: c, values: v });
    }
  }
  return { columns, rows };
}

/**
 * The model's v1b var sampler for consecutive cycles of one device, with the semantics the fit stage
 * models (fit setting carryGeometry): ONE draw per cycle (drawCycle), taken at the cycle's first
 * switching event and held for its second (SET and RESET of a cycle share their targets); the
 * geometry moves from where the previous cycle left it to the new targets with the switching progress
 * (the model's §6.1 mechanics). The first cycle's draw is also the starting state (`initial`: the
 * device has switched before), so the first cycle runs at one geometry throughout. Events are paired
 * by their index (0-1, 2-3, ...): a sweep that starts with SET pairs each SET with the RESET after it.
 */
export function cycleSampler(
  pop: PopulationFile,
  device: SampledDevice,
  rng: Rng,
): { initial: CycleVar; sampler: (e: { index: number }) => CycleVar } {
  const initial = drawCycle(pop, device, rng);
  let held = initial;
  return {
    initial,
    sampler: ({ index }) => {
      if (index >= 2 && index % 2 === 0) held = drawCycle(pop, device, rng);
      return held;
    },
  };
}
