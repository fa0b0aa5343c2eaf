/**
 * Pulse engines for JART cells: N after one rectangular pulse for a device of geometry (r, l) and
 * bounds, plus the read current. `FitEulerEngine` is the seed's algorithm (closed-form current,
 * forward Euler); `TabulatedEngine` wraps any engine in a ln|ΔN|(N, r) table (bilinear), with the
 * disc length entering as ΔN ∝ l_nom / l (the ion rate's 1/l prefactor; exact to first order in the
 * small per-pulse ΔN, error measured in the tests).
 */
import { eulerPulse, fitCoeffs, fitCurrentA, type FitCoeffs } from './aihwkitFit.js';

export interface PulseEngine {
  readonly name: string;
  /**
   * N after one pulse (set = SET polarity), unclamped. `widthFactor` (default 1): a pulse of that multiple of
   * the configured width at the same amplitude (write-verify with width ramping, program/writeVerify.ts).
   */
  pulse(set: boolean, n: number, rM: number, lM: number, nMin: number, nMax: number, widthFactor?: number): number;
  /** Read current (A) at the read voltage. */
  readA(n: number, rM: number, lM: number): number;
}

export interface PulseSettings {
  vSetV: number;
  vResetV: number;
  widthS: number;
  dtS: number;
  vReadV: number;
  /** R_th ∝ 1/r² ('area', default: the paper-era fork's final code) or R_th = Rth0 for every radius ('none': its code up to 2022-10-11). */
  rthScaling?: 'area' | 'none';
}

export const PAPER_PULSES: PulseSettings = { vSetV: -0.342, vResetV: 0.7065, widthS: 1e-6, dtS: 1e-8, vReadV: 0.2 };

export class FitEulerEngine implements PulseEngine {
  readonly name = 'aihwkit-jart-euler';
  private readonly kSet: FitCoeffs;
  private readonly kReset: FitCoeffs;
  private readonly kRead: FitCoeffs;
  private readonly steps: number;
  private readonly dtS: number;
  private readonly rthArea: boolean;
  constructor(s: PulseSettings) {
    this.kSet = fitCoeffs(s.vSetV);
    this.kReset = fitCoeffs(s.vResetV);
    this.kRead = fitCoeffs(s.vReadV);
    this.steps = Math.max(1, Math.round(s.widthS / s.dtS));
    this.dtS = s.dtS;
    this.rthArea = (s.rthScaling ?? 'area') === 'area';
  }
  pulse(set: boolean, n: number, rM: number, lM: number, nMin: number, nMax: number, widthFactor = 1): number {
    // another width: shorter pulses keep the step count with a shorter step, longer ones keep the step
    const steps = widthFactor > 1 ? Math.max(1, Math.round(this.steps * widthFactor)) : this.steps;
    const dt = widthFactor > 1 ? this.dtS : this.dtS * widthFactor;
    return eulerPulse(set ? this.kSet : this.kReset, n, rM, lM, nMin, nMax, steps, dt, this.rthArea);
  }
  readA(n: number): number {
    return fitCurrentA(this.kRead, n);
  }
}

export interface TableOptions {
  nLo: number;
  nHi: number;
  nPoints: number;
  rLoM: number;
  rHiM: number;
  rPoints: number;
  lNomM: number;
  nMinNom: number;
  nMaxNom: number;
  /**
   * ΔN above which a pulse is integrated exactly. Default 0.01 for the 2-D table (its 1/l scaling is
   * exact only for small ΔN); 0.1 with an l axis or when l never differs from lNomM (then only the
   * near-binary pulses of very fast devices, where the explicit Euler overshoots and the table cannot
   * follow, are integrated).
   */
  exactAbove?: number;
  /** Optional disc-length axis (m): with lPoints > 1 the table is ln ΔN(N, r, ln l), trilinear. */
  lLoM?: number;
  lHiM?: number;
  lPoints?: number;
  /** N axis uniform in ln N instead of N (for wide ranges reaching down to N_min). */
  logN?: boolean;
  /**
   * A second, ln N table for states outside [nLo, nHi] (an N clamp wider than the peripheral bounds), over
   * [nLo, nHi] of its own, with the device's own N bounds folded in as the ratio of the F_limit factors
   * (exact to first order in the small per-pulse ΔN; pulses near a bound, where the nominal factor is
   * below 1/2, are integrated exactly). States outside both tables are integrated exactly.
   */
  outer?: { nLo: number; nHi: number; nPoints: number };
}

/**
 * ln|ΔN| of one pulse tabulated over N (uniform), r (uniform) and optionally ln l (uniform). Non-finite
 * results of the base engine (the explicit Euler of a very fast device overshooting) become a full
 * swing, which the caller clamps to the bound in the pulse's direction.
 */
export class TabulatedEngine implements PulseEngine {
  readonly name: string;
  private readonly setTab: Float64Array;
  private readonly resetTab: Float64Array;
  private readonly nLo: number;
  private readonly nHiTab: number;
  private readonly hN: number;
  private readonly nP: number;
  private readonly rLo: number;
  private readonly hR: number;
  private readonly rP: number;
  private readonly lNom: number;
  private readonly lnLLo: number;
  private readonly hLnL: number;
  private readonly lP: number;
  private readonly nMinNom: number;
  private readonly nMaxNom: number;
  private readonly logN: boolean;
  private readonly lnNLo: number;
  private readonly outer: TabulatedEngine | null;
  /** ΔN above which a pulse is integrated exactly instead of read from the table. */
  readonly exactAbove: number;
  constructor(
    private readonly base: PulseEngine,
    o: TableOptions,
  ) {
    this.logN = o.logN ?? false;
    this.outer = o.outer ? new TabulatedEngine(base, { ...o, ...o.outer, logN: true, outer: undefined }) : null;
    this.nP = o.nPoints;
    this.rP = Math.max(1, o.rPoints);
    this.lP = o.lPoints && o.lPoints > 1 && o.lLoM && o.lHiM && o.lHiM > o.lLoM ? o.lPoints : 1;
    this.name = `${base.name}+table${this.lP > 1 ? '3d' : ''}`;
    this.nLo = o.nLo;
    this.nHiTab = o.nHi;
    this.lnNLo = Math.log(o.nLo);
    this.hN = this.logN ? (Math.log(o.nHi) - Math.log(o.nLo)) / (this.nP - 1) : (o.nHi - o.nLo) / (this.nP - 1);
    this.rLo = o.rLoM;
    this.hR = this.rP > 1 ? (o.rHiM - o.rLoM) / (this.rP - 1) : 1;
    this.lnLLo = this.lP > 1 ? Math.log(o.lLoM as number) : 0;
    this.hLnL = this.lP > 1 ? (Math.log(o.lHiM as number) - this.lnLLo) / (this.lP - 1) : 1;
    this.lNom = o.lNomM;
    this.nMinNom = o.nMinNom;
    this.nMaxNom = o.nMaxNom;
    this.exactAbove = o.exactAbove ?? (this.lP > 1 ? 0.1 : 0.01);
    const size = this.nP * this.rP * this.lP;
    this.setTab = new Float64Array(size);
    this.resetTab = new Float64Array(size);
    const full = o.nHi - o.nLo;
    for (let il = 0; il < this.lP; il++) {
      const l = this.lP > 1 ? Math.exp(this.lnLLo + il * this.hLnL) : o.lNomM;
      for (let ir = 0; ir < this.rP; ir++) {
        const r = this.rLo + ir * (this.rP > 1 ? this.hR : 0);
        const row = (il * this.rP + ir) * this.nP;
        for (let i = 0; i < this.nP; i++) {
          const n = this.logN ? Math.exp(Math.log(this.nLo) + i * this.hN) : this.nLo + i * this.hN;
          let dS = base.pulse(true, n, r, l, o.nMinNom, o.nMaxNom) - n;
          let dR = n - base.pulse(false, n, r, l, o.nMinNom, o.nMaxNom);
          if (!Number.isFinite(dS) || dS > full) dS = full;
          if (!Number.isFinite(dR) || dR > full) dR = full;
          this.setTab[row + i] = Math.log(Math.max(dS, 1e-300));
          this.resetTab[row + i] = Math.log(Math.max(dR, 1e-300));
        }
      }
    }
  }
  /** Bilinear ln ΔN in (N, r) on the l-slice starting at `off`. */
  private lnd2(tab: Float64Array, off: number, i: number, tn: number, rM: number): number {
    if (this.rP > 1) {
      let fr = (rM - this.rLo) / this.hR;
      if (fr < 0) fr = 0;
      else if (fr > this.rP - 1.000001) fr = this.rP - 1.000001;
      const j = fr | 0,
        tr = fr - j;
      const a = off + j * this.nP + i,
        b = a + this.nP;
      return (1 - tr) * (tab[a] + tn * (tab[a + 1] - tab[a])) + tr * (tab[b] + tn * (tab[b + 1] - tab[b]));
    }
    const a = off + i;
    return tab[a] + tn * (tab[a + 1] - tab[a]);
  }
  pulse(set: boolean, n: number, rM: number, lM: number, nMin = this.nMinNom, nMax = this.nMaxNom, widthFactor = 1): number {
    if (widthFactor !== 1) return this.pulseWidth(set, n, rM, lM, nMin, nMax, widthFactor);
    // outside the tabulated N range (a clamp wider than [nLo, nHi]): the outer table, else exact with the
    // device's own N bounds
    if (n < this.nLo || n > this.nHiTab)
      return this.outer ? this.outer.pulse(set, n, rM, lM, nMin, nMax) : this.base.pulse(set, n, rM, lM, nMin, nMax);
    let fLim = 1;
    if (this.logN && (nMin !== this.nMinNom || nMax !== this.nMaxNom)) {
      // ΔN ∝ F_limit (SET 1 − (N/N_max)^10, RESET 1 − (N_min/N)^10): device bounds as the ratio to the nominal
      const p10 = (x: number): number => {
        const x2 = x * x,
          x4 = x2 * x2;
        return x4 * x4 * x2;
      };
      const fNom = set ? 1 - p10(n / this.nMaxNom) : 1 - p10(this.nMinNom / n);
      if (!(fNom >= 0.5)) return this.base.pulse(set, n, rM, lM, nMin, nMax);
      fLim = (set ? 1 - p10(n / nMax) : 1 - p10(nMin / n)) / fNom;
    }
    const tab = set ? this.setTab : this.resetTab;
    let fn = this.logN ? (Math.log(n) - this.lnNLo) / this.hN : (n - this.nLo) / this.hN;
    if (fn < 0) fn = 0;
    else if (fn > this.nP - 1.000001) fn = this.nP - 1.000001;
    const i = fn | 0,
      tn = fn - i;
    let dn: number;
    if (this.lP > 1) {
      let fl = (Math.log(lM) - this.lnLLo) / this.hLnL;
      if (fl < 0) fl = 0;
      else if (fl > this.lP - 1.000001) fl = this.lP - 1.000001;
      const m = fl | 0,
        tl = fl - m;
      const slice = this.rP * this.nP;
      dn = Math.exp((1 - tl) * this.lnd2(tab, m * slice, i, tn, rM) + tl * this.lnd2(tab, (m + 1) * slice, i, tn, rM));
    } else {
      dn = Math.exp(this.lnd2(tab, 0, i, tn, rM)) * (this.lNom / lM);
    }
    // Large single-pulse changes (fast, small-radius devices) vary steeply in r (and, in the 2-D table,
    // are not linear in 1/l): those pulses are integrated exactly.
    if (dn > this.exactAbove) return this.base.pulse(set, n, rM, lM, this.logN ? nMin : this.nMinNom, this.logN ? nMax : this.nMaxNom);
    dn *= fLim;
    return set ? n + dn : n - dn;
  }
  /**
   * A pulse of `f` times the table's width: the table's ΔN scaled by f while that step stays below 1 % of N
   * (ΔN = f·width·dN/dt to first order; the rate changes by far less than 1 % over such a step), else
   * integrated by the base engine at that width.
   */
  private pulseWidth(set: boolean, n: number, rM: number, lM: number, nMin: number, nMax: number, f: number): number {
    const one = this.pulse(set, n, rM, lM, nMin, nMax);
    const d = one - n;
    if (d === d && Math.abs(d * f) < 0.01 * n) return n + d * f;
    return this.base.pulse(set, n, rM, lM, nMin, nMax, f);
  }
  readA(n: number, rM: number, lM: number): number {
    return this.base.readA(n, rM, lM);
  }
}
