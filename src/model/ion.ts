/**
 * Ionic transport (shared spec §5.4): the unwindowed hopping rate |dN/dt|/F_lim and the window
 * F_lim. N in 1e26 m^-3, rate in 1e26 m^-3 s^-1.
 */
import { K_B_OVER_E, Z_VO } from './constants.js';

// local aliases: hot paths read module-local bindings (cheaper than import bindings under some loaders)
const K_B_OVER_E_ = K_B_OVER_E;
const Z_VO_ = Z_VO;

/**
 * |dN/dt| without the window: (c_VO a ν0 / l)·|exp(−ΔW_min/kT) − exp(−ΔW_max/kT)|, with
 * c_VO = (Nplug + N)/2, γ = z a E / (π ΔW_A) clipped to [−1, 1], E the field magnitude (V/m).
 */
export function hoppingRate(
  nDisc: number,
  nPlug: number,
  eFieldVpm: number,
  tempK: number,
  aM: number,
  ny0: number,
  dWa: number,
  lM: number,
): number {
  let g = (Z_VO_ * aM * Math.abs(eFieldVpm)) / (Math.PI * dWa);
  if (g > 1) g = 1;
  if (!(g > 0)) return 0;
  const kT = K_B_OVER_E_ * tempK;
  const base = Math.sqrt(1 - g * g) + g * Math.asin(g);
  const half = (g * Math.PI) / 2;
  const wMin = dWa * (base - half); // the lower barrier (direction of the field)
  const wMax = dWa * (base + half);
  const diff = Math.exp(-wMin / kT) - Math.exp(-wMax / kT);
  return ((nPlug + nDisc) / 2) * ((aM * ny0) / lM) * diff;
}

/** Window F_lim: 1 − (N/Nmax)^10 in SET (V < 0), 1 − (Nmin/N)^10 in RESET (V > 0); 0 beyond the bounds. */
export function windowFactor(nDisc: number, setPolarity: boolean, nMin: number, nMax: number): number {
  if (setPolarity) {
    if (nDisc >= nMax) return 0;
    const q = nDisc / nMax;
    const q2 = q * q;
    const q4 = q2 * q2;
    return 1 - q4 * q4 * q2;
  }
  if (nDisc <= nMin) return 0;
  const p = nMin / nDisc;
  const p2 = p * p;
  const p4 = p2 * p2;
  return 1 - p4 * p4 * p2;
}
