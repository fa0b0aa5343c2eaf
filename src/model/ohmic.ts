/** Ohmic elements of the filament and the series path (shared spec §5.1). */
import { N_UNIT, Q_E, Z_VO } from './constants.js';

/** R_disc(N) = l / (z e N μ A), Ω. */
export function discResistance(nDisc: number, lM: number, areaM2: number, un: number): number {
  return lM / (Z_VO * Q_E * nDisc * N_UNIT * un * areaM2);
}

/** R_plug = (lcell − l) / (z e Nplug μ A), Ω. */
export function plugResistance(nPlug: number, lcellM: number, lM: number, areaM2: number, un: number): number {
  return (lcellM - lM) / (Z_VO * Q_E * nPlug * N_UNIT * un * areaM2);
}

/**
 * The load-line current i ≥ 0 of the series path for a voltage w ≥ 0 across it:
 * cCubic·i³ + rLin·i = w (the cubic term is the line self-heating R0²·α·R_th,line·i³).
 * Closed form of the depressed cubic (one real root) plus one Newton polish. Never throws.
 */
function loadCurrent(w: number, rLin: number, cCubic: number): number {
  if (w <= 0) return 0;
  if (cCubic <= 0) return w / rLin;
  const p = rLin / cCubic;
  const q = w / cCubic;
  const s = Math.sqrt(p / 3);
  let i = 2 * s * Math.sinh(Math.asinh((1.5 * q) / p / s) / 3);
  if (!(i > 0)) i = Math.min(w / rLin, Math.cbrt(q));
  const f = cCubic * i * i * i + rLin * i - w;
  i -= f / (3 * cCubic * i * i + rLin);
  return i;
}

/**
 * Same as loadCurrent, warm-started from a nearby solution `guess` (the previous evaluation):
 * Newton on the convex cubic, a few multiplications instead of asinh/sinh. Falls back to the closed
 * form when the guess is unusable or Newton does not settle to 1e-14 within 6 iterations.
 */
export function loadCurrentFrom(w: number, rLin: number, cCubic: number, guess: number): number {
  if (w <= 0) return 0;
  if (cCubic <= 0) return w / rLin;
  if (!(guess > 0)) return loadCurrent(w, rLin, cCubic);
  let i = guess;
  for (let it = 0; it < 6; it++) {
    const ci2 = cCubic * i * i;
    const d = ((ci2 + rLin) * i - w) / (3 * ci2 + rLin);
    i -= d;
    if (Math.abs(d) <= 1e-14 * i) return i > 0 ? i : loadCurrent(w, rLin, cCubic);
  }
  return loadCurrent(w, rLin, cCubic);
}
