/**
 * Maps a population file (schema jartcal.population/1, CONTRACTS §4) onto a crossbar config.
 * D2D: the devices are drawn by the population stage's sampler (families, truncation, the Gaussian
 * copula of the correlations; src/crossbar/device/population.ts) — the config carries the sampler's
 * inputs in `device.population`; the v1b var quantities rnew → rdisc, lnew → ldisc, Ndiscmin, Ndiscmax
 * become per-device values, their centres the nominal device, and their variability specs state the
 * range the engines cover (truncation bounds, else ±6 spreads). With the full model the population's
 * fixed parameters and the centres of the others make the engine, and other parameters that vary device
 * to device (phiBn0, dWa, ...) are held in kinetic classes (one engine each).
 * C2C: a population's cycle-to-cycle spread is the spread of a v1b var redraw per *switching event*
 * (a full SET or RESET), and in v1b var the geometry moves toward the new target in proportion to the
 * switching progress (spec §6.1). A 1 µs crossbar pulse is a tiny fraction of a switching event, so the
 * spread maps onto aihwkit's update-scaled ("slope") term, ratio·slope·U(−1, 1) with ratio = the pulse's
 * switching fraction and slope = √3·spread (a uniform with that half-width has the population's sd at
 * ratio 1), not onto the per-pulse additive term (which would apply a whole event's redraw at every
 * pulse). The walk is bounded at ±3 spreads of the device value.
 * A file with an `aihwkit` block (the paper presets) keeps aihwkit's own d2d semantics instead
 * (X·(1 + dtod·ξ) clipped; no copula), field by field.
 */
import { JartcalError } from '../../util/errors.js';
import type { ExperimentConfig } from './config.js';
import type { VarSpec } from '../device/types.js';
import { kineticClasses, kineticParams, type CrossbarPopulation } from '../device/population.js';
import { readPopulation } from '../../population/schema.js';
import { isLogFamily, isTruncFamily, relativeSd, sdInFamilySpace } from '../../population/marginal.js';
import { paramInfo, type ParamName } from '../../population/params.js';
import type { ParameterSpec } from '../../population/types.js';

type Key = 'rdisc' | 'ldisc' | 'Ndiscmin' | 'Ndiscmax';
type NomKey = 'rM' | 'lM' | 'nMin' | 'nMax';
const MAP: [ParamName, Key, NomKey][] = [
  ['rnew', 'rdisc', 'rM'],
  ['lnew', 'ldisc', 'lM'],
  ['Ndiscmin', 'Ndiscmin', 'nMin'],
  ['Ndiscmax', 'Ndiscmax', 'nMax'],
];
/** Spreads the engines' geometry range covers for an untruncated marginal (P(beyond) ≈ 2e-9 per device). */
const RANGE_SPREADS = 6;

/** The range devices of this marginal are drawn in: its truncation bounds, else ±6 spreads (in the family's space), inside the model's valid range. */
function drawRange(name: ParamName, q: ParameterSpec): [number, number] {
  const { center, spread, spreadKind } = q.d2d;
  const sd = sdInFamilySpace(q.family, center, spread, spreadKind);
  const log = isLogFamily(q.family);
  let lo = log ? center * Math.exp(-RANGE_SPREADS * sd) : center - RANGE_SPREADS * sd;
  let hi = log ? center * Math.exp(RANGE_SPREADS * sd) : center + RANGE_SPREADS * sd;
  if (isTruncFamily(q.family)) {
    if (q.d2d.lower !== undefined) lo = Math.max(lo, q.d2d.lower);
    if (q.d2d.upper !== undefined) hi = Math.min(hi, q.d2d.upper);
  }
  const info = paramInfo(name);
  return [Math.max(lo, info?.min ?? 0), Math.min(hi, info?.max ?? Infinity)];
}

/** Relative c2c spread of one switching event (sd / device value). */
function c2cRel(q: ParameterSpec): number {
  const c = q.c2c;
  if (!(c.spread > 0)) return 0;
  if (c.distribution === 'uniform') return c.spread / Math.sqrt(3);
  return relativeSd(q.family, q.d2d.center, c.spread, c.spreadKind);
}

export function applyPopulation(cfg: ExperimentConfig, raw: unknown, file: string): Record<string, unknown> {
  const r = raw as { schema?: unknown } | null;
  if (!r || typeof r !== 'object' || r.schema !== 'jartcal.population/1')
    throw new JartcalError('expected a population file with "schema": "jartcal.population/1"', { location: { file } });
  const pop = readPopulation(raw, file);
  const j = cfg.device.jart;
  const used: string[] = [];
  // nominal device: the parameters' centres, else the file's fixed values (rnew → rdet, lnew → ldet as the model)
  const b = pop.base;
  j.nominal.rM = b.rnew ?? b.rdet ?? j.nominal.rM;
  j.nominal.lM = b.lnew ?? b.ldet ?? j.nominal.lM;
  j.nominal.nMin = b.Ndiscmin ?? j.nominal.nMin;
  j.nominal.nMax = b.Ndiscmax ?? j.nominal.nMax;
  for (const [name, key, nomKey] of MAP) {
    const q = pop.parameters[name];
    if (!q) continue;
    const c = q.d2d.center;
    if (!(c > 0)) throw new JartcalError(`parameters.${name}.d2d.center: expected a positive number`, { location: { file } });
    const d = relativeSd(q.family, c, q.d2d.spread, q.d2d.spreadKind);
    const [lo, hi] = d > 0 ? drawRange(name, q) : [0, 0];
    const s = c2cRel(q);
    const spec: VarSpec = {
      dtod: d,
      dtodLower: lo,
      dtodUpper: hi,
      std: 0,
      slope: Math.sqrt(3) * s,
      ctocLower: -Math.min(0.95, 3 * s),
      ctocUpper: 3 * s,
    };
    j.variability[key] = spec;
    j.nominal[nomKey] = c;
    used.push(name);
  }
  // An `aihwkit` block (population exporter / paper presets) states the device's fields exactly: use them.
  const aih = pop.aihwkit;
  if (aih && typeof aih === 'object') {
    const num = (k: string): number | undefined => (typeof aih[k] === 'number' && Number.isFinite(aih[k]) ? aih[k] : undefined);
    for (const key of ['Ndiscmax', 'Ndiscmin', 'ldisc', 'rdisc'] as const) {
      const v = { ...j.variability[key] };
      let any = false;
      const set = (field: keyof VarSpec, n: string): void => {
        const x = num(`${key}_${n}`);
        if (x !== undefined) {
          v[field] = x;
          any = true;
        }
      };
      set('dtod', 'dtod');
      set('dtodLower', 'dtod_lower_bound');
      set('dtodUpper', 'dtod_upper_bound');
      set('std', 'std');
      set('slope', 'std_slope');
      set('ctocLower', 'ctoc_lower_bound');
      set('ctocUpper', 'ctoc_upper_bound');
      if (any) {
        j.variability[key] = v;
        if (!used.includes(key)) used.push(`aihwkit:${key}`);
      }
    }
  }
  const asCrossbar = { file, base: pop.base, parameters: pop.parameters, correlation: pop.correlation };
  const kinetic = kineticParams(asCrossbar);
  if (used.length === 0 && !(cfg.device.model === 'jart' && kinetic.length)) {
    throw new JartcalError('population: none of rnew, lnew, Ndiscmin, Ndiscmax is described', { location: { file } });
  }
  const info: Record<string, unknown> = { file, seed: pop.seed ?? null, provenance: pop.provenance ?? null, mapped: used };
  if (aih && typeof aih === 'object') {
    cfg.device.population = null;
    info.sampling = 'aihwkit block: aihwkit d2d semantics (X·(1 + dtod·ξ), clipped), independent draws';
    info.notMapped = 'correlations (copula) and all other parameters';
    return info;
  }
  const strip = (q: ParameterSpec): ParameterSpec => {
    const { ci: _ci, ...d2d } = q.d2d;
    const { ci: _cc, ...c2c } = q.c2c;
    return { family: q.family, d2d, c2c };
  };
  const embedded: CrossbarPopulation = {
    file,
    base: { ...pop.base },
    parameters: Object.fromEntries(Object.entries(pop.parameters).map(([n, q]) => [n, strip(q as ParameterSpec)])),
    correlation: { params: [...pop.correlation.params], matrix: pop.correlation.matrix.map((row) => [...row]) },
  };
  cfg.device.population = embedded;
  info.sampling = 'population sampler: families, truncation and the Gaussian copula; per device: ' + (used.join(', ') || 'none');
  info.correlated = pop.correlation.params;
  const full = cfg.device.model === 'jart';
  info.kinetic = full
    ? { params: kinetic, classes: kineticClasses(asCrossbar, j.kineticClasses)?.values.length ?? (kinetic.length ? 1 : 0) }
    : null;
  const others = Object.keys(pop.parameters).filter((n) => !MAP.some(([m]) => m === n));
  info.notMapped = full
    ? 'cycle-to-cycle spreads of parameters other than rnew, lnew, Ndiscmin, Ndiscmax; the initial state Ninit'
    : `the aihwkit-jart current fit is fixed to the default device: base values${others.length ? ` and ${others.join(', ')}` : ''} are not used`;
  return info;
}
