/**
 * Voltage excursions: maximal stretches of one voltage sign between returns to ~0 V. Each has an
 * "out" part (|V| rising to its peak) and a "back" part. The hysteresis of an excursion (is |I|
 * larger on the way back than on the way out at the same |V|?) says whether it SETs or RESETs.
 */
import { median as medianOf } from '../util/stats.js';
export interface Excursion {
  sign: 1 | -1;
  start: number;
  end: number; // sample range [start, end)
  peak: number; // index of max |V|
  startsAtZero: boolean;
  endsAtZero: boolean;
}

const median = (xs: number[]): number => (xs.length === 0 ? 0 : medianOf(xs));

/** |V| at or below this counts as zero: a fraction of the typical step, and of the span. */
export function zeroTolerance(vV: number[]): number {
  const steps: number[] = [];
  let vmax = 0;
  for (let k = 0; k < vV.length; k++) {
    vmax = Math.max(vmax, Math.abs(vV[k]));
    if (k > 0) {
      const d = Math.abs(vV[k] - vV[k - 1]);
      if (d > 0) steps.push(d);
    }
  }
  const st = median(steps);
  return Math.min(0.3 * (st || vmax * 0.01), 0.02 * vmax) + 1e-12;
}

export function findExcursions(vV: number[]): Excursion[] {
  const n = vV.length;
  const tol = zeroTolerance(vV);
  const sgn = vV.map((v) => (v > tol ? 1 : v < -tol ? -1 : 0));
  const out: Excursion[] = [];
  let k = 0;
  while (k < n) {
    if (sgn[k] === 0) {
      k++;
      continue;
    }
    const s = sgn[k] as 1 | -1;
    let e = k;
    while (e < n && sgn[e] === s) e++;
    let peak = k;
    for (let j = k; j < e; j++) if (Math.abs(vV[j]) > Math.abs(vV[peak])) peak = j;
    const vmax = Math.abs(vV[peak]);
    const startsAtZero = k > 0 || Math.abs(vV[k]) <= 0.15 * vmax;
    const endsAtZero = e < n || Math.abs(vV[e - 1]) <= 0.15 * vmax;
    out.push({ sign: s, start: k, end: e, peak, startsAtZero, endsAtZero });
    k = e;
  }
  return out;
}

/** Interpolates log10|I| at |V| = x on a monotonic-in-|V| run of samples; NaN outside. */
function logIAt(vV: number[], iA: number[], idx: number[], x: number): number {
  for (let j = 1; j < idx.length; j++) {
    const a = Math.abs(vV[idx[j - 1]]),
      b = Math.abs(vV[idx[j]]);
    if ((a - x) * (b - x) <= 0 && a !== b) {
      const f = (x - a) / (b - a);
      const ia = Math.abs(iA[idx[j - 1]]),
        ib = Math.abs(iA[idx[j]]);
      if (ia <= 0 || ib <= 0) return NaN;
      return Math.log10(ia) + f * (Math.log10(ib) - Math.log10(ia));
    }
  }
  return NaN;
}

/**
 * Hysteresis score of an excursion: mean over |V| in [0.15, 0.95]·peak of log10|I_back| − log10|I_out|.
 * > 0: the excursion made the cell more conductive (SET); < 0: less (RESET). NaN if undetermined.
 */
export function hysteresisScore(vV: number[], iA: number[], ex: Excursion, floorA: number): number {
  if (!ex.startsAtZero || !ex.endsAtZero) return NaN;
  const outIdx: number[] = [],
    backIdx: number[] = [];
  for (let j = ex.start; j <= ex.peak; j++) outIdx.push(j);
  for (let j = ex.peak; j < ex.end; j++) backIdx.push(j);
  if (outIdx.length < 3 || backIdx.length < 3) return NaN;
  const vp = Math.abs(vV[ex.peak]);
  let sum = 0,
    cnt = 0;
  for (let q = 1; q <= 16; q++) {
    const x = vp * (0.15 + (0.8 * q) / 16);
    const lo = logIAt(vV, iA, outIdx, x),
      lb = logIAt(vV, iA, backIdx, x);
    if (!Number.isFinite(lo) || !Number.isFinite(lb)) continue;
    const fl = Math.log10(Math.max(floorA, 1e-300));
    if (lo <= fl + 0.3 && lb <= fl + 0.3) continue;
    sum += lb - lo;
    cnt++;
  }
  return cnt >= 3 ? sum / cnt : NaN;
}
