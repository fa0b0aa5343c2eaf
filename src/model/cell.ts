/**
 * One JART VCM v1b cell as a mutable, allocation-free evaluation context: per-parameter-set
 * constants are computed once, geometry (r, l) and state N are set by the caller, and `solve`
 * finds the operating point (I, V_S, T) of the implicit equations of spec §5.3 by a 1-D root
 * search in u = |V_S| (see solve.ts). Kernels never throw; a failed solve leaves NaN.
 */
import { loadCurrentFrom, discResistance, plugResistance, type LoadLine } from './ohmic.js';
import { lnFieldEmissionOver, lnThermionicOver, loweringCoefficient, w00Volts, type SchottkyPoint } from './schottky.js';
import { hoppingRate, windowFactor } from './ion.js';
import type { JartParams } from './params.js';

// local aliases: hot paths read module-local bindings (cheaper than import bindings under some loaders)
const loadCurrentFrom_ = loadCurrentFrom;
const lnFieldEmissionOver_ = lnFieldEmissionOver;
const lnThermionicOver_ = lnThermionicOver;
const hoppingRate_ = hoppingRate;
const windowFactor_ = windowFactor;

export class Cell implements SchottkyPoint, LoadLine {
  // parameter-set constants (initialised as doubles, so that V8 stores them unboxed)
  readonly p: JartParams;
  readonly cCubic = NaN; // R0²·α·R_th,line (Ω/A²)
  readonly rSeriesLin = NaN; // R_TiOx + R0 (+ external series), Ω
  readonly dPhi = NaN; // φ_Bn0 − φ_n, V
  readonly phiBn0 = NaN;
  readonly t0 = NaN;
  private readonly kLower1 = NaN; // barrier-lowering coefficient at N = 1 (∝ N^¼)
  private readonly w001 = NaN; // W00/e at N = 1 (∝ √N)
  rExt = 0;
  // geometry (v1b var: r_var, l_var)
  rM = 0;
  lM = 0;
  lnArea = 0;
  areaM2 = 0;
  rPlug = 0;
  private rDisc1 = 0; // R_disc at N = 1 (∝ 1/N)
  rthSet = 0; // R_th,eff for V < 0, K/W
  // bounds
  nMin = 0;
  nMax = 0;
  // state-dependent
  nDisc = 0;
  rDisc = 0;
  kLower = 0;
  w00 = 0;
  rf = 0; // R_disc + R_plug
  rLin = 0; // rf + R_TiOx + R0 + R_ext
  // current evaluation (solve.ts writes these)
  absV = 0;
  setPol = false;
  rth = 0;
  mode = 0; // 0: voltage drive, 1: current drive (compliance)
  iDrive = 0;
  // results of the last g() evaluation / solve (magnitudes; sign = polarity)
  i = 0;
  u = 0;
  tempK = 0;
  /** ln(I_S / i) of the last g() evaluation with i > 0 (schottky.ts writes it). */
  lnOver = NaN;
  /** Argument and result of evalG(). */
  uIn = NaN;
  gOut = NaN;
  /** Input and result of the load-line solve (ohmic.ts loadCurrentFrom). */
  wLoad = NaN;
  iLoad = NaN;

  constructor(p: JartParams) {
    this.p = p;
    this.cCubic = p.R0 * p.R0 * p.alphaline * p.Rthline;
    this.rSeriesLin = p.RseriesTiOx + p.R0;
    this.dPhi = p.phiBn0 - p.phin;
    this.phiBn0 = p.phiBn0;
    this.t0 = p.T0;
    this.kLower1 = loweringCoefficient(1, p.epsphib);
    this.w001 = w00Volts(1, p.eps);
    this.setGeometry(p.rnew, p.lnew);
    this.nMin = p.Ndiscmin;
    this.nMax = p.Ndiscmax;
    this.setN(p.Ninit);
  }

  /** Filament radius r and disc length l (m); R_th scales with (rdet/r)² (spec §6.1). */
  setGeometry(rM: number, lM: number): void {
    if (rM === this.rM && lM === this.lM) return;
    const p = this.p;
    this.rM = rM;
    this.lM = lM;
    this.areaM2 = Math.PI * rM * rM;
    this.lnArea = Math.log(this.areaM2);
    this.rPlug = plugResistance(p.Nplug, p.lcell, lM, this.areaM2, p.un);
    this.rthSet = p.Rth0 * (p.rdet / rM) * (p.rdet / rM);
    this.rDisc1 = discResistance(1, lM, this.areaM2, p.un);
    const n = this.nDisc;
    this.nDisc = -1;
    if (n > 0) this.setN(n);
  }

  setN(nDisc: number): void {
    if (nDisc === this.nDisc) return;
    this.nDisc = nDisc;
    const sq = Math.sqrt(nDisc);
    this.rDisc = this.rDisc1 / nDisc;
    this.kLower = this.kLower1 * Math.sqrt(sq);
    this.w00 = this.w001 * sq;
    this.rf = this.rDisc + this.rPlug;
    this.rLin = this.rf + this.rSeriesLin + this.rExt;
  }

  setSeries(rExtOhm: number): void {
    this.rExt = rExtOhm;
    this.rLin = this.rf + this.rSeriesLin + rExtOhm;
  }

  /** Prepares g() for an applied voltage vV ≠ 0 (voltage drive) across cell + external series. */
  prepareVoltage(vV: number): void {
    this.mode = 0;
    this.absV = Math.abs(vV);
    this.setPol = vV < 0;
    this.rth = this.setPol ? this.rthSet : this.rthSet * this.p.Rtheff_scaling;
  }

  /** Prepares g() for a forced current of magnitude iA (compliance), polarity setPol. */
  prepareCurrent(iA: number, setPol: boolean, uMax: number): void {
    this.mode = 1;
    this.iDrive = iA;
    this.absV = uMax;
    this.setPol = setPol;
    this.rth = setPol ? this.rthSet : this.rthSet * this.p.Rtheff_scaling;
  }

  /**
   * Residual in u = |V_S|: ln I_S(u, T(u)) − ln I_load(u). Increasing through the physical root.
   * Side effect: this.i, this.u, this.tempK hold the evaluation point.
   */
  g(u: number): number {
    this.uIn = u;
    this.evalG();
    return this.gOut;
  }

  /**
   * g(this.uIn) into this.gOut: the solvers' form of g. Argument and result pass through double
   * fields, so a call V8 does not inline (its inlining budget is spent in the solvers) boxes no
   * double in a new heap number.
   */
  evalG(): void {
    const u = this.uIn;
    let i = this.iDrive;
    if (this.mode === 0) {
      this.wLoad = this.absV - u;
      loadCurrentFrom_(this);
      i = this.iLoad;
    }
    const tempK = this.t0 + i * (u + i * this.rf) * this.rth;
    this.i = i;
    this.u = u;
    this.tempK = tempK;
    if (!(i > 0)) {
      this.gOut = Infinity;
      return;
    }
    if (this.setPol) lnFieldEmissionOver_(this);
    else lnThermionicOver_(this);
    this.gOut = this.lnOver;
  }

  /**
   * Moves the evaluation point to u without the barrier term (for a u within ~1e-8 of the last
   * evaluation): i on the load line and T as g(u) sets them.
   */
  moveTo(u: number): void {
    let i = this.iDrive;
    if (this.mode === 0) {
      this.wLoad = this.absV - u;
      loadCurrentFrom_(this);
      i = this.iLoad;
    }
    this.i = i;
    this.u = u;
    this.tempK = this.t0 + i * (u + i * this.rf) * this.rth;
  }

  /** Voltage across the cell (AE to OE, magnitude) at the last evaluation point. */
  cellVoltage(): number {
    const i = this.i;
    return this.u + i * (this.rf + this.rSeriesLin) + this.cCubic * i * i * i;
  }

  /** Field magnitude for the ion equation (spec §5.4) at the last evaluation point, V/m. */
  field(): number {
    return this.setPol ? (this.i * this.rDisc) / this.lM : (this.u + this.i * this.rf) / this.p.lcell;
  }

  /** Unwindowed |dN/dt| at the last evaluation point, 1e26 m^-3/s. */
  rawRate(): number {
    const p = this.p;
    return hoppingRate_(this.nDisc, p.Nplug, this.field(), this.tempK, p.a, p.ny0, p.dWa, this.lM);
  }

  /** Signed dN/dt with the window and the bounds, at the last evaluation point. */
  dndt(): number {
    if (this.i === 0) return 0;
    const w = windowFactor_(this.nDisc, this.setPol, this.nMin, this.nMax);
    if (w === 0) return 0;
    const r = this.rawRate() * w;
    return this.setPol ? r : -r;
  }
}
