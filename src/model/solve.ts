/**
 * The implicit operating-point solve (spec §5.3, §5.5) as a 1-D root search of Cell.g(u), u = |V_S|.
 *
 * Branch choice (continuation, never the spurious root of §5.5): from a history point u0 the root
 * is searched in the direction the sign of g(u0) points to (g < 0 → upwards, g > 0 → downwards),
 * i.e. the nearest root on a branch with dg/du > 0, reached continuously. With no history the
 * search starts at u = 0 (g = −∞), which gives the smallest-|V_S| root (the branch reached
 * continuously from V = 0).
 *
 * Fast path: safeguarded secant from u0 (converges in 2–4 evaluations when u0 is the previous
 * root). Fallback: a scan on a grid geometric in u and clustered at the barrier kink ψ = 0, then
 * bracketed Illinois/bisection. Never throws; returns false (and NaN fields) on failure.
 */
import type { Cell } from './cell.js';

const scratch = new Float64Array(400);
let scanCount = 0;
/** 'robust': every solve by scan + bracketing (the baseline of the benchmark); 'fast': continuation first. */
export const solverMode = { robust: false };

/** Slope dg/du of the last converged secant solve (for the next start). */
export const secantInfo = { slope: 0, evals: 0 };

/** Number of fallback scans performed so far (benchmark/diagnostics). */
export function fallbackScans(): number {
  return scanCount;
}

function fillGrid(cell: Cell): number {
  const top = cell.absV;
  let n = 0;
  // geometric grid from top·1e-10 to top (ratio ≈ 1.1)
  const steps = 240;
  for (let k = 0; k < steps; k++) scratch[n++] = top * Math.pow(10, -10 + (10 * k) / steps);
  // cluster around the barrier-lowering kink ψ = 0 (TE: u = φ_Bn0 − φ_n)
  const uk = cell.setPol ? -cell.dPhi : cell.dPhi;
  if (uk > 0 && uk < top) {
    for (let k = 1; k <= 12; k++) {
      const d = uk * Math.pow(10, -k / 1.5);
      scratch[n++] = uk - d;
      if (uk + d < top) scratch[n++] = uk + d;
    }
    scratch[n++] = uk;
  }
  // uniform grid for the upper part
  for (let k = 1; k < 40; k++) scratch[n++] = (top * k) / 40;
  scratch.subarray(0, n).sort();
  return n;
}

/** Illinois false position on a bracket [a, b] with g(a) < 0 < g(b) (either may be infinite). */
function refine(cell: Cell, a: number, ga: number, b: number, gb: number): boolean {
  let side = 0;
  for (let it = 0; it < 200; it++) {
    let m: number;
    if (Number.isFinite(ga) && Number.isFinite(gb)) {
      m = (a * gb - b * ga) / (gb - ga);
      if (!(m > a && m < b)) m = 0.5 * (a + b);
    } else {
      m = a > 0 ? Math.sqrt(a * b) : b * 1e-3;
      if (!(m > a && m < b)) m = 0.5 * (a + b);
    }
    const gm = cell.g(m);
    if (gm !== gm) return false;
    if (gm === 0 || b - a <= 4e-16 * b) return true;
    if (gm < 0) {
      a = m;
      ga = gm;
      if (side === -1) gb *= 0.5;
      side = -1;
    } else {
      b = m;
      gb = gm;
      if (side === 1) ga *= 0.5;
      side = 1;
    }
    if (Math.abs(gm) < 1e-14) return true;
  }
  return true;
}

/** Robust directional search from u0 (u0 = 0: from below). Leaves the root in the cell fields. */
export function scanSolve(cell: Cell, u0: number): boolean {
  scanCount++;
  const n = fillGrid(cell);
  const g0 = u0 > 0 ? cell.g(u0) : -Infinity;
  if (g0 !== g0) return false;
  if (g0 === 0) return true;
  if (g0 < 0) {
    let a = u0;
    let ga = g0;
    for (let k = 0; k < n; k++) {
      const x = scratch[k];
      if (x <= u0) continue;
      const gx = cell.g(x);
      if (gx !== gx) return false;
      if (gx >= 0) return gx === 0 ? true : refine(cell, a, ga, x, gx);
      a = x;
      ga = gx;
    }
    const top = cell.absV;
    const gt = cell.g(top);
    if (gt < 0) return false; // only possible in current drive: no operating point below uMax
    return refine(cell, a, ga, top, gt);
  }
  let b = u0;
  let gb = g0;
  for (let k = n - 1; k >= 0; k--) {
    const x = scratch[k];
    if (x >= u0) continue;
    const gx = cell.g(x);
    if (gx !== gx) return false;
    if (gx <= 0) return gx === 0 ? true : refine(cell, x, gx, b, gb);
    b = x;
    gb = gx;
  }
  return refine(cell, 0, -Infinity, b, gb);
}

/**
 * Secant continuation from u0 (a previous root) with the bracket the sign of g(u0) implies.
 * Returns false when it does not converge quickly; the caller then uses scanSolve.
 */
export function secantSolve(cell: Cell, u0: number, slope: number): boolean {
  const top = cell.absV;
  if (solverMode.robust || !(u0 > 0 && u0 < top)) return false;
  let g0 = cell.g(u0);
  if (!Number.isFinite(g0)) return false;
  if (Math.abs(g0) < 1e-14) return true;
  let lo = 0;
  let hi = top;
  if (g0 < 0) lo = u0;
  else hi = u0;
  let d = slope > 0 && Number.isFinite(slope) ? slope : 1 / u0;
  let u1 = u0 - g0 / d;
  if (!(u1 > lo && u1 < hi)) u1 = g0 < 0 ? Math.min(u0 * 1.5, 0.5 * (u0 + hi)) : 0.5 * u0;
  for (let it = 0; it < 25; it++) {
    const g1 = cell.g(u1);
    if (!Number.isFinite(g1)) return false;
    if (Math.abs(g1) < 1e-14) return true;
    if (g1 < 0) lo = Math.max(lo, u1);
    else hi = Math.min(hi, u1);
    d = (g1 - g0) / (u1 - u0);
    let un = u1 - g1 / d;
    if (!(un > lo && un < hi) || !(d > 0)) un = 0.5 * (lo + hi);
    if (Math.abs(un - u1) <= 1e-10 * u1) {
      secantInfo.slope = d;
      return true;
    }
    u0 = u1;
    g0 = g1;
    u1 = un;
  }
  return false;
}
