/**
 * Recovery and coverage of the hierarchical campaign fit on synthetic campaigns (src/fit/hier/study.ts):
 *   node --import tsx scripts/hier-recovery.ts --devices 12 --cycles 6 --seeds 1,2,3 [--mode hierarchical|campaign] [--workers 2]
 *     [--starts DIR]  cache of the per-device (campaign) fits the hierarchical fit starts from, one file
 *                     per campaign (reused when present: the EM can be studied without refitting them)
 *     [--starts-only] only make the cache of --starts
 *     [--step V]      the sweep's voltage step (default 0.005)
 *     [--dump DIR]    the per-cycle records and the population of each run, as JSON
 *     [--only D001,D004] fit only these devices of the campaign (the cached starts are of the whole one)
 *     [--no-profile]  linearised intervals only (no profile-likelihood ends)
 *     [--no-skip]     every device's E-step in every pass (no skipping of settled devices)
 *     [--sim-rel-tol X] the EM's integration tolerance (default: the EM's, hier/em.ts)
 *     [--donor-starts N] whole-value-set starts from well-fitted devices per E-step (default: the EM's)
 *     [--no-robust]   the plain (unweighted) M-step
 *     [--hier JSON]   further EM options (HierOptions), e.g. '{"profileInside":true}'
 *     [--em-save F]   the EM's state after each pass to F; [--em-resume F] resume from it (a run whose
 *                     EM converged then only recomputes the final posteriors and intervals)
 *     [--diagnose]    per device: the data and posterior cost at the fit and at the drawn values (the
 *                     chain carried from them), and the largest errors: a device whose drawn values
 *                     cost less than its fit is a search failure, one at equal cost an identifiability limit
 * Prints, per seed, the per-parameter median / p90 / worst-device relative error against the drawn
 * cycle values, the 95 % interval coverage, and the population spreads and correlations against the
 * statistics of the devices and cycles actually drawn; then a JSON line per seed.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../src/io/atomic.js';
import { fitDataset, type FitRunHooks } from '../src/fit/run.js';
import { createInlineScheduler, createWorkerPool } from '../src/fit/scheduler.js';
import { resolveFitSettings, type FitSettings } from '../src/fit/settings.js';
import { recoveryStats, synthCampaign, type SynthCampaign } from '../src/fit/hier/study.js';
import { resolveParams, type ParamName } from '../src/model/index.js';
import { costsAt, createContext, type HierOptions, type HierResult } from '../src/fit/hier/em.js';
import { HIER_PHASES, type HierCost } from '../src/fit/hier/cost.js';
import type { HierSnapshot } from '../src/fit/hier/index.js';

function diagnose(r: HierResult, camp: SynthCampaign, settings: FitSettings): void {
  // the objective the EM evaluates (its integration tolerance, hier/index.ts)
  const obj = { ...settings.objective, simRelTol: Math.min(settings.objective.simRelTol || Infinity, r.options.simRelTol) };
  const ctx = createContext({ ...settings, objective: obj }, resolveParams(settings.fixed as Record<string, unknown>));
  const { space } = ctx.layout;
  const sp = r.pop;
  for (const d of r.devices) {
    const tr = camp.truth.filter((t) => t.device === d.id);
    const uT = tr.map((t) =>
      space.toU([...ctx.devNames.map((n) => (t.params as unknown as Record<string, number>)[n]), ...ctx.cycNames.map((n) => t.params[n])]),
    );
    const vT = uT[0].slice(0, ctx.q);
    const thT = uT.map((u) => u.slice(ctx.q));
    const atFit = costsAt(ctx, d, sp, d.v, d.theta);
    const atTruth = costsAt(ctx, d, sp, vT, thT);
    const dv = ctx.devNames.map((n, i) => `${n} ${((Math.exp(d.v[i] - vT[i]) - 1) * 100).toFixed(1)}`).join(' ');
    const worst = ctx.cycNames
      .map((n, i) => `${n} ${(Math.max(...d.theta.map((t, c) => Math.abs(Math.exp(t[i] - thT[c][i]) - 1))) * 100).toFixed(1)}`)
      .join(' ');
    console.log(
      `  ${d.id}: s ${d.s.toFixed(4)} data fit ${atFit.data.toFixed(4)} truth ${atTruth.data.toFixed(4)} (${(atTruth.data / atFit.data).toFixed(3)}×), posterior fit ${atFit.posterior.toFixed(4)} truth ${atTruth.posterior.toFixed(4)}; rms fit ${Math.max(...atFit.rms).toFixed(4)} truth ${Math.max(...atTruth.rms).toFixed(4)}; dev % ${dv}; worst cyc % ${worst}`,
    );
  }
}

/** CPU seconds per phase of the EM (worker threads' own, summed over the devices), the phases that took any. */
const phases = (c: HierCost) => {
  const total = HIER_PHASES.reduce((a, p) => a + c[p][0], 0);
  return `${total.toFixed(1)} (${HIER_PHASES.filter((p) => c[p][0] > 0.005)
    .map((p) => `${p} ${c[p][0].toFixed(1)}`)
    .join(', ')})`;
};

const { values } = parseArgs({
  options: {
    devices: { type: 'string' },
    cycles: { type: 'string' },
    seeds: { type: 'string' },
    mode: { type: 'string' },
    workers: { type: 'string' },
    passes: { type: 'string' },
    starts: { type: 'string' },
    dump: { type: 'string' },
    'starts-only': { type: 'boolean' },
    step: { type: 'string' },
    diagnose: { type: 'boolean' },
    only: { type: 'string' },
    'no-profile': { type: 'boolean' },
    'no-skip': { type: 'boolean' },
    'sim-rel-tol': { type: 'string' },
    'donor-starts': { type: 'string' },
    'no-robust': { type: 'boolean' },
    hier: { type: 'string' },
    'em-save': { type: 'string' },
    'em-resume': { type: 'string' },
  },
});
const D = Number(values.devices ?? 12),
  C = Number(values.cycles ?? 6);
const seeds = (values.seeds ?? '1').split(',').map(Number);
const mode = (values.mode ?? 'hierarchical') as FitSettings['mode'];
const workers = Number(values.workers ?? 2);
const names: ParamName[] = ['rnew', 'lnew', 'Ndiscmin', 'RseriesTiOx', 'phiBn0', 'dWa'];
for (const seed of seeds) {
  const full = synthCampaign({ devices: D, cycles: C, seed, ...(values.step ? { stepV: Number(values.step) } : {}) });
  const only = values.only?.split(',');
  const camp = only
    ? {
        devices: full.devices.filter((d) => only.includes(d.id)),
        truth: full.truth.filter((t) => only.includes(t.device)),
        centres: full.centres.filter((c) => only.includes(c.device)),
      }
    : full;
  const settings = resolveFitSettings({ mode, deviceCycles: 3 });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const sched = workers > 1 ? createWorkerPool(workers) : createInlineScheduler();
  let resumed: FitRunHooks['resumed'];
  if (values.starts && mode === 'hierarchical') {
    const file = join(values.starts, `campaign-${D}x${C}-seed${seed}${values.step ? `-step${values.step}` : ''}.json`);
    if (existsSync(file)) resumed = JSON.parse(readFileSync(file, 'utf8')) as FitRunHooks['resumed'];
    else {
      const r = await fitDataset({ devices: camp.devices }, resolveFitSettings({ mode: 'campaign', deviceCycles: 3 }), sched);
      resumed = { devices: r.devices, cycles: r.cycles };
      mkdirSync(values.starts, { recursive: true });
      writeFileAtomic(file, JSON.stringify(resumed));
    }
  }
  if (values['starts-only']) {
    await sched.close();
    continue;
  }
  let diag: HierResult | undefined;
  const res = await fitDataset({ devices: camp.devices }, settings, sched, {
    onResult: (r) => {
      diag = r;
    },
    resumed,
    hier: {
      ...(values.passes ? { maxPasses: Number(values.passes) } : {}),
      ...(values['no-profile'] ? { profile: false } : {}),
      ...(values['no-skip'] ? { skipSettled: false } : {}),
      ...(values['sim-rel-tol'] ? { simRelTol: Number(values['sim-rel-tol']) } : {}),
      ...(values['donor-starts'] ? { donorStarts: Number(values['donor-starts']) } : {}),
      ...(values['no-robust'] ? { robust: false } : {}),
      ...(values.hier ? (JSON.parse(values.hier) as Partial<HierOptions>) : {}),
    },
    hierCheckpoint: {
      resume: values['em-resume'] ? (JSON.parse(readFileSync(values['em-resume'], 'utf8')) as HierSnapshot) : null,
      ...(values['em-save'] ? { save: (snap: HierSnapshot) => writeFileAtomic(values['em-save']!, JSON.stringify(snap)) } : {}),
    },
    onPass: (p, i) =>
      process.stderr.write(
        `  pass ${p}: mean move ${i.maxMeanMove.toExponential(2)}, sd move ${i.maxSdMove.toFixed(3)}, ${i.seconds.toFixed(1)} s, ${i.skipped} E-steps skipped; CPU-s ${phases(i.cost)}\n`,
      ),
  });
  await sched.close();
  if (diag) process.stderr.write(`  final posteriors and intervals: CPU-s ${phases(diag.costs.final)}\n`);
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const st = recoveryStats(camp, res.cycles, names, res.population);
  console.log(
    `seed ${seed}: ${D} devices × ${C} cycles, mode ${mode}, ${s.toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} CPU-s (the process, worker threads included)`,
  );
  for (const [n, v] of Object.entries(st.perParam))
    console.log(
      `  ${n.padEnd(12)} median ${(v.median * 100).toFixed(2)} %  p90 ${(v.p90 * 100).toFixed(2)} %  worst ${(v.worstDevice * 100).toFixed(2)} %  coverage ${(v.coverage * 100).toFixed(0)} %`,
    );
  console.log(`  coverage (all) ${(st.coverage * 100).toFixed(1)} %`);
  if (st.population) {
    for (const [n, v] of Object.entries(st.population.d2d))
      console.log(`  d2d ${n.padEnd(12)} est ${v.est.toFixed(4)} drawn ${v.drawn.toFixed(4)} (${(v.relErr * 100).toFixed(0)} %)`);
    for (const [n, v] of Object.entries(st.population.c2c))
      console.log(`  c2c ${n.padEnd(12)} est ${v.est.toFixed(4)} drawn ${v.drawn.toFixed(4)} (${(v.relErr * 100).toFixed(0)} %)`);
    for (const v of st.population.corrD2d) console.log(`  corr ${v.pair.padEnd(20)} est ${v.est.toFixed(2)} drawn ${v.drawn.toFixed(2)}`);
    console.log(`  levels: ${JSON.stringify(res.population?.levels)}`);
  }
  if (values.diagnose && diag) diagnose(diag, camp, settings);
  console.log(JSON.stringify({ seed, D, C, mode, seconds: s, ...st }));
  if (values.dump) {
    mkdirSync(values.dump, { recursive: true });
    writeFileAtomic(
      join(values.dump, `${mode}-${D}x${C}-seed${seed}.json`),
      JSON.stringify({ truth: camp.truth, centres: camp.centres, cycles: res.cycles, devices: res.devices, population: res.population }),
    );
  }
}
