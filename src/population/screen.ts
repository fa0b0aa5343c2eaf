/**
 * Which per-cycle values the estimator uses (docs/population.md, "Values not used").
 *  - `isUnidentified`: the fit stage flags a cycle's value `param_unidentified` when the cycle's data
 *    cannot determine it (e.g. lnew of a cycle without a complete RESET: no HRS with its own geometry);
 *    its linearised standard error would claim a precision the data do not have.
 *  - `screenOutliers`: a within-device outlier screen for fits that went wrong but state a small error
 *    (a local minimum, or a start from a wrong carried state): a cycle's value is an outlier when it
 *    lies more than Z × max(√(σ² + s²), robust within-device scale) from its device's precision-weighted
 *    median (σ² the REML c2c variance, s its own standard error). Devices with fewer than 3 values are
 *    not screened (no majority to define the centre). Iterated (≤ 3 rounds) as σ² shrinks.
 *  - `selectionShift`: where the excluded cycles sit in the other parameters' d2d distributions (mean z),
 *    the size of the selection the exclusion makes.
 */
import { fitRandomEffects } from './reml.js';
import type { ParamName } from './params.js';
import { median } from '../util/stats.js';

export function isUnidentified(flags: readonly { code: string; param?: string }[], name: string): boolean {
  return flags.some((f) => f.code === 'param_unidentified' && f.param === name);
}

export interface ScreenItem {
  device: string;
  z: number;
  s2: number;
}

function weightedMedian(z: number[], w: number[]): number {
  const idx = z.map((_v, k) => k).sort((a, b) => z[a] - z[b]);
  const total = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (const k of idx) {
    acc += w[k];
    if (acc >= total / 2) return z[k];
  }
  return z[idx[idx.length - 1]];
}

/** Indices (into items) of within-device outliers. */
export function screenOutliers(items: ScreenItem[], zLimit: number, rounds = 3): Set<number> {
  const out = new Set<number>();
  for (let round = 0; round < rounds; round++) {
    const byDev = new Map<string, number[]>();
    items.forEach((it, k) => {
      if (!out.has(k)) (byDev.get(it.device) ?? byDev.set(it.device, []).get(it.device)!).push(k);
    });
    const groups = [...byDev.values()].map((ks) => ({ z: ks.map((k) => items[k].z), s2: ks.map((k) => items[k].s2) }));
    if (!groups.some((g) => g.z.length >= 3)) break;
    const sigma2 = fitRandomEffects(groups).sigma2;
    // robust within-device scale: 1.4826 × median |z − device median| (the median element itself left out)
    const devs: number[] = [];
    for (const ks of byDev.values()) {
      if (ks.length < 3) continue;
      const m = median(ks.map((k) => items[k].z));
      const d = ks.map((k) => Math.abs(items[k].z - m)).sort((a, b) => a - b);
      devs.push(...(ks.length % 2 ? d.slice(1) : d));
    }
    const robust = devs.length ? 1.4826 * median(devs) : 0;
    const tiny = Math.max(1e-30, 1e-12 * robust * robust);
    let added = 0;
    for (const ks of byDev.values()) {
      if (ks.length < 3) continue;
      const w = ks.map((k) => 1 / Math.max(tiny, sigma2 + items[k].s2));
      const c = weightedMedian(
        ks.map((k) => items[k].z),
        w,
      );
      for (const k of ks) {
        const scale = Math.max(Math.sqrt(sigma2 + items[k].s2), robust);
        if (Math.abs(items[k].z - c) > zLimit * scale) {
          out.add(k);
          added++;
        }
      }
    }
    if (added === 0) break;
  }
  return out;
}

/** Mean d2d z-score, in each of the `others` parameters, of the excluded cycles. */
export function selectionShift(
  excluded: { params: Partial<Record<ParamName, number>> }[],
  others: ParamName[],
  log: Map<ParamName, boolean>,
  mu: Map<ParamName, number>,
  tau2: Map<ParamName, number>,
): { param: ParamName; meanZ: number; n: number }[] {
  const res: { param: ParamName; meanZ: number; n: number }[] = [];
  for (const q of others) {
    const t = tau2.get(q) ?? 0,
      m = mu.get(q);
    if (!(t > 0) || m === undefined) continue;
    const zs = excluded
      .map((c) => c.params[q])
      .filter((v): v is number => v !== undefined && Number.isFinite(v) && (!log.get(q) || v > 0))
      .map((v) => ((log.get(q) ? Math.log(v) : v) - m) / Math.sqrt(t));
    if (zs.length) res.push({ param: q, meanZ: Math.round((zs.reduce((a, b) => a + b, 0) / zs.length) * 1000) / 1000, n: zs.length });
  }
  return res;
}
