/**
 * Adaptive integration of the state over one linear piece of the waveform on which V keeps one
 * sign. Bogacki–Shampine 3(2) with FSAL in the window-adapted coordinate y of transform.ts; the
 * local error is measured in ln N (d ln N = σ(y)/10·dy) and each step also limits |Δ ln N|.
 * The last right-hand-side evaluation of a piece is at its end point, so the driver then holds
 * the operating point (I, V_S, T) at (V(t_end), N(t_end)): the output convention of spec §12.
 * Never throws: a failure (too many steps, NaN) sets `failed`.
 */
import type { Driver } from './circuit.js';
import { fromY, logistic, toY } from './transform.js';
import type { VarState } from './variability.js';
import type { Tangent } from './tangent.js';

// local aliases: hot paths read module-local bindings (cheaper than import bindings under some loaders)
const fromY_ = fromY;
const logistic_ = logistic;
const toY_ = toY;

// stage matrices (row-major, 4 × 4) and weights for the sensitivities (tangent.ts)
const HEUN_A = Float64Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const HEUN_B = Float64Array.from([0.5, 0.5]);
const RK23_A = Float64Array.from([0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.75, 0, 0, 0, 0, 0, 0]);
const RK23_B = Float64Array.from([2 / 9, 1 / 3, 4 / 9]);

export interface StepControl {
  /** Max |Δ ln N| per accepted step. */
  maxDlnN: number;
  /** Local error tolerance per step, in ln N. */
  relTol: number;
  /** Budget of right-hand-side evaluations for the whole simulation. */
  maxEvals: number;
  /** 'heun': adaptive Heun–Euler (2nd order, the reference's scheme); 'rk23': Bogacki–Shampine. */
  scheme: 'heun' | 'rk23';
}

export class Integrator {
  readonly d: Driver;
  readonly vs: VarState;
  readonly ctl: StepControl;
  // a double from the start (a field declared without a value holds undefined first, and V8 then
  // stores it boxed: a new heap number at every write)
  nDisc = NaN;
  h = Infinity;
  steps = 0;
  rhsEvals = 0;
  rejected = 0;
  failed = false;
  // piece data
  private ta = 0;
  private va = 0;
  private slope = 0;
  private setPol = false;
  private readonly hist = new Float64Array(5);
  // first-same-as-last across pieces: the last evaluation (t, N, V) and its dy/dt
  private fsalT = NaN;
  private fsalN = NaN;
  private fsalV = NaN;
  private fsalK = NaN;
  /** Forward sensitivities (tangent.ts), or null: hooks only, the integration is the same. */
  tan: Tangent | null = null;
  private readonly ys = new Float64Array(5);
  private readonly ns = new Float64Array(5);

  constructor(d: Driver, vs: VarState, nInit: number, ctl: StepControl) {
    this.d = d;
    this.vs = vs;
    this.ctl = ctl;
    this.nDisc = nInit;
  }

  // argument (t, N) and result dy/dt of rhs(): double fields, not arguments and a return value,
  // which V8 boxes in new heap numbers when it does not inline rhs (it never does, rhs is large)
  private rhsT = NaN;
  private rhsN = NaN;
  private rhsK = NaN;

  /** dy/dt at (t, N) = (this.rhsT, this.rhsN) with var geometry, into this.rhsK. */
  private rhs(slot: number): void {
    this.rhsEvals++;
    const t = this.rhsT;
    const nDisc = this.rhsN;
    const cell = this.d.cell;
    const vs = this.vs;
    if (vs.moving) {
      vs.update(nDisc, this.setPol);
      cell.setGeometry(vs.rVar, vs.lVar);
    }
    cell.setN(nDisc);
    const v = this.va + this.slope * (t - this.ta);
    this.d.solve(v);
    const tan = this.tan;
    if (!this.d.ok) {
      this.rhsK = NaN;
      return;
    }
    if (cell.i === 0) {
      if (tan !== null) tan.zero(slot);
      this.rhsK = 0;
      return;
    }
    const f = (-10 * cell.rawRate()) / nDisc;
    if (tan !== null) tan.capture(cell, f, slot);
    this.rhsK = f;
  }

  /** Evaluates the operating point at (t, N) without integrating (frozen state or V = 0). */
  evalAt(tS: number, vV: number): void {
    this.ta = tS;
    this.va = vV;
    this.slope = 0;
    this.setPol = vV < 0;
    this.fsalT = NaN;
    this.rhsT = tS;
    this.rhsN = this.nDisc;
    this.rhs(0);
  }

  /**
   * Integrates from (ta, va) to (tb, vb); V must not change sign inside (zero allowed at the ends).
   */
  advance(ta: number, va: number, tb: number, vb: number): void {
    this.ta = ta;
    this.va = va;
    this.slope = (vb - va) / (tb - ta);
    const mid = 0.5 * (va + vb);
    this.setPol = mid < 0;
    const vs = this.vs;
    const nMin = vs.nMin;
    const nMax = vs.nMax;
    const setPol = this.setPol;
    let y = toY_(this.nDisc, setPol, nMin, nMax);
    // frozen: V = 0 throughout, or N at/beyond the bound it moves towards
    if (mid === 0 || y === -Infinity || !(y === y)) {
      this.fsalT = NaN;
      this.rhsT = tb;
      this.rhsN = this.nDisc;
      this.rhs(0);
      if (!this.d.ok) this.failed = true;
      return;
    }
    const ctl = this.ctl;
    let t = +ta; // a numeric copy: a loop variable merged from an untyped argument stays boxed
    let k1 = this.fsalK;
    if (!(this.fsalT === ta && this.fsalN === this.nDisc && this.fsalV === va)) {
      this.rhsT = t;
      this.rhsN = this.nDisc;
      this.rhs(0);
      k1 = this.rhsK;
    }
    let lnN = Math.log(this.nDisc);
    let h = Math.min(this.h, tb - ta);
    const guard = tb - ta;
    while (!this.failed) {
      if (!(k1 === k1)) {
        this.failed = true;
        return;
      }
      const rem = tb - t;
      if (rem <= 1e-13 * guard) break;
      const sig = logistic_(y);
      // proposal bounded by the Δ ln N limit
      const dl = (Math.abs(k1) * sig) / 10;
      if (dl * h > ctl.maxDlnN) h = (0.9 * ctl.maxDlnN) / dl;
      let last = false;
      if (h >= rem * 0.999999) {
        h = rem;
        last = true;
      }
      this.d.saveHistory(this.hist);
      let yn: number;
      let nNew: number;
      let k4: number;
      let errY: number;
      let lastSlot = 0;
      const tn = last ? tb : t + h;
      if (ctl.scheme === 'rk23') {
        const y2 = y + 0.5 * h * k1;
        const n2 = fromY_(y2, setPol, nMin, nMax);
        this.rhsT = t + 0.5 * h;
        this.rhsN = n2;
        this.rhs(1);
        const k2 = this.rhsK;
        const y3 = y + 0.75 * h * k2;
        const n3 = fromY_(y3, setPol, nMin, nMax);
        this.rhsT = t + 0.75 * h;
        this.rhsN = n3;
        this.rhs(2);
        const k3 = this.rhsK;
        yn = y + h * ((2 / 9) * k1 + (1 / 3) * k2 + (4 / 9) * k3);
        nNew = fromY_(yn, setPol, nMin, nMax);
        this.rhsT = tn;
        this.rhsN = nNew;
        this.rhs(3);
        k4 = this.rhsK;
        lastSlot = 3;
        if (this.tan !== null) {
          this.ys[1] = y2;
          this.ns[1] = n2;
          this.ys[2] = y3;
          this.ns[2] = n3;
        }
        errY = h * ((-5 / 72) * k1 + (1 / 12) * k2 + (1 / 9) * k3 - (1 / 8) * k4);
      } else {
        const y1 = y + h * k1;
        const n1 = fromY_(y1, setPol, nMin, nMax);
        this.rhsT = tn;
        this.rhsN = n1;
        this.rhs(1);
        const k2 = this.rhsK;
        if (this.tan !== null) {
          this.ys[1] = y1;
          this.ns[1] = n1;
        }
        yn = y + 0.5 * h * (k1 + k2);
        errY = 0.5 * h * (k2 - k1);
        nNew = fromY_(yn, setPol, nMin, nMax);
        const errEst = (Math.abs(errY) * Math.max(sig, logistic_(yn))) / 10;
        // The end-point evaluation is needed only for an accepted step, and not even then when
        // the predictor's N equals the corrected N to 1e-9 (operating point the same to ~1e-9).
        if (errEst > ctl.relTol) k4 = 0;
        else if (Math.abs(nNew - n1) <= 1e-9 * nNew) {
          k4 = k2;
          lastSlot = 1;
        } else {
          this.rhsT = tn;
          this.rhsN = nNew;
          this.rhs(2);
          k4 = this.rhsK;
          lastSlot = 2;
        }
      }
      const sigN = Math.max(sig, logistic_(yn));
      const err = (Math.abs(errY) * sigN) / 10;
      const lnNew = Math.log(nNew);
      const dln = Math.abs(lnNew - lnN);
      if (this.rhsEvals > ctl.maxEvals) {
        this.failed = true;
        return;
      }
      if (!(err <= ctl.relTol) || !(dln <= ctl.maxDlnN) || !(k4 === k4)) {
        this.rejected++;
        this.d.restoreHistory(this.hist);
        let fac = err > 0 ? 0.9 * (ctl.scheme === 'rk23' ? Math.cbrt(ctl.relTol / err) : Math.sqrt(ctl.relTol / err)) : 0.5;
        if (dln > ctl.maxDlnN) fac = Math.min(fac, (0.9 * ctl.maxDlnN) / dln);
        if (!(fac === fac)) fac = 0.25;
        h *= Math.min(0.9, Math.max(0.1, fac));
        if (h < 1e-30 * Math.max(1, tb)) {
          this.failed = true;
          return;
        }
        continue;
      }
      this.steps++;
      const tan = this.tan;
      if (tan !== null) {
        const rk = ctl.scheme === 'rk23';
        const stages = rk ? 3 : 2;
        this.ys[0] = y;
        this.ns[0] = this.nDisc;
        this.ys[stages] = yn;
        this.ns[stages] = nNew;
        tan.step(stages, this.ys, this.ns, rk ? RK23_A : HEUN_A, rk ? RK23_B : HEUN_B, h, setPol, nMin, nMax);
        tan.keep(lastSlot);
      }
      t = tn;
      y = yn;
      this.nDisc = nNew;
      lnN = lnNew;
      k1 = k4;
      const grow = err > 0 ? 0.9 * (ctl.scheme === 'rk23' ? Math.cbrt(ctl.relTol / err) : Math.sqrt(ctl.relTol / err)) : 5;
      const hNext = h * Math.min(5, Math.max(0.2, grow));
      this.h = hNext;
      if (last) {
        this.fsalT = tb;
        this.fsalN = nNew;
        this.fsalV = vb;
        this.fsalK = k4;
        break;
      }
      h = hNext;
    }
  }
}
