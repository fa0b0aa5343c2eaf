/**
 * One device of a study-generator campaign through the hierarchical E-step, from the estimate a
 * `scripts/hier-recovery.ts --dump DIR` run left it at, under a population built from the drawn
 * values (means of the drawn devices; spreads: the generator's, 0.003 in ln for the campaign
 * constants phiBn0 and dWa): is the drawn basin reached from there? Prints, per E-step, the data and
 * posterior cost at the estimate and at the drawn values, the device-level errors and each
 * cycle-level parameter's worst error (%), and the CPU seconds.
 *
 * The dump's other devices fitted at the campaign's noise are the E-step's whole-value-set starts
 * (`--no-donors`: none).
 *
 *   node --import tsx scripts/studies/hier-estep.ts --dump FILE --seed 1 --device D006 [--passes 3] [--devices 12 --cycles 6] [--no-donors]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { synthCampaign } from '../../src/fit/hier/study.js';
import { resolveFitSettings } from '../../src/fit/settings.js';
import { resolveParams } from '../../src/model/index.js';
import {
  createContext,
  startState,
  initScale,
  eStep,
  costsAt,
  posterior,
  DEFAULT_HIER_OPTIONS,
  type Donor,
  type Population,
} from '../../src/fit/hier/em.js';
import { prepareHierCycles } from '../../src/fit/hier/step.js';
import type { CycleFit } from '../../src/fit/types.js';

const { values } = parseArgs({
  options: {
    dump: { type: 'string' },
    seed: { type: 'string' },
    device: { type: 'string' },
    passes: { type: 'string' },
    devices: { type: 'string' },
    cycles: { type: 'string' },
    'no-donors': { type: 'boolean' },
  },
});
if (!values.dump || !values.device) throw new Error('hier-estep: --dump FILE and --device ID are required');
const devId = values.device;
const camp = synthCampaign({ devices: Number(values.devices ?? 12), cycles: Number(values.cycles ?? 6), seed: Number(values.seed ?? 1) });
let settings = resolveFitSettings({ mode: 'hierarchical', deviceCycles: 3 });
// the EM's integration tolerance (hier/index.ts)
settings = {
  ...settings,
  objective: { ...settings.objective, simRelTol: Math.min(settings.objective.simRelTol || Infinity, DEFAULT_HIER_OPTIONS.simRelTol) },
};
const ctx = createContext(settings, resolveParams(settings.fixed as Record<string, unknown>));
const dump = JSON.parse(readFileSync(values.dump, 'utf8')) as { cycles: CycleFit[] };
const dev = camp.devices.find((d) => d.id === devId);
if (!dev) throw new Error(`hier-estep: no device ${devId} in the campaign`);
const fits = dump.cycles.filter((c) => c.device === devId).sort((a, b) => a.cycle - b.cycle);
if (fits.length !== dev.cycles.length)
  throw new Error(`hier-estep: ${fits.length} records of ${devId} in ${values.dump}, ${dev.cycles.length} cycles`);
const prepared = prepareHierCycles(
  dev.cycles,
  fits.map((c) => c.rmsLog10),
  settings,
);
const named = (p: object) => p as Record<string, number>;
const rec = (p: object) => Object.fromEntries([...ctx.devNames, ...ctx.cycNames].map((n) => [n, named(p)[n]]));
const st = startState(ctx, { id: devId, cycles: prepared, start: { device: rec(fits[0].params), cycles: fits.map((c) => rec(c.params)) } });
initScale(ctx, st);
const { space } = ctx.layout;
const U = (p: object) => space.toU([...ctx.devNames.map((n) => named(p)[n]), ...ctx.cycNames.map((n) => named(p)[n])]);
const { q, p } = ctx;
const cent = camp.centres.map((c) => U({ ...camp.truth.find((t) => t.device === c.device)!.params, ...c.params }));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const diag = (s: number[]) => s.map((x, i) => s.map((_, j) => (i === j ? x * x : 0)));
const pop: Population = {
  mV: Array.from({ length: q }, (_, i) => mean(cent.map((u) => u[i]))),
  omV: diag(ctx.devNames.map((n) => (n === 'RseriesTiOx' ? 0.1 : 0.003))),
  mA: Array.from({ length: p }, (_, i) => mean(cent.map((u) => u[q + i]))),
  omD: diag(ctx.cycNames.map((n) => (n === 'Ndiscmin' ? 0.25 : 0.08))),
  omC: diag(ctx.cycNames.map((n) => (n === 'Ndiscmin' ? 0.1 : 0.03))),
};
const uT = camp.truth.filter((t) => t.device === devId).map((t) => U(t.params));
const vT = uT[0].slice(0, q),
  thT = uT.map((u) => u.slice(q));
const report = (label: string) => {
  const a = costsAt(ctx, st, pop, st.v, st.theta);
  const t = costsAt(ctx, st, pop, vT, thT);
  const dv = ctx.devNames.map((n, i) => `${n} ${((Math.exp(st.v[i] - vT[i]) - 1) * 100).toFixed(2)}`).join(' ');
  const wc = ctx.cycNames
    .map((n, i) => `${n} ${(Math.max(...st.theta.map((th, c) => Math.abs(Math.exp(th[i] - thT[c][i]) - 1))) * 100).toFixed(1)}`)
    .join(' ');
  console.log(
    `${label}: s ${st.s.toFixed(4)}; data cost fit ${a.data.toFixed(4)} drawn ${t.data.toFixed(4)}; posterior fit ${a.posterior.toFixed(4)} drawn ${t.posterior.toFixed(4)}; device % ${dv}; worst cycle % ${wc}`,
  );
};
report(`${devId} start`);
// the dump's other devices fitted at the campaign's noise (median cycle RMS within 1.3 × the
// campaign's): the whole-value-set starts of the E-step (em.ts, donorStarts)
const byDev = new Map<string, CycleFit[]>();
for (const c of dump.cycles) byDev.set(c.device, [...(byDev.get(c.device) ?? []), c]);
const medRms = (cs: CycleFit[]) => [...cs.map((c) => c.rmsLog10)].sort((a, b) => a - b)[Math.floor(cs.length / 2)];
const campMed = [...[...byDev.values()].map(medRms)].sort((a, b) => a - b)[Math.floor(byDev.size / 2)];
const donors: Donor[] = values['no-donors']
  ? []
  : [...byDev]
      .filter(([id, cs]) => id !== devId && medRms(cs) <= 1.3 * campMed)
      .map(([, cs]) => {
        const us = cs.sort((a, b) => a.cycle - b.cycle).map((c) => U(c.params));
        const theta = us.map((u) => Float64Array.from(u.slice(q)));
        return {
          v: Float64Array.from(us[0].slice(0, q)),
          a: Float64Array.from(theta[0], (_, i) => [...theta.map((t) => t[i])].sort((a, b) => a - b)[Math.floor(theta.length / 2)]),
          theta,
        };
      });
console.log(`donors: ${donors.length}`);
const c0 = process.cpuUsage();
for (let k = 0; k < Number(values.passes ?? 1); k++) {
  eStep(ctx, st, pop, DEFAULT_HIER_OPTIONS, false, false, donors, true);
  posterior(ctx, st, pop, DEFAULT_HIER_OPTIONS);
  report(`E-step ${k + 1}`);
}
const cu = process.cpuUsage(c0);
console.log(`CPU ${((cu.user + cu.system) / 1e6).toFixed(1)} s`);
