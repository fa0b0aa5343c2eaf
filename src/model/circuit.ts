/**
 * The measurement circuit around the cell: a voltage source, an optional external series resistance
 * and an optional SMU current compliance. While |I| would exceed Icc the cell is driven at Icc and
 * its voltage follows (spec-free, SMU behaviour). Keeps the continuation history of the solve.
 */
import { Cell } from './cell.js';
import { scanSolve, secantInfo, secantSolve } from './solve.js';
import type { JartParams } from './params.js';

// local aliases: hot paths read module-local bindings (cheaper than import bindings under some loaders)
const scanSolve_ = scanSolve;
const secantSolve_ = secantSolve;
const secantInfo_ = secantInfo;

export interface Circuit {
  /**
   * SMU current compliance in the SET polarity (V < 0): |I| ≤ complianceA, A. As in a lab sweep,
   * it limits the SET; the RESET polarity has its own limit `complianceResetA` (default none).
   */
  complianceA?: number;
  /** Current compliance in the RESET polarity (V > 0), A (default: none). */
  complianceResetA?: number;
  /** External series resistance between source and cell (not heating the filament), Ω. */
  seriesOhm?: number;
}

/**
 * A cell in its circuit with the branch history (exported as CellDriver): set the state with
 * `driver.cell.setN(n)` (and `cell.setGeometry(r, l)`), call `solve(vV)`, read `iA`, `vsV`, `vCellV`,
 * `tempK`, `compliance`, `dndt()`. Consecutive solves continue the branch; `reset()` forgets it.
 * No allocation per solve: for loops over many operating points (crossbar reads, fits).
 */
export class Driver {
  readonly cell: Cell;
  readonly complianceSetA: number;
  readonly complianceResetA: number;
  // continuation history (voltage drive and current drive separately)
  private uHist = 0;
  private slopeHist = 0;
  private uHistC = 0;
  private polHist = 0; // −1 SET, +1 RESET, 0 none
  // results (signed where meaningful)
  iA = 0;
  vsV = 0;
  vCellV = 0;
  tempK = 0;
  compliance = false;
  ok = true;

  constructor(p: JartParams, circuit: Circuit = {}) {
    this.cell = new Cell(p);
    this.cell.setSeries(circuit.seriesOhm ?? 0);
    const c = (x: number | undefined): number => (x !== undefined && x > 0 ? x : Infinity);
    this.complianceSetA = c(circuit.complianceA);
    this.complianceResetA = c(circuit.complianceResetA);
  }

  /** Forget the branch history (next solve starts from V_S = 0). */
  reset(): void {
    this.uHist = 0;
    this.uHistC = 0;
    this.polHist = 0;
    this.slopeHist = 0;
  }

  /** History snapshot/restore, so that rejected trial evaluations do not move the branch. */
  saveHistory(out: Float64Array): void {
    out[0] = this.uHist;
    out[1] = this.slopeHist;
    out[2] = this.uHistC;
    out[3] = this.polHist;
  }

  restoreHistory(h: Float64Array): void {
    this.uHist = h[0];
    this.slopeHist = h[1];
    this.uHistC = h[2];
    this.polHist = h[3];
  }

  /** Operating point at source voltage vV and the cell's current N/geometry. */
  solve(vV: number): void {
    const cell = this.cell;
    if (vV === 0 || !Number.isFinite(vV)) {
      this.iA = 0;
      this.vsV = 0;
      this.vCellV = 0;
      this.tempK = cell.t0;
      cell.i = 0;
      cell.u = 0;
      cell.tempK = cell.t0;
      cell.setPol = vV < 0;
      this.compliance = false;
      this.ok = vV === 0;
      this.reset();
      return;
    }
    const pol = vV < 0 ? -1 : 1;
    if (pol !== this.polHist) this.reset();
    cell.prepareVoltage(vV);
    let ok = false;
    const u0 = this.uHist;
    if (u0 > 0) {
      secantInfo_.slope = 0;
      ok = secantSolve_(cell, u0, this.slopeHist);
      if (ok && secantInfo_.slope > 0) this.slopeHist = secantInfo_.slope;
    }
    if (!ok) ok = scanSolve_(cell, u0 > 0 && u0 < cell.absV ? u0 : 0);
    this.polHist = pol;
    this.uHist = ok ? cell.u : 0;
    let comp = false;
    const icc = pol < 0 ? this.complianceSetA : this.complianceResetA;
    if (ok && cell.i > icc) {
      // current drive at Icc; the cell voltage follows
      comp = true;
      // the cell cannot take more than the source minus the drop at Icc: V_S ≤ |V| − R_lin·Icc − c·Icc³
      // (there the voltage-drive residual equals the current-drive one, so the bracket holds the root)
      const uMax = cell.absV - icc * cell.rLin - cell.cCubic * icc * icc * icc;
      cell.prepareCurrent(icc, pol < 0, uMax);
      const uc = this.uHistC;
      let okc = uc > 0 && uc < uMax ? secantSolve_(cell, uc, 0) : false;
      if (!okc) okc = scanSolve_(cell, 0);
      ok = okc;
      this.uHistC = okc ? cell.u : 0;
    } else {
      this.uHistC = 0;
    }
    this.ok = ok;
    this.compliance = comp;
    if (!ok) {
      this.iA = NaN;
      this.vsV = NaN;
      this.vCellV = NaN;
      this.tempK = NaN;
      return;
    }
    this.iA = pol * cell.i;
    this.vsV = pol * cell.u;
    this.tempK = cell.tempK;
    this.vCellV = pol * cell.cellVoltage();
  }

  /** Signed dN/dt (window and bounds applied) at the last solve. */
  dndt(): number {
    return this.ok ? this.cell.dndt() : NaN;
  }
}
