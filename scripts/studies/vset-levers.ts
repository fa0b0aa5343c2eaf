/**
 * Which population parameters move the replayed V_SET mean, the HRS median and the V_RESET mean (the
 * refinement's levers, docs/results/population-real-data.md): a population replayed through its dataset's
 * measured cycle protocols as the refinement replays it (24 simulated devices, at most 10 cycles each, seed 1),
 * with one centre (or one population constant) scaled at a time.
 * Usage: MOD=dWa=0.95,lnew=0.8 node --import tsx scripts/studies/vset-levers.ts POPULATION.json DATASET.json [before]
 * (`before`: the population's estimate before refinement).
 */
import { loadPopulationArg, readDatasetFile } from '../../src/io/population.js';
import { cycleProtocols, measuredGroups, measuredNoiseLog10 } from '../../src/population/dataset.js';
import { replayMeasured } from '../../src/population/ppc.js';
import { featureValue } from '../../src/population/moments.js';
const [popPath, dsPath, which] = process.argv.slice(2);
const pop0 = loadPopulationArg(popPath);
const est = pop0.refinement?.estimate;
const pop = JSON.parse(JSON.stringify(which === 'before' && est ? { ...pop0, parameters: est.parameters } : pop0));
for (const kv of (process.env.MOD ?? '').split(',').filter(Boolean)) {
  const [k, f] = kv.split('=');
  if (pop.parameters[k]) pop.parameters[k].d2d.center *= Number(f);
  else pop.base[k] *= Number(f);
}
const ds = readDatasetFile(dsPath);
const protos = cycleProtocols(ds, 1).filter((g) => g.length > 0);
const meas = measuredGroups(ds).filter((g) => g.length > 0);
const mv = meas
  .flat()
  .map((f) => (f ? featureValue(f, 'vSetV') : null))
  .filter((x): x is number => x !== null);
console.log('measured mean vset', (mv.reduce((a, b) => a + b, 0) / mv.length).toFixed(4), mv.length);
for (const [reps, maxC] of [[24, 10]]) {
  const sim = replayMeasured(pop, { groups: protos, replicates: reps, maxCycles: maxC, noiseLog10: measuredNoiseLog10(ds) }, 1);
  const byIdx: number[][] = [];
  const all: number[] = [];
  let nulls = 0;
  for (const g of sim)
    g.forEach((f, k) => {
      const v = f ? featureValue(f, 'vSetV') : null;
      if (v === null) {
        nulls++;
        return;
      }
      (byIdx[k] ??= []).push(v);
      all.push(v);
    });
  const m = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const hr = sim
    .flat()
    .map((f) => (f ? featureValue(f, 'log10Hrs') : null))
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b);
  const vr = sim
    .flat()
    .map((f) => (f ? featureValue(f, 'vResetV') : null))
    .filter((x): x is number => x !== null);
  console.log(process.env.MOD, 'HRS median', hr[hr.length >> 1].toFixed(3), 'vreset', m(vr).toFixed(3));
  console.log(
    `reps ${reps} cycles ${maxC}: mean ${m(all).toFixed(4)} n ${all.length} nulls ${nulls}; by cycle index`,
    byIdx.map((a) => m(a).toFixed(3)).join(' '),
  );
}
