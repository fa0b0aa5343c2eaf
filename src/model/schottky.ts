/**
 * Schottky interface current (shared spec §5.2): thermionic emission for V_S ≥ 0 (RESET polarity),
 * thermionic-field emission (Padovani–Stratton reverse form) for V_S < 0 (SET polarity), with the
 * state-dependent image-force barrier lowering. Functions return ln|I_S| so that the implicit solve
 * never overflows; `u` is |V_S| in volts.
 */
import { A_STAR, EPS0, H_PLANCK, K_B_OVER_E, M_DIEL, N_UNIT, Q_E, Z_VO } from './constants.js';

// local aliases: hot paths read module-local bindings (cheaper than import bindings under some loaders)
const K_B_OVER_E_ = K_B_OVER_E;

/** Coefficient K of the barrier lowering Δφ = K·ψ^(1/4): K = (e³ z N / (8π² (ε_φB ε0)³))^(1/4), V^(3/4). */
export function loweringCoefficient(nDisc: number, epsphib: number): number {
  const e3 = Q_E * Q_E * Q_E;
  const d = epsphib * EPS0;
  return Math.sqrt(Math.sqrt((e3 * Z_VO * nDisc * N_UNIT) / (8 * Math.PI * Math.PI * d * d * d)));
}

/** W00 / e in volts: (h/4π)·sqrt(z N / (m ε_r ε0)) (spec §5.2). */
export function w00Volts(nDisc: number, eps: number): number {
  return (H_PLANCK / (4 * Math.PI)) * Math.sqrt((Z_VO * nDisc * N_UNIT) / (M_DIEL * eps * EPS0));
}

/** Barrier φ_Bn (eV) for ψ = φ_Bn0 − φ_n − V_S, clipped to ≥ 0. */
function barrier(phiBn0: number, psi: number, kLower: number): number {
  if (!(psi > 0)) return phiBn0;
  const b = phiBn0 - kLower * Math.sqrt(Math.sqrt(psi));
  return b > 0 ? b : 0;
}

/** ln(e^z − 1) for z ≥ 0, without overflow. */
function lnExpm1(z: number): number {
  return z > 30 ? z + Math.log1p(-Math.exp(-z)) : Math.log(Math.expm1(z));
}

/** x − tanh x, with the series for small x (spec §5.2 numerics). */
export function xMinusTanh(x: number): number {
  if (x < 0.1) {
    const x2 = x * x;
    return x * x2 * (1 / 3 + x2 * (-2 / 15 + x2 * (17 / 315 + x2 * (-62 / 2835 + x2 * (1382 / 155925)))));
  }
  return x - Math.tanh(x);
}

const LN_ASTAR = Math.log(A_STAR);
const LN_ASTAR_KBE = Math.log(A_STAR / K_B_OVER_E_);

/**
 * The evaluation point of the implicit solve's residual (Cell implements it): the inputs are read
 * from and the result written to double fields, so that a call V8 does not inline passes no
 * double as an argument or return value (each would be boxed in a new heap number).
 */
export interface SchottkyPoint {
  /** |V_S|, V. */
  readonly u: number;
  readonly tempK: number;
  /** Load current magnitude, A. */
  readonly i: number;
  readonly lnArea: number;
  readonly phiBn0: number;
  /** φ_Bn0 − φ_n, V. */
  readonly dPhi: number;
  readonly kLower: number;
  /** W00/e, V. */
  readonly w00: number;
  /** Output: ln(I_S / i). */
  lnOver: number;
}

/**
 * ln(I_TE / i) for V_S = u ≥ 0, with I_TE = A·A*·T²·exp(−φ_Bn/kT)·(exp(u/kT) − 1): the residual of
 * the implicit solve against the load current i (one log per call), into c.lnOver.
 */
export function lnThermionicOver(c: SchottkyPoint): void {
  const u = c.u;
  const tempK = c.tempK;
  const kT = K_B_OVER_E_ * tempK;
  const phi = barrier(c.phiBn0, c.dPhi - u, c.kLower);
  const z = u / kT;
  const lead = c.lnArea + LN_ASTAR - phi / kT;
  if (z > 600) c.lnOver = lead + 2 * Math.log(tempK) + lnExpm1(z) - Math.log(c.i);
  else c.lnOver = lead + Math.log((tempK * tempK * Math.expm1(z)) / c.i);
}

/**
 * ln(|I_TFE| / i) for V_S = −u (u ≥ 0), into c.lnOver, with
 * |I_TFE| = A·(A* T/k)·sqrt(π W00 e (u + φ_Bn/cosh² x))·exp(−e φ_Bn/W0)·(exp(e u/ε′) − 1),
 * x = W00/kT, W0 = W00 coth x, ε′ = W00/(x − tanh x).
 */
export function lnFieldEmissionOver(c: SchottkyPoint): void {
  const u = c.u;
  const tempK = c.tempK;
  const w00 = c.w00;
  const phiBn0 = c.phiBn0;
  const kT = K_B_OVER_E_ * tempK;
  const phi = barrier(phiBn0, c.dPhi + u, c.kLower);
  const x = w00 / kT;
  let th: number;
  let invCosh2: number;
  if (x < 20) {
    const e2 = Math.exp(-2 * x);
    th = (1 - e2) / (1 + e2);
    invCosh2 = (4 * e2) / ((1 + e2) * (1 + e2));
  } else {
    th = 1;
    invCosh2 = x < 350 ? 4 * Math.exp(-2 * x) : 0;
  }
  const xm = x < 0.1 ? xMinusTanh(x) : x - th;
  const z = (u * xm) / w00;
  const root = Math.PI * w00 * (u + phi * invCosh2);
  const lead = c.lnArea + LN_ASTAR_KBE - (phi * th) / w00;
  if (z > 600) c.lnOver = lead + Math.log(tempK) + 0.5 * Math.log(root) + lnExpm1(z) - Math.log(c.i);
  else c.lnOver = lead + Math.log((tempK * Math.sqrt(root) * Math.expm1(z)) / c.i);
}
