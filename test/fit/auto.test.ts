/**
 * The fit structure chosen by the data (src/fit/auto.ts): the noise estimate, the pilot's make-up, a
 * dataset the default structure already fits at its noise (no search), and one simulated with an
 * external series resistor (the search finds `seriesOhm`). Coarse sweeps and few moves keep it quick.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParams } from '../../src/model/index.js';
import { createInlineScheduler, resolveFitSettings, synthCycle, type FitCycleInput } from '../../src/fit/index.js';
import { chooseFitStructure, FIT_MOVES, heldBackOf, noiseLevelLog10, pilotOf } from '../../src/fit/auto.js';
import { createRng } from '../../src/util/rng.js';
import { TRUTH, synthDevice } from './helpers.js';

test('noise estimate: the scatter of log10|I| put into synthetic cycles comes back within 20 %', () => {
  for (const noiseDec of [0.005, 0.02, 0.05]) {
    const rng = createRng(3);
    const cycles = [1, 2, 3].map((c) => synthCycle(resolveParams(TRUTH), rng, { stepV: 0.005, noiseDec, cycle: c }).cycle);
    const est = noiseLevelLog10(cycles);
    assert.ok(Math.abs(est / noiseDec - 1) < 0.2, `noise ${noiseDec}: estimated ${est}`);
  }
});

test('pilot: blocks of consecutive cycles; a long device gives two blocks in one device; one-cycle devices take half', () => {
  const cyc = (device: string, n: number): FitCycleInput[] =>
    Array.from({ length: n }, (_, i) => ({ device, cycle: i + 1, tS: [], timeSource: 'file', vV: [], iA: [], complianceA: null }));
  // four devices of five cycles: two of them, whole
  const four = pilotOf({ devices: ['a', 'b', 'c', 'd'].map((id) => ({ id, cycles: cyc(id, 5) })) }, { pilotCycles: 12, blockCycles: 6 });
  assert.deepEqual(
    four.devices.map((d) => [d.id, d.cycles.length]),
    [
      ['b', 5],
      ['d', 5],
    ],
  );
  // one device of 100 cycles: its start and its middle, as one device (the middle predicted from the start)
  const long = pilotOf({ devices: [{ id: 'L', cycles: cyc('L', 100) }] }, { pilotCycles: 12, blockCycles: 6 });
  assert.deepEqual(
    long.devices.map((d) => [d.id, d.cycles.map((c) => c.cycle).join(',')]),
    [['L', '1,2,3,4,5,6,51,52,53,54,55,56']],
  );
  // ddas04's make-up: one cycled device and 100 one-cycle devices → one block and six single cycles
  const mixed = pilotOf(
    { devices: [{ id: 'L', cycles: cyc('L', 100) }, ...Array.from({ length: 100 }, (_, i) => ({ id: `s${i}`, cycles: cyc(`s${i}`, 1) }))] },
    { pilotCycles: 12, blockCycles: 6 },
  );
  assert.equal(mixed.devices[0].id, 'L');
  assert.equal(mixed.devices[0].cycles.length, 6);
  assert.equal(mixed.devices.length, 7);
  assert.ok(mixed.devices.slice(1).every((d) => d.cycles.length === 1));
  // small datasets are their own pilot
  const small = { devices: [{ id: 'x', cycles: cyc('x', 8) }] };
  assert.equal(pilotOf(small, { pilotCycles: 12, blockCycles: 6 }), small);
  assert.equal(heldBackOf(small, small, { pilotCycles: 12, blockCycles: 6 }, 3), null);
});

test('held-back cycles: blocks in the middle of what the pilot left, after the device-level block; other devices whole', () => {
  const cyc = (device: string, n: number): FitCycleInput[] =>
    Array.from({ length: n }, (_, i) => ({ device, cycle: i + 1, tS: [], timeSource: 'file', vV: [], iA: [], complianceA: null }));
  const o = { pilotCycles: 12, blockCycles: 6 };
  const longDs = { devices: [{ id: 'L', cycles: cyc('L', 100) }] };
  const held = heldBackOf(longDs, pilotOf(longDs, o), o, 3)!;
  // the device-level block (1-3, as in the pilot and the full fit), then held-back cycles it predicts
  assert.deepEqual(
    held.data.devices.map((d) => [d.id, d.cycles.map((c) => c.cycle).join(',')]),
    [['L', '1,2,3,29,30,31,32,33,34,79,80,81,82,83,84']],
  );
  assert.deepEqual(
    [...held.scored].sort(),
    ['29', '30', '31', '32', '33', '34', '79', '80', '81', '82', '83', '84'].map((c) => `L#${c}`).sort(),
  );
  // a campaign of short devices: other devices than the pilot's, fitted whole and all scored
  const four = { devices: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, cycles: cyc(id, 5) })) };
  const h4 = heldBackOf(four, pilotOf(four, o), o, 3)!;
  const pilotIds = pilotOf(four, o).devices.map((d) => d.id);
  assert.ok(h4.data.devices.every((d) => !pilotIds.includes(d.id) && d.cycles.length === 5));
  assert.equal(h4.scored.size, h4.data.devices.length * 5);
});

test('auto: data the default structure fits at its noise level → no search, the default kept', async () => {
  const a = synthDevice('d1', 3, 21, 0.01);
  const b = synthDevice('d2', 3, 22, 0.01);
  const base = resolveFitSettings({ starts: 1, maxEvaluations: 120 });
  const r = await chooseFitStructure(
    {
      devices: [
        { id: 'd1', cycles: a.cycles },
        { id: 'd2', cycles: b.cycles },
      ],
    },
    base,
    createInlineScheduler(),
  );
  console.log(`# default at noise: ${r.report.reasons.join('; ')}`);
  assert.equal(r.report.stopped, 'noise_level');
  assert.equal(r.report.candidates.length, 1);
  assert.deepEqual(r.report.chosen, []);
  assert.deepEqual(r.settings, base);
});

test('auto: cycles measured through a 30 kΩ series resistor → the search frees seriesOhm', async () => {
  const rng = createRng(5);
  const cycles: FitCycleInput[] = [];
  let ninit: number | undefined;
  for (let c = 1; c <= 4; c++) {
    const p = resolveParams({ ...TRUTH, rnew: 41e-9 * (1 + 0.03 * rng.normal()), lnew: 0.43e-9 * (1 + 0.03 * rng.normal()) });
    const n0 = ninit === undefined ? undefined : Math.min(p.Ndiscmax, Math.max(p.Ndiscmin, ninit));
    const s = synthCycle(p, rng, { stepV: 0.01, noiseDec: 0.013, seriesOhm: 3e4, device: 'r1', cycle: c, ninit: n0 });
    ninit = s.endNdisc;
    cycles.push(s.cycle);
  }
  const base = resolveFitSettings({ starts: 2, maxEvaluations: 150, deviceCycles: 2 });
  const moves = ['Ndiscmax/cycle', 'seriesOhm', 'returnWeight=2'];
  assert.ok(moves.every((m) => FIT_MOVES.some((x) => x.id === m)));
  const r = await chooseFitStructure({ devices: [{ id: 'r1', cycles }] }, base, createInlineScheduler(), { moves });
  console.log(
    `# series resistor: ${r.report.candidates.map((c) => `[${c.moves.join('+') || 'default'}] ${c.medianRms.toFixed(3)}`).join(', ')} → ${r.report.chosen.join('+')}`,
  );
  assert.ok(r.report.chosen.includes('seriesOhm'), r.report.reasons.join('; '));
  assert.ok(r.settings.fitParams.includes('seriesOhm') && !r.settings.fitParams.includes('RseriesTiOx'));
  const def = r.report.candidates[0];
  const best = r.report.candidates.find((c) => c.moves.join() === r.report.chosen.join())!;
  assert.ok(best.medianRms < 0.5 * def.medianRms, `chosen ${best.medianRms} vs default ${def.medianRms}`);
});
