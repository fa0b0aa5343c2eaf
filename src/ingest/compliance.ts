/**
 * Compliance from the data, when no metadata states it:
 * 1. an SMU plateau: ≥ 3 consecutive samples within 0.05 % of each other and within 2 % of the
 *    excursion's max |I|, spanning ≥ 2 % of its peak |V| or with the (measured) voltage stalled (median step
 *    on the plateau ≤ 1/4 of the sweep step), at a
 *    "round" setting (1 significant digit within 0.05 %, or 2 within 0.01 %), on either polarity;
 * 2. a saturating SET branch (1T1R transistor, slow SMU): ≥ 4 samples of the SET excursion at
 *    ≥ 85 % of its max |I| spanning ≥ 10 % of its peak |V|, with a log-log slope below 0.4
 *    (an ohmic LRS has slope 1). The compliance is then the max |I|.
 */
import type { Excursion } from './excursions.js';
import { median } from '../util/stats.js';
import type { ComplianceEvidence } from './types.js';

/** A front-panel setting: 1 significant digit within 0.05 %, or 2 within 0.01 %. */
function isRound(x: number): boolean {
  const near = (digits: number, tol: number) => {
    const e = Math.floor(Math.log10(x)) - (digits - 1);
    const r = Math.round(x / 10 ** e) * 10 ** e;
    return Math.abs(x - r) <= tol * x;
  };
  return near(1, 5e-4) || near(2, 1e-4);
}

/** The front-panel value a plateau sits at (1 or 2 significant digits). */
function roundSetting(x: number): number {
  for (const digits of [1, 2, 3]) {
    const e = Math.floor(Math.log10(x)) - (digits - 1);
    const r = Number((Math.round(x / 10 ** e) * 10 ** e).toPrecision(digits));
    if (Math.abs(x - r) <= (digits === 1 ? 5e-4 : 1e-4) * x) return r;
  }
  return x;
}

function smuPlateau(vV: number[], iA: number[], ex: Excursion): number | null {
  let imax = 0;
  for (let k = ex.start; k < ex.end; k++) imax = Math.max(imax, Math.abs(iA[k]));
  if (!(imax > 0)) return null;
  const steps: number[] = [];
  for (let k = ex.start + 1; k < ex.end; k++) steps.push(Math.abs(vV[k] - vV[k - 1]));
  const step = steps.length ? median(steps) : 0;
  const vp = Math.abs(vV[ex.peak]);
  // longest run of consecutive samples near the top that agree within 0.05 % (one overshoot sample may sit above)
  let best: number[] = [];
  for (let k = ex.start; k < ex.end; k++) {
    const a = Math.abs(iA[k]);
    if (a < 0.98 * imax) continue;
    let j = k + 1;
    while (j < ex.end && Math.abs(Math.abs(iA[j]) - a) <= 5e-4 * a) j++;
    if (j - k > best.length) {
      // a plateau, not a smooth maximum sampled finely: it spans >= 2 % of the peak |V|, or the
      // (measured) voltage stalls there as an SMU in current limit does
      let vlo = Infinity,
        vhi = -Infinity;
      const dv: number[] = [];
      for (let q = k; q < j; q++) {
        vlo = Math.min(vlo, Math.abs(vV[q]));
        vhi = Math.max(vhi, Math.abs(vV[q]));
        if (q > k) dv.push(Math.abs(vV[q] - vV[q - 1]));
      }
      const stalled = dv.length > 0 && median(dv) <= 0.25 * step;
      if (vhi - vlo >= 0.02 * vp || stalled) best = iA.slice(k, j).map(Math.abs);
    }
    if (best.length >= ex.end - k) break;
    k = Math.max(k, j - 1);
  }
  if (best.length < 3) return null;
  const med = median(best);
  return isRound(med) ? roundSetting(med) : null;
}

function saturatingSet(vV: number[], iA: number[], ex: Excursion): number | null {
  let imax = 0;
  for (let k = ex.start; k < ex.end; k++) imax = Math.max(imax, Math.abs(iA[k]));
  if (!(imax > 0)) return null;
  const vp = Math.abs(vV[ex.peak]);
  const near: number[] = [];
  for (let k = ex.start; k < ex.end; k++) if (Math.abs(iA[k]) >= 0.85 * imax) near.push(k);
  if (near.length < 4) return null;
  let vlo = Infinity,
    vhi = 0;
  for (const k of near) {
    vlo = Math.min(vlo, Math.abs(vV[k]));
    vhi = Math.max(vhi, Math.abs(vV[k]));
  }
  if (vhi - vlo < 0.1 * vp || vlo <= 0) return null;
  const outNear = near.filter((k) => k <= ex.peak);
  const use = outNear.length >= 3 ? outNear : near.filter((k) => k >= ex.peak);
  if (use.length < 3) return null;
  const a = use[0],
    b = use[use.length - 1];
  const dv = Math.log(Math.abs(vV[b]) / Math.abs(vV[a]));
  if (!(Math.abs(dv) > 0.05)) return null;
  const slope = Math.log(Math.abs(iA[b]) / Math.abs(iA[a])) / dv;
  return slope < 0.4 ? imax : null;
}

/** Compliance detected on one cycle's excursions; `setSign` is the sign of the SET excursions. */
export function detectCompliance(vV: number[], iA: number[], exs: Excursion[], setSign: 1 | -1): number | null {
  const plateaus: number[] = [];
  for (const ex of exs) {
    const p = smuPlateau(vV, iA, ex);
    if (p !== null) plateaus.push(p * (ex.sign === setSign ? 1 : -1));
  }
  const setP = plateaus.filter((p) => p > 0);
  if (setP.length) return setP.reduce((a, b) => Math.max(a, b), 0);
  for (const ex of exs) {
    if (ex.sign !== setSign) continue;
    const s = saturatingSet(vV, iA, ex);
    if (s !== null) return s;
  }
  if (plateaus.length) return plateaus.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
  return null;
}

/** The same search, saying how the value was found: a flat plateau at a front-panel value (high confidence) or a saturating SET branch (medium). */
export function detectComplianceWithEvidence(
  vV: number[],
  iA: number[],
  exs: Excursion[],
  setSign: 1 | -1,
): { valueA: number; evidence: ComplianceEvidence } | null {
  const x = detectCompliance(vV, iA, exs, setSign);
  if (x === null) return null;
  const plateau = exs.some((ex) => smuPlateau(vV, iA, ex) === x);
  return {
    valueA: x,
    evidence: plateau
      ? { method: 'smu-plateau', confidence: 'high', detail: `>= 3 samples flat within 0.05 % at ${x} A, a round front-panel setting` }
      : {
          method: 'saturating-set',
          confidence: 'medium',
          detail: `the SET branch stops rising (log-log slope < 0.4 over >= 10 % of its peak |V|) at ${x.toPrecision(3)} A`,
        },
  };
}
