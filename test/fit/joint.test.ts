import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParams } from '../../src/model/index.js';
import { createInlineScheduler, fitDataset, resolveFitSettings, synthCycle } from '../../src/fit/index.js';
import { createRng } from '../../src/util/rng.js';

test('joint mode: sweeps at two rates of one device share every parameter, which come back', async () => {
  const truth = resolveParams({ RseriesTiOx: 900, dWa: 1.32, Ndiscmin: 0.01 });
  const rng = createRng(21);
  const slow = synthCycle(truth, rng, { stepV: 0.01, rateVps: 0.1, cycle: 1, noiseDec: 0.013 });
  const fast = synthCycle(truth, rng, {
    stepV: 0.01,
    rateVps: 10,
    cycle: 2,
    noiseDec: 0.013,
    ninit: Math.max(truth.Ndiscmin, slow.endNdisc),
  });
  const settings = resolveFitSettings({ mode: 'joint', fitParams: ['Ndiscmin', 'RseriesTiOx', 'dWa'], starts: 1 });
  const r = await fitDataset({ devices: [{ id: 'd', cycles: [slow.cycle, fast.cycle] }] }, settings, createInlineScheduler());
  assert.equal(r.devices.length, 1);
  assert.equal(r.cycles.length, 2);
  for (const n of ['Ndiscmin', 'RseriesTiOx', 'dWa'] as const) {
    assert.equal(r.cycles[0].params[n], r.cycles[1].params[n]);
    assert.equal(r.devices[0].params[n], r.cycles[0].params[n]);
    assert.ok(Math.abs(r.cycles[0].params[n] / truth[n] - 1) < 0.03, `${n}: ${r.cycles[0].params[n]} vs ${truth[n]}`);
  }
  for (const c of r.cycles) {
    assert.equal(c.stage, 'joint');
    assert.ok(c.rmsLog10 < 0.03, `rms ${c.rmsLog10}`);
  }
});
