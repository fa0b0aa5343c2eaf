/**
 * Tabulated state dynamics at a fixed voltage and geometry. At constant V the state obeys an
 * autonomous 1-D ODE (T and I are algebraic): d ln N/dt = ±R(N)/N·F_lim. This table holds
 * ln H at uniform nodes of ξ (ξ = ln N in SET, −ln N in RESET, i.e. oriented along the motion),
 * with H = N/R the time per unit ln N without the window (s). The pulse kernel interpolates ln H
 * across geometries and integrates the time-to-reach τ(ξ) = ∫ H dξ exactly for the
 * piecewise-exponential interpolant.
 */
import { Driver } from './circuit.js';
import type { JartParams } from './params.js';

/** ln H cap: e^575 s ≈ 1e250 s stands for "never" (rate underflow). */
const LN_H_CAP = 575;

export class TauTable {
  readonly xi0: number;
  readonly dXi: number;
  readonly n: number;
  readonly lnH: Float64Array;

  /** Builds the table for p (its rnew, lnew) at vV ≠ 0 over ln N in [lnLo, lnHi] with step ≈ dXi. */
  constructor(p: JartParams, vV: number, lnLo: number, lnHi: number, dXi: number) {
    const s = vV < 0 ? 1 : -1;
    const n = Math.max(3, Math.ceil((lnHi - lnLo) / dXi) + 1);
    this.n = n;
    this.dXi = (lnHi - lnLo) / (n - 1);
    this.xi0 = s > 0 ? lnLo : -lnHi;
    this.lnH = new Float64Array(n);
    const d = new Driver(p);
    // along the motion, with continuation (the branch a pulse follows)
    for (let j = 0; j < n; j++) {
      const nDisc = Math.exp(s * (this.xi0 + j * this.dXi));
      d.cell.setN(nDisc);
      d.solve(vV);
      const r = d.ok && d.cell.i > 0 ? d.cell.rawRate() : 0;
      const lnH = r > 0 ? Math.log(nDisc / r) : LN_H_CAP;
      this.lnH[j] = Math.min(LN_H_CAP, lnH === lnH ? lnH : LN_H_CAP);
    }
  }
}
