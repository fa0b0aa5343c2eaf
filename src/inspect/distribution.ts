/**
 * Histograms of fitted parameter values and the population's fitted distribution for comparison.
 * The marginal law of one cycle's value combines the device-to-device and the cycle-to-cycle spread
 * (independent, added in variance in the family's own space: ln x for the log families), truncated to
 * [lower, upper] when the family is truncated. This is what a histogram over all cycles should follow.
 */
import type { PopulationParam } from './schema.js';

export interface Histogram {
  lo: number;
  hi: number;
  counts: number[];
  total: number;
  log: boolean;
}

export const isLogFamily = (p: PopulationParam): boolean => p.family === 'lognormal' || p.family === 'trunclognormal';

/** Mean and standard deviation in the family's space (x, or ln x for log families). */
export function marginal(p: PopulationParam): { mu: number; sigma: number; lower: number; upper: number; log: boolean } {
  const log = isLogFamily(p);
  const c = p.d2d.center;
  const mu = log ? Math.log(c) : c;
  const sdOf = (spread: number, kind: string): number => {
    if (log) return kind === 'ln' ? spread : kind === 'relative' ? Math.log1p(spread) : spread / c;
    return kind === 'relative' ? spread * c : kind === 'ln' ? spread * c : spread;
  };
  const sigma = Math.hypot(sdOf(p.d2d.spread, p.d2d.spreadKind), sdOf(p.c2c.spread, p.c2c.spreadKind));
  const tr = p.family === 'truncnormal' || p.family === 'trunclognormal';
  const conv = (x: number | undefined, dflt: number): number =>
    tr && x !== undefined ? (log ? (x > 0 ? Math.log(x) : -Infinity) : x) : dflt;
  return { mu, sigma, lower: conv(p.d2d.lower, -Infinity), upper: conv(p.d2d.upper, Infinity), log };
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26, |error| < 1.5e-7: enough to normalise a truncated density for display.
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}
const phi = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));

/** Density in the family's space u (u = x or ln x), truncation renormalised. */
export function densityU(p: PopulationParam, u: number): number {
  const m = marginal(p);
  if (!(m.sigma > 0) || u < m.lower || u > m.upper) return 0;
  const z = (u - m.mu) / m.sigma;
  const mass = phi((m.upper - m.mu) / m.sigma) - phi((m.lower - m.mu) / m.sigma);
  return Math.exp(-0.5 * z * z) / (m.sigma * Math.sqrt(2 * Math.PI)) / (mass > 0 ? mass : 1);
}

/** Bins `values` (in log space when `log`) into `nBins` equal bins over their range widened to include `extra`. */
export function histogram(values: readonly number[], nBins: number, log: boolean, extra: readonly number[] = []): Histogram {
  const tr = (x: number): number => (log ? Math.log(x) : x);
  const us = values.filter((x) => Number.isFinite(x) && (!log || x > 0)).map(tr);
  const all = us.concat(extra.filter((x) => Number.isFinite(x) && (!log || x > 0)).map(tr));
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(lo))) {
    const w = Math.abs(lo) * 0.05 || 0.5;
    lo -= w;
    hi += w;
  }
  const counts = new Array(nBins).fill(0);
  for (const u of us) counts[Math.min(nBins - 1, Math.max(0, Math.floor(((u - lo) / (hi - lo)) * nBins)))]++;
  return { lo, hi, counts, total: us.length, log };
}

/** Expected count in each bin of `h` under the population's marginal law (n · density · bin width). */
export function expectedCounts(h: Histogram, p: PopulationParam, steps = 8): number[] {
  const w = (h.hi - h.lo) / h.counts.length;
  return h.counts.map((_, b) => {
    let s = 0;
    for (let k = 0; k < steps; k++) s += densityU(p, h.lo + (b + (k + 0.5) / steps) * w);
    return (h.total * s * w) / steps;
  });
}

/** A few points spanning the population's ±3σ range (in x units), used to widen histogram ranges. */
export function populationRange(p: PopulationParam): number[] {
  const m = marginal(p);
  const u = [m.mu - 3 * m.sigma, m.mu + 3 * m.sigma].map((v) => Math.min(Math.max(v, m.lower), m.upper));
  return m.log ? u.map(Math.exp) : u;
}
