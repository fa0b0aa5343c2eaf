/**
 * The seed system's JART device (aihwkit `JARTv1bDevice`, Yu et al. 2022), re-implemented from
 * spec §7.1 and §8: the closed-form current fit (Ntinas et al.; valid only for the default physical
 * parameters), forward Euler on N_disc, positive (physical) RESET current.
 * Pure numbers; no allocation in `eulerPulse`.
 */
import { DEFAULT_PARAMS, type JartParams } from '../../model/params.js';

/** Physical constants as in the VA (spec §3). */
const E_C = 1.602e-19;
const KB_OVER_E = 8.61860174781523e-5; // V/K, aihwkit's k_B/e
const ZVO = 2;

/** The JART v1b parameters the fit belongs to: the table's defaults (spec §4, SI). */
export const JART_FIT_PARAMS: Readonly<JartParams> = DEFAULT_PARAMS;

// Fit coefficients (spec §7.1).
const A0 = 4.81951e-5,
  A2 = 1.03685,
  A3 = 0.34567,
  B0 = 7.0526e-4,
  B1 = 4.2383e-5;
const C0 = 4.004,
  C1 = 2.8646,
  C2 = 4.2125,
  C3 = 1.4134,
  D0 = 6.6103,
  D1 = 1.4524,
  D2 = 7.4235,
  D3 = 4.0585;
const F0 = 6.326e-4,
  F1 = 1.4711,
  F2 = 0.5199,
  F3 = 1.561,
  G0 = 4.84e-3,
  G1 = 0.1353;
const H0 = 5.548,
  H1 = 6.8648,
  H2 = 51.586,
  H3 = 0.36,
  J0 = 1.054,
  K0 = 1.0526;
const NMIN_REF = 0.008;

/** Voltage-only coefficients of the fit, precomputed once per pulse voltage. */
export interface FitCoeffs {
  vV: number;
  alpha: number;
  beta: number;
  c: number;
  d: number;
  f: number;
  g: number;
  h: number;
}

export function fitCoeffs(vV: number): FitCoeffs {
  const a1 = A0 * Math.exp(-A2 / A3);
  const alpha = (a1 + A0) / (1 + Math.exp(-(vV + A2) / A3)) - A0;
  const beta = B1 * (1 - Math.exp(-vV)) - B0 * vV;
  const c = C2 * Math.exp(-vV / C3) + C1 * vV - C0;
  const d = D2 * Math.exp(-vV / D3) + D1 * vV - D0;
  const f = F0 + (F1 - F0) / (1 + Math.pow(Math.max(-vV, 0) / F2, F3));
  const g = G0 * (1 - Math.exp(-G1 * vV));
  const h = H0 + H1 * vV + H2 * Math.exp(-H3 * vV);
  return { vV, alpha, beta, c, d, f, g, h };
}

/** Closed-form current (A) of the fit at state N (1e26 m^-3); sign of V. */
export function fitCurrentA(k: FitCoeffs, ndisc: number): number {
  if (k.vV >= 0) return k.g / Math.pow(1 + k.h * Math.pow(ndisc / NMIN_REF, -J0), 1 / K0);
  return -k.alpha - k.beta / Math.pow(1 + Math.pow(k.c / ndisc, k.d), k.f);
}

/** Device geometry/bounds the update uses (SI lengths). */
export interface FitDevice {
  rM: number;
  lM: number;
  ndiscMin: number;
  ndiscMax: number;
}

/**
 * One rectangular pulse: `steps` forward-Euler steps of `dtS` (aihwkit: 100 × 10 ns), starting at N.
 * Returns N after the pulse (not clamped to the peripheral bounds; the caller clamps). `rthAreaScaled`
 * false: the thermal resistance does not follow the device's radius (the fork before 2022-10-24).
 */
export function eulerPulse(
  k: FitCoeffs,
  ndisc: number,
  rM: number,
  lM: number,
  ndiscMin: number,
  ndiscMax: number,
  steps: number,
  dtS: number,
  rthAreaScaled = true,
): number {
  const P = JART_FIT_PARAMS;
  const vV = k.vV;
  const set = vV < 0;
  const area = Math.PI * rM * rM;
  // R_th = Rth0 · A_nom / A (the fork's final code, e443dbf, 2022-10-24), or Rth0 for every radius (its
  // code up to 2022-10-11, 397e4df: there only the SET field depends on r).
  const rth = P.Rth0 * (rthAreaScaled ? (P.rdet * P.rdet) / (rM * rM) : 1) * (set ? 1 : P.Rtheff_scaling);
  const pref = (P.a * P.ny0) / lM;
  const gcoef = (ZVO * P.a) / (Math.PI * P.dWa);
  let n = ndisc;
  for (let s = 0; s < steps; s++) {
    const iA = set
      ? -k.alpha - k.beta / Math.pow(1 + Math.pow(k.c / n, k.d), k.f)
      : k.g / Math.pow(1 + k.h * Math.pow(n / NMIN_REF, -J0), 1 / K0);
    const rSer = P.RseriesTiOx + P.R0 * (1 + P.alphaline * P.R0 * iA * iA * P.Rthline);
    const vFil = vV - iA * rSer;
    const tK = P.T0 + iA * vFil * rth;
    // Field: SET E = I·R_disc/l = I/(z e N μ A); RESET E = V_fil / l_cell.
    const eField = set ? iA / (ZVO * E_C * n * 1e26 * P.un * area) : vFil / P.lcell;
    let g = gcoef * eField;
    if (g > 1) g = 1;
    else if (g < -1) g = -1;
    const root = Math.sqrt(1 - g * g),
      ga = g * Math.asin(g),
      gp = (g * Math.PI) / 2;
    const wMin = P.dWa * (root - gp + ga),
      wMax = P.dWa * (root + gp + ga);
    const kt = KB_OVER_E * tK;
    const flim = set ? 1 - Math.pow(n / ndiscMax, 10) : 1 - Math.pow(ndiscMin / n, 10);
    const dndt = -((P.Nplug + n) / 2) * pref * (Math.exp(-wMin / kt) - Math.exp(-wMax / kt)) * flim;
    n += dtS * dndt;
  }
  return n;
}
