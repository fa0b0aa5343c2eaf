/**
 * Fast static read current I(N) at a fixed read voltage for per-device geometry (rnew, lnew):
 * ln |I| tabulated on a uniform ln N grid for a small grid of geometries (ln r × ln l), interpolated
 * linearly in ln N, cubically (4-point Lagrange) in ln r and linearly in ln l. Outside the tables
 * the static solve is used (exact, slower). The operating point is the branch reached from V = 0.
 */
import { Driver } from './circuit.js';
import { readCurrent } from './operating-point.js';
import type { JartParams } from './params.js';

export interface ReadTable {
  /** Read current (A, sign of vReadV) for state ndisc and geometry rnew, lnew. No allocation. */
  current(ndisc: number, rnew: number, lnew: number): number;
  readonly vReadV: number;
}

export interface ReadTableOptions {
  rRange?: [number, number];
  lRange?: [number, number];
  nodes?: number;
  nRange?: [number, number];
  dlnN?: number;
}

export function createReadTable(p: JartParams, vReadV: number, opts: ReadTableOptions = {}): ReadTable {
  const nodes = Math.max(4, Math.round(opts.nodes ?? 9));
  const [r0, r1] = opts.rRange ?? [p.rnew * 0.75, p.rnew * 1.33];
  const [l0, l1] = opts.lRange ?? [p.lnew * 0.75, p.lnew * 1.33];
  const [nLo, nHi] = opts.nRange ?? [p.Ndiscmin / 10, p.Ndiscmax * 2];
  const lnN0 = Math.log(nLo);
  const n = Math.max(3, Math.ceil((Math.log(nHi) - lnN0) / (opts.dlnN ?? 0.01)) + 1);
  const dN = (Math.log(nHi) - lnN0) / (n - 1);
  const lnR0 = Math.log(r0);
  const lnL0 = Math.log(l0);
  const dR = (Math.log(r1) - lnR0) / (nodes - 1);
  const dL = (Math.log(l1) - lnL0) / (nodes - 1);
  const sign = vReadV < 0 ? -1 : 1;
  const L = new Float64Array(nodes * nodes * n);
  if (vReadV !== 0) {
    for (let a = 0; a < nodes; a++) {
      for (let b = 0; b < nodes; b++) {
        const d = new Driver({ ...p, rnew: Math.exp(lnR0 + a * dR), lnew: Math.exp(lnL0 + b * dL) });
        const base = (a * nodes + b) * n;
        for (let j = 0; j < n; j++) {
          d.cell.setN(Math.exp(lnN0 + j * dN));
          d.solve(vReadV); // continuation along N from the smallest-V_S root at the lowest N
          L[base + j] = Math.log(Math.abs(d.iA));
        }
      }
    }
  }
  return {
    vReadV,
    current(ndisc, rnew, lnew) {
      if (vReadV === 0) return 0;
      const fn = (Math.log(ndisc) - lnN0) / dN;
      const fr = (Math.log(rnew) - lnR0) / dR;
      const fl = (Math.log(lnew) - lnL0) / dL;
      if (!(fn >= 0 && fn <= n - 1 && fr >= 0 && fr <= nodes - 1 && fl >= 0 && fl <= nodes - 1)) {
        return readCurrent({ ...p, rnew, lnew }, ndisc, vReadV);
      }
      let j = Math.floor(fn);
      if (j > n - 2) j = n - 2;
      const wn = fn - j;
      let a = Math.floor(fr) - 1;
      if (a < 0) a = 0;
      if (a > nodes - 4) a = nodes - 4;
      let b = Math.floor(fl);
      if (b > nodes - 2) b = nodes - 2;
      const x = fr - a;
      const wl = fl - b;
      let acc = 0;
      for (let k = 0; k < 4; k++) {
        const ck =
          k === 0
            ? (-(x - 1) * (x - 2) * (x - 3)) / 6
            : k === 1
              ? (x * (x - 2) * (x - 3)) / 2
              : k === 2
                ? (-x * (x - 1) * (x - 3)) / 2
                : (x * (x - 1) * (x - 2)) / 6;
        const o0 = ((a + k) * nodes + b) * n + j;
        const o1 = o0 + n;
        const v0 = L[o0] + wn * (L[o0 + 1] - L[o0]);
        const v1 = L[o1] + wn * (L[o1 + 1] - L[o1]);
        acc += ck * ((1 - wl) * v0 + wl * v1);
      }
      return sign * Math.exp(acc);
    },
  };
}
