/**
 * Programming a device to a target weight through its own pulses, reading back through the model's
 * nonlinear read current: open-loop (pulse count from a nominal estimate, no read-back) or
 * write-verify (pulse, read, compare, repeat until within tolerance or out of pulse budget).
 * The number of pulses per step adapts to the last measured weight change per pulse; after an overshoot
 * the burst is capped at half the one that overshot.
 */
import type { DeviceArray } from '../device/types.js';
import { DifferentialPairArray, ScaledArray } from '../mapping/mapping.js';

export interface ProgramResult {
  pulses: number;
  error: number;
  converged: boolean;
  /** why a cell ended out of tolerance (width-ramped write-verify only; null when it converged) */
  reason?: ProgramFailure | null;
  /** width-ramped write-verify: the width factor of the last pulse (the device's operating point) and the sum of all pulse widths in nominal widths */
  widthFactor?: number;
  width?: number;
  /** amplitude-ramped write-verify: the amplitude factor of the last pulse */
  amplitudeFactor?: number;
}

/**
 * Why a cell could not be programmed within tolerance:
 * - `out-of-reach`: the target lies outside the device's reachable weight range (its on/off window is too
 *   small for the weight, or its whole range lies on one side of the mapping's zero);
 * - `stuck`: the device no longer moves (a pulse is skipped at its N bound) short of the target;
 * - `too-slow`: at the longest pulse it covers less than 0.1 % of the remaining distance per pulse (a
 *   wide-radius device heats too little at the amplitude to switch in any practical time);
 * - `too-coarse`: one pulse of the shortest width still steps over the tolerance band;
 * - `drift`: (a pair) each device was verified within its band, but the cycle-to-cycle walk of its geometry
 *   during programming moved the pair's read out of the weight's band;
 * - `budget`: the pulse budget ran out while it was still approaching.
 */
export type ProgramFailure = 'out-of-reach' | 'stuck' | 'too-slow' | 'too-coarse' | 'drift' | 'budget';
export const PROGRAM_FAILURES: readonly ProgramFailure[] = ['out-of-reach', 'stuck', 'too-slow', 'too-coarse', 'drift', 'budget'];

/**
 * Ramped write-verify: pulse widths between `min` and `max` times the configured width; with `amplitude`,
 * also the pulse amplitude per device and polarity, along the device's amplitude ladder (`amplitudeFactors`).
 */
export interface WidthRamp {
  min: number;
  max: number;
  amplitude?: boolean;
}

/**
 * Write-verify with per-device width ramping, as a write-verify controller finds each device's operating
 * point from its response: every pulse is one pulse whose width is chosen from the rate the device showed
 * on its last pulse in that direction (Δw per unit width), aiming at 70 % of the remaining distance, within
 * [ramp.min, ramp.max] × the configured width. A device that does not move is given ever longer pulses (×10)
 * up to ramp.max; after an overshoot the width is capped at half the one that overshot. Slow devices thus get
 * long pulses and fast ones short pulses, instead of one pulse for all. Needs a device with `pulseWidth`
 * (JartArray, or a ScaledArray over one).
 * With `ramp.amplitude` and a device with an amplitude ladder, each polarity has its own amplitude, starting
 * at the configured one: a device that moves less than 0.1 % of the way per pulse at the longest width (or not
 * at all) gets the next higher amplitude, and one whose shortest pulse steps over the band both ways, again and
 * again, the next lower; a cell fails `too-slow` or `too-coarse` only at the end of the ladder.
 */
export function writeVerifyRamp(
  dev: DeviceArray,
  k: number,
  target: number,
  tol: number,
  maxPulses: number,
  ramp: WidthRamp,
): ProgramResult {
  const pw = dev.pulseWidth;
  if (!pw) return writeVerify(dev, k, target, tol, maxPulses);
  const amps = ramp.amplitude ? dev.amplitudeFactors : undefined;
  const top = amps ? amps.length - 1 : 0,
    unit = amps ? Math.max(0, amps.indexOf(1)) : 0;
  // amplitude level per polarity: [RESET, SET]
  let levelDown = unit,
    levelUp = unit;
  let w = dev.weight(k),
    used = 0,
    width = 0,
    rateUp = 0,
    rateDown = 0,
    f = 1,
    cap = ramp.max,
    lastDir = 0,
    lastF = 1,
    lastA = 1,
    coarse = 0,
    slow = 0,
    stuck = false;
  /** the next amplitude of polarity `dir` up (+1) or down (−1) the ladder; false at its end */
  const step = (dir: number, by: 1 | -1): boolean => {
    const at = dir > 0 ? levelUp : levelDown;
    if (!amps || at + by < 0 || at + by > top) return false;
    if (dir > 0) {
      levelUp += by;
      rateUp = 0;
    } else {
      levelDown += by;
      rateDown = 0;
    }
    // the rate at the new amplitude is unknown: from a nominal width when raised (the device was too slow),
    // from the shortest when lowered (it was too coarse); the width cap starts afresh
    f = by > 0 ? 1 : ramp.min;
    cap = ramp.max;
    slow = 0;
    coarse = 0;
    lastDir = 0;
    return true;
  };
  while (Math.abs(w - target) > tol && used < maxPulses) {
    const dir = target > w ? 1 : -1;
    if (lastDir !== 0 && dir !== lastDir) {
      cap = Math.max(ramp.min, 0.5 * lastF);
      if (lastF <= ramp.min) coarse++;
      // the shortest pulse steps over the band both ways, again and again: a lower amplitude, else give up
      if (coarse >= 3 && step(lastDir, -1)) continue;
      if (coarse >= 8) break;
    }
    const rate = dir > 0 ? rateUp : rateDown;
    if (rate > 0) f = (0.7 * Math.abs(target - w)) / rate;
    if (f > cap) f = cap;
    if (f < ramp.min) f = ramp.min;
    const a = amps ? amps[dir > 0 ? levelUp : levelDown] : 1;
    const w1 = pw.call(dev, k, dir, f, a);
    used++;
    width += f;
    lastDir = dir;
    lastF = f;
    lastA = a;
    const dw = Math.abs(w1 - w);
    if (dw === 0) {
      // no motion: at a bound (the pulse was skipped), or too slow to show at this width
      if (dir > 0 ? w >= dev.wMax(k) - 1e-12 : w <= dev.wMin(k) + 1e-12) {
        stuck = true;
        break;
      }
      if (f >= ramp.max) {
        if (step(dir, 1)) continue;
        stuck = true;
        break;
      }
      // the cap an overshoot set was against too much motion: with none at all at the capped width it gives way,
      // else a device whose pulse at that width does nothing would be pulsed at it until the budget is spent
      if (f >= cap) cap = Math.min(ramp.max, 10 * cap);
      f = Math.min(cap, 10 * f);
      if (dir > 0) rateUp = 0;
      else rateDown = 0;
      continue;
    }
    if (f >= ramp.max && dw < 1e-3 * Math.abs(target - w)) {
      if (++slow >= 3) {
        w = w1;
        if (step(dir, 1)) continue;
        break;
      }
    } else slow = 0;
    if (dir > 0) rateUp = dw / f;
    else rateDown = dw / f;
    // far short of the distance still to go, in the same direction: the cap an earlier overshoot set is
    // relaxed again (the device slowed down, e.g. near its N bound)
    if (dw < 0.1 * Math.abs(target - w) && (w1 - target) * (w - target) > 0) cap = Math.min(ramp.max, 2 * cap);
    w = w1;
  }
  const error = Math.abs(w - target);
  const converged = error <= tol;
  let reason: ProgramFailure | null = null;
  if (!converged) {
    const lo = dev.wMin(k),
      hi = dev.wMax(k);
    if (target > hi + tol || target < lo - tol) reason = 'out-of-reach';
    else if (stuck) reason = 'stuck';
    else if (slow >= 3) reason = 'too-slow';
    else if (coarse >= 8) reason = 'too-coarse';
    else reason = 'budget';
  }
  return { pulses: used, error, converged, reason, widthFactor: lastF, width, ...(amps ? { amplitudeFactor: lastA } : {}) };
}

export function writeVerify(dev: DeviceArray, k: number, target: number, tol: number, maxPulses: number, maxBurst = 4096): ProgramResult {
  let w = dev.weight(k),
    used = 0,
    dwPer = 0,
    cap = maxBurst,
    lastDir = 0,
    lastN = 0;
  while (Math.abs(w - target) > tol && used < maxPulses) {
    const dir = target > w ? 1 : -1;
    // an overshoot (the target now lies the other way): the burst that caused it is at most halved from here
    // on, so a device whose step per pulse jumps (a JART SET leaving N_lo's slow start) is approached in ever
    // shorter bursts instead of being thrown across its range again and again
    if (lastDir !== 0 && dir !== lastDir) cap = Math.max(1, lastN >> 1);
    let n = dwPer > 0 ? Math.floor((0.5 * Math.abs(target - w)) / dwPer) : 1;
    n = Math.max(1, Math.min(n, cap, maxPulses - used));
    const w1 = dev.pulse(k, dir * n);
    used += n;
    lastDir = dir;
    lastN = n;
    if (w1 === w) break; // at a bound: no further progress in this direction
    dwPer = Math.abs(w1 - w) / n;
    w = w1;
  }
  const error = Math.abs(w - target);
  return { pulses: used, error, converged: error <= tol };
}

/** What write-verify aims at: the tolerance (weight units), the pulse budget per device, and the ramp (none: bursts of the configured pulse). */
export interface ProgramSpec {
  tol: number;
  maxPulses: number;
  ramp?: WidthRamp | null;
}

/** Write-verify of one device (not a pair) to `target` within `tol`: ramped when the spec has a ramp, else in bursts. */
function verifyDevice(d: DeviceArray, k: number, target: number, tol: number, spec: ProgramSpec): ProgramResult {
  return spec.ramp ? writeVerifyRamp(d, k, target, tol, spec.maxPulses, spec.ramp) : writeVerify(d, k, target, tol, spec.maxPulses);
}

/**
 * A differential pair programmed as a real array would: each device to its own state (`split`), with its
 * own SET and RESET pulses and half the weight tolerance (in its device units), instead of through the
 * pair's one-sided training pulses, with which an overshoot can only be corrected by raising the other
 * device. The pulse budget is per device.
 */
export function programPair(dev: DifferentialPairArray, k: number, target: number, spec: ProgramSpec): ProgramResult {
  const ramp = spec.ramp ?? null;
  const [gp, gm] = dev.split(target);
  let pulses = 0,
    width = 0,
    widthFactor = 0,
    amplitudeFactor = 0,
    reason: ProgramFailure | null = null;
  for (const [d, g] of [
    [dev.devices[0], gp],
    [dev.devices[1], gm],
  ] as const) {
    // the normalised state g is read against the device's range at its present geometry, which its
    // cycle-to-cycle walk moves while it is programmed: the ramped programmer verifies g again and repeats
    let r: ProgramResult | null = null;
    for (let round = 0; round < (ramp ? 4 : 1); round++) {
      const span = d.wMax(k) - d.wMin(k);
      const t = DifferentialPairArray.at(d, k, g),
        tl = (0.5 * spec.tol * span) / dev.scale;
      if (round > 0 && Math.abs(d.weight(k) - t) <= tl) break;
      r = verifyDevice(d, k, t, tl, spec);
      pulses += r.pulses;
      width += r.width ?? r.pulses;
      widthFactor = Math.max(widthFactor, r.widthFactor ?? 1);
      amplitudeFactor = Math.max(amplitudeFactor, r.amplitudeFactor ?? 1);
      if (!r.converged) break;
    }
    if (r && !r.converged) reason ??= r.reason ?? null;
  }
  const error = Math.abs(dev.weight(k) - target);
  const converged = error <= spec.tol;
  return {
    pulses,
    error,
    converged,
    ...(ramp ? { reason: converged ? null : (reason ?? 'drift'), width, widthFactor, ...(ramp.amplitude ? { amplitudeFactor } : {}) } : {}),
  };
}

/** Write-verify of one cell of any mapping (a pair device by device); with a ramp, ramped per device. */
export function programCell(dev: DeviceArray, k: number, target: number, spec: ProgramSpec): ProgramResult {
  return dev instanceof DifferentialPairArray ? programPair(dev, k, target, spec) : verifyDevice(dev, k, target, spec.tol, spec);
}

/** Open loop: `pulses` pulses in the direction of the target, no read-back. */
export function openLoop(dev: DeviceArray, k: number, target: number, pulses: number): ProgramResult {
  const w0 = dev.weight(k);
  const w = pulses > 0 ? dev.pulse(k, target > w0 ? pulses : -pulses) : w0;
  return { pulses, error: Math.abs(w - target), converged: false };
}

/**
 * Open-loop programming as a controller without read-back does it: the pulse count comes from a nominal
 * reference device taken from the state the cell was set to (`init`, what the controller believes it is
 * in) to the target, and the cell gets that many pulses in that direction, whatever it actually does. A
 * pair gets one count per device (`split`). The reference's trajectories are computed once per start
 * state and direction (one pulse at a time up to `maxPulses` or a bound) and shared by every cell.
 */
export function createOpenLoopPlanner(
  ref: DeviceArray,
  maxPulses: number,
): (dev: DeviceArray, k: number, target: number, tol: number, init?: number) => ProgramResult {
  const cache = new Map<string, Float64Array>();
  const trajectory = (from: number, dir: 1 | -1): Float64Array => {
    const key = `${from}|${dir}`;
    let t = cache.get(key);
    if (!t) {
      ref.setWeight(0, from);
      const w = [ref.weight(0)];
      while (w.length <= maxPulses) {
        const x = ref.pulse(0, dir);
        if (x === w[w.length - 1]) break; // at a bound
        w.push(x);
      }
      cache.set(key, (t = Float64Array.from(w)));
    }
    return t;
  };
  // pulses until the reference reaches or passes `to` (or stops moving)
  const count = (from: number, to: number): number => {
    const dir = to > from ? 1 : -1;
    const w = trajectory(from, dir);
    let lo = 0,
      hi = w.length - 1;
    if (dir > 0 ? w[hi] < to : w[hi] > to) return hi;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (dir > 0 ? w[m] >= to : w[m] <= to) hi = m;
      else lo = m + 1;
    }
    return lo;
  };
  const apply = (d: DeviceArray, k: number, from: number, to: number): number => {
    const n = count(from, to);
    if (n > 0) d.pulse(k, to > from ? n : -n);
    return n;
  };
  return (dev, k, target, tol, init = 0) => {
    let pulses = 0;
    if (dev instanceof DifferentialPairArray) {
      const [g0p, g0m] = dev.split(init),
        [gp, gm] = dev.split(target);
      pulses += apply(dev.devices[0], k, DifferentialPairArray.at(ref, 0, g0p), DifferentialPairArray.at(ref, 0, gp));
      pulses += apply(dev.devices[1], k, DifferentialPairArray.at(ref, 0, g0m), DifferentialPairArray.at(ref, 0, gm));
    } else if (dev instanceof ScaledArray) pulses += apply(dev.inner, k, init / dev.scale, target / dev.scale);
    else pulses += apply(dev, k, init, target);
    const error = Math.abs(dev.weight(k) - target);
    return { pulses, error, converged: error <= tol };
  };
}

/** The programming record's key for the count of cells that failed for `f` ("failTooSlow"). */
export function failureKey(f: ProgramFailure): string {
  return 'fail' + f.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
}

/** Each failure in words (pipeline output, report). */
export const FAILURE_WORDS: Record<ProgramFailure, string> = {
  'out-of-reach': "target outside the device's conductance window",
  stuck: 'stuck at a bound',
  'too-slow': 'too slow at the longest pulse and highest amplitude',
  'too-coarse': 'steps over the band at the shortest pulse and lowest amplitude',
  drift: 'cycle-to-cycle drift after verification',
  budget: 'pulse budget spent',
};

/** One line: the share of cells in tolerance and the failures by reason, from a programming record. */
export function describeFailures(p: Record<string, unknown>, cells: number): string {
  const n = (f: ProgramFailure): number => (typeof p[failureKey(f)] === 'number' ? (p[failureKey(f)] as number) : 0);
  const bad = PROGRAM_FAILURES.reduce((a, f) => a + n(f), 0);
  const parts = PROGRAM_FAILURES.filter((f) => n(f) > 0).map((f) => `${n(f)} ${FAILURE_WORDS[f]}`);
  const wq = p.widthFactorQuantiles as number[] | undefined,
    aq = p.amplitudeFactorQuantiles as number[] | undefined;
  return (
    `${(100 * (1 - bad / cells)).toFixed(1)} % of ${cells} cells within tolerance` +
    (parts.length ? ` (out: ${parts.join(', ')})` : '') +
    (wq ? `; last pulse width p10/p50/p90 ${wq.map((x) => x.toPrecision(2)).join(' / ')} × the nominal` : '') +
    (aq ? `, amplitude ${aq.map((x) => x.toFixed(2)).join(' / ')} × the matched` : '')
  );
}
