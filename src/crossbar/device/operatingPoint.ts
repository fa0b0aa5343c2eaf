/**
 * The operating point of a full-model crossbar for a device other than the paper's: the N window the
 * weights are mapped on and the programming pulse amplitudes. The paper's pulses (−0.342 V / +0.7065 V,
 * 1 µs) and window (N 0.06 … 1.9897) were chosen for the default JART device, where a full swing takes
 * ≈ 9,900 pulses each way; a calibrated device (other barrier, activation energy, N bounds, series
 * resistance) may not switch at all with them, or switch in one pulse.
 * - `nWindow: "device"`: nLo and nHi at the paper's relative positions in ln N between the central device's
 *   own N bounds (0.2575 and 0.7050 of the way from Ndiscmin to Ndiscmax).
 * - `pulseMatch: K`: |V_SET| and V_RESET (same width) such that the central device's swing nLo → nHi takes K
 *   SET pulses and nHi → nLo K RESET pulses (bisection on the amplitude; the count falls monotonically
 *   with it), as the paper's odd bound 1.9897 made both directions take 9,900.
 * Counted with the model stage's pulse kernel on the central device; the result goes into the resolved config.
 */
import { createPulseKernel, DEFAULT_PARAMS, type JartParams } from '../../model/index.js';
import { JartcalError } from '../../util/errors.js';
import type { ExperimentConfig } from '../experiment/config.js';
import { centralParams } from './population.js';

const PAPER_N = { nMin: 0.008, nMax: 20, nLo: 0.06, nHi: 1.9897452127440085 };
/** The paper's window as fractions of ln(N/Ndiscmin) over ln(Ndiscmax/Ndiscmin). */
export const PAPER_WINDOW: readonly [number, number] = [
  Math.log(PAPER_N.nLo / PAPER_N.nMin) / Math.log(PAPER_N.nMax / PAPER_N.nMin),
  Math.log(PAPER_N.nHi / PAPER_N.nMin) / Math.log(PAPER_N.nMax / PAPER_N.nMin),
];

export function deviceWindow(nMin: number, nMax: number): [number, number] {
  const at = (f: number): number => nMin * Math.pow(nMax / nMin, f);
  return [at(PAPER_WINDOW[0]), at(PAPER_WINDOW[1])];
}

/** Model parameters of the config's nominal device (with a population: its central device, kinetic parameters at their centres). */
export function nominalParams(c: ExperimentConfig): JartParams {
  const j = c.device.jart;
  const central = c.device.population ? centralParams(c.device.population) : {};
  return {
    ...DEFAULT_PARAMS,
    ...central,
    Ndiscmin: j.nominal.nMin,
    Ndiscmax: j.nominal.nMax,
    rnew: j.nominal.rM,
    lnew: j.nominal.lM,
  } as JartParams;
}

/** Pulses of amplitude vV (sign = polarity) that take N from `from` across `to`; cap + 1 if they do not within cap. */
export function swingPulses(p: JartParams, vV: number, widthS: number, from: number, to: number, cap: number): number {
  const k = createPulseKernel(p, vV, widthS, { rRange: [p.rnew * 0.99, p.rnew * 1.01], lRange: [p.lnew * 0.99, p.lnew * 1.01], nodes: 4 });
  const up = to > from;
  let n = from;
  for (let i = 1; i <= cap; i++) {
    const m = k.apply(n, p.rnew, p.lnew, p.Ndiscmin, p.Ndiscmax);
    if (!(m === m)) return i; // overflow: a full switch
    if (up ? m >= to : m <= to) return i;
    if (up ? !(m > n) : !(m < n)) return cap + 1; // stuck (at a bound or no motion)
    n = m;
  }
  return cap + 1;
}

export interface MatchedPulse {
  vV: number;
  pulses: number;
}

/**
 * The amplitude (in [vMin, vMax] V, of the polarity `set`) whose swing takes `target` pulses, within
 * max(1, 0.5 %) of it; bisection in ln |V|. Refused (naming why) when even vMax is too slow or vMin too fast.
 */
export function matchPulse(
  p: JartParams,
  set: boolean,
  widthS: number,
  from: number,
  to: number,
  target: number,
  vMin = 0.02,
  vMax = 5,
): MatchedPulse {
  const cap = 4 * target;
  const sign = set ? -1 : 1;
  const count = (a: number): number => swingPulses(p, sign * a, widthS, from, to, cap);
  const what = set ? 'SET' : 'RESET';
  const cHi = count(vMax);
  if (cHi > target)
    throw new JartcalError(
      `pulseMatch: a ${what} swing of the central device takes more than ${target} pulses even at ${sign * vMax} V (${cHi > cap ? `> ${cap}` : cHi})`,
      { code: 'bad_config' },
    );
  const cLo = count(vMin);
  if (cLo < target)
    throw new JartcalError(
      `pulseMatch: a ${what} swing of the central device takes fewer than ${target} pulses already at ${sign * vMin} V (${cLo})`,
      { code: 'bad_config' },
    );
  let lo = Math.log(vMin),
    hi = Math.log(vMax);
  let best: MatchedPulse = { vV: sign * vMax, pulses: cHi };
  const tol = Math.max(1, 0.005 * target);
  for (let it = 0; it < 60; it++) {
    const mid = 0.5 * (lo + hi),
      c = count(Math.exp(mid));
    if (Math.abs(c - target) < Math.abs(best.pulses - target)) best = { vV: sign * Math.exp(mid), pulses: c };
    if (Math.abs(c - target) <= tol) break;
    if (c > target) lo = mid;
    else hi = mid;
  }
  return best;
}

export interface OperatingPoint {
  window: 'config' | 'device';
  nLo: number;
  nHi: number;
  pulses: { target: number; vSetV: number; vResetV: number; setPulses: number; resetPulses: number } | null;
}

/**
 * Applies `device.jart.nWindow` and `device.jart.pulseMatch` to a resolved config (full model only): writes
 * nLo/nHi and vSetV/vResetV, returns what was chosen; null when neither is asked for. Deterministic.
 */
export function applyOperatingPoint(c: ExperimentConfig): OperatingPoint | null {
  const j = c.device.jart;
  if (j.nWindow === 'config' && j.pulseMatch === 0) return null;
  if (c.device.model !== 'jart')
    throw new JartcalError('device.jart.nWindow "device" and pulseMatch need the full model (device.model "jart")', { code: 'bad_config' });
  if (j.nWindow === 'device') {
    [j.nLo, j.nHi] = deviceWindow(j.nominal.nMin, j.nominal.nMax);
  }
  let pulses: OperatingPoint['pulses'] = null;
  if (j.pulseMatch > 0) {
    const p = nominalParams(c);
    const s = matchPulse(p, true, j.widthS, j.nLo, j.nHi, j.pulseMatch);
    const r = matchPulse(p, false, j.widthS, j.nHi, j.nLo, j.pulseMatch);
    j.vSetV = s.vV;
    j.vResetV = r.vV;
    pulses = { target: j.pulseMatch, vSetV: s.vV, vResetV: r.vV, setPulses: s.pulses, resetPulses: r.pulses };
  }
  return { window: j.nWindow, nLo: j.nLo, nHi: j.nHi, pulses };
}
