/**
 * Forward sensitivities of a simulation with respect to a few parameters (discrete forward
 * sensitivities, "differentiate then freeze the steps"): along the integrator's accepted steps the
 * state sensitivity s = dN/dθ is pushed through the same Runge–Kutta stages as N itself, with the
 * step sizes the integrator chose held fixed. At each right-hand-side evaluation the partial
 * derivatives of dy/dt and of the current with respect to N and to each parameter are computed
 * analytically at the operating point: the implicit current solve g(u; N, θ) = 0 (cell.ts) is
 * differentiated by the implicit function theorem, du = −(∂g/∂θ)/(∂g/∂u), in voltage drive (load
 * line) and in current drive (compliance, I = Icc fixed). Paths that are not differentiable are
 * taken one-sided, as the model evaluates them: a clipped barrier (φ_Bn = 0) or a clipped field
 * factor (γ = 1) has zero derivative in the clipped quantity; the compliance switch and the
 * integrator's step control are held at the choice the simulation made. Allocation-free per step.
 */
import type { Cell } from './cell.js';
import { K_B_OVER_E } from './constants.js';
import { logistic } from './transform.js';
import { xMinusTanh } from './schottky.js';
import type { JartParams } from './params.js';

/** Parameters a cycle simulation can be differentiated by (`ninit`: the initial state N(t0)). */
export type TangentParam = 'rnew' | 'lnew' | 'Ndiscmin' | 'Ndiscmax' | 'RseriesTiOx' | 'seriesOhm' | 'phiBn0' | 'dWa' | 'ninit';
export const TANGENT_PARAMS: readonly TangentParam[] = [
  'rnew',
  'lnew',
  'Ndiscmin',
  'Ndiscmax',
  'RseriesTiOx',
  'seriesOhm',
  'phiBn0',
  'dWa',
  'ninit',
];

const KBE = K_B_OVER_E;
const SLOTS = 4;

// intermediate quantities a direction moves (per unit of the direction)
const Q_RLIN = 0,
  Q_RF = 1,
  Q_RTH = 2,
  Q_LNA = 3,
  Q_PHI0 = 4,
  Q_DPHI = 5,
  Q_KL = 6,
  Q_W00 = 7,
  Q_RDISC = 8,
  Q_LM = 9,
  Q_DWA = 10,
  Q_N = 11;
const NQ = 12;

export class Tangent {
  readonly dirs: readonly TangentParam[];
  readonly d: number;
  /** dN/dθ of the current state. */
  readonly sN: Float64Array;
  /** Per slot: ∂F/∂N, ∂F/∂θ (F = dy/dt), ∂ln i/∂N, ∂ln i/∂θ. */
  private readonly fN = new Float64Array(SLOTS);
  private readonly fP: Float64Array;
  private readonly iN = new Float64Array(SLOTS);
  private readonly iP: Float64Array;
  private readonly dq: Float64Array; // d × NQ intermediate moves (geometry-dependent entries refreshed per eval)
  private readonly sk: Float64Array; // d × SLOTS stage sensitivities
  private readonly sy: Float64Array;
  private readonly tmp: Float64Array;
  private readonly kNmin: number;
  private readonly kNmax: number;
  private readonly p: JartParams;

  constructor(p: JartParams, dirs: readonly TangentParam[], sN0?: ArrayLike<number>) {
    this.p = p;
    this.dirs = dirs;
    const d = dirs.length;
    this.d = d;
    this.sN = new Float64Array(d);
    if (sN0) this.sN.set(sN0);
    else {
      const k = dirs.indexOf('ninit');
      if (k >= 0) this.sN[k] = 1;
    }
    this.fP = new Float64Array(d * SLOTS);
    this.iP = new Float64Array(d * SLOTS);
    this.dq = new Float64Array(d * NQ);
    this.sk = new Float64Array(d * SLOTS);
    this.sy = new Float64Array(d);
    this.tmp = new Float64Array(d);
    this.kNmin = dirs.indexOf('Ndiscmin');
    this.kNmax = dirs.indexOf('Ndiscmax');
    dirs.forEach((name, k) => {
      const o = k * NQ;
      if (name === 'RseriesTiOx' || name === 'seriesOhm') this.dq[o + Q_RLIN] = 1;
      else if (name === 'phiBn0') {
        this.dq[o + Q_PHI0] = 1;
        this.dq[o + Q_DPHI] = 1;
      } else if (name === 'dWa') this.dq[o + Q_DWA] = 1;
    });
  }

  /** A zero rate (no current): all partials vanish. */
  zero(slot: number): void {
    this.rateLn[slot] = 0;
    this.fN[slot] = 0;
    this.iN[slot] = 0;
    for (let k = 0; k < this.d; k++) {
      this.fP[k * SLOTS + slot] = 0;
      this.iP[k * SLOTS + slot] = 0;
    }
  }

  /** Copies the partials of slot `from` to slot 0 (first-same-as-last). */
  keep(from: number): void {
    if (from === 0) return;
    this.fN[0] = this.fN[from];
    this.rateLn[0] = this.rateLn[from];
    this.iN[0] = this.iN[from];
    for (let k = 0; k < this.d; k++) {
      this.fP[k * SLOTS] = this.fP[k * SLOTS + from];
      this.iP[k * SLOTS] = this.iP[k * SLOTS + from];
    }
  }

  /** Per output point k and direction j (index k·d + j): d ln|I|/dθ_j and dN/dθ_j (filled by record). */
  dlnI = new Float64Array(0);
  dN = new Float64Array(0);
  /** d ln N/dt per output point (the windowed rate; for crossing-time sensitivities). */
  lnNdot = new Float64Array(0);
  private readonly rateLn = new Float64Array(SLOTS);

  /** Sizes the per-point outputs for n points (NaN until recorded). */
  allocate(n: number): void {
    this.dlnI = new Float64Array(n * this.d).fill(NaN);
    this.dN = new Float64Array(n * this.d).fill(NaN);
    this.lnNdot = new Float64Array(n).fill(NaN);
  }

  /** Records the sensitivities of the output point k (the state and operating point of slot 0). */
  record(k: number): void {
    const d = this.d,
      o = k * d;
    for (let j = 0; j < d; j++) {
      this.dlnI[o + j] = this.iN[0] * this.sN[j] + this.iP[j * SLOTS];
      this.dN[o + j] = this.sN[j];
    }
    this.lnNdot[k] = this.rateLn[0];
  }

  /**
   * Partials at the cell's solved operating point for rate F = −10·R/N (R = cell.rawRate()),
   * written to `slot`. `rate` is F as the integrator computed it.
   */
  capture(cell: Cell, rate: number, slot: number): void {
    const p = this.p;
    const i = cell.i,
      u = cell.u,
      tK = cell.tempK,
      n = cell.nDisc;
    if (!(i > 0)) {
      this.zero(slot);
      return;
    }
    const setPol = cell.setPol;
    // d ln N/dt = ∓F·F_lim/10 (F = dy/dt, F_lim the window)
    const qw = setPol ? n / cell.nMax : cell.nMin / n,
      qw2 = qw * qw,
      qw4 = qw2 * qw2;
    const win = qw >= 1 ? 0 : 1 - qw4 * qw4 * qw2;
    this.rateLn[slot] = ((setPol ? -rate : rate) * win) / 10;
    const rth = cell.rth,
      rf = cell.rf,
      lM = cell.lM,
      rDisc = cell.rDisc;
    // geometry/state moves of the intermediates
    const rM = cell.rM,
      rPlug = cell.rPlug;
    for (let k = 0; k < this.d; k++) {
      const name = this.dirs[k];
      const o = k * NQ;
      if (name === 'rnew') {
        this.dq[o + Q_LNA] = 2 / rM;
        this.dq[o + Q_RDISC] = (-2 * rDisc) / rM;
        this.dq[o + Q_RF] = (-2 * rf) / rM;
        this.dq[o + Q_RLIN] = (-2 * rf) / rM;
        this.dq[o + Q_RTH] = (-2 * rth) / rM;
      } else if (name === 'lnew') {
        const dr = rDisc / lM - rPlug / (p.lcell - lM);
        this.dq[o + Q_RDISC] = rDisc / lM;
        this.dq[o + Q_RF] = dr;
        this.dq[o + Q_RLIN] = dr;
        this.dq[o + Q_LM] = 1;
      }
    }
    // --- Schottky partials S_x of ln I_S at (u, T)
    const kT = KBE * tK;
    const psi = setPol ? cell.dPhi + u : cell.dPhi - u;
    const kL = cell.kLower;
    let phi = p.phiBn0,
      phiPhi0 = 1,
      phiPsi = 0,
      phiKL = 0;
    if (psi > 0) {
      const q = Math.sqrt(Math.sqrt(psi));
      const b = p.phiBn0 - kL * q;
      if (b > 0) {
        phi = b;
        phiPsi = (-kL * q) / (4 * psi);
        phiKL = -q;
      } else {
        phi = 0;
        phiPhi0 = 0;
      }
    }
    let sU: number,
      sT: number,
      sPhi: number,
      sW00 = 0;
    if (!setPol) {
      const z = u / kT;
      const ez = 1 / -Math.expm1(-z);
      sPhi = -1 / kT;
      sT = phi / (kT * tK) + 2 / tK - (ez * z) / tK;
      sU = ez / kT - sPhi * phiPsi; // dψ/du = −1
    } else {
      const w00 = cell.w00;
      const x = w00 / kT;
      let th: number, ic2: number;
      if (x < 20) {
        const e2 = Math.exp(-2 * x);
        th = (1 - e2) / (1 + e2);
        ic2 = (4 * e2) / ((1 + e2) * (1 + e2));
      } else {
        th = 1;
        ic2 = x < 350 ? 4 * Math.exp(-2 * x) : 0;
      }
      const xm = x < 0.1 ? xMinusTanh(x) : x - th;
      const z = (u * xm) / w00;
      const ez = 1 / -Math.expm1(-z);
      const den = u + phi * ic2;
      sPhi = -th / w00 + (0.5 * ic2) / den;
      const sX = (-phi * ic2) / w00 + (0.5 * phi * (-2 * th * ic2)) / den + (ez * u * th * th) / w00;
      sT = 1 / tK - (sX * x) / tK;
      sW00 = (phi * th) / (w00 * w00) + 0.5 / w00 - (ez * u * xm) / (w00 * w00) + sX / kT;
      sU = 0.5 / den + (ez * xm) / w00 + sPhi * phiPsi; // dψ/du = +1
    }
    const dPsiDPhi = 1;
    // --- load line / compliance
    const cur = cell.mode === 0;
    const dD = 3 * cell.cCubic * i * i + cell.rLin;
    const diDu = cur ? -1 / dD : 0;
    const tU = rth * (i + (u + 2 * i * rf) * diDu);
    const tI = rth * (u + 2 * i * rf);
    const gU = sU + sT * tU - diDu / i;
    // --- ion rate partials (ln R) in E, T, dWa, lM, N
    const aM = p.a,
      dWa = p.dWa;
    const eF = setPol ? (i * rDisc) / lM : (u + i * rf) / p.lcell;
    let gam = (2 * aM * Math.abs(eF)) / (Math.PI * dWa);
    const clipped = gam >= 1;
    if (clipped) gam = 1;
    const asg = Math.asin(gam);
    const base = Math.sqrt(1 - gam * gam) + gam * asg;
    const half = (gam * Math.PI) / 2;
    const wMin = dWa * (base - half),
      wMax = dWa * (base + half);
    const e1 = Math.exp(-wMin / kT),
      e2 = Math.exp(-wMax / kT);
    const diff = e1 - e2;
    // d diff = e1·(−dwMin/kT + wMin·dkT/kT²) − e2·(…)
    const lrGam = clipped || !(gam > 0) ? 0 : (gam * (e1 * (-dWa * (asg - Math.PI / 2)) - e2 * (-dWa * (asg + Math.PI / 2)))) / (kT * diff); // per d ln E
    const lrT = (e1 * wMin - e2 * wMax) / (kT * tK) / diff; // per dT
    const lrDwa = (e1 * (-(base - half) + 0) - e2 * -(base + half)) / (kT * diff) - lrGam / dWa; // per d dWa (γ ∝ 1/dWa)
    const nPref = 1 / (p.Nplug + n);
    // --- combine per direction; direction index −1 is N
    for (let k = -1; k < this.d; k++) {
      let dRlin: number,
        dRf: number,
        dRth: number,
        dLna: number,
        dPhi0: number,
        dDphi: number,
        dKl: number,
        dW: number,
        dRd: number,
        dLm: number,
        dDw: number,
        dN: number;
      if (k < 0) {
        dRd = -rDisc / n;
        dRf = dRd;
        dRlin = dRd;
        dRth = 0;
        dLna = 0;
        dPhi0 = 0;
        dDphi = 0;
        dKl = kL / (4 * n);
        dW = cell.w00 / (2 * n);
        dLm = 0;
        dDw = 0;
        dN = 1;
      } else {
        const o = k * NQ,
          q = this.dq;
        dRlin = q[o + Q_RLIN];
        dRf = q[o + Q_RF];
        dRth = q[o + Q_RTH];
        dLna = q[o + Q_LNA];
        dPhi0 = q[o + Q_PHI0];
        dDphi = q[o + Q_DPHI];
        dKl = q[o + Q_KL];
        dW = q[o + Q_W00];
        dRd = q[o + Q_RDISC];
        dLm = q[o + Q_LM];
        dDw = q[o + Q_DWA];
        dN = q[o + Q_N];
      }
      const di0 = cur ? (-i * dRlin) / dD : 0;
      const dT0 = tI * di0 + i * i * rth * dRf + i * (u + i * rf) * dRth;
      const dPhiTot = phiPhi0 * dPhi0 + phiPsi * dPsiDPhi * dDphi + phiKL * dKl;
      const dg0 = sT * dT0 + sPhi * dPhiTot + dLna + sW00 * dW - di0 / i;
      const du = -dg0 / gU;
      const di = di0 + diDu * du;
      const dT = dT0 + tU * du;
      const dLnE = setPol ? di / i + dRd / rDisc - dLm / lM : (du + di * rf + i * dRf) / (u + i * rf);
      const dLnR = dN * nPref - dLm / lM + lrGam * dLnE + lrT * dT + lrDwa * dDw;
      const dF = rate * (dLnR - dN / n);
      if (k < 0) {
        this.fN[slot] = dF;
        this.iN[slot] = di / i;
      } else {
        this.fP[k * SLOTS + slot] = dF;
        this.iP[k * SLOTS + slot] = di / i;
      }
    }
  }

  /** ∂N/∂y and ∂N/∂θ (θ = the bound the transform uses) at y. */
  private nY(y: number, nAt: number, setPol: boolean): number {
    return ((setPol ? -nAt : nAt) * logistic(y)) / 10;
  }

  /** Writes dN/dθ|_y (the bounds' direct effect) for N = nAt into out. */
  private nTheta(nAt: number, setPol: boolean, nMin: number, nMax: number, out: Float64Array): void {
    out.fill(0);
    if (setPol) {
      if (this.kNmax >= 0) out[this.kNmax] = nAt / nMax;
    } else if (this.kNmin >= 0) out[this.kNmin] = nAt / nMin;
  }

  /**
   * Pushes sN through one accepted step. `ys`: the stage y values (stage 0 = the step's start,
   * the last = the new state), `ns` the N of each stage, `a`: the stage matrix (row-major,
   * stages × stages, for stages 1..), `b` the weights, h the step.
   */
  step(
    stages: number,
    ys: Float64Array,
    ns: Float64Array,
    a: Float64Array,
    b: Float64Array,
    h: number,
    setPol: boolean,
    nMin: number,
    nMax: number,
  ): void {
    const d = this.d,
      sk = this.sk,
      sy = this.sy,
      tmp = this.tmp,
      sN = this.sN;
    // sy from sN at the start
    const ny0 = this.nY(ys[0], ns[0], setPol);
    this.nTheta(ns[0], setPol, nMin, nMax, tmp);
    // N pinned to the bound in double precision (σ(y) underflowed): it follows the bound only
    for (let k = 0; k < d; k++) sy[k] = ny0 !== 0 ? (sN[k] - tmp[k]) / ny0 : 0;
    for (let s = 0; s < stages; s++) {
      // stage state sensitivity
      const nys = this.nY(ys[s], ns[s], setPol);
      this.nTheta(ns[s], setPol, nMin, nMax, tmp);
      for (let k = 0; k < d; k++) {
        let yk = sy[k];
        for (let j = 0; j < s; j++) yk += h * a[s * SLOTS + j] * sk[k * SLOTS + j];
        const snk = nys * yk + tmp[k];
        sk[k * SLOTS + s] = this.fN[s] * snk + this.fP[k * SLOTS + s];
      }
    }
    const nyN = this.nY(ys[stages], ns[stages], setPol);
    this.nTheta(ns[stages], setPol, nMin, nMax, tmp);
    for (let k = 0; k < d; k++) {
      let v = sy[k];
      for (let s = 0; s < stages; s++) v += h * b[s] * sk[k * SLOTS + s];
      sN[k] = nyN * v + tmp[k];
    }
  }
}
