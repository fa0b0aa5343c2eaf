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

/** Load-line solve in place (Cell implements it): inputs and result in double fields, see loadCurrentFrom. */
export interface LoadLine {
  readonly rLin: number;
  readonly cCubic: number;
  /** Input: the voltage w ≥ 0 across the series path, V. */
  readonly wLoad: number;
  /** Input: a nearby solution (the previous evaluation's current), A. */
  readonly i: number;
  /** Output: the load-line current, A. */
  iLoad: number;
}

/**
 * Same as loadCurrent, warm-started from a nearby solution c.i (the previous evaluation): Newton
 * on the convex cubic, a few multiplications instead of asinh/sinh; result in c.iLoad. Falls back
 * to the closed form when the guess is unusable or Newton does not settle to 1e-14 within 6
 * iterations. Inputs and result pass through double fields: a call V8 does not inline then boxes
 * no double in a new heap number.
 */
export function loadCurrentFrom(c: LoadLine): void {
  const w = c.wLoad;
  const rLin = c.rLin;
  const cCubic = c.cCubic;
  const guess = c.i;
  if (w <= 0) c.iLoad = 0;
  else if (cCubic <= 0) c.iLoad = w / rLin;
  else if (!(guess > 0)) c.iLoad = loadCurrent(w, rLin, cCubic);
  else {
    let i = guess;
    for (let it = 0; it < 6; it++) {
      const ci2 = cCubic * i * i;
      const d = ((ci2 + rLin) * i - w) / (3 * ci2 + rLin);
      i -= d;
      if (Math.abs(d) <= 1e-14 * i) {
        c.iLoad = i > 0 ? i : loadCurrent(w, rLin, cCubic);
        return;
      }
    }
    c.iLoad = loadCurrent(w, rLin, cCubic);
  }
}
