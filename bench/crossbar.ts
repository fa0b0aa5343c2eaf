/**
 * Crossbar benchmark: analog MVM throughput (with aihwkit-default periphery) against the plain
 * digital matmul of the same matrix in the same run, pulse updates per second (table engine and
 * exact per-pulse Euler), a wired MVM (transfer matrix against a solve per vector), and the time of one
 * in-situ training epoch extrapolated from 3200 samples.
 */
import { createRng } from '../src/util/rng.js';
import { FastRng } from '../src/crossbar/core/fastRng.js';
import { analogMatVec, matVec, AIHWKIT_FORWARD } from '../src/crossbar/periphery/io.js';
import { FitEulerEngine, PAPER_PULSES, TabulatedEngine } from '../src/crossbar/device/jartEngine.js';
import { resolveConfig } from '../src/crossbar/experiment/config.js';
import { runInSituRepeat } from '../src/crossbar/experiment/inSitu.js';
import { loadMnist } from '../src/io/mnist.js';
import { solveWireIterative, wireTransferMatrix } from '../src/crossbar/array/wire.js';

/** CPU milliseconds per call (process CPU time, so other load on the machine does not inflate it). */
function time(f: () => void, minMs = 300): number {
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e3;
  };
  let n = 0;
  const t0 = cpu();
  do {
    f();
    n++;
  } while (cpu() - t0 < minMs);
  return (cpu() - t0) / n;
}

export async function run(): Promise<void> {
  const rows = 256,
    cols = 785;
  const rng = createRng(1),
    fr = new FastRng(rng);
  const w = Float32Array.from({ length: rows * cols }, () => 2 * rng.next() - 1);
  const x = Float64Array.from({ length: cols }, () => rng.next()),
    y = new Float64Array(cols),
    xq = new Float64Array(cols);
  const tDig = time(() => matVec(w, rows, cols, x, y, false));
  const tAna = time(() => analogMatVec(w, rows, cols, x, y, false, AIHWKIT_FORWARD, fr, xq));
  const macs = rows * cols;
  console.log('(timings are process CPU time)');
  console.log(
    `MVM ${rows}x${cols}: digital ${(macs / tDig / 1e6).toFixed(2)} GMAC/s, analog (DAC/ADC/noise/BM) ${(macs / tAna / 1e6).toFixed(2)} GMAC/s, ratio analog/digital time ${(tAna / tDig).toFixed(2)}`,
  );
  const exact = new FitEulerEngine(PAPER_PULSES);
  const tab = new TabulatedEngine(exact, {
    nLo: 0.06,
    nHi: 1.9897452127440085,
    nPoints: 2049,
    rLoM: 45e-9,
    rHiM: 45e-9,
    rPoints: 1,
    lNomM: 0.4e-9,
    nMinNom: 0.008,
    nMaxNom: 20,
  });
  let n = 0.3;
  const pulses = 20000;
  const tE =
    time(() => {
      for (let i = 0; i < 2000; i++) n = Math.min(1.98, Math.max(0.07, exact.pulse(i % 2 === 0, n, 45e-9, 0.4e-9, 0.008, 20)));
    }) / 2000;
  const tT =
    time(() => {
      for (let i = 0; i < pulses; i++) n = Math.min(1.98, Math.max(0.07, tab.pulse(i % 2 === 0, n, 45e-9, 0.4e-9)));
    }) / pulses;
  console.log(
    `pulse update: exact Euler (100 steps) ${(tE * 1e3).toFixed(2)} µs/pulse, table ${(tT * 1e6).toFixed(1)} ns/pulse (${(1e3 / tT / 1e6).toFixed(1)} M pulses/s), speed-up ${(tE / tT).toFixed(0)}×`,
  );
  // wire resistance in inference: one solve per input vector (the baseline) against the tile's transfer
  // matrix (one solve per driven row, then a plain product per vector); 128×128 tile, 1 Ω, JART conductances
  {
    const n = 128;
    const g = Float64Array.from({ length: n * n }, () => 95e-6 + 465e-6 * rng.next());
    const v = Float64Array.from({ length: n }, () => 0.2 * rng.next());
    const tSolve = time(() => solveWireIterative(g, n, n, v, 1, 500, 1e-9), 500);
    let tr = wireTransferMatrix(g, n, n, 1, 500, 1e-9);
    const tBuild = time(() => {
      tr = wireTransferMatrix(g, n, n, 1, 500, 1e-9);
    }, 500);
    const iCol = new Float64Array(n);
    const tProd = time(() => {
      for (let j = 0; j < n; j++) {
        let a = 0;
        for (let i = 0; i < n; i++) a += tr.t[j * n + i] * v[i];
        iCol[j] = a;
      }
    });
    console.log(
      `wired MVM ${n}x${n}, 1 Ω segments: per-vector solve ${tSolve.toFixed(1)} ms (baseline); transfer matrix built in ${(tBuild / 1e3).toFixed(2)} s (${(tBuild / tSolve).toFixed(0)} solves' time), then ${(tProd * 1e3).toFixed(1)} µs per vector → ${(tSolve / tProd).toFixed(0)}× per vector; break-even after ${Math.ceil(tBuild / (tSolve - tProd))} vectors (a 10k-image test set: ${((tSolve * 1e4) / (tBuild + tProd * 1e4)).toFixed(0)}×)`,
    );
  }
  const samples = Number(process.env.BENCH_SAMPLES ?? 3200);
  const train = loadMnist('train', samples),
    test = loadMnist('test', 100);
  for (const model of ['aihwkit-jart', 'jart'] as const) {
    const cfg = resolveConfig({
      name: 'bench',
      device: { model },
      training: { epochs: 1, trainSamples: samples, testSamples: 100, shuffle: false },
      tile: { maxInputSize: 0, maxOutputSize: 0 },
    });
    const c0 = process.cpuUsage(),
      t0 = performance.now();
    const rec = runInSituRepeat(cfg, train, test, 0)[0];
    const s = (performance.now() - t0) / 1000,
      cpu = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6;
    console.log(
      `in-situ ${model}: ${samples} samples (incl. engine set-up) wall ${s.toFixed(1)} s, CPU ${cpu.toFixed(1)} s, ${rec.pulsesApplied} pulses → ${((cpu * 60000) / samples).toFixed(0)} CPU-s per 60k epoch at this (early-training) pulse rate; seed system: 300-350 CPU-s`,
    );
  }
}
