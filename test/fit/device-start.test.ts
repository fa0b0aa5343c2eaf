/**
 * The device-level stage of a campaign fit started from given values (the structure search's pilot fit,
 * or the fit of the structure a candidate extends; src/fit/auto.ts) is checked against a fit from the first
 * guess, and the better one on the block kept: a start in a compensating basin (lnew/Ndiscmin traded
 * against phiBn0/dWa) does not decide the device's values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createInlineScheduler, fitDataset, resolveFitSettings } from '../../src/fit/index.js';
import { synthDevice, TRUTH } from './helpers.js';

test('campaign fit: a device-level start in a compensating basin is checked against the first guess', async () => {
  const { cycles } = synthDevice('b1', 3, 31);
  const settings = { ...resolveFitSettings({ seed: 1, deviceCycles: 3 }), starts: 1, maxEvaluations: 150 };
  const sched = createInlineScheduler();
  const rms = (r: Awaited<ReturnType<typeof fitDataset>>) => Math.sqrt(r.cycles.reduce((a, c) => a + c.rmsLog10 ** 2, 0) / r.cycles.length);
  const guess = await fitDataset({ devices: [{ id: 'b1', cycles }] }, settings, sched);
  // along the compensating direction: the barrier and activation energy off, the filament made up for it
  const bad = { ...TRUTH, phiBn0: 0.12, dWa: 1.5, lnew: 0.15e-9, Ndiscmin: 0.002 } as Record<string, number>;
  const fromBad = await fitDataset({ devices: [{ id: 'b1', cycles, start: { device: bad } }] }, settings, sched);
  console.log(`# first guess ${rms(guess).toFixed(4)}, from the compensating start ${rms(fromBad).toFixed(4)} decade`);
  assert.ok(rms(fromBad) <= rms(guess) * 1.02, `from the compensating start ${rms(fromBad)} vs first guess ${rms(guess)}`);
});
