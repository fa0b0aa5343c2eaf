/**
 * Fast per-pulse state update for rectangular pulses (crossbar simulator), and the full-integration
 * reference `applyPulseExact`.
 *
 * Kernel: ln H tables (tau-table.ts, H = time per unit ln N at the pulse voltage) on a 9 × 9 grid of
 * device geometries (ln r × ln l). For a device, ln H is interpolated at each table node (4-point
 * Lagrange in ln r × linear in ln l; weights cached per geometry), and the time-to-reach
 * τ(ξ) = ∫ H dξ of that piecewise-exponential H is integrated exactly, cell by cell from N0, until the
 * pulse width is used up: N_after = τ⁻¹(τ(N0) + width), right for any width.
 * The window F_lim is neglected while (N/Nmax)^10 (SET) or (Nmin/N)^10 (RESET) is below 1e-4
 * (relative rate error ≤ 1e-4); closer to the bound the remaining time is integrated with RK4 in the
 * window-adapted coordinate of transform.ts, using the tabulated H (no implicit solves).
 * Devices outside the tabulated geometry or N range fall back to full integration (counted).
 */
import type { JartParams } from './params.js';
import { simulate } from './simulate.js';
import { TauTable } from './tau-table.js';
import { fromY, logistic, toY } from './transform.js';

// local aliases: hot paths read module-local bindings (cheaper than import bindings under some loaders)
const fromY_ = fromY;
const logistic_ = logistic;
const toY_ = toY;

export interface PulseDeviceVar {
  rnew: number;
  lnew: number;
  Ndiscmin: number;
  Ndiscmax: number;
}

export interface PulseKernel {
  /**
   * N after one pulse, for a device whose v1b-var quantities are given (others = the kernel's params). No
   * allocation. `width` (s, default the kernel's widthS): a pulse of another width at the same amplitude
   * (the tables hold the time per unit ln N, so any width is exact).
   */
  apply(ndisc: number, rnew: number, lnew: number, ndiscMin: number, ndiscMax: number, width?: number): number;
  readonly vV: number;
  readonly widthS: number;
  /** Pulses that fell outside the tables and were integrated in full. */
  readonly fallbacks: number;
}

export interface PulseKernelOptions {
  /** Tabulated radius range, m (default rnew·[0.8, 1.25]). */
  rRange?: [number, number];
  /** Tabulated disc-length range, m (default lnew·[0.8, 1.25]). */
  lRange?: [number, number];
  /** Geometry grid nodes per axis (default 9). */
  nodes?: number;
  /** Tabulated N range (default [Ndiscmin/10, 2·Ndiscmax]). */
  nRange?: [number, number];
  /** ln N step of the tables (default 0.04). */
  dlnN?: number;
}

const XC = -Math.log(1e-4) / 10; // window threshold: (N/Nmax)^10 = 1e-4

/** Full integration of one rectangular pulse (rk23, tight tolerance): the kernel's reference. */
export function applyPulseExact(
  p: JartParams,
  ndisc0: number,
  vV: number,
  widthS: number,
  opts: { relTol?: number; scheme?: 'heun' | 'rk23' } = {},
): number {
  if (vV === 0 || !(widthS > 0) || !(ndisc0 > 0)) return ndisc0;
  if (widthS === Infinity) return vV < 0 ? Math.max(ndisc0, p.Ndiscmax) : Math.min(ndisc0, p.Ndiscmin);
  const wave = { tS: Float64Array.of(0, widthS), vV: Float64Array.of(vV, vV) };
  const r = simulate(p, wave, { ninit: ndisc0, scheme: opts.scheme ?? 'rk23', relTol: opts.relTol ?? 1e-8, maxDlnN: 0.02 });
  return r.ndisc[1];
}

export function createPulseKernel(p: JartParams, vV: number, widthS: number, opts: PulseKernelOptions = {}): PulseKernel {
  const s = vV < 0 ? 1 : -1;
  const nodes = Math.max(4, Math.round(opts.nodes ?? 9));
  const [r0, r1] = opts.rRange ?? [p.rnew * 0.75, p.rnew * 1.33];
  const [l0, l1] = opts.lRange ?? [p.lnew * 0.75, p.lnew * 1.33];
  const [nLo, nHi] = opts.nRange ?? [p.Ndiscmin / 10, p.Ndiscmax * 2];
  const dln = opts.dlnN ?? 0.04;
  const lnR0 = Math.log(r0);
  const lnL0 = Math.log(l0);
  const dR = (Math.log(r1) - lnR0) / (nodes - 1);
  const dL = (Math.log(l1) - lnL0) / (nodes - 1);
  // lnH tables, node (a, b) at offset (a·nodes + b)·n
  let n = 0;
  let xi0 = 0;
  let dXi = 1;
  let L = new Float64Array(0);
  if (vV !== 0) {
    for (let a = 0; a < nodes; a++) {
      for (let b = 0; b < nodes; b++) {
        const q = { ...p, rnew: Math.exp(lnR0 + a * dR), lnew: Math.exp(lnL0 + b * dL) };
        const t = new TauTable(q, vV, Math.log(nLo), Math.log(nHi), dln);
        if (L.length === 0) {
          n = t.n;
          xi0 = t.xi0;
          dXi = t.dXi;
          L = new Float64Array(nodes * nodes * n);
        }
        L.set(t.lnH, (a * nodes + b) * n);
      }
    }
  }
  const xiHi = xi0 + (n - 1) * dXi;
  let fallbacks = 0;
  // per-apply interpolation state (cubic Lagrange in ln r over 4 nodes × linear in ln l)
  const off = new Int32Array(8);
  const wt = new Float64Array(8);

  function lnHAt(j: number): number {
    let acc = 0;
    for (let c = 0; c < 8; c++) acc += wt[c] * L[off[c] + j];
    return acc;
  }

  /** H of the device at ξ (between nodes: ln H linear). */
  function hAt(xi: number): number {
    let f = (xi - xi0) / dXi;
    if (f < 0) f = 0;
    if (f > n - 1) f = n - 1;
    let j = Math.floor(f);
    if (j > n - 2) j = n - 2;
    const a = lnHAt(j);
    return Math.exp(a + (f - j) * (lnHAt(j + 1) - a));
  }

  let lastR = NaN;
  let lastL = NaN;
  let geoOk = false;
  /** Interpolation weights for a geometry (cached: consecutive pulses on one device reuse them). */
  function setGeometry(rnew: number, lnew: number): void {
    lastR = rnew;
    lastL = lnew;
    const fr = (Math.log(rnew) - lnR0) / dR;
    const fl = (Math.log(lnew) - lnL0) / dL;
    geoOk = fr >= 0 && fr <= nodes - 1 && fl >= 0 && fl <= nodes - 1;
    if (!geoOk) return;
    let a = Math.floor(fr) - 1;
    if (a < 0) a = 0;
    if (a > nodes - 4) a = nodes - 4;
    let b = Math.floor(fl);
    if (b > nodes - 2) b = nodes - 2;
    const x = fr - a; // in [0, 3]
    const wl = fl - b;
    for (let k = 0; k < 4; k++) {
      const ck =
        k === 0
          ? (-(x - 1) * (x - 2) * (x - 3)) / 6
          : k === 1
            ? (x * (x - 2) * (x - 3)) / 2
            : k === 2
              ? (-x * (x - 1) * (x - 3)) / 2
              : (x * (x - 1) * (x - 2)) / 6;
      off[2 * k] = ((a + k) * nodes + b) * n;
      off[2 * k + 1] = ((a + k) * nodes + b + 1) * n;
      wt[2 * k] = ck * (1 - wl);
      wt[2 * k + 1] = ck * wl;
    }
  }

  function exact(ndisc: number, rnew: number, lnew: number, ndiscMin: number, ndiscMax: number, width: number): number {
    fallbacks++;
    return applyPulseExact({ ...p, rnew, lnew, Ndiscmin: ndiscMin, Ndiscmax: ndiscMax }, ndisc, vV, width);
  }

  return {
    vV,
    widthS,
    get fallbacks() {
      return fallbacks;
    },
    apply(ndisc, rnew, lnew, ndiscMin, ndiscMax, width = widthS) {
      if (vV === 0 || !(width > 0)) return ndisc;
      if (s > 0 ? ndisc >= ndiscMax : ndisc <= ndiscMin) return ndisc; // at the bound: frozen
      const xiStart = s * Math.log(ndisc);
      const xiB = s > 0 ? Math.log(ndiscMax) : -Math.log(ndiscMin);
      const xiC = xiB - XC;
      if (rnew !== lastR || lnew !== lastL) setGeometry(rnew, lnew);
      if (!(xiStart >= xi0 && xiB <= xiHi && geoOk)) {
        return exact(ndisc, rnew, lnew, ndiscMin, ndiscMax, width);
      }
      // walk the cells: exact time-to-reach of the piecewise-exponential H
      let rem = width;
      let xi = xiStart;
      let j = Math.floor((xi - xi0) / dXi);
      if (j > n - 2) j = n - 2;
      let la = lnHAt(j);
      let hA = NaN; // H at the cell start, carried from the previous cell's end (one exp per node)
      while (xi < xiC) {
        const lb = lnHAt(j + 1);
        const beta = (lb - la) / dXi;
        const xj = xi0 + j * dXi;
        const sA = xi - xj;
        const sB = Math.min(dXi, xiC - xj);
        if (!(hA === hA)) hA = Math.exp(la + beta * sA);
        const ds = sB - sA;
        const bd = beta * ds;
        const full = sB === dXi;
        const hB = full ? Math.exp(lb) : NaN;
        const cellT = Math.abs(bd) < 1e-4 ? hA * ds * (1 + bd * (0.5 + bd / 6)) : full ? (hB - hA) / beta : (hA * Math.expm1(bd)) / beta;
        if (rem < cellT) {
          const z = (beta * rem) / hA;
          xi += Math.abs(z) < 1e-9 ? (rem / hA) * (1 - 0.5 * z) : Math.log1p(z) / beta;
          return Math.exp(s * xi);
        }
        rem -= cellT;
        xi = xj + sB;
        if (!full) break; // reached the window threshold inside this cell
        j++;
        la = lb;
        hA = hB;
        if (j > n - 2) break;
      }
      // window region: dy/dt = −10/H(ξ(y)), RK4 with |Δξ| ≤ 0.1 per step
      const setPol = s > 0;
      let y = toY_(Math.exp(s * xi), setPol, ndiscMin, ndiscMax);
      for (let it = 0; it < 400 && rem > 0 && y > -700; it++) {
        const h1 = hAt(s * Math.log(fromY_(y, setPol, ndiscMin, ndiscMax)));
        let dt = (0.1 * h1) / Math.max(logistic_(y), 1e-300);
        if (dt > rem) dt = rem;
        const k1 = -10 / h1;
        const k2 = -10 / hAt(s * Math.log(fromY_(y + 0.5 * dt * k1, setPol, ndiscMin, ndiscMax)));
        const k3 = -10 / hAt(s * Math.log(fromY_(y + 0.5 * dt * k2, setPol, ndiscMin, ndiscMax)));
        const k4 = -10 / hAt(s * Math.log(fromY_(y + dt * k3, setPol, ndiscMin, ndiscMax)));
        y += (dt / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
        rem -= dt;
      }
      return fromY_(y, setPol, ndiscMin, ndiscMax);
    },
  };
}
