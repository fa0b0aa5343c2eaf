/**
 * Refinement benchmark: simulated-moment evaluations per second of the refinement of ddas04's workbook
 * folder in the shared measurements (100 devices × 1 cycle and 1 device × 100 cycles), set up as
 * `jartcal population FITS --refine` (and `jartcal pipeline --data FOLDER`) set it up with their defaults:
 * the folder ingested as the pipeline ingests it, every simulated device replaying a measured device (each
 * cycle on a measured cycle's protocol), the default replicates and cycle cap, the measured current noise.
 * The population is the paper's device (a preset, so the line does not depend on a fit). Reports the wall
 * and CPU time of an evaluation (process.cpuUsage counts every thread of the process) on one thread and on
 * the machine's cores, the load average beside them, and the projected time of a refinement at the default
 * budget, with and without the all-free (beyond-the-model) stage, which spends the same budget again.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../src/io/ingest.js';
import { loadPreset } from '../src/io/population.js';
import { cycleProtocols, defaultReplay, measuredGroups, measuredNoiseLog10, refinePopulation } from '../src/population/index.js';

const SHARED = process.env.JARTCAL_SHARED ?? join(process.cwd(), '..', 'shared');
const BUDGET = 150; // the CLI's and the pipeline's default

export async function run(): Promise<void> {
  const folder = join(SHARED, 'measurements', 'ddas04-rram-100dev-100cyc');
  if (!existsSync(folder)) {
    console.log(`refine: skipped (no ${folder})`);
    return;
  }
  const ds = ingestFiles([folder]);
  const groups = measuredGroups(ds as never).filter((g) => g.length > 0);
  const protocols = cycleProtocols(ds as never);
  const plan = {
    groups: protocols,
    ...defaultReplay(protocols), // the CLI's defaults: every measured cycle replayed, 4 times the measured sample
    noiseLog10: measuredNoiseLog10(ds as never),
  };
  const pop = loadPreset('paper-realistic-mixed');
  const evals = 4;
  const perEval = (threads: number): { wall: number; cpu: number } => {
    const t0 = performance.now(),
      c0 = process.cpuUsage();
    refinePopulation(pop, groups, {
      plan,
      devices: 0,
      cycles: 0,
      seed: 1,
      threads,
      maxEvaluations: evals,
      free: ['rnew.center', 'Ndiscmax.center'],
    });
    const c = process.cpuUsage(c0);
    const n = evals + 2; // + the before and after evaluations
    return { wall: (performance.now() - t0) / 1000 / n, cpu: (c.user + c.system) / 1e6 / n };
  };
  const cores = availableParallelism();
  const load = loadavg()[0];
  const serial = perEval(1);
  const parallel = cores > 1 ? perEval(cores) : serial;
  const cycles = plan.groups.reduce((a, g) => a + Math.min(g.length, plan.maxCycles), 0) * plan.replicates;
  const min = (n: number): string => ((n * parallel.wall) / 60).toFixed(1);
  console.log(
    `refine: ddas04 folder, ${groups.length} measured devices replayed ×${plan.replicates} (${cycles} simulated cycles per evaluation); ` +
      `load average ${load.toFixed(1)} on ${cores} cores`,
  );
  console.log(
    `refine: ${(1 / serial.wall).toFixed(2)} simulated-moment evaluations/s on 1 thread (${serial.cpu.toFixed(2)} CPU s each), ` +
      `${(1 / parallel.wall).toFixed(2)}/s on ${cores} threads (${parallel.cpu.toFixed(2)} CPU s each, ×${(serial.wall / parallel.wall).toFixed(2)}); ` +
      `CPU ${(BUDGET * parallel.cpu).toFixed(0)} s a stage (${((BUDGET * parallel.cpu) / cores / 60).toFixed(1)} min on ${cores} free cores)`,
  );
  console.log(
    `refine: ddas04 refinement at the default budget ${BUDGET}: ${min(BUDGET)} min on ${cores} threads, ${min(2 * BUDGET)} min with the all-free stage`,
  );
}
