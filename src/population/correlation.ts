/**
 * Device-to-device correlation of the transformed parameters (Gaussian copula).
 * Off-diagonal covariances: the multivariate one-way ANOVA moment estimator
 *   Σ_b = (MS_between − MS_within) / n0,  n0 = (N − Σ n_i² / N) / (k − 1),
 * which removes cycle-to-cycle scatter and per-cycle fit error (both within-device) from the
 * between-device covariance. Diagonal: the REML τ² of each parameter (which also removes fit error).
 * The matrix is clipped to [−1, 1] and repaired to positive definite when needed (eigenvalues
 * floored at `minEig`, then rescaled to unit diagonal).
 */
import { invert, symmetricEigen } from './stats.js';

/** rows[i] = device i's observations: an array of cycles, each a vector over the parameters (NaN = missing). */
export function betweenCovariance(rows: number[][][], p: number): number[][] {
  const devs = rows.filter((r) => r.length > 0);
  const k = devs.length;
  const N = devs.reduce((s, r) => s + r.length, 0);
  const grand = new Array<number>(p).fill(0);
  const means = devs.map((r) => {
    const m = new Array<number>(p).fill(0);
    for (const c of r) for (let a = 0; a < p; a++) m[a] += c[a] / r.length;
    for (let a = 0; a < p; a++) grand[a] += (m[a] * r.length) / N;
    return m;
  });
  const msb = new Array(p).fill(0).map(() => new Array<number>(p).fill(0));
  const msw = new Array(p).fill(0).map(() => new Array<number>(p).fill(0));
  devs.forEach((r, i) => {
    for (let a = 0; a < p; a++)
      for (let b = 0; b < p; b++) {
        msb[a][b] += (r.length * (means[i][a] - grand[a]) * (means[i][b] - grand[b])) / Math.max(1, k - 1);
        for (const c of r) msw[a][b] += ((c[a] - means[i][a]) * (c[b] - means[i][b])) / Math.max(1, N - k);
      }
  });
  const n0 = k > 1 ? (N - devs.reduce((s, r) => s + r.length * r.length, 0) / N) / (k - 1) : 1;
  return msb.map((row, a) => row.map((v, b) => (v - (N > k ? msw[a][b] : 0)) / n0));
}

export interface RepairResult {
  matrix: number[][];
  repaired: boolean;
  minEigenvalueBefore: number;
}

/** Nearest-correlation repair by eigenvalue clipping (a single projection, not Higham's full iteration). */
export function repairCorrelation(c: number[][], minEig = 1e-6): RepairResult {
  const n = c.length;
  if (n === 0) return { matrix: [], repaired: false, minEigenvalueBefore: NaN };
  const sym = c.map((r, i) => r.map((v, j) => (i === j ? 1 : Math.max(-1, Math.min(1, 0.5 * (v + c[j][i]))))));
  const { values, vectors } = symmetricEigen(sym);
  const minBefore = Math.min(...values);
  if (minBefore >= minEig) return { matrix: sym, repaired: false, minEigenvalueBefore: minBefore };
  const lam = values.map((v) => Math.max(v, minEig));
  const m = sym.map((_, i) =>
    sym.map((__, j) => {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[i][k] * lam[k] * vectors[j][k];
      return s;
    }),
  );
  const d = m.map((r, i) => Math.sqrt(r[i]));
  return { matrix: m.map((r, i) => r.map((v, j) => (i === j ? 1 : v / (d[i] * d[j])))), repaired: true, minEigenvalueBefore: minBefore };
}

/** Correlation from the moment covariance with the REML variances on the diagonal. */
export function correlationFrom(cov: number[][], tau2: number[]): number[][] {
  return cov.map((r, a) =>
    r.map((v, b) => (a === b ? 1 : tau2[a] > 0 && tau2[b] > 0 ? Math.max(-1, Math.min(1, v / Math.sqrt(tau2[a] * tau2[b]))) : 0)),
  );
}

/**
 * Selection correction (Pearson–Lawley; equivalently the factored ML of a multivariate normal with
 * monotone missing data, Anderson 1957): when the values of the parameters Y are missing for a
 * selection that depends only on the parameters X (observed for all), the regression of Y on X is
 * the same in the selected and in the whole population, so
 *   B = S_yx S_xx⁻¹,  Σ_xx = the whole population's,  Σ_yx = B Σ_xx,  Σ_yy = S_yy − B S_xy + B Σ_xx Bᵀ
 * with S the covariance of the selected devices. `sel` (p × p, over X ∪ Y) is S, `fullXX` Σ_xx
 * (indices `x` into sel), the result Σ over all p, or null when S_xx is singular or a corrected
 * variance is not positive.
 */
export function selectionCorrectedCovariance(sel: number[][], fullXX: number[][], x: number[], y: number[]): number[][] | null {
  const Sxx = x.map((a) => x.map((b) => sel[a][b]));
  const inv = invert(Sxx);
  if (!inv) return null;
  // B[i][k] = Σ_j S_{y_i x_j} inv[j][k]
  const B = y.map((yi) => x.map((_, k) => x.reduce((s, xj, j) => s + sel[yi][xj] * inv[j][k], 0)));
  const out = sel.map((r) => [...r]);
  x.forEach((a, i) =>
    x.forEach((b, j) => {
      out[a][b] = fullXX[i][j];
    }),
  );
  y.forEach((yi, i) =>
    x.forEach((xa, a) => {
      const v = x.reduce((s, _xb, b) => s + B[i][b] * fullXX[b][a], 0);
      out[yi][xa] = v;
      out[xa][yi] = v;
    }),
  );
  for (let i = 0; i < y.length; i++)
    for (let j = 0; j < y.length; j++) {
      let bsxy = 0,
        bsb = 0;
      for (let a = 0; a < x.length; a++) {
        bsxy += B[i][a] * sel[x[a]][y[j]];
        for (let b = 0; b < x.length; b++) bsb += B[i][a] * fullXX[a][b] * B[j][b];
      }
      out[y[i]][y[j]] = sel[y[i]][y[j]] - bsxy + bsb;
    }
  if (y.some((yi) => !(out[yi][yi] > 0))) return null;
  return out;
}
