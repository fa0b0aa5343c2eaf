/**
 * The implicit operating-point solve (spec §5.3, §5.5) as a 1-D root search of Cell.g(u), u = |V_S|.
 *
 * Branch choice (continuation, never the spurious root of §5.5): from a history point u0 the root
 * is searched in the direction the sign of g(u0) points to (g < 0 → upwards, g > 0 → downwards),
 * i.e. the nearest root on a branch with dg/du > 0, reached continuously. With no history the
 * search starts at u = 0 (g = −∞), which gives the smallest-|V_S| root (the branch reached
 * continuously from V = 0).
 *
 * Fast path: secant from u0 (a predicted root) inside a trust region, converging in 2–4
 * evaluations. Fallback: a scan on a grid geometric in u and clustered at the barrier kink ψ = 0, then
 * bracketed Illinois/bisection. Never throws; returns false (and NaN fields) on failure.
 */
import type { Cell } from './cell.js';

const scratch = new Float64Array(400);
/** 'robust': every solve by scan + bracketing (the baseline of the benchmark); 'fast': continuation first. */
export const solverMode = { robust: false };

/** Slope dg/du of the last converged secant solve (for the next start). */
export const secantInfo = { slope: 0 };

// The scan grid's fixed factors, computed once (the grid was rebuilt with Math.pow and a sort at
// every scan, ~10 % of a fit's simulation time): the same values, merged in order.
const GEO_STEPS = 240;
const GEO = Float64Array.from({ length: GEO_STEPS }, (_, k) => Math.pow(10, -10 + (10 * k) / GEO_STEPS));
const KINK = Float64Array.from({ length: 13 }, (_, k) => (k === 0 ? 0 : Math.pow(10, -k / 1.5)));
const UNIFORM = 40;
const kinkBuf = new Float64Array(32);

function fillGrid(cell: Cell): number {
  const top = cell.absV;
  // three ascending runs: geometric from top·1e-10 to top (ratio ≈ 1.1), a cluster around the
  // barrier-lowering kink ψ = 0 (TE: u = φ_Bn0 − φ_n), uniform over the upper part; merged in order
  let nk = 0;
  const uk = cell.setPol ? -cell.dPhi : cell.dPhi;
  if (uk > 0 && uk < top) {
    for (let k = 1; k <= 12; k++) kinkBuf[nk++] = uk - uk * KINK[k];
    kinkBuf[nk++] = uk;
    for (let k = 12; k >= 1; k--) {
      const x = uk + uk * KINK[k];
      if (x < top) kinkBuf[nk++] = x;
    }
  }
  let n = 0,
    a = 0,
    b = 0,
    c = 1;
  let ga = top * GEO[0],
    gb = nk > 0 ? kinkBuf[0] : Infinity,
    gc = (top * c) / UNIFORM;
  while (a < GEO_STEPS || b < nk || c < UNIFORM) {
    if (ga <= gb && ga <= gc) {
      scratch[n++] = ga;
      a++;
      ga = a < GEO_STEPS ? top * GEO[a] : Infinity;
    } else if (gb <= gc) {
      scratch[n++] = gb;
      b++;
      gb = b < nk ? kinkBuf[b] : Infinity;
    } else {
      scratch[n++] = gc;
      c++;
      gc = c < UNIFORM ? (top * c) / UNIFORM : Infinity;
    }
  }
  return n;
}

/** Illinois false position on a bracket [a, b] with g(a) < 0 < g(b) (either may be infinite). */
function refine(cell: Cell, aSeed: number, gaSeed: number, bSeed: number, gbSeed: number): boolean {
  // numeric copies (see secantSolve)
  let a = +aSeed,
    ga = +gaSeed,
    b = +bSeed,
    gb = +gbSeed;
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
    cell.uIn = m;
    cell.evalG();
    const gm = cell.gOut;
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
export function scanSolve(cell: Cell, uSeed: number): boolean {
  const u0 = +uSeed; // a numeric copy (see secantSolve)
  const n = fillGrid(cell);
  let g0 = -Infinity;
  if (u0 > 0) {
    cell.uIn = u0;
    cell.evalG();
    g0 = cell.gOut;
  }
  if (g0 !== g0) return false;
  if (g0 === 0) return true;
  if (g0 < 0) {
    let a = u0;
    let ga = g0;
    for (let k = 0; k < n; k++) {
      const x = scratch[k];
      if (x <= u0) continue;
      cell.uIn = x;
      cell.evalG();
      const gx = cell.gOut;
      if (gx !== gx) return false;
      if (gx >= 0) return gx === 0 ? true : refine(cell, a, ga, x, gx);
      a = x;
      ga = gx;
    }
    const top = cell.absV;
    cell.uIn = top;
    cell.evalG();
    const gt = cell.gOut;
    if (gt < 0) return false; // only possible in current drive: no operating point below uMax
    return refine(cell, a, ga, top, gt);
  }
  let b = u0;
  let gb = g0;
  for (let k = n - 1; k >= 0; k--) {
    const x = scratch[k];
    if (x >= u0) continue;
    cell.uIn = x;
    cell.evalG();
    const gx = cell.gOut;
    if (gx !== gx) return false;
    if (gx <= 0) return gx === 0 ? true : refine(cell, x, gx, b, gb);
    b = x;
    gb = gx;
  }
  return refine(cell, 0, -Infinity, b, gb);
}

/** Correction (relative) below which the secant's next point is taken without evaluating it. */
const SETTLE = 1e-8;

/** Trust region of the secant continuation (relative to the distance of u0 from the nearer end of [0, |V|]). */
const TRUST = 0.1;

/**
 * Secant continuation from u0 (a previous root), in the direction the sign of g(u0) implies and
 * within a trust region of ±10 % of min(u0, |V| − u0), so that it cannot jump over a nearer root. Returns false
 * when the root is not found there quickly, or when the barrier kink (where g can dip to a root
 * pair) lies between u0 and the root; the caller then uses scanSolve.
 */
export function secantSolve(cell: Cell, uSeed: number, slopeSeed: number): boolean {
  // numeric copies of the arguments: a loop variable merged from an untyped argument is kept boxed
  // by V8, and every assignment to it allocates a heap number
  let u0 = +uSeed;
  const slope = +slopeSeed;
  const top = cell.absV;
  if (solverMode.robust || !(u0 > 0 && u0 < top)) return false;
  const uStart = u0;
  cell.uIn = u0;
  cell.evalG();
  let g0 = cell.gOut;
  if (!Number.isFinite(g0)) return false;
  if (Math.abs(g0) < 1e-14) return true;
  const upward = g0 < 0;
  // trust region relative to the nearer end of [0, |V|]: near |V| (Schottky takes almost all of V)
  // the load current depends on |V| − u, not on u
  const span = TRUST * Math.min(u0, top - u0);
  const tLo = upward ? u0 : u0 - span;
  const tHi = upward ? u0 + span : u0;
  let lo = tLo;
  let hi = tHi;
  let bracketed = false;
  let d = slope > 0 && Number.isFinite(slope) ? slope : 1 / u0;
  let u1 = u0 - g0 / d;
  if (!(u1 > lo && u1 < hi)) u1 = upward ? hi : lo;
  for (let it = 0; it < 25; it++) {
    cell.uIn = u1;
    cell.evalG();
    const g1 = cell.gOut;
    if (!Number.isFinite(g1)) return false;
    let done = Math.abs(g1) < 1e-14;
    if (!done) {
      if (upward ? g1 < 0 : g1 > 0) {
        if (u1 >= tHi || u1 <= tLo) return false; // the trust boundary is on the same side: no root here
        if (upward) lo = u1;
        else hi = u1;
      } else {
        bracketed = true;
        if (upward) hi = u1;
        else lo = u1;
      }
      d = (g1 - g0) / (u1 - u0);
      let un = u1 - g1 / d;
      if (!(un > lo && un < hi) || !(d > 0)) un = bracketed ? 0.5 * (lo + hi) : upward ? hi : lo;
      const corr = Math.abs(un - u1),
        scale = Math.min(u1, top - u1);
      done = corr <= 1e-10 * scale;
      if (!done && corr <= SETTLE * scale) {
        // the next secant point is closer to the root than u1 by far (superlinear convergence):
        // take it without evaluating the barrier there (operating point moved along the load line)
        cell.moveTo(un);
        u1 = un;
        done = true;
      }
      if (!done) {
        u0 = u1;
        g0 = g1;
        u1 = un;
        continue;
      }
    }
    // a root pair can hide in the dip of g at the barrier kink: let the scan decide there
    const kink = cell.setPol ? -cell.dPhi : cell.dPhi;
    if (kink > Math.min(uStart, u1) && kink < Math.max(uStart, u1)) return false;
    if (d > 0) secantInfo.slope = d;
    return true;
  }
  return false;
}
