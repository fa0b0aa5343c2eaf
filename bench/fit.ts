/**
 * Fit benchmark: time per single-cycle fit (±1.3 V, 1 V/s, six free parameters, one core; Jacobian from
 * the model sensitivities against finite differences in the same run) and per
 * 100-cycle campaign (BENCH_FIT_CYCLES to change), each also expressed in model simulations of the same cycle measured in this
 * run (the baseline), so the numbers travel between machines.
 */
import { resolveParams, simulate, sweepWaveform } from '../src/model/index.js';
import { createInlineScheduler, createWorkerPool, fitDataset, resolveFitSettings, synthCycle } from '../src/fit/index.js';
import { createRng } from '../src/util/rng.js';
import type { FitCycleInput } from '../src/fit/index.js';

const TRUTH = { rnew: 41e-9, lnew: 0.43e-9, Ndiscmin: 0.011, RseriesTiOx: 820, phiBn0: 0.19, dWa: 1.33 };

/** CPU seconds of one default simulation of the sweep (CPU time: the machine may be shared). */
function timeSim(stepV: number): number {
  const p = resolveParams({});
  const w = sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV });
  for (let i = 0; i < 3; i++) simulate(p, w);
  const c0 = process.cpuUsage();
  const n = 20;
  for (let i = 0; i < n; i++) simulate(p, w);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6 / n;
}

function campaign(nCycles: number, stepV: number): FitCycleInput[] {
  const rng = createRng(3);
  const out: FitCycleInput[] = [];
  let ninit: number | undefined;
  for (let c = 1; c <= nCycles; c++) {
    const p = resolveParams({
      ...TRUTH,
      rnew: TRUTH.rnew * (1 + 0.05 * rng.normal()),
      lnew: TRUTH.lnew * (1 + 0.05 * rng.normal()),
      Ndiscmin: TRUTH.Ndiscmin * (1 + 0.1 * rng.normal()),
    });
    const s = synthCycle(p, rng, { stepV, device: 'bench', cycle: c, ninit });
    ninit = s.endNdisc;
    out.push(s.cycle);
  }
  return out;
}

/** Largest relative error of the six fitted parameters over the fits. */
function maxErr(params: Record<string, number>[], truths: Record<string, number>[]): string {
  let m = 0;
  for (let k = 0; k < truths.length; k++)
    for (const [name, v] of Object.entries(truths[k])) m = Math.max(m, Math.abs(params[k][name] / v - 1));
  return `${(100 * m).toFixed(2)} %`;
}

interface CycleBench {
  cpu: number;
  wall: number;
  evals: number;
  rms: string;
  err: string;
}

/** Five single-cycle fits (±1.3 V at 1 V/s, six free), the mean per fit. */
async function singleCycles(stepV: number, simStepV: number | undefined, jacobian: 'sensitivities' | 'fd'): Promise<CycleBench> {
  const rng = createRng(1);
  const truths: Record<string, number>[] = [];
  const cycles = Array.from({ length: 5 }, (_, k) => {
    const t = { ...TRUTH, rnew: TRUTH.rnew * (1 + 0.04 * rng.normal()) };
    truths.push(t);
    return synthCycle(resolveParams(t), rng, { stepV, cycle: k + 1 }).cycle;
  });
  const settings = resolveFitSettings({ mode: 'independent', jacobian, ...(simStepV !== undefined ? { objective: { simStepV } } : {}) });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await fitDataset({ devices: [{ id: 'bench', cycles }] }, settings, createInlineScheduler());
  const c1 = process.cpuUsage(c0);
  return {
    wall: (performance.now() - t0) / 1000 / cycles.length,
    cpu: (c1.user + c1.system) / 1e6 / cycles.length,
    evals: r.cycles.reduce((a, c) => a + c.metrics.evaluations, 0) / cycles.length,
    rms: r.cycles.map((c) => c.rmsLog10.toFixed(4)).join(' '),
    err: maxErr(
      r.cycles.map((c) => c.params),
      truths,
    ),
  };
}

export async function run(): Promise<void> {
  console.log('## fit');
  {
    // the Jacobian: the model's forward sensitivities (default) against forward differences, same run
    const simS = timeSim(0.005);
    await singleCycles(0.005, undefined, 'sensitivities'); // warm-up (JIT)
    const fd = await singleCycles(0.005, undefined, 'fd');
    // two rounds: the CPU time of a round varies with the heap's and the compiler's state
    const rounds = [await singleCycles(0.005, undefined, 'sensitivities'), await singleCycles(0.005, undefined, 'sensitivities')];
    const se = rounds[1];
    const mean = (rounds[0].cpu + rounds[1].cpu) / 2;
    console.log(
      `single-cycle fit, ±1.3 V at 1 V/s, 5 mV steps, 6 free, Jacobian from model sensitivities: ${mean.toFixed(3)} s CPU per fit (mean of 2 rounds × 5 fits: ${rounds.map((r) => r.cpu.toFixed(3)).join(', ')}; target ≤ 0.2 s on one core: ${mean <= 0.2 ? 'met' : 'NOT met'}), ${se.evals.toFixed(0)} evaluations, rms ${se.rms}, max param error ${se.err}`,
    );
    console.log(
      `  vs finite differences (baseline, same run): ${fd.cpu.toFixed(3)} s CPU per fit, ${fd.evals.toFixed(0)} evaluations, rms ${fd.rms}, max param error ${fd.err}; speed-up ×${(fd.cpu / mean).toFixed(2)}; one simulation of the sweep ${(simS * 1000).toFixed(1)} ms CPU (fit = ${(mean / simS).toFixed(0)} simulations)`,
    );
  }
  // the 1 mV case twice: simulating every sample (simStepV 0, the earlier method) and on the 5 mV
  // internal grid (the default, src/fit/coarse.ts)
  for (const [stepV, simStepV] of [
    [0.001, 0],
    [0.001, undefined],
  ] as const) {
    const simS = timeSim(stepV);
    const b = await singleCycles(stepV, simStepV, 'sensitivities');
    const grid = simStepV === 0 ? ' (every sample simulated)' : '';
    console.log(
      `single-cycle fit, ±1.3 V at 1 V/s, ${stepV * 1000} mV steps${grid}, 6 free: ${b.wall.toFixed(3)} s wall, ${b.cpu.toFixed(3)} s CPU per fit (target ≤ 1 s on one core) = ${(b.cpu / simS).toFixed(0)}× one simulation (${(simS * 1000).toFixed(1)} ms CPU, baseline); ${b.evals.toFixed(0)} evaluations; rms ${b.rms}; max param error ${b.err}`,
    );
  }
  const stepV = 0.005;
  const simS = timeSim(stepV);
  const nCycles = Number(process.env.BENCH_FIT_CYCLES ?? 100);
  const half = nCycles >> 1;
  const cycles = campaign(nCycles, stepV);
  const settings = resolveFitSettings({ mode: 'campaign' });
  for (const workers of [1, 2]) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await fitDataset(
      {
        devices: [
          { id: 'bench-a', cycles: cycles.slice(0, half) },
          { id: 'bench-b', cycles: cycles.slice(half).map((c, i) => ({ ...c, device: 'bench-b', cycle: i + 1 })) },
        ],
      },
      settings,
      workers === 1 ? createInlineScheduler() : createWorkerPool(workers),
    );
    const s = (performance.now() - t0) / 1000;
    const cu = process.cpuUsage(c0);
    const cpuCycle = (cu.user + cu.system) / 1e6 / nCycles;
    const cpuNote = workers === 1 ? `, ${cpuCycle.toFixed(2)} s CPU per cycle = ${(cpuCycle / simS).toFixed(0)} simulations` : '';
    const med = r.cycles.map((c) => c.rmsLog10).sort((a, b) => a - b)[half];
    console.log(
      `${nCycles}-cycle campaign (2 devices × ${half} cycles, 5 mV steps), ${workers} worker(s): ${s.toFixed(1)} s = ${(s / nCycles).toFixed(2)} s wall per cycle${cpuNote}; median rms ${med.toFixed(3)}`,
    );
  }
}
