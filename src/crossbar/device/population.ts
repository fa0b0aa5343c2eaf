/**
 * Devices of a crossbar drawn from a calibrated population (jartcal.population/1), with the population
 * stage's own sampler: every parameter's family and truncation, and the Gaussian copula of its
 * correlations. Per device: the v1b var geometry and N bounds (rnew → r, lnew → l, Ndiscmin, Ndiscmax),
 * which the pulse engines take per device. With the full model, the population's fixed parameters
 * (`base`) and the centres of its other varying parameters make the nominal engine; when such parameters
 * (e.g. phiBn0, dWa, Rth0) vary device to device, the devices fall into kinetic classes of equal
 * probability, one engine each: cells of equal-probability strata of those parameters' own (whitened)
 * copula coordinates (`kineticClasses`), so a device's kinetics keeps its correlation with its own geometry.
 * The aihwkit-jart algorithm's current fit is fixed to the default device: there only the geometry and
 * N bounds come from the population. No file system here (src/crossbar/experiment/applyPopulation.ts maps it).
 */
import type { Rng } from '../../util/rng.js';
import { samplePopulation } from '../../population/sample.js';
import { d2dFromZ } from '../../population/marginal.js';
import { cholesky, normCdf, normQuantile } from '../../population/stats.js';
import type { ParamName } from '../../population/params.js';
import type { ParameterSpec, PopulationFile } from '../../population/types.js';
import { V1B_VAR_PARAMS, type JartParams } from '../../model/index.js';
import type { PulseEngine } from './jartEngine.js';

/** What a crossbar config keeps of a population file (the sampler's inputs; estimation diagnostics dropped). */
export interface CrossbarPopulation {
  file: string;
  base: Partial<Record<ParamName, number>>;
  parameters: Partial<Record<ParamName, ParameterSpec>>;
  correlation: { params: ParamName[]; matrix: number[][] };
}

/** Per-device values of one tile (SI lengths, N in 1e26 m^-3) and, with kinetic classes, each device's class. */
export interface DeviceDraw {
  rM: Float64Array;
  lM: Float64Array;
  nMin: Float64Array;
  nMax: Float64Array;
  engineIndex: Uint16Array | null;
}

/** The v1b var quantities: drawn per device; every other varying parameter is kinetic. */
const GEOMETRY: readonly ParamName[] = V1B_VAR_PARAMS;

/** The population as a sampler input (schema fields the sampler does not read left empty). */
function asPopulationFile(p: CrossbarPopulation): PopulationFile {
  return {
    schema: 'jartcal.population/1',
    toolkitVersion: '',
    createdAt: '',
    seed: 0,
    provenance: { fits: [], datasets: [] },
    base: p.base,
    parameters: p.parameters,
    correlation: p.correlation,
  };
}

/** Varying (d2d spread > 0) parameters other than the geometry, N bounds and the initial state: one engine cannot hold them per device. */
export function kineticParams(p: CrossbarPopulation): ParamName[] {
  return (Object.keys(p.parameters) as ParamName[]).filter(
    (n) => !GEOMETRY.includes(n) && n !== 'Ninit' && (p.parameters[n]?.d2d.spread ?? 0) > 0,
  );
}

/** Model parameters of the population's central device: base, then every parameter's d2d centre. */
export function centralParams(p: CrossbarPopulation): Partial<JartParams> {
  const out: Partial<JartParams> = { ...p.base };
  for (const [n, spec] of Object.entries(p.parameters) as [ParamName, ParameterSpec][]) if (n !== 'Ninit') out[n] = spec.d2d.center;
  return out;
}

export interface KineticClasses {
  names: ParamName[];
  /** the class engines' values of the kinetic parameters, one record per class */
  values: Partial<Record<ParamName, number>>[];
  /** class of a device from its kinetic copula coordinates (in `names` order) */
  classOf(z: Float64Array): number;
}

/**
 * Kinetic classes of the population (see the header): the kinetic parameters' copula coordinates are
 * whitened (w = L⁻¹z, L the Cholesky factor of their correlation), each w_i is cut into m strata of equal
 * probability, m = ⌊k^(1/d)⌋ for d parameters (k for one), and a class is one cell of that grid: every class
 * has probability m^-d, and its engine sits at the cell's mean coordinate (E[w_i | stratum] = m·(φ(a) − φ(b)),
 * z = L·w̄). So the classes keep the coordinates' mean and correlation exactly and a fraction of their
 * variance (97.8 % for 16 strata, 94.5 % for 8, 86.1 % for 4). Deterministic, no random draw.
 */
export function kineticClasses(p: CrossbarPopulation, k: number): KineticClasses | null {
  const names = kineticParams(p);
  if (names.length === 0 || k < 2) return null;
  const d = names.length;
  const m = d === 1 ? k : Math.max(2, Math.floor(Math.pow(k, 1 / d) + 1e-9));
  const ci = p.correlation.params;
  const r = names.map((a) =>
    names.map((b) => {
      if (a === b) return 1;
      const i = ci.indexOf(a),
        j = ci.indexOf(b);
      return i >= 0 && j >= 0 ? p.correlation.matrix[i][j] : 0;
    }),
  );
  const L = cholesky(r) ?? r.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
  const pdf = (x: number): number => (Number.isFinite(x) ? Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) : 0);
  const edge = (i: number): number => (i <= 0 ? -Infinity : i >= m ? Infinity : normQuantile(i / m));
  const mid = Array.from({ length: m }, (_, i) => m * (pdf(edge(i)) - pdf(edge(i + 1))));
  const n = Math.pow(m, d);
  const values: Partial<Record<ParamName, number>>[] = [];
  const w = new Float64Array(d);
  for (let c = 0; c < n; c++) {
    let rest = c;
    for (let i = 0; i < d; i++) {
      w[i] = mid[rest % m];
      rest = Math.floor(rest / m);
    }
    const rec: Partial<Record<ParamName, number>> = {};
    names.forEach((name, i) => {
      let z = 0;
      for (let j = 0; j <= i; j++) z += L[i][j] * w[j];
      rec[name] = d2dFromZ(p.parameters[name] as ParameterSpec, z);
    });
    values.push(rec);
  }
  const ww = new Float64Array(d);
  const classOf = (z: Float64Array): number => {
    let c = 0,
      scale = 1;
    for (let i = 0; i < d; i++) {
      let s = z[i];
      for (let j = 0; j < i; j++) s -= L[i][j] * ww[j];
      ww[i] = s / L[i][i];
      c += Math.min(m - 1, Math.floor(normCdf(ww[i]) * m)) * scale;
      scale *= m;
    }
    return c;
  };
  return { names, values, classOf };
}

/**
 * `size` devices of one tile from the population (its sampler, copula and all). Values outside [lo, hi]
 * of the engines' geometry ranges are put on the range's edge (ranges cover ≥ 6 spreads: rare).
 */
export function drawDevices(
  p: CrossbarPopulation,
  size: number,
  rng: Rng,
  nominal: { rM: number; lM: number; nMin: number; nMax: number },
  ranges: { r: [number, number]; l: [number, number] },
  classes: KineticClasses | null,
): DeviceDraw {
  const devs = samplePopulation(asPopulationFile(p), size, rng);
  const out: DeviceDraw = {
    rM: new Float64Array(size),
    lM: new Float64Array(size),
    nMin: new Float64Array(size),
    nMax: new Float64Array(size),
    engineIndex: classes ? new Uint16Array(size) : null,
  };
  const clip = (x: number, [lo, hi]: [number, number]): number => (x < lo ? lo : x > hi ? hi : x);
  const z = new Float64Array(classes ? classes.names.length : 0);
  for (let k = 0; k < size; k++) {
    const v = devs[k].values;
    out.rM[k] = clip(v.rnew ?? nominal.rM, ranges.r);
    out.lM[k] = clip(v.lnew ?? nominal.lM, ranges.l);
    out.nMin[k] = v.Ndiscmin ?? nominal.nMin;
    out.nMax[k] = v.Ndiscmax ?? nominal.nMax;
    if (classes && out.engineIndex) {
      classes.names.forEach((n, i) => {
        z[i] = devs[k].z[n] ?? 0;
      });
      out.engineIndex[k] = classes.classOf(z);
    }
  }
  return out;
}

/** Class engines for the full model: one engine per class, built by `make` from the central parameters with the class's values. */
export function classEngines(
  p: CrossbarPopulation,
  classes: KineticClasses,
  make: (params: Partial<JartParams>) => PulseEngine,
): PulseEngine[] {
  const central = centralParams(p);
  return classes.values.map((v) => make({ ...central, ...v }));
}
