/** Order statistics shared by every stage: one median, one quantile. Non-finite values are ignored. */

/** Quantile p ∈ [0, 1] with linear interpolation between order statistics (type 7); NaN when no finite value. */
export function quantile(xs: readonly number[], p: number): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * p,
    lo = Math.floor(h),
    hi = Math.ceil(h);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/** The median: the middle value, or the mean of the two middle values of an even count; NaN when no finite value. */
export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}
