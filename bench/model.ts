/**
 * Model benchmark: time per default sweep (±1.3 V, 1 V/s, 1 mV output) against the robust
 * scan+Brent solve path in the same run; right-hand-side evaluations per second; the pulse
 * kernel's speed-up and error against full integration; the read table against the static solve.
 * Timings are the minimum over repeats (the machine is shared).
 */
import {
  DEFAULT_PARAMS,
  applyPulseExact,
  createPulseKernel,
  createReadTable,
  readCurrent,
  simulate,
  sweepWaveform,
} from '../src/model/index.js';
import { solverMode } from '../src/model/solve.js';
import { createRng } from '../src/util/rng.js';
import { Session } from 'node:inspector/promises';

interface SampleNode {
  selfSize: number;
  children: SampleNode[];
}

/** Heap bytes allocated by f (V8's sampling heap profiler, objects already collected included). */
async function allocatedBytes(f: () => void): Promise<number> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMinorGC: true,
    includeObjectsCollectedByMajorGC: true,
  });
  f();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SampleNode } };
  session.disconnect();
  let total = 0;
  const walk = (n: SampleNode): void => {
    total += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(profile.head);
  return total;
}

function minTime(f: () => void, repeats: number): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const fmt = (x: number, d = 2): string => x.toFixed(d);

export async function run(): Promise<void> {
  const p = DEFAULT_PARAMS;
  const wave = sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.001 });
  // --- default sweep
  for (let i = 0; i < 5; i++) simulate(p, wave);
  const fastMs = minTime(() => simulate(p, wave), 20);
  const stats = simulate(p, wave).stats;
  solverMode.robust = true;
  simulate(p, wave);
  const robustMs = minTime(() => simulate(p, wave), 3);
  solverMode.robust = false;
  const tightMs = minTime(() => simulate(p, wave, { scheme: 'rk23', relTol: 1e-7 }), 3);
  console.log(`default sweep (5201 points): ${fmt(fastMs)} ms  [target ≤ 20 ms]`);
  console.log(`  baseline, robust scan+Brent solve at every evaluation: ${fmt(robustMs)} ms → speed-up ×${fmt(robustMs / fastMs, 1)}`);
  console.log(`  converged reference (rk23, relTol 1e-7): ${fmt(tightMs)} ms (×${fmt(tightMs / fastMs, 1)} of the default)`);
  console.log(
    `  ${stats.steps} steps, ${stats.rhsEvals} RHS evaluations, ${stats.rejected} rejected; ${fmt(stats.rhsEvals / fastMs / 1e3, 2)} M RHS evaluations/s`,
  );
  // heap allocated per simulation, warm (after the runs above), the result arrays included
  const allocMB = (await allocatedBytes(() => simulate(p, wave))) / 1048576;
  console.log(`  heap allocated per simulation: ${fmt(allocMB)} MB`);

  // --- pulse kernel
  const rng = createRng(42);
  const regimes: [string, number, number, number, number][] = [
    ['crossbar SET −0.342 V 1 µs', -0.342, 1e-6, 0.06, 1.99],
    ['crossbar RESET +0.7065 V 1 µs', 0.7065, 1e-6, 0.06, 1.99],
    ['abrupt SET −0.55 V 1 µs', -0.55, 1e-6, 0.01, 10],
    ['RESET to the bound +1.0 V 10 ms', 1.0, 1e-2, 0.009, 20],
  ];
  for (const [name, v, w, lo, hi] of regimes) {
    const tb0 = performance.now();
    const k = createPulseKernel(p, v, w);
    const buildMs = performance.now() - tb0;
    const m = 60;
    const dev = Array.from({ length: m }, () => ({
      n0: Math.exp(Math.log(lo) + rng.next() * Math.log(hi / lo)),
      r: 45e-9 * (0.9 + 0.2 * rng.next()),
      l: 0.4e-9 * (0.9 + 0.2 * rng.next()),
      nMin: 0.004 + 0.012 * rng.next(),
      nMax: 18 + 4 * rng.next(),
    }));
    let maxErr = 0;
    let sumErr = 0;
    const exact: number[] = [];
    for (const d of dev) exact.push(applyPulseExact({ ...p, rnew: d.r, lnew: d.l, Ndiscmin: d.nMin, Ndiscmax: d.nMax }, d.n0, v, w));
    const exactUs =
      (minTime(() => {
        for (const d of dev) applyPulseExact({ ...p, rnew: d.r, lnew: d.l, Ndiscmin: d.nMin, Ndiscmax: d.nMax }, d.n0, v, w);
      }, 3) *
        1e3) /
      m;
    const heunUs =
      (minTime(() => {
        for (const d of dev)
          applyPulseExact({ ...p, rnew: d.r, lnew: d.l, Ndiscmin: d.nMin, Ndiscmax: d.nMax }, d.n0, v, w, { scheme: 'heun', relTol: 2e-4 });
      }, 3) *
        1e3) /
      m;
    dev.forEach((d, i) => {
      const e = Math.abs(k.apply(d.n0, d.r, d.l, d.nMin, d.nMax) / exact[i] - 1);
      maxErr = Math.max(maxErr, e);
      sumErr += e;
    });
    // size each timed batch to ≈ 20 ms so that a loaded machine's jitter averages out
    const tEst = minTime(() => {
      for (const d of dev) k.apply(d.n0, d.r, d.l, d.nMin, d.nMax);
    }, 3);
    const reps = Math.max(5, Math.round(20 / Math.max(tEst, 1e-3)));
    let acc = 0;
    const kMs = minTime(() => {
      for (let r = 0; r < reps; r++) for (const d of dev) acc += k.apply(d.n0, d.r, d.l, d.nMin, d.nMax);
    }, 10);
    const kUs = (kMs * 1e3) / (reps * m);
    console.log(
      `pulse kernel, ${name}: ${fmt(kUs, 3)} µs/pulse vs full integration ${fmt(exactUs, 0)} µs (rk23 1e-8) → ×${fmt(exactUs / kUs, 0)}, ` +
        `vs default heun ${fmt(heunUs, 0)} µs → ×${fmt(heunUs / kUs, 0)}; error in N max ${(100 * maxErr).toFixed(3)} %, mean ${((100 * sumErr) / m).toFixed(4)} %; ` +
        `tables built in ${fmt(buildMs, 0)} ms; fallbacks ${k.fallbacks}${acc > 0 ? '' : ' '}`,
    );
  }

  // --- read table
  const t = createReadTable(p, 0.2);
  const ns = Array.from({ length: 1000 }, () => Math.exp(Math.log(0.006) + rng.next() * Math.log(20 / 0.006)));
  let acc = 0;
  const staticMs =
    minTime(() => {
      for (let i = 0; i < 100; i++) acc += readCurrent(p, ns[i], 0.2);
    }, 3) / 100;
  const tableMs =
    minTime(() => {
      for (let r = 0; r < 100; r++) for (const n of ns) acc += t.current(n, p.rnew, p.lnew);
    }, 5) / 1e5;
  let maxErr = 0;
  for (let i = 0; i < 200; i++) maxErr = Math.max(maxErr, Math.abs(t.current(ns[i], p.rnew, p.lnew) / readCurrent(p, ns[i], 0.2) - 1));
  console.log(
    `read table at 0.2 V: ${fmt(tableMs * 1e6, 0)} ns/read vs static solve ${fmt(staticMs * 1e3, 1)} µs → ×${fmt(staticMs / tableMs, 0)}; max error ${(100 * maxErr).toFixed(4)} %${acc ? '' : ' '}`,
  );
}
