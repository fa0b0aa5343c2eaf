/**
 * The refinement's simulated sample and the objective's weights. A dataset of many one-cycle devices and one
 * long device (ddas04's structure: 100 × 1 cycle and 1 × 100 cycles) has its c2c moments from the long device
 * alone; the simulation must replay enough of its cycles that a simulated c2c moment's sampling error is well
 * below the measured one's, else the refinement fits the simulation's own noise. The weights of the
 * objective's terms are fixed before the search, so a noisier simulated sample cannot lower a z.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepWaveform } from '../../src/model/index.js';
import { replayMeasured, type CycleProtocol } from '../../src/population/index.js';
import { defaultReplay, refinePopulation } from '../../src/population/refine.js';
import { featureMoments, momentDiscrepancy, sampleSizes, selectMoments, type Moments } from '../../src/population/moments.js';
import { SWEEP, TRUTH } from './replay-fixture.js';

function protocol(device: string, cycle: number): CycleProtocol {
  const w = sweepWaveform(SWEEP);
  return {
    source: { device, cycle },
    tS: Float64Array.from(w.tS),
    vV: Float64Array.from(w.vV),
    complianceA: null,
    readVoltageV: 0.2,
    startsWithSet: true,
    rateSource: 'default',
  };
}

/** `ones` one-cycle devices and one device of `long` cycles */
function structure(ones: number, long: number): CycleProtocol[][] {
  return [
    ...Array.from({ length: ones }, (_, i) => [protocol(`one${i}`, 1)]),
    Array.from({ length: long }, (_, c) => protocol('long', c + 1)),
  ];
}

test('default simulated sample: 4 times the measured one at every level (devices, within-device cycles, cycles)', () => {
  const lengths = (groups: { length: number }[], r: { replicates: number; maxCycles: number }): number[] =>
    Array.from({ length: groups.length * r.replicates }, (_, j) => Math.min(groups[j % groups.length].length, r.maxCycles));
  for (const [label, groups] of [
    ['ddas04: 100 × 1 cycle + 1 × 100 cycles', [...new Array(100).fill({ length: 1 }), { length: 100 }]],
    ['polimi: 1 × 109 cycles', [{ length: 109 }]],
    ['aguirref: 1 × 11 cycles', [{ length: 11 }]],
    ['20 devices × 3 cycles', new Array(20).fill({ length: 3 })],
  ] as [string, { length: number }[]][]) {
    const r = defaultReplay(groups);
    const m = sampleSizes(groups.map((g) => g.length)),
      s = sampleSizes(lengths(groups, r));
    for (const level of ['d2d', 'c2c', 'all'] as const)
      assert.ok(s[level] >= 4 * m[level], `${label}: ${level} simulated ${s[level]} vs measured ${m[level]} (${JSON.stringify(r)})`);
  }
  // ddas04: the long device replayed with all its cycles, 4 times (the former default, 3 replicates of at
  // most 10 cycles, gave its c2c moments 27 degrees of freedom against the measured 99)
  assert.deepEqual(defaultReplay([...new Array(100).fill({ length: 1 }), { length: 100 }]), { replicates: 4, maxCycles: 100 });
  // a stated cycle cap is kept, and the replicates make up for it
  const capped = defaultReplay([...new Array(100).fill({ length: 1 }), { length: 100 }], 20);
  assert.equal(capped.maxCycles, 20);
  assert.ok(capped.replicates * 19 >= 4 * 99, JSON.stringify(capped));
});

test("the objective's weights are fixed: a noisier simulated sample does not lower a z; the record carries them", () => {
  const meas: Moments = { 'c2c:sd:log10Hrs': { value: 0.1, se: 0.01, n: 100 } };
  const quiet: Moments = { 'c2c:sd:log10Hrs': { value: 0.2, se: 0.005, n: 400 } };
  const noisy: Moments = { 'c2c:sd:log10Hrs': { value: 0.2, se: 0.2, n: 400 } };
  // with the sample's own error the noisy one is "closer" (the loophole)
  assert.ok(momentDiscrepancy(meas, noisy).value < 0.1 * momentDiscrepancy(meas, quiet).value);
  const fixed = { simulatedSe: { 'c2c:sd:log10Hrs': 0.005 } };
  assert.equal(momentDiscrepancy(meas, noisy, fixed).value, momentDiscrepancy(meas, quiet, fixed).value);
  // in the refinement: each row's simulated error is the measured one × √(measured / simulated sample)
  const groups = structure(8, 6);
  const measured = replayMeasured(TRUTH, { groups, replicates: 1, maxCycles: 6 }, 99);
  const plan = { groups, ...defaultReplay(groups) };
  const r = refinePopulation(TRUTH, measured, { plan, devices: 0, cycles: 0, seed: 1, free: ['rnew.center'], maxEvaluations: 2 });
  const m = selectMoments(featureMoments(measured, { bootstrap: 100, seed: 1 }));
  assert.ok(r.record.rows.length > 0);
  for (const row of r.record.rows) {
    const level = row.name.startsWith('d2d:') ? 'd2d' : row.name.startsWith('c2c:') ? 'c2c' : 'all';
    const ratio = { d2d: 9 / (9 * plan.replicates), c2c: 5 / (5 * plan.replicates), all: 14 / (14 * plan.replicates) }[level];
    assert.ok(Math.abs((row.simulatedSe as number) - (m[row.name as keyof Moments]?.se as number) * Math.sqrt(ratio)) < 1e-12, row.name);
  }
});
