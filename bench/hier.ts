/**
 * Hierarchical campaign benchmark (a named section: `npm run bench -- hier`; `npm run bench` alone
 * only says how to run it, the campaign takes many minutes): a campaign of the study generator
 * (src/fit/hier/study.ts; BENCH_HIER_DEVICES × BENCH_HIER_CYCLES, default 100 × 6, ±1.3 V at 1 V/s,
 * 5 mV steps, 3 % noise) fitted hierarchically on 2 workers: wall and CPU seconds (all threads) of the
 * per-device fits it starts from and of the EM, the EM's passes, and the recovery figures.
 * The issue's target is ≤ 10 min on 2 cores; CPU seconds are the figure that travels on a shared machine.
 */
import { loadavg } from 'node:os';
import { createWorkerPool, fitDataset, resolveFitSettings } from '../src/fit/index.js';
import { recoveryStats, synthCampaign } from '../src/fit/hier/study.js';
import type { ParamName } from '../src/model/index.js';

export async function run(): Promise<void> {
  console.log('## hierarchical campaign');
  if (!process.argv.slice(2).some((a) => a.includes('hier'))) {
    console.log('skipped (many minutes): run it with `npm run bench -- hier` (BENCH_HIER_DEVICES, BENCH_HIER_CYCLES)');
    return;
  }
  const D = Number(process.env.BENCH_HIER_DEVICES ?? 100),
    C = Number(process.env.BENCH_HIER_CYCLES ?? 6);
  const camp = synthCampaign({ devices: D, cycles: C, seed: 1 });
  const sched = createWorkerPool(2);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let tStart = 0;
  const passes: string[] = [];
  const r = await fitDataset({ devices: camp.devices }, resolveFitSettings({ mode: 'hierarchical' }), sched, {
    onPass: (p, i) => {
      if (p === 1) {
        // the per-device fits are done when the first pass reports: its time is the pass's own
        tStart = (performance.now() - t0) / 1000 - i.seconds;
      }
      passes.push(`${i.seconds.toFixed(0)} s`);
    },
  });
  const wall = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  await sched.close();
  const names: ParamName[] = ['rnew', 'lnew', 'Ndiscmin', 'RseriesTiOx'];
  const st = recoveryStats(camp, r.cycles, names, r.population);
  console.log(
    `${D}-device × ${C}-cycle hierarchical campaign, 2 workers: ${wall.toFixed(0)} s wall (per-device start fits ${tStart.toFixed(0)} s, EM passes ${passes.join(', ')}), ${((cu.user + cu.system) / 1e6).toFixed(0)} s CPU (all threads); target ≤ 600 s on 2 cores: ${wall <= 600 ? 'met' : 'NOT met'} (load ${loadavg()[0].toFixed(1)}); p90 ${names.map((n) => `${n} ${(st.perParam[n].p90 * 100).toFixed(2)} %`).join(', ')}; coverage ${(st.coverage * 100).toFixed(1)} %`,
  );
}
