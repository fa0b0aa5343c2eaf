/**
 * Refinement benchmark: objective evaluations per second of the simulated-moment refinement on a problem of
 * the size of the 100-device workbook in the shared measurements (100 devices × 1 cycle and 1 device × 100
 * cycles; its own protocols, read from the file), for a population of the paper's device, against the
 * baseline of simulating the same sweeps once in the same run (an evaluation = those simulations + moments),
 * and the projected time of a refinement at the default budget.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ingestFiles } from '../src/io/ingest.js';
import { loadPreset } from '../src/io/population.js';
import { deviceProtocols, measuredGroups, refinePopulation, simulateGroups } from '../src/population/index.js';

const SHARED = process.env.JARTCAL_SHARED ?? join(process.cwd(), '..', 'shared');

export async function run(): Promise<void> {
  const file = join(SHARED, 'measurements', 'ddas04-rram-100dev-100cyc', '100devices.xlsx');
  if (!existsSync(file)) {
    console.log(`refine: skipped (no ${file})`);
    return;
  }
  const ds = ingestFiles([file]);
  const groups = measuredGroups(ds as never);
  const protocols = deviceProtocols(ds as never);
  const pop = loadPreset('paper-realistic-mixed');
  const sim = { protocols, devices: 60, cycles: 3, seed: 1 }; // the CLI's defaults for this dataset
  let t0 = performance.now();
  simulateGroups(pop, sim);
  const base = (performance.now() - t0) / 1000;
  const evals = 6;
  t0 = performance.now();
  refinePopulation(pop, groups, { ...sim, maxEvaluations: evals, free: ['rnew.center', 'Ndiscmax.center'] });
  const per = (performance.now() - t0) / 1000 / (evals + 2); // + the before and after evaluations
  console.log(
    `refine: ${groups.length} measured devices, ${sim.devices} simulated devices × ${sim.cycles} cycle(s) per evaluation: ` +
      `${(1 / per).toFixed(2)} evaluations/s (${per.toFixed(2)} s each = ${(per / base).toFixed(2)} × simulating the sweeps alone, ${base.toFixed(2)} s); ` +
      `default budget 150 → ${((150 * per) / 60).toFixed(1)} min on one core`,
  );
}
