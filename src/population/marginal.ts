/**
 * Marginal distributions of one parameter: the transformed space each family lives in (identity
 * for normal families, ln for lognormal ones), the d2d draw from a standard-normal copula value,
 * and the c2c draw around a device's own value. Pure; the rng comes in as an argument.
 */
import type { Rng } from '../util/rng.js';
import { normCdf, normQuantile } from './stats.js';
import type { C2cSpec, D2dSpec, Family, ParameterSpec, SpreadKind } from './types.js';

export function isLogFamily(f: Family): boolean {
  return f === 'lognormal' || f === 'trunclognormal';
}

export function isTruncFamily(f: Family): boolean {
  return f === 'truncnormal' || f === 'trunclognormal';
}

/** σ in the family's space (ln space for lognormal families) of a spread given around `center`. */
export function sdInFamilySpace(family: Family, center: number, spread: number, kind: SpreadKind): number {
  if (isLogFamily(family)) {
    if (kind === 'ln') return spread;
    const rel = kind === 'relative' ? spread : spread / Math.abs(center);
    return Math.sqrt(Math.log1p(rel * rel));
  }
  if (kind === 'absolute') return spread;
  if (kind === 'relative') return spread * Math.abs(center);
  return Math.abs(center) * Math.sqrt(Math.expm1(spread * spread));
}

/** Relative standard deviation (sd / mean) of the untruncated marginal — the comparable figure across kinds. */
export function relativeSd(family: Family, center: number, spread: number, kind: SpreadKind): number {
  const sd = sdInFamilySpace(family, center, spread, kind);
  return isLogFamily(family) ? Math.sqrt(Math.expm1(sd * sd)) : sd / Math.abs(center);
}

const fwd = (f: Family, x: number): number => (isLogFamily(f) ? Math.log(x) : x);
const inv = (f: Family, t: number): number => (isLogFamily(f) ? Math.exp(t) : t);

/** Truncated normal N(c, sd) on [lo, hi] from a uniform u ∈ (0, 1) by inverse CDF. */
function truncatedFromU(c: number, sd: number, lo: number, hi: number, u: number): number {
  const pa = Number.isFinite(lo) ? normCdf((lo - c) / sd) : 0;
  const pb = Number.isFinite(hi) ? normCdf((hi - c) / sd) : 1;
  if (!(pb > pa)) return Math.min(hi, Math.max(lo, c)); // bounds far in one tail: degenerate, sit at the nearer bound
  const t = c + sd * normQuantile(pa + u * (pb - pa));
  return Math.min(hi, Math.max(lo, t));
}

function boundsT(f: Family, d: D2dSpec): [number, number] {
  const lo = d.lower !== undefined ? (isLogFamily(f) && d.lower <= 0 ? -Infinity : fwd(f, d.lower)) : -Infinity;
  const hi = d.upper !== undefined ? fwd(f, d.upper) : Infinity;
  return [lo, hi];
}

/** A device's value from its copula coordinate z (standard normal). */
export function d2dFromZ(p: ParameterSpec, z: number): number {
  const { family, d2d } = p;
  const c = fwd(family, d2d.center);
  const sd = sdInFamilySpace(family, d2d.center, d2d.spread, d2d.spreadKind);
  if (!(sd > 0)) return d2d.center;
  const [lo, hi] = boundsT(family, d2d);
  const bounded = isTruncFamily(family) && (Number.isFinite(lo) || Number.isFinite(hi));
  if (!bounded) return inv(family, c + sd * z);
  if (d2d.bounding === 'clip') return inv(family, Math.min(hi, Math.max(lo, c + sd * z)));
  return inv(family, truncatedFromU(c, sd, lo, hi, normCdf(z)));
}

/** One cycle's value around the device's value xDev (v1b var: redrawn each cycle, not a random walk). */
export function c2cDraw(p: ParameterSpec, xDev: number, rng: Rng): number {
  const c2c: C2cSpec = p.c2c;
  if (!(c2c.spread > 0)) return xDev;
  let x: number;
  if (c2c.distribution === 'uniform') {
    const u = 2 * rng.next() - 1;
    x =
      c2c.spreadKind === 'absolute'
        ? xDev + c2c.spread * u
        : c2c.spreadKind === 'relative'
          ? xDev * (1 + c2c.spread * u)
          : xDev * Math.exp(c2c.spread * u);
  } else {
    const sd = sdInFamilySpace(p.family, xDev, c2c.spread, c2c.spreadKind);
    const c = fwd(p.family, xDev);
    const [lo, hi] = boundsT(p.family, p.d2d);
    if (isTruncFamily(p.family) && (Number.isFinite(lo) || Number.isFinite(hi)) && p.d2d.bounding !== 'clip') {
      x = inv(p.family, truncatedFromU(c, sd, lo, hi, rng.next()));
    } else {
      x = inv(p.family, c + sd * rng.normal());
    }
  }
  if (c2c.lower !== undefined) x = Math.max(x, xDev * (1 + c2c.lower));
  if (c2c.upper !== undefined) x = Math.min(x, xDev * (1 + c2c.upper));
  if (isTruncFamily(p.family) && p.d2d.bounding === 'clip') {
    if (p.d2d.lower !== undefined) x = Math.max(x, p.d2d.lower);
    if (p.d2d.upper !== undefined) x = Math.min(x, p.d2d.upper);
  }
  return x;
}
