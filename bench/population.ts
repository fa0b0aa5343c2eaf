/**
 * Population benchmark: sampling devices with a 4-parameter copula and their cycles, and the REML
 * estimator on a 150 × 10 campaign, each expressed against a baseline measured in the same run
 * (drawing the same number of plain normal deviates), so the ratios travel between machines.
 */
import { createRng } from '../src/util/rng.js';
import { estimatePopulation, sampleTable } from '../src/population/index.js';
import { loadPreset } from '../src/io/population.js';
import { syntheticFits } from '../test/population/synth.js';

function time(f: () => void, reps: number): number {
  f();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t0) / reps / 1000;
}

export async function run(): Promise<void> {
  const pop = loadPreset('paper-realistic-mixed');
  const nDev = 10000,
    nCyc = 10;
  const base = time(() => {
    const r = createRng(1);
    let s = 0;
    for (let i = 0; i < nDev * (nCyc + 1) * 4; i++) s += r.normal();
    if (s === 42) console.log('');
  }, 5);
  const samp = time(() => sampleTable(pop, nDev, nCyc, createRng(1)), 3);
  console.log(
    `population: sample ${nDev} devices × ${nCyc} cycles (4 varying parameters): ${(samp * 1e3).toFixed(1)} ms ` +
      `= ${(samp / base).toFixed(1)} × the time of drawing as many plain normals (${(base * 1e3).toFixed(1)} ms)`,
  );
  const fits = syntheticFits(3, 150, 10);
  const est = time(() => estimatePopulation(fits, { bootstrap: 0, createdAt: 'bench' }), 3);
  const boot = time(() => estimatePopulation(fits, { bootstrap: 50, createdAt: 'bench' }), 1);
  console.log(
    `population: estimate 150 devices × 10 cycles × 4 parameters: ${(est * 1e3).toFixed(0)} ms without bootstrap, ` +
      `${(boot * 1e3).toFixed(0)} ms with 50 bootstrap replicates (${((boot - est) / est / 50).toFixed(2)} × one estimate per replicate)`,
  );
}
