/**
 * Small numerical helpers of the population stage: the normal distribution, the Anderson–Darling
 * and Kolmogorov–Smirnov normality statistics, a Nelder–Mead minimiser, and symmetric-matrix
 * tools (eigen-decomposition, Cholesky, inverse: ml-matrix). Pure, no allocation-sensitive hot loops here.
 */
import { CholeskyDecomposition, EigenvalueDecomposition, LuDecomposition, Matrix } from 'ml-matrix';

/** erfc with relative error < 1.2e-7 (Numerical Recipes erfcc, Chebyshev fit). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(x). */
export function normCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal quantile Φ⁻¹(p) (Acklam's rational approximation + one Halley step). */
export function normQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  let x: number;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - pl) {
    const q = p - 0.5,
      r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = normCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Sample variance (n − 1). */
export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return xs.length > 1 ? s / (xs.length - 1) : 0;
}

export interface NormalityTest {
  /** Anderson–Darling A² with the small-sample factor (1 + 0.75/n + 2.25/n²) (mean and sd estimated). */
  adStatistic: number;
  /** p-value of the AD test, D'Agostino & Stephens (1986) Table 4.9 formulas (case: mean and variance estimated). */
  adPValue: number;
  /** Kolmogorov–Smirnov D against the fitted normal (Lilliefors setting; no p-value reported). */
  ksStatistic: number;
  n: number;
}

/** Normality of a sample, with mean and standard deviation estimated from it. */
export function normalityTest(xs: ArrayLike<number>): NormalityTest {
  const n = xs.length;
  if (n < 3) return { adStatistic: NaN, adPValue: NaN, ksStatistic: NaN, n };
  const sorted = Array.from(xs).sort((p, q) => p - q);
  const m = mean(sorted);
  const sd = Math.sqrt(variance(sorted));
  if (!(sd > 0)) return { adStatistic: NaN, adPValue: NaN, ksStatistic: NaN, n };
  const u = sorted.map((x) => Math.min(1 - 1e-15, Math.max(1e-15, normCdf((x - m) / sd))));
  let s = 0,
    ks = 0;
  for (let i = 0; i < n; i++) {
    s += (2 * i + 1) * (Math.log(u[i]) + Math.log(1 - u[n - 1 - i]));
    ks = Math.max(ks, (i + 1) / n - u[i], u[i] - i / n);
  }
  const a2 = -n - s / n;
  const a = a2 * (1 + 0.75 / n + 2.25 / (n * n));
  let p: number;
  if (a >= 0.6) p = Math.exp(1.2937 - 5.709 * a + 0.0186 * a * a);
  else if (a >= 0.34) p = Math.exp(0.9177 - 4.279 * a - 1.38 * a * a);
  else if (a >= 0.2) p = 1 - Math.exp(-8.318 + 42.796 * a - 59.938 * a * a);
  else p = 1 - Math.exp(-13.436 + 101.14 * a - 223.73 * a * a);
  return { adStatistic: a, adPValue: Math.min(1, Math.max(0, p)), ksStatistic: ks, n };
}

/** Nelder–Mead minimiser (standard coefficients). Never throws; returns the best point seen. */
export function nelderMead(
  f: (x: number[]) => number,
  x0: number[],
  opts: { step?: number; maxIter?: number; tol?: number } = {},
): { x: number[]; f: number } {
  const n = x0.length,
    step = opts.step ?? 1,
    maxIter = opts.maxIter ?? 400,
    tol = opts.tol ?? 1e-10;
  const val = (x: number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let simplex = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const x = x0.slice();
    x[i] += step;
    simplex.push(x);
  }
  let fs = simplex.map(val);
  for (let it = 0; it < maxIter; it++) {
    const order = fs.map((_, i) => i).sort((p, q) => fs[p] - fs[q]);
    simplex = order.map((i) => simplex[i]);
    fs = order.map((i) => fs[i]);
    if (Math.abs(fs[n] - fs[0]) <= tol * (Math.abs(fs[0]) + tol)) break;
    const c = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[j] += simplex[i][j] / n;
    const at = (t: number): number[] => c.map((cj, j) => cj + t * (simplex[n][j] - cj));
    const xr = at(-1),
      fr = val(xr);
    if (fr < fs[0]) {
      const xe = at(-2),
        fe = val(xe);
      if (fe < fr) {
        simplex[n] = xe;
        fs[n] = fe;
      } else {
        simplex[n] = xr;
        fs[n] = fr;
      }
    } else if (fr < fs[n - 1]) {
      simplex[n] = xr;
      fs[n] = fr;
    } else {
      const xc = fr < fs[n] ? at(-0.5) : at(0.5),
        fc = val(xc);
      if (fc < Math.min(fr, fs[n])) {
        simplex[n] = xc;
        fs[n] = fc;
      } else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i].map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j]));
          fs[i] = val(simplex[i]);
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i <= n; i++) if (fs[i] < fs[best]) best = i;
  return { x: simplex[best], f: fs[best] };
}

/** Eigen-decomposition of a symmetric matrix (ml-matrix): A = V diag(values) Vᵀ. */
export function symmetricEigen(a: number[][]): { values: number[]; vectors: number[][] } {
  if (a.length === 0) return { values: [], vectors: [] };
  const e = new EigenvalueDecomposition(new Matrix(a), { assumeSymmetric: true });
  return { values: e.realEigenvalues, vectors: e.eigenvectorMatrix.to2DArray() };
}

/** Lower-triangular Cholesky factor of a symmetric positive-definite matrix (ml-matrix, from its lower triangle); null if not PD. */
export function cholesky(a: number[][]): number[][] | null {
  if (a.length === 0) return [];
  // the lower triangle, as the factor reads it (ml-matrix refuses a matrix that is not exactly symmetric)
  const c = new CholeskyDecomposition(new Matrix(a.map((r, i) => r.map((_, j) => (j <= i ? a[i][j] : a[j][i])))));
  return c.isPositiveDefinite() ? c.lowerTriangularMatrix.to2DArray() : null;
}

/** Inverse of a small square matrix (ml-matrix, LU), or null when it is singular. */
export function invert(a: number[][]): number[][] | null {
  if (a.length === 0) return [];
  const lu = new LuDecomposition(new Matrix(a));
  if (lu.isSingular()) return null;
  const inv = lu.solve(Matrix.eye(a.length)).to2DArray();
  return inv.every((r) => r.every(Number.isFinite)) ? inv : null;
}

/** Percentile (linear interpolation between order statistics) of an unsorted sample. */
export { quantile } from '../util/stats.js';
