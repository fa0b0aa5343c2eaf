/** Small dense linear algebra for the hierarchical fit (covariances of a few parameters). */
import { Matrix, CholeskyDecomposition, inverse } from 'ml-matrix';

export type Mat = number[][];

export const zeros = (n: number, m = n): Mat => Array.from({ length: n }, () => new Array<number>(m).fill(0));
export const eye = (n: number, d = 1): Mat =>
  zeros(n).map((r, i) => {
    r[i] = d;
    return r;
  });
const diag = (v: number[]): Mat =>
  zeros(v.length).map((r, i) => {
    r[i] = v[i];
    return r;
  });
export const add = (a: Mat, b: Mat): Mat => a.map((r, i) => r.map((x, j) => x + b[i][j]));
export const sub = (a: Mat, b: Mat): Mat => a.map((r, i) => r.map((x, j) => x - b[i][j]));
export const scale = (a: Mat, s: number): Mat => a.map((r) => r.map((x) => x * s));
export const mul = (a: Mat, b: Mat): Mat => a.map((r) => b[0].map((_, j) => r.reduce((s, x, k) => s + x * b[k][j], 0)));
export const mulv = (a: Mat, v: ArrayLike<number>): number[] => a.map((r) => r.reduce((s, x, k) => s + x * v[k], 0));
export const transpose = (a: Mat): Mat => (a.length ? a[0].map((_, j) => a.map((r) => r[j])) : []);
export const outer = (a: ArrayLike<number>, b: ArrayLike<number>): Mat => Array.from(a, (x) => Array.from(b, (y) => x * y));
const symmetrize = (a: Mat): Mat => a.map((r, i) => r.map((x, j) => 0.5 * (x + a[j][i])));

/** Inverse of a symmetric positive (semi-)definite matrix; a tiny ridge keeps it finite. */
export function invSym(a: Mat): Mat {
  const n = a.length;
  if (n === 0) return [];
  let tr = 0;
  for (let i = 0; i < n; i++) tr += Math.abs(a[i][i]);
  const ridge = 1e-12 * (tr / n || 1);
  const m = new Matrix(a.map((r, i) => r.map((x, j) => (i === j ? x + ridge : x))));
  return symmetrize(inverse(m, true).to2DArray());
}

/** Lower Cholesky factor of a covariance (with a ridge retry); used for prior residuals L⁻¹(x − m). */
export function cholLower(a0: Mat): Mat {
  const a = symmetrize(a0);
  for (let k = 0; k < 6; k++) {
    const ridge = k === 0 ? 0 : 10 ** (k - 12) * Math.max(...a.map((r, i) => r[i]));
    const c = new CholeskyDecomposition(new Matrix(a.map((r, i) => r.map((x, j) => (i === j ? x + ridge : x)))));
    if (c.isPositiveDefinite()) return c.lowerTriangularMatrix.to2DArray();
  }
  return diag(a.map((r, i) => Math.sqrt(Math.max(r[i], 1e-30))));
}

/** Inverse of a lower-triangular matrix. */
export function invLower(l: Mat): Mat {
  const n = l.length;
  const out = zeros(n);
  for (let j = 0; j < n; j++) {
    out[j][j] = 1 / l[j][j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s += l[i][k] * out[k][j];
      out[i][j] = -s / l[i][i];
    }
  }
  return out;
}

/**
 * A covariance kept usable: every standard deviation within [sdMin, sdMax], correlations within
 * ±maxCorr (a spread estimated at zero stays at sdMin: the parameter is then effectively shared).
 */
export function regularizeCov(c0: Mat, sdMin: number[], sdMax: number[], maxCorr = 0.98): Mat {
  const c = symmetrize(c0);
  const n = c.length;
  const sd = c.map((r, i) => Math.min(sdMax[i], Math.max(sdMin[i], Math.sqrt(Math.max(0, r[i])))));
  const raw = c.map((r, i) => Math.sqrt(Math.max(r[i], 1e-300)));
  const out = zeros(n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const rho = i === j ? 1 : Math.max(-maxCorr, Math.min(maxCorr, c[i][j] / (raw[i] * raw[j]) || 0));
      out[i][j] = rho * sd[i] * sd[j];
    }
  return out;
}

export function correlationOf(c: Mat): Mat {
  const sd = c.map((r, i) => Math.sqrt(Math.max(r[i], 0)));
  return c.map((r, i) => r.map((x, j) => (i === j ? 1 : sd[i] * sd[j] > 0 ? Math.max(-1, Math.min(1, x / (sd[i] * sd[j]))) : 0)));
}

/** Inverse of a general square matrix. */
export function invGen(a: Mat): Mat {
  return a.length ? inverse(new Matrix(a), true).to2DArray() : [];
}
