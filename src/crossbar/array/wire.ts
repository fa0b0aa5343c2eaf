/**
 * One physical crossbar array with wire resistance: row wires driven at column 0 by the input
 * voltages, column wires read at the last row into virtual ground (TIA), a wire segment of rWire
 * between neighbouring cross points (and between the driver / TIA and the first / last point),
 * devices as conductances G[i·cols + j] between row node (i, j) and column node (i, j).
 * `solveWireIterative`: block Gauss–Seidel with exact tridiagonal line solves (rows for the row-wire
 * voltages, columns for the column-wire voltages) until the largest node change < tol·max|V|.
 * `solveWireDirect`: dense nodal analysis (2·rows·cols unknowns, Gaussian elimination), for checks.
 * Both return the column currents (A) into the virtual grounds.
 */

function thomas(a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array, x: Float64Array, n: number, cp: Float64Array): void {
  cp[0] = c[0] / b[0];
  x[0] = d[0] / b[0];
  for (let i = 1; i < n; i++) {
    const m = b[i] - a[i] * cp[i - 1];
    cp[i] = c[i] / m;
    x[i] = (d[i] - a[i] * x[i - 1]) / m;
  }
  for (let i = n - 2; i >= 0; i--) x[i] -= cp[i] * x[i + 1];
}

export interface WireSolveResult {
  iA: Float64Array;
  iterations: number;
  converged: boolean;
}

export function solveWireIterative(
  g: ArrayLike<number>,
  rows: number,
  cols: number,
  vIn: ArrayLike<number>,
  rWireOhm: number,
  maxIter = 500,
  tol = 1e-10,
): WireSolveResult {
  const gw = 1 / rWireOhm;
  const u = new Float64Array(rows * cols),
    v = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) u[i * cols + j] = vIn[i];
  const n = Math.max(rows, cols);
  const a = new Float64Array(n),
    b = new Float64Array(n),
    c = new Float64Array(n),
    d = new Float64Array(n),
    x = new Float64Array(n),
    cp = new Float64Array(n);
  let vmax = 0;
  for (let i = 0; i < rows; i++) vmax = Math.max(vmax, Math.abs(vIn[i]));
  let it = 0,
    converged = false;
  for (; it < maxIter; it++) {
    let change = 0;
    for (let i = 0; i < rows; i++) {
      // row wire i: unknowns u[i, 0..cols)
      for (let j = 0; j < cols; j++) {
        const G = g[i * cols + j];
        a[j] = j > 0 ? -gw : 0;
        c[j] = j < cols - 1 ? -gw : 0;
        b[j] = gw + (j < cols - 1 ? gw : 0) + G;
        d[j] = G * v[i * cols + j] + (j === 0 ? gw * vIn[i] : 0);
      }
      thomas(a, b, c, d, x, cols, cp);
      for (let j = 0; j < cols; j++) {
        change = Math.max(change, Math.abs(x[j] - u[i * cols + j]));
        u[i * cols + j] = x[j];
      }
    }
    for (let j = 0; j < cols; j++) {
      // column wire j: unknowns v[0..rows, j), grounded below the last row
      for (let i = 0; i < rows; i++) {
        const G = g[i * cols + j];
        a[i] = i > 0 ? -gw : 0;
        c[i] = i < rows - 1 ? -gw : 0;
        b[i] = (i > 0 ? gw : 0) + gw + G;
        d[i] = G * u[i * cols + j];
      }
      thomas(a, b, c, d, x, rows, cp);
      for (let i = 0; i < rows; i++) {
        change = Math.max(change, Math.abs(x[i] - v[i * cols + j]));
        v[i * cols + j] = x[i];
      }
    }
    if (change <= tol * Math.max(vmax, 1e-30)) {
      converged = true;
      it++;
      break;
    }
  }
  const iA = new Float64Array(cols);
  for (let j = 0; j < cols; j++) iA[j] = v[(rows - 1) * cols + j] * gw;
  return { iA, iterations: it, converged };
}

/** Dense nodal solve; unknowns u (rows·cols) then v (rows·cols). For small arrays (tests). */
export function solveWireDirect(g: ArrayLike<number>, rows: number, cols: number, vIn: ArrayLike<number>, rWireOhm: number): Float64Array {
  const gw = 1 / rWireOhm,
    N = rows * cols,
    M = 2 * N;
  const A = Array.from({ length: M }, () => new Float64Array(M + 1));
  const U = (i: number, j: number): number => i * cols + j,
    V = (i: number, j: number): number => N + i * cols + j;
  const stamp = (p: number, q: number, gg: number): void => {
    A[p][p] += gg;
    A[q][q] += gg;
    A[p][q] -= gg;
    A[q][p] -= gg;
  };
  const toFixed = (p: number, gg: number, volt: number): void => {
    A[p][p] += gg;
    A[p][M] += gg * volt;
  };
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      stamp(U(i, j), V(i, j), g[i * cols + j]);
      if (j === 0) toFixed(U(i, j), gw, vIn[i]);
      else stamp(U(i, j - 1), U(i, j), gw);
      if (i === rows - 1) toFixed(V(i, j), gw, 0);
      else stamp(V(i, j), V(i + 1, j), gw);
    }
  for (let k = 0; k < M; k++) {
    // Gaussian elimination with partial pivoting
    let p = k;
    for (let r = k + 1; r < M; r++) if (Math.abs(A[r][k]) > Math.abs(A[p][k])) p = r;
    [A[k], A[p]] = [A[p], A[k]];
    for (let r = k + 1; r < M; r++) {
      const f = A[r][k] / A[k][k];
      if (f !== 0) for (let q = k; q <= M; q++) A[r][q] -= f * A[k][q];
    }
  }
  const x = new Float64Array(M);
  for (let k = M - 1; k >= 0; k--) {
    let s = A[k][M];
    for (let q = k + 1; q < M; q++) s -= A[k][q] * x[q];
    x[k] = s / A[k][k];
  }
  const iA = new Float64Array(cols);
  for (let j = 0; j < cols; j++) iA[j] = x[V(rows - 1, j)] * gw;
  return iA;
}

/** Column currents without wire resistance: I_j = Σ_i G_ij·V_i. */
export function idealColumnCurrents(g: ArrayLike<number>, rows: number, cols: number, vIn: ArrayLike<number>): Float64Array {
  const iA = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) iA[j] += g[i * cols + j] * vIn[i];
  return iA;
}

/** Thomas factorisation of one tridiagonal line (sub a, diag b, super c): m (pivots) and cp, reused for every right-hand side. */
function factorLine(a: Float64Array, b: Float64Array, c: Float64Array, n: number, m: Float64Array, cp: Float64Array): void {
  m[0] = b[0];
  cp[0] = c[0] / b[0];
  for (let i = 1; i < n; i++) {
    m[i] = b[i] - a[i] * cp[i - 1];
    cp[i] = c[i] / m[i];
  }
}

export interface WireTransfer {
  /** Column current j per volt on row i: t[j·rows + i] (S). The array is linear, so I_col = T·v_in exactly. */
  t: Float64Array;
  iterationsMax: number;
  converged: boolean;
}

/**
 * The array's transfer conductance matrix with wire resistance: one solve per driven row (1 V on row i,
 * 0 on the others), the same block Gauss–Seidel as `solveWireIterative`, with every row- and column-line
 * factorisation computed once (the line matrices depend on G and r_wire only). With the devices fixed
 * (inference after programming) every later MVM is then a plain product with T — rows solves instead of
 * one solve per input vector.
 */
export function wireTransferMatrix(
  g: ArrayLike<number>,
  rows: number,
  cols: number,
  rWireOhm: number,
  maxIter = 500,
  tol = 1e-10,
): WireTransfer {
  const gw = 1 / rWireOhm;
  // row lines (length cols) and column lines (length rows): sub-diagonal −gw, diagonal as in solveWireIterative
  const rA = new Float64Array(cols),
    rC = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    rA[j] = j > 0 ? -gw : 0;
    rC[j] = j < cols - 1 ? -gw : 0;
  }
  const cA = new Float64Array(rows),
    cC = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    cA[i] = i > 0 ? -gw : 0;
    cC[i] = i < rows - 1 ? -gw : 0;
  }
  const rM = new Float64Array(rows * cols),
    rCp = new Float64Array(rows * cols);
  const cM = new Float64Array(rows * cols),
    cCp = new Float64Array(rows * cols);
  const b = new Float64Array(Math.max(rows, cols));
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) b[j] = gw + (j < cols - 1 ? gw : 0) + g[i * cols + j];
    factorLine(rA, b, rC, cols, rM.subarray(i * cols, (i + 1) * cols), rCp.subarray(i * cols, (i + 1) * cols));
  }
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) b[i] = (i > 0 ? gw : 0) + gw + g[i * cols + j];
    factorLine(cA, b, cC, rows, cM.subarray(j * rows, (j + 1) * rows), cCp.subarray(j * rows, (j + 1) * rows));
  }
  const u = new Float64Array(rows * cols),
    v = new Float64Array(rows * cols);
  const x = new Float64Array(Math.max(rows, cols));
  const t = new Float64Array(rows * cols);
  let iterationsMax = 0,
    allConverged = true;
  for (let drive = 0; drive < rows; drive++) {
    u.fill(0);
    v.fill(0);
    for (let j = 0; j < cols; j++) u[drive * cols + j] = 1;
    let it = 0,
      converged = false;
    for (; it < maxIter; it++) {
      let change = 0;
      for (let i = 0; i < rows; i++) {
        const m = i * cols;
        // forward substitution on d_j = G·v + (j = 0: gw·V_in,i), then back substitution
        for (let j = 0; j < cols; j++) {
          const d = g[m + j] * v[m + j] + (j === 0 && i === drive ? gw : 0);
          x[j] = j === 0 ? d / rM[m] : (d - rA[j] * x[j - 1]) / rM[m + j];
        }
        for (let j = cols - 2; j >= 0; j--) x[j] -= rCp[m + j] * x[j + 1];
        for (let j = 0; j < cols; j++) {
          const dd = Math.abs(x[j] - u[m + j]);
          if (dd > change) change = dd;
          u[m + j] = x[j];
        }
      }
      for (let j = 0; j < cols; j++) {
        const m = j * rows;
        for (let i = 0; i < rows; i++) {
          const d = g[i * cols + j] * u[i * cols + j];
          x[i] = i === 0 ? d / cM[m] : (d - cA[i] * x[i - 1]) / cM[m + i];
        }
        for (let i = rows - 2; i >= 0; i--) x[i] -= cCp[m + i] * x[i + 1];
        for (let i = 0; i < rows; i++) {
          const dd = Math.abs(x[i] - v[i * cols + j]);
          if (dd > change) change = dd;
          v[i * cols + j] = x[i];
        }
      }
      if (change <= tol) {
        converged = true;
        it++;
        break;
      }
    }
    if (it > iterationsMax) iterationsMax = it;
    if (!converged) allConverged = false;
    for (let j = 0; j < cols; j++) t[j * rows + drive] = v[(rows - 1) * cols + j] * gw;
  }
  return { t, iterationsMax, converged: allConverged };
}
