/**
 * How closely JART v1b can follow each fitted cycle at all: every cycle of a fits.json is refitted
 * on its own with a wide free set (the geometry, both N bounds, the kinetics, the RESET-side
 * heating, the series resistance and the starting state all per cycle), started at the values the
 * fit found for it and at its recorded initial state. A campaign shares device-level parameters
 * and carries the state from cycle to cycle; this drops every such constraint, so a cycle that
 * stays above a target here is one the model cannot reach from that optimum, not one the campaign's
 * structure kept from it (a local search: it bounds the model from above, not a global proof).
 *
 *   node --import tsx scripts/studies/fit-ceiling.ts runs/fit-shared/T.fits.json [--fit a,b,...] [--max-cycles N] [--tag S]
 *
 * Reads the fits and the dataset they name (beside them); writes T-ceiling[-S].fits.json beside the input
 * (re-read it with `jartcal inspect ... --summary --branches`) and prints before/after per cycle and
 * the summary (median, p75, max, cycles ≤ 0.15 decade).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  createLayout,
  fitGroup,
  prepareCycle,
  summarizeFits,
  type FitCycleInput,
  type FitOptions,
  type FitsFile,
  type CycleFit,
} from '../../src/fit/index.js';
import { startValue } from '../../src/fit/group.js';
import { hashString } from '../../src/fit/campaign.js';
import { cycleFitsFromGroup } from '../../src/fit/result.js';
import { refitSettings } from '../../src/inspect/jart.js';
import { createRng } from '../../src/util/rng.js';
import { writeJsonAtomic } from '../../src/io/atomic.js';
import { createProgress } from '../../src/cli/progress.js';
import type { ParamName } from '../../src/model/index.js';

const args = process.argv.slice(2);
const flag = (n: string) => {
  const i = args.indexOf(n);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const freeFlag = flag('--fit');
const maxCycles = Number(flag('--max-cycles') ?? Infinity);
const tagFlag = flag('--tag');
const path = args[0];
if (!path) throw new Error('usage: fit-ceiling.ts FITS.json [--fit a,b,...] [--max-cycles N] [--tag S]');
const fits = JSON.parse(readFileSync(path, 'utf8')) as FitsFile;
const dataset = JSON.parse(readFileSync(join(dirname(path), fits.dataset), 'utf8')) as {
  devices: { id: string; cycles: (FitCycleInput & { cycle: number })[] }[];
};
const circuitFitted = fits.devices.some((d) => d.circuit?.seriesOhm !== undefined);
const free = (freeFlag?.split(',') ?? [
  'rnew',
  'lnew',
  'Ndiscmin',
  'Ndiscmax',
  'phiBn0',
  'dWa',
  'Rtheff_scaling',
  'Ninit',
  circuitFitted ? 'seriesOhm' : 'RseriesTiOx',
]) as NonNullable<FitOptions['fitParams']>;
const recorded = fits.settings;
const out: CycleFit[] = [];
const rows: string[] = [];
const cycles = fits.cycles.slice(0, maxCycles);
const progress = createProgress('ceiling', cycles.length);
const t0 = performance.now();
for (const cf of cycles) {
  const input = dataset.devices.find((d) => d.id === cf.device)?.cycles.find((c) => c.cycle === cf.cycle);
  if (!input) throw new Error(`${cf.device}#${cf.cycle}: not in the dataset`);
  // the inspector's single-cycle refit settings: the recorded ones, this free set, no first guess
  const settings = refitSettings(recorded, free, cf);
  const objective = settings.objective;
  const base = { ...cf.params, Ninit: cf.ninit };
  const pc = prepareCycle(input, objective);
  const layout = createLayout(free, [], 1, base);
  const start = free.map((n) => startValue(n, base, objective));
  const rng = createRng((settings.seed ^ hashString(`${cf.device}#${cf.cycle}#ceiling`)) >>> 0);
  // no carried state: the initial state is the free Ninit, started at the one the fit recorded
  const g = fitGroup([pc], layout, base, start, settings, rng, null);
  const fit = cycleFitsFromGroup(g, [pc], base, settings, 'independent', 0)[0];
  // a local search from the fit's optimum can end no worse than where it started
  const kept = fit.rmsLog10 <= cf.rmsLog10 ? fit : cf;
  out.push(kept);
  rows.push(
    `${cf.device}#${cf.cycle}\t${cf.rmsLog10.toFixed(3)}\t${kept.rmsLog10.toFixed(3)}\t${kept.flags
      .filter((f) => f.code === 'param_at_bound')
      .map((f) => `${f.param}@${f.bound}`)
      .join(' ')}`,
  );
  progress.tick(1);
}
progress.done();
const seconds = (performance.now() - t0) / 1000;
const file: FitsFile = {
  ...fits,
  createdAt: new Date().toISOString(),
  settings: { ...fits.settings, fitParams: free as ParamName[], cycleParams: [], mode: 'independent' },
  cycles: out,
  summary: summarizeFits(out, fits.devices.length, seconds),
};
const outPath = path.replace(/\.fits\.json$/, '') + `-ceiling${tagFlag ? `-${tagFlag}` : ''}.fits.json`;
writeJsonAtomic(outPath, file);
console.log(['cycle\tfit\tceiling\tat bound', ...rows].join('\n'));
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))];
  return `median ${q(0.5).toFixed(3)} (${s[0].toFixed(3)} – ${s[s.length - 1].toFixed(3)}), p75 ${q(0.75).toFixed(3)}, ≤ 0.15: ${s.filter((x) => x <= 0.15).length}/${s.length}`;
};
console.log(
  `free per cycle: ${free.join(',')}; ${out.filter((c, i) => c === cycles[i]).length} cycle(s) kept at the fit (the refit ended no lower)`,
);
console.log(`fit:     ${stats(cycles.map((c) => c.rmsLog10))}`);
console.log(`ceiling: ${stats(out.map((c) => c.rmsLog10))}  (${seconds.toFixed(0)} s; written ${outPath})`);
