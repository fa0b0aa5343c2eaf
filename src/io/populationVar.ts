/**
 * Maps a population file (schema jartcal.population/1, CONTRACTS §4) onto the crossbar's JART
 * variability: the v1b var quantities rnew → rdisc, lnew → ldisc, Ndiscmin, Ndiscmax.
 * D2D: the centre becomes the nominal value, the spread a relative Gaussian sigma (ln spreads as
 * sqrt(exp(s²) − 1)), lower/upper as absolute clip bounds. C2C: a population's cycle-to-cycle spread
 * is the spread of a v1b var redraw per *switching event* (a full SET or RESET), and in v1b var the
 * geometry moves toward the new target in proportion to the switching progress (spec §6.1). A 1 µs
 * crossbar pulse is a tiny fraction of a switching event, so the spread maps onto aihwkit's
 * update-scaled ("slope") term, ratio·slope·U(−1, 1) with ratio = the pulse's switching fraction and
 * slope = √3·spread (a uniform with that half-width has the population's sd at ratio 1), not onto the
 * per-pulse additive term (which would apply a whole event's redraw at every pulse). The walk is
 * bounded at ±3 spreads of the device value.
 * Not mapped (stated in the returned summary): the copula correlations and the other parameters.
 */
import { JartcalError } from '../util/errors.js';
import type { ExperimentConfig } from '../crossbar/experiment/config.js';
import type { VarSpec } from '../crossbar/device/types.js';

interface PopParam {
  family?: string;
  d2d: { center: number; spread: number; spreadKind: string; lower?: number; upper?: number };
  c2c: { spread: number; spreadKind: string };
}

function relSpread(spread: number, kind: string, center: number, where: string, file: string): number {
  if (!Number.isFinite(spread) || spread < 0) throw new JartcalError(`${where}: spread must be a finite number ≥ 0`, { location: { file } });
  if (kind === 'relative') return spread;
  if (kind === 'absolute') return center !== 0 ? spread / Math.abs(center) : 0;
  if (kind === 'ln') return Math.sqrt(Math.expm1(spread * spread));
  throw new JartcalError(`${where}: spreadKind must be "absolute", "relative" or "ln", got ${JSON.stringify(kind)}`, { location: { file } });
}

export function applyPopulation(cfg: ExperimentConfig, pop: unknown, file: string): Record<string, unknown> {
  const p = pop as { schema?: string; parameters?: Record<string, PopParam>; seed?: number; provenance?: unknown };
  if (!p || typeof p !== 'object' || p.schema !== 'jartcal.population/1') throw new JartcalError('expected a population file with "schema": "jartcal.population/1"', { location: { file } });
  if (!p.parameters || typeof p.parameters !== 'object') throw new JartcalError('population: "parameters" missing', { location: { file } });
  const j = cfg.device.jart;
  const map: [string, 'rdisc' | 'ldisc' | 'Ndiscmin' | 'Ndiscmax', 'rM' | 'lM' | 'nMin' | 'nMax'][] = [
    ['rnew', 'rdisc', 'rM'], ['lnew', 'ldisc', 'lM'], ['Ndiscmin', 'Ndiscmin', 'nMin'], ['Ndiscmax', 'Ndiscmax', 'nMax'],
  ];
  const used: string[] = [];
  for (const [name, key, nomKey] of map) {
    const q = p.parameters[name] ?? (name === 'rnew' ? p.parameters.rdet : name === 'lnew' ? p.parameters.ldet : undefined);
    if (!q) continue;
    const where = `parameters.${name}`;
    if (!q.d2d || !Number.isFinite(q.d2d.center) || q.d2d.center <= 0) throw new JartcalError(`${where}.d2d.center: expected a positive number`, { location: { file } });
    const c = q.d2d.center;
    const d = relSpread(q.d2d.spread, q.d2d.spreadKind, c, `${where}.d2d`, file);
    const s = q.c2c ? relSpread(q.c2c.spread, q.c2c.spreadKind, c, `${where}.c2c`, file) : 0;
    const spec: VarSpec = { dtod: d, dtodLower: q.d2d.lower ?? 0, dtodUpper: q.d2d.upper ?? 0, std: 0, slope: Math.sqrt(3) * s, ctocLower: -Math.min(0.95, 3 * s), ctocUpper: 3 * s };
    j.variability[key] = spec;
    j.nominal[nomKey] = c;
    used.push(name);
  }
  // An `aihwkit` block (population exporter / paper presets) states the device's fields exactly: use them.
  const aih = (p as { aihwkit?: Record<string, unknown> }).aihwkit;
  if (aih && typeof aih === 'object') {
    const num = (k: string): number | undefined => (typeof aih[k] === 'number' && Number.isFinite(aih[k]) ? (aih[k] as number) : undefined);
    for (const key of ['Ndiscmax', 'Ndiscmin', 'ldisc', 'rdisc'] as const) {
      const v = { ...j.variability[key] };
      let any = false;
      const set = (field: keyof VarSpec, name: string): void => { const x = num(`${key}_${name}`); if (x !== undefined) { v[field] = x; any = true; } };
      set('dtod', 'dtod'); set('dtodLower', 'dtod_lower_bound'); set('dtodUpper', 'dtod_upper_bound');
      set('std', 'std'); set('slope', 'std_slope'); set('ctocLower', 'ctoc_lower_bound'); set('ctocUpper', 'ctoc_upper_bound');
      if (any) { j.variability[key] = v; if (!used.includes(key)) used.push(`aihwkit:${key}`); }
    }
  }
  if (used.length === 0) throw new JartcalError('population: none of rnew, lnew, Ndiscmin, Ndiscmax is described', { location: { file } });
  return { file, seed: p.seed ?? null, provenance: p.provenance ?? null, mapped: used, notMapped: 'correlations (copula) and all other parameters (the aihwkit-jart current fit is fixed to the default device)' };
}
