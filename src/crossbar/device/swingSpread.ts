/**
 * How far apart the devices of a crossbar are in switching speed: the SET and RESET pulses each of n devices
 * (drawn as the crossbar draws them, one tile of layer 0) needs for 90 % of a full swing between the
 * operating point's N bounds, at the configuration's pulses. In-situ training applies one pulse shape to every
 * device: devices that swing in a few pulses flip their weight at every update, devices that never swing
 * within the cap do not learn. This is the measured reason a wide calibrated population does not train.
 */
import type { ExperimentConfig } from '../experiment/config.js';
import { createRng } from '../../util/rng.js';
import { createEngine, createKineticEngines, deviceMaker } from './factory.js';
import type { JartArray } from './jartArray.js';

export interface SwingCounts {
  p10: number;
  p50: number;
  p90: number;
  fastShare: number;
  neverShare: number;
}
export interface SwingSpread {
  devices: number;
  cap: number;
  fastPulses: number;
  set: SwingCounts;
  reset: SwingCounts;
  /** p90 / p10 of the pulses per swing over SET and RESET pooled (cap counted as cap): decades of speed spread */
  decades: number;
}

function summarise(a: number[], cap: number, fast: number): SwingCounts {
  const s = [...a].sort((x, y) => x - y);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return {
    p10: q(0.1),
    p50: q(0.5),
    p90: q(0.9),
    fastShare: a.filter((x) => x <= fast).length / a.length,
    neverShare: a.filter((x) => x >= cap).length / a.length,
  };
}

/** Pulses per 90 % swing of `n` devices of the configuration (full JART model with a population's devices). */
export function swingSpread(cfg: ExperimentConfig, n = 200, cap = 20000, fastPulses = 10): SwingSpread {
  const engine = createEngine(cfg);
  const dev = deviceMaker(cfg, engine, createRng(cfg.seed).fork(0), 0, createKineticEngines(cfg))(n, 0) as JartArray;
  const j = cfg.device.jart;
  // the weight at a given N, leaving the device's state as it was
  const w = (k: number, nn: number): number => {
    const keep = dev.n[k];
    dev.n[k] = nn;
    const x = dev.weight(k);
    dev.n[k] = keep;
    return x;
  };
  const set: number[] = [],
    reset: number[] = [];
  for (let k = 0; k < n; k++) {
    const wLo = w(k, j.nLo),
      wHi = w(k, j.nHi);
    const target = wLo + 0.95 * (wHi - wLo),
      back = wLo + 0.05 * (wHi - wLo);
    for (const [dir, from, list, reached] of [
      [1, j.nLo, set, (x: number) => x >= target],
      [-1, j.nHi, reset, (x: number) => x <= back],
    ] as const) {
      dev.n[k] = from;
      let c = 0;
      while (c < cap && !reached(dev.weight(k))) {
        const before = dev.n[k];
        dev.pulse(k, dir);
        c++;
        if (dev.n[k] === before) {
          c = cap;
          break;
        } // stuck at a bound short of the swing
      }
      list.push(c);
    }
  }
  const pooled = [...set, ...reset].sort((x, y) => x - y);
  const q = (p: number): number => pooled[Math.min(pooled.length - 1, Math.floor(p * pooled.length))];
  return {
    devices: n,
    cap,
    fastPulses,
    set: summarise(set, cap, fastPulses),
    reset: summarise(reset, cap, fastPulses),
    decades: Math.log10(Math.max(1, q(0.9)) / Math.max(1, q(0.1))),
  };
}

/** One sentence for a user: what the spread means for in-situ training. */
export function describeSwingSpread(s: SwingSpread): string {
  const pct = (x: number): string => `${(100 * x).toFixed(0)} %`;
  const c = (x: SwingCounts): string =>
    `p10 ${x.p10} / p50 ${x.p50 >= s.cap ? `> ${s.cap}` : x.p50} / p90 ${x.p90 >= s.cap ? `> ${s.cap}` : x.p90}`;
  return (
    `pulses per full swing over ${s.devices} devices: SET ${c(s.set)}, RESET ${c(s.reset)}; ` +
    `${pct(Math.max(s.set.fastShare, s.reset.fastShare))} swing in ≤ ${s.fastPulses} pulses, ${pct(Math.max(s.set.neverShare, s.reset.neverShare))} not within ${s.cap} ` +
    `(${s.decades.toFixed(1)} decades between p10 and p90)`
  );
}
