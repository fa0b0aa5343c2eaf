/**
 * Refinement benchmark: objective evaluations per second of the simulated-moment refinement on the 100-device
 * workbook in the shared measurements (100 devices × 1 cycle and 1 device × 100 cycles; every simulated device
 * replays a measured device, each cycle on a measured cycle's protocol, as `jartcal population --refine` does
 * with its defaults), for a population of the paper's device: on one thread and on the machine's cores in the
 * same run (the same result either way), and the projected time of a refinement at the default budget.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../src/io/ingest.js';
import { loadPreset } from '../src/io/population.js';
import { cycleProtocols, measuredGroups, measuredNoiseLog10, refinePopulation } from '../src/population/index.js';

const SHARED = process.env.JARTCAL_SHARED ?? join(process.cwd(), '..', 'shared');

export async function run(): Promise<void> {
  const file = join(SHARED, 'measurements', 'ddas04-rram-100dev-100cyc', '100devices.xlsx');
  if (!existsSync(file)) {
    console.log(`refine: skipped (no ${file})`);
    return;
  }
  const ds = ingestFiles([file]);
  const groups = measuredGroups(ds as never).filter((g) => g.length > 0);
  const plan = {
    groups: cycleProtocols(ds as never),
    replicates: Math.max(1, Math.ceil(24 / groups.length)),
    maxCycles: 10,
    noiseLog10: measuredNoiseLog10(ds as never),
  }; // the CLI's defaults
  const pop = loadPreset('paper-realistic-mixed');
  const evals = 4;
  const perEval = (threads: number): number => {
    const t0 = performance.now();
    refinePopulation(pop, groups, {
      plan,
      devices: 0,
      cycles: 0,
      seed: 1,
      threads,
      maxEvaluations: evals,
      free: ['rnew.center', 'Ndiscmax.center'],
    });
    return (performance.now() - t0) / 1000 / (evals + 2); // + the before and after evaluations
  };
  const cores = availableParallelism();
  const serial = perEval(1);
  const parallel = cores > 1 ? perEval(cores) : serial;
  const cycles = plan.groups.reduce((a, g) => a + Math.min(g.length, plan.maxCycles), 0) * plan.replicates;
  console.log(
    `refine: ${groups.length} measured devices replayed ×${plan.replicates} (${cycles} cycles per evaluation): ` +
      `${(1 / serial).toFixed(2)} evaluations/s on 1 thread, ${(1 / parallel).toFixed(2)} on ${cores} (×${(serial / parallel).toFixed(2)}); ` +
      `default budget 150 → ${((150 * parallel) / 60).toFixed(1)} min on ${cores} cores`,
  );
}
