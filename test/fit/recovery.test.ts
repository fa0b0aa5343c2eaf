import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParams } from '../../src/model/index.js';
import {
  createInlineScheduler,
  fitDataset,
  resolveFitSettings,
  synthCycle,
  prepareCycle,
  evaluateCycle,
  DEFAULT_FIT_PARAMS,
} from '../../src/fit/index.js';
import { createRng } from '../../src/util/rng.js';
import { TRUTH, relErr, synthDevice } from './helpers.js';

test('single ±1.3 V cycle: the six default parameters come back from a 3 %-noise synthetic measurement', async () => {
  const truth = resolveParams(TRUTH);
  const { cycle } = synthCycle(truth, createRng(11), { stepV: 0.005, noiseDec: 0.013 });
  const settings = resolveFitSettings({ mode: 'independent' });
  const r = await fitDataset({ devices: [{ id: 'synthetic', cycles: [cycle] }] }, settings, createInlineScheduler());
  const fit = r.cycles[0];
  const errs = DEFAULT_FIT_PARAMS.map((n) => [n, relErr(fit.params[n], truth[n])] as const);
  // curve: the fitted model against the noise-free truth
  const pc = prepareCycle(cycle, settings.objective);
  const t = evaluateCycle(pc, truth, truth.Ndiscmin, settings.objective);
  const m = evaluateCycle(pc, fit.params, fit.params.Ndiscmin, settings.objective);
  let ss = 0;
  for (const i of pc.idx) ss += (t.logIModel[i] - m.logIModel[i]) ** 2;
  const rmsTruth = Math.sqrt(ss / pc.idx.length);
  console.log(
    `# single-cycle recovery: rms ${fit.rmsLog10.toFixed(4)}, vs truth ${rmsTruth.toFixed(4)}, evals ${fit.metrics.evaluations}, ${fit.metrics.seconds.toFixed(2)} s; ${errs.map(([n, e]) => `${n} ${(e * 100).toFixed(2)}%`).join(', ')}`,
  );
  assert.ok(fit.converged, JSON.stringify(fit.flags));
  assert.ok(fit.rmsLog10 < 0.02, `rms ${fit.rmsLog10}`);
  assert.ok(rmsTruth < 0.02, `curve vs truth ${rmsTruth}`);
  for (const [n, e] of errs) assert.ok(e < 0.05, `${n}: ${(e * 100).toFixed(1)} % off`);
  for (const n of DEFAULT_FIT_PARAMS) assert.ok(Number.isFinite(fit.stderr[n]!) && fit.stderr[n]! > 0, `stderr ${n}`);
  assert.ok(fit.correlation && fit.correlation.matrix.length === 6);
});

test('campaign: device-level parameters shared, per-cycle v1b var parameters, state carried over', async () => {
  const dev = synthDevice('d1', 4, 5);
  const settings = resolveFitSettings({ mode: 'campaign', deviceCycles: 2 });
  const r = await fitDataset({ devices: [{ id: 'd1', cycles: dev.cycles }] }, settings, createInlineScheduler());
  assert.equal(r.devices.length, 1);
  assert.equal(r.cycles.length, 4);
  const d = r.devices[0];
  for (const n of ['RseriesTiOx', 'phiBn0', 'dWa'] as const)
    assert.ok(relErr(d.params[n]!, dev.truths[0][n]) < 0.05, `${n} ${d.params[n]} vs ${dev.truths[0][n]}`);
  const errs: number[] = [];
  r.cycles.forEach((c, j) => {
    assert.ok(c.rmsLog10 < 0.03, `cycle ${c.cycle} rms ${c.rmsLog10}`);
    for (const n of ['rnew', 'lnew', 'Ndiscmin'] as const) errs.push(relErr(c.params[n], dev.truths[j][n]));
    if (j >= 2) {
      assert.equal(c.stage, 'cycle');
      assert.deepEqual(c.fitted, ['rnew', 'lnew', 'Ndiscmin']);
    }
    if (j > 0) assert.ok(c.ninit > 0);
  });
  errs.sort((a, b) => a - b);
  console.log(`# campaign per-cycle median rel. error ${(errs[errs.length >> 1] * 100).toFixed(2)} %`);
  assert.ok(errs[errs.length >> 1] < 0.05);
});
