/**
 * One-way random-effects model with known, heteroscedastic measurement error, fitted by REML:
 *
 *   z_ij = μ + b_i + e_ij + m_ij,   b_i ~ N(0, τ²) (device-to-device),
 *   e_ij ~ N(0, σ²) (cycle-to-cycle),  m_ij ~ N(0, s_ij²) (the fit's own standard error, known).
 *
 * Device i's vector has covariance V_i = D_i + τ² 11ᵀ with D_i = diag(σ² + s_ij²), so V_i⁻¹ and
 * log|V_i| have closed forms (Sherman–Morrison). The restricted log-likelihood is maximised over
 * (ln τ², ln σ²) by Nelder–Mead on standardised data; μ is its GLS estimate. Confidence intervals
 * come from a parametric bootstrap (same design, same s_ij, seeded rng), percentile method.
 */
import type { Rng } from '../util/rng.js';
import { mean, nelderMead, quantile, variance } from './stats.js';

export interface ReGroup {
  z: number[];
  s2: number[];
}

export interface ReFit {
  mu: number;
  tau2: number;
  sigma2: number;
  /** true when the design has a device with ≥ 2 observations (σ² identifiable). */
  c2cIdentified: boolean;
  nGroups: number;
  nObs: number;
}

export interface ReFitWithCi extends ReFit {
  tauCi: [number, number] | null;
  sigmaCi: [number, number] | null;
  bootstrap: number;
}

/** −2 × restricted log-likelihood (constant dropped) at (τ², σ²). */
export function remlDeviance(groups: ReGroup[], tau2: number, sigma2: number): { dev: number; mu: number } {
  let logDet = 0,
    sA = 0,
    sB = 0,
    sC = 0; // Σ 1ᵀV⁻¹1, Σ 1ᵀV⁻¹z, Σ zᵀV⁻¹z
  for (const g of groups) {
    let w = 0,
      wz = 0,
      wzz = 0;
    for (let j = 0; j < g.z.length; j++) {
      const d = sigma2 + g.s2[j];
      if (!(d > 0)) return { dev: Infinity, mu: NaN };
      logDet += Math.log(d);
      w += 1 / d;
      wz += g.z[j] / d;
      wzz += (g.z[j] * g.z[j]) / d;
    }
    const k = 1 + tau2 * w;
    logDet += Math.log(k);
    sA += w / k;
    sB += wz / k;
    sC += wzz - (tau2 * wz * wz) / k;
  }
  const mu = sB / sA;
  const quad = sC - 2 * mu * sB + mu * mu * sA;
  return { dev: logDet + Math.log(sA) + quad, mu };
}

/** REML fit. Values are standardised internally; variances below 1e-8 of the data's scale report as 0. */
export function fitRandomEffects(groups: ReGroup[]): ReFit {
  const all = groups.flatMap((g) => g.z);
  const nObs = all.length,
    nGroups = groups.length;
  const c2cIdentified = groups.some((g) => g.z.length >= 2);
  const m0 = mean(all);
  let scale = Math.sqrt(variance(all));
  const meanS2 = mean(groups.flatMap((g) => g.s2));
  if (!(scale > 0)) scale = Math.sqrt(meanS2) || 1;
  const std = groups.map((g) => ({ z: g.z.map((z) => (z - m0) / scale), s2: g.s2.map((s) => s / (scale * scale)) }));
  // Moment starting values.
  const means = std.map((g) => mean(g.z));
  let within = 0,
    dfW = 0;
  for (const g of std) {
    if (g.z.length > 1) {
      within += variance(g.z) * (g.z.length - 1);
      dfW += g.z.length - 1;
    }
  }
  const s2bar = mean(std.flatMap((g) => g.s2));
  const sig0 = c2cIdentified ? Math.max(0.05, dfW > 0 ? within / dfW - s2bar : 0.1) : 0;
  const tau0 = Math.max(0.05, (nGroups > 1 ? variance(means) : 0.1) - (sig0 + s2bar) / Math.max(1, nObs / nGroups));
  const FLOOR = 1e-8;
  // one device: nothing tells its offset from the centre, so there is no d2d variance to estimate (τ² = 0; the
  // device's cycles are the population); with one value per device, likewise no c2c variance
  const d2dIdentified = nGroups >= 2;
  if (!d2dIdentified && !c2cIdentified) return { mu: m0, tau2: 0, sigma2: 0, c2cIdentified, nGroups, nObs };
  const ex = (v: number): number => Math.exp(Math.max(-40, Math.min(10, v)));
  const unpack = (x: number[]): [number, number] => (d2dIdentified ? [ex(x[0]), c2cIdentified ? ex(x[1]) : 0] : [0, ex(x[0])]);
  const obj = (x: number[]): number => {
    const [t, s] = unpack(x);
    return remlDeviance(std, t, s).dev;
  };
  const x0 = d2dIdentified ? (c2cIdentified ? [Math.log(tau0), Math.log(sig0)] : [Math.log(tau0)]) : [Math.log(sig0)];
  let best = nelderMead(obj, x0, { step: 1, maxIter: 600, tol: 1e-12 });
  best = nelderMead(obj, best.x, { step: 0.3, maxIter: 600, tol: 1e-13 });
  let [t, s] = unpack(best.x);
  // the centre at the optimum itself: at a snapped σ² = 0 a value stated without error (s = 0) has no finite weight
  const { mu } = remlDeviance(std, t, s);
  // The boundary τ² = 0 / σ² = 0 is approached only asymptotically in log space: snap small values.
  if (t < FLOOR) t = 0;
  if (s < FLOOR) s = 0;
  return { mu: m0 + scale * mu, tau2: t * scale * scale, sigma2: s * scale * scale, c2cIdentified, nGroups, nObs };
}

/** REML fit plus percentile confidence intervals of τ and σ from a parametric bootstrap. */
export function fitRandomEffectsCi(groups: ReGroup[], rng: Rng, nBoot: number, level = 0.95): ReFitWithCi {
  const fit = fitRandomEffects(groups);
  if (nBoot <= 0) return { ...fit, tauCi: null, sigmaCi: null, bootstrap: 0 };
  const tau = Math.sqrt(fit.tau2),
    sig = Math.sqrt(fit.sigma2);
  const taus: number[] = [],
    sigs: number[] = [];
  for (let b = 0; b < nBoot; b++) {
    const sim = groups.map((g) => {
      const bi = tau * rng.normal();
      return { z: g.s2.map((s2) => fit.mu + bi + Math.sqrt(sig * sig + s2) * rng.normal()), s2: g.s2 };
    });
    const f = fitRandomEffects(sim);
    taus.push(Math.sqrt(f.tau2));
    sigs.push(Math.sqrt(f.sigma2));
  }
  const lo = (1 - level) / 2,
    hi = 1 - lo;
  return {
    ...fit,
    tauCi: [quantile(taus, lo), quantile(taus, hi)],
    sigmaCi: fit.c2cIdentified ? [quantile(sigs, lo), quantile(sigs, hi)] : null,
    bootstrap: nBoot,
  };
}
