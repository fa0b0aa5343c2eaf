/**
 * Fit benchmark: time per single-cycle fit (±1.3 V, 1 V/s, six free parameters, one core) and per
 * 100-cycle campaign (BENCH_FIT_CYCLES to change), each also expressed in model simulations of the same cycle measured in this
 * run (the baseline), so the numbers travel between machines.
 */
import { resolveParams, simulate, sweepWaveform } from '../src/model/index.js';
import { createInlineScheduler, createWorkerPool, fitDataset, resolveFitSettings, synthCycle } from '../src/fit/index.js';
import { createRng } from '../src/util/rng.js';
import type { FitCycleInput } from '../src/fit/index.js';

const TRUTH = { rnew: 41e-9, lnew: 0.43e-9, Ndiscmin: 0.011, RseriesTiOx: 820, phiBn0: 0.19, dWa: 1.33 };

function timeSim(stepV: number): number {
  const p = resolveParams({});
  const w = sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV });
  for (let i = 0; i < 3; i++) simulate(p, w);
  const t0 = performance.now();
  const n = 20;
  for (let i = 0; i < n; i++) simulate(p, w);
  return (performance.now() - t0) / n / 1000;
}

function campaign(nCycles: number, stepV: number): FitCycleInput[] {
  const rng = createRng(3);
  const out: FitCycleInput[] = [];
  let ninit: number | undefined;
  for (let c = 1; c <= nCycles; c++) {
    const p = resolveParams({ ...TRUTH, rnew: TRUTH.rnew * (1 + 0.05 * rng.normal()), lnew: TRUTH.lnew * (1 + 0.05 * rng.normal()), Ndiscmin: TRUTH.Ndiscmin * (1 + 0.1 * rng.normal()) });
    const s = synthCycle(p, rng, { stepV, device: 'bench', cycle: c, ninit });
    ninit = s.endNdisc;
    out.push(s.cycle);
  }
  return out;
}

export async function run(): Promise<void> {
  console.log('## fit');
  for (const stepV of [0.005, 0.001]) {
    const simS = timeSim(stepV);
    const rng = createRng(1);
    const cycles = Array.from({ length: 5 }, (_, k) => synthCycle(resolveParams({ ...TRUTH, rnew: TRUTH.rnew * (1 + 0.04 * rng.normal()) }), rng, { stepV, cycle: k + 1 }).cycle);
    const settings = resolveFitSettings({ mode: 'independent' });
    const t0 = performance.now();
    const r = await fitDataset({ devices: [{ id: 'bench', cycles }] }, settings, createInlineScheduler());
    const per = (performance.now() - t0) / 1000 / cycles.length;
    const evals = r.cycles.reduce((a, c) => a + c.metrics.evaluations, 0) / cycles.length;
    const rms = r.cycles.map((c) => c.rmsLog10.toFixed(3)).join(' ');
    console.log(`single-cycle fit, ±1.3 V at 1 V/s, ${stepV * 1000} mV steps, 6 free: ${per.toFixed(3)} s per fit (target ≤ 1 s) = ${(per / simS).toFixed(0)}× one simulation (${(simS * 1000).toFixed(1)} ms, baseline); ${evals.toFixed(0)} evaluations; rms ${rms}`);
  }
  const stepV = 0.005;
  const simS = timeSim(stepV);
  const nCycles = Number(process.env.BENCH_FIT_CYCLES ?? 100);
  const half = nCycles >> 1;
  const cycles = campaign(nCycles, stepV);
  const settings = resolveFitSettings({ mode: 'campaign' });
  for (const workers of [1, 2]) {
    const t0 = performance.now();
    const r = await fitDataset({ devices: [{ id: 'bench-a', cycles: cycles.slice(0, half) }, { id: 'bench-b', cycles: cycles.slice(half).map((c, i) => ({ ...c, device: 'bench-b', cycle: i + 1 })) }] }, settings, workers === 1 ? createInlineScheduler() : createWorkerPool(workers));
    const s = (performance.now() - t0) / 1000;
    const med = r.cycles.map((c) => c.rmsLog10).sort((a, b) => a - b)[half];
    console.log(`${nCycles}-cycle campaign (2 devices × ${half} cycles, 5 mV steps), ${workers} worker(s): ${s.toFixed(1)} s = ${(s / nCycles).toFixed(2)} s per cycle = ${(s / nCycles / simS).toFixed(0)} simulations per cycle; median rms ${med.toFixed(3)}`);
  }
}
