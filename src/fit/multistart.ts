/**
 * Multi-start (generic): the first guess plus a small Latin-hypercube design of starting points
 * around it (±spread in u, clipped to the box). Each start gets a short LM run; the best one
 * continues to convergence. Seeded: the design depends only on the rng passed in.
 */
import type { Rng } from '../util/rng.js';
import { levenbergMarquardtFit, type LmOptions, type LmResult, type ResidualFn } from './lm.js';

export function startDesign(
  u0: Float64Array,
  uMin: Float64Array,
  uMax: Float64Array,
  count: number,
  spread: number,
  rng: Rng,
): Float64Array[] {
  const n = u0.length;
  const out: Float64Array[] = [Float64Array.from(u0)];
  if (count <= 1) return out;
  const k = count - 1;
  // Latin hypercube in [-1, 1]^n: one stratum per point in every coordinate
  const perms: number[][] = [];
  for (let j = 0; j < n; j++) {
    const p = Array.from({ length: k }, (_, i) => i);
    for (let i = k - 1; i > 0; i--) {
      const s = rng.int(i + 1);
      [p[i], p[s]] = [p[s], p[i]];
    }
    perms.push(p);
  }
  for (let i = 0; i < k; i++) {
    const u = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const z = ((perms[j][i] + rng.next()) / k) * 2 - 1;
      u[j] = Math.min(uMax[j], Math.max(uMin[j], u0[j] + spread * z));
    }
    out.push(u);
  }
  return out;
}

export interface MultiStartOptions extends LmOptions {
  /** Evaluation budget of each exploratory start. */
  exploreEvaluations?: number;
}

export interface MultiStartResult extends LmResult {
  starts: number;
  bestStart: number;
  totalEvaluations: number;
}

export function multiStartFit(fn: ResidualFn, starts: Float64Array[], opts: MultiStartOptions): MultiStartResult {
  if (starts.length === 1) {
    const r = levenbergMarquardtFit(fn, starts[0], opts);
    return { ...r, starts: 1, bestStart: 0, totalEvaluations: r.evaluations };
  }
  let total = 0;
  let best: LmResult | null = null;
  let bestStart = 0;
  starts.forEach((s, i) => {
    const r = levenbergMarquardtFit(fn, s, { ...opts, maxEvaluations: opts.exploreEvaluations ?? 60 });
    total += r.evaluations;
    if (!best || r.cost < best.cost) {
      best = r;
      bestStart = i;
    }
  });
  const b = best as unknown as LmResult;
  const final = b.converged ? b : levenbergMarquardtFit(fn, b.u, opts);
  if (final !== b) total += final.evaluations;
  return { ...final, starts: starts.length, bestStart, totalEvaluations: total };
}
