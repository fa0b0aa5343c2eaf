/**
 * Uncertainty from the Jacobian at the optimum (generic).
 *   Cov(u) = s² (JᵀJ)⁺,  s² = Σr² / (m − n)
 * computed through the SVD of the column-scaled Jacobian (robust when JᵀJ is near singular).
 * Standard errors are mapped back to parameter units with dp/du (delta method).
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';

export interface Uncertainty {
  /** Standard errors in u. */
  seU: Float64Array;
  /** Correlation matrix (n × n). */
  correlation: number[][];
  /** Condition number of the column-scaled Jacobian (∞ if rank deficient). */
  condition: number;
  /** Residual variance estimate s². */
  s2: number;
}

export function jacobianUncertainty(jacobian: Float64Array[], cost: number, n: number): Uncertainty {
  const m = jacobian.length;
  const dof = Math.max(1, m - n);
  const s2 = cost / dof;
  const colNorm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += jacobian[i][k] ** 2;
    colNorm[k] = Math.sqrt(s) || 1;
  }
  const Js = new Matrix(m, n);
  for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) Js.set(i, k, jacobian[i][k] / colNorm[k]);
  const svd = new SingularValueDecomposition(Js, { autoTranspose: true });
  const sv = svd.diagonal;
  const smax = Math.max(...sv);
  const smin = Math.min(...sv);
  const condition = smin > 0 ? smax / smin : Infinity;
  // (JsᵀJs)⁺ = V diag(1/σ²) Vᵀ, dropping σ below a relative threshold
  const V = svd.rightSingularVectors;
  const cov = Matrix.zeros(n, n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let s = 0;
      for (let k = 0; k < sv.length; k++) if (sv[k] > 1e-12 * smax) s += (V.get(a, k) * V.get(b, k)) / (sv[k] * sv[k]);
      cov.set(a, b, (s * s2) / (colNorm[a] * colNorm[b]));
    }
  }
  const seU = new Float64Array(n);
  for (let k = 0; k < n; k++) seU[k] = Math.sqrt(Math.max(0, cov.get(k, k)));
  const correlation: number[][] = [];
  for (let a = 0; a < n; a++) {
    const row: number[] = [];
    for (let b = 0; b < n; b++) {
      const d = seU[a] * seU[b];
      row.push(d > 0 ? Math.max(-1, Math.min(1, cov.get(a, b) / d)) : a === b ? 1 : 0);
    }
    correlation.push(row);
  }
  return { seU, correlation, condition, s2 };
}
