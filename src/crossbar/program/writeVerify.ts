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

/**
 * A differential pair programmed as a real array would: each device to its own state (`split`), with its
 * own SET and RESET pulses and half the weight tolerance (in its device units), instead of through the
 * pair's one-sided training pulses, with which an overshoot can only be corrected by raising the other
 * device. The pulse budget is per device.
 */
export function programPair(dev: DifferentialPairArray, k: number, target: number, tol: number, maxPulses: number): ProgramResult {
  const [gp, gm] = dev.split(target);
  let pulses = 0;
  for (const [d, g] of [
    [dev.devices[0], gp],
    [dev.devices[1], gm],
  ] as const) {
    const span = d.wMax(k) - d.wMin(k);
    pulses += writeVerify(d, k, DifferentialPairArray.at(d, k, g), (0.5 * tol * span) / dev.scale, maxPulses).pulses;
  }
  const error = Math.abs(dev.weight(k) - target);
  return { pulses, error, converged: error <= tol };
}

/** Write-verify of one cell of any mapping (a pair device by device). */
export function programCell(dev: DeviceArray, k: number, target: number, tol: number, maxPulses: number): ProgramResult {
  return dev instanceof DifferentialPairArray ? programPair(dev, k, target, tol, maxPulses) : writeVerify(dev, k, target, tol, maxPulses);
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
