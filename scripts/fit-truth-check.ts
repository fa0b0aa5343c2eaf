/**
 * Compares a fits.json with the known truth of a synthetic campaign (TRUTH.json of
 * scripts/make-example-campaign.ts, schema jartcal.example-truth/1):
 *   node --import tsx scripts/fit-truth-check.ts FITS.json TRUTH.json
 * Prints, per fitted cycle-level parameter, the median and 90th-percentile relative error against
 * the cycle's true value; for device-level parameters the error against the truth (the toolkit
 * defaults when TRUTH.json does not list them); and the RMS (decades) between the fitted and the
 * true model curves on each measured cycle (same stimulus and compliance, noise-free).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { resolveParams, type ParamName } from '../src/model/index.js';
import { evaluateCycle, prepareCycle } from '../src/fit/index.js';
import { readFits } from '../src/io/fits.js';
import { readDatasetForFit } from '../src/io/fit-dataset.js';

const [fitsPath, truthPath] = process.argv.slice(2);
const fits = readFits(fitsPath);
const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as {
  devices: { id: string; deviceParams: Record<string, number>; cycles: { cycle: number; params: Record<string, number> }[] }[];
};
const ds = readDatasetForFit(resolve(dirname(fitsPath), fits.dataset));
const errs = new Map<string, number[]>();
const curve: number[] = [];
const push = (k: string, e: number) => errs.set(k, [...(errs.get(k) ?? []), e]);
for (const cf of fits.cycles) {
  const td = truth.devices.find((d) => d.id === cf.device);
  const tc = td?.cycles.find((c) => c.cycle === cf.cycle);
  if (!td || !tc) continue;
  const tp = resolveParams(tc.params);
  for (const n of cf.fitted) push(n, Math.abs(cf.params[n as ParamName] / tp[n as ParamName] - 1));
  const input = ds.devices.find((d) => d.id === cf.device)!.cycles.find((c) => c.cycle === cf.cycle)!;
  const pc = { ...prepareCycle(input, fits.settings.objective), plainResiduals: true };
  const a = evaluateCycle(pc, tp, tp.Ninit, fits.settings.objective);
  const b = evaluateCycle(pc, cf.params, cf.ninit, fits.settings.objective);
  let ss = 0;
  for (const i of pc.idx) ss += (a.logIModel[i] - b.logIModel[i]) ** 2;
  curve.push(Math.sqrt(ss / pc.idx.length));
}
const q = (xs: number[], f: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))];
};
console.log(`${fits.cycles.length} cycles, ${fits.devices.length} devices (${fitsPath})`);
for (const [k, v] of errs)
  console.log(`  ${k.padEnd(12)} median rel. error ${(q(v, 0.5) * 100).toFixed(2)} %, p90 ${(q(v, 0.9) * 100).toFixed(2)} %`);
console.log(
  `  curve RMS vs truth: median ${q(curve, 0.5).toFixed(4)}, p90 ${q(curve, 0.9).toFixed(4)}, max ${Math.max(...curve).toFixed(4)} decades`,
);
const rms = fits.cycles.map((c) => c.rmsLog10);
console.log(`  fit RMS vs data: median ${q(rms, 0.5).toFixed(4)}, max ${Math.max(...rms).toFixed(4)} decades`);
