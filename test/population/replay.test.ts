/**
 * Replaying measured protocols (ppc.ts replayMeasured): each simulated cycle on the protocol of a measured
 * cycle (its samples, compliance, read voltage, start state). Checked against the continuous simulation of
 * consecutive sweeps (the state and geometry carried over the same way), against the physics of a current
 * compliance, on the structure of a dataset of many one-cycle devices and one many-cycle device (d2d and
 * c2c rows), and in the refinement (a biased centre comes back, deterministic for a seed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepWaveform } from '../../src/model/index.js';
import { createRng } from '../../src/util/rng.js';
import {
  replayMeasured,
  replayProfile,
  samplePopulation,
  simulateDeviceCycles,
  simulateProtocolCycles,
  type CycleProtocol,
  type PopulationFile,
} from '../../src/population/index.js';
import { applyTerms, refinePopulation } from '../../src/population/refine.js';
import { SWEEP, TRUTH } from './replay-fixture.js';

function protocol(complianceA: number | null, device = 'd', cycle = 1): CycleProtocol {
  const w = sweepWaveform(SWEEP);
  return {
    source: { device, cycle },
    tS: Float64Array.from(w.tS),
    vV: Float64Array.from(w.vV),
    complianceA,
    readVoltageV: 0.2,
    startsWithSet: true,
    rateSource: 'default',
  };
}

test('cycle by cycle on measured protocols = the continuous simulation of consecutive sweeps (state and geometry carried over)', () => {
  const [dev] = samplePopulation(TRUTH, 1, createRng(4));
  const continuous = simulateDeviceCycles(TRUTH, dev, 3, SWEEP, createRng(8));
  const replayed = simulateProtocolCycles(TRUTH, dev, [protocol(null), protocol(null), protocol(null)], undefined, createRng(8));
  assert.equal(replayed.length, 3);
  for (let c = 0; c < 3; c++) {
    const a = continuous[c]!,
      b = replayed[c]!;
    for (const k of ['hrsOhm', 'lrsOhm'] as const)
      assert.ok(Math.abs((b[k] as number) / (a[k] as number) - 1) < 1e-3, `cycle ${c} ${k}: ${b[k]} vs ${a[k]}`);
    // switching voltages are read off the sweep's samples: the same sample (step 20 mV)
    assert.ok(Math.abs((b.vSetV as number) - (a.vSetV as number)) <= 0.0201, `cycle ${c} V_SET ${b.vSetV} vs ${a.vSetV}`);
    assert.ok(Math.abs((b.vResetV as number) - (a.vResetV as number)) <= 0.0201, `cycle ${c} V_RESET ${b.vResetV} vs ${a.vResetV}`);
  }
  // the cycles differ (c2c draws), so the comparison above is not of three copies
  assert.notEqual(continuous[0]!.hrsOhm, continuous[1]!.hrsOhm);
});

test("each cycle's own compliance: a SET limited to 50 µA leaves a higher LRS than one at 150 µA (polimi's compliance varies per cycle)", () => {
  const pop: PopulationFile = { ...TRUTH, parameters: { rnew: { ...TRUTH.parameters.rnew!, c2c: { spread: 0, spreadKind: 'ln' } } } };
  const [dev] = samplePopulation(pop, 1, createRng(4));
  const [free] = simulateProtocolCycles(pop, dev, [protocol(null)], undefined, createRng(1));
  const cycles = simulateProtocolCycles(pop, dev, [protocol(50e-6), protocol(150e-6), protocol(50e-6)], undefined, createRng(1));
  const lrs = cycles.map((f) => f!.lrsOhm as number);
  assert.ok(lrs[0] > 1.5 * lrs[1], `LRS at 50 µA ${lrs[0]} vs 150 µA ${lrs[1]}`);
  assert.ok(lrs[2] > 1.5 * lrs[1], `back at 50 µA: ${lrs[2]}`);
  // unlimited, the SET goes further than at 150 µA (the compliance limits it)
  assert.ok((free!.lrsOhm as number) < lrs[1], `no compliance ${free!.lrsOhm} vs 150 µA ${lrs[1]}`);
});

test('many one-cycle devices and one many-cycle device: d2d rows from the former, c2c rows from the latter; predicted errors below target', () => {
  const groups: CycleProtocol[][] = [
    ...Array.from({ length: 16 }, (_, i) => [protocol(null, `one${i}`)]),
    Array.from({ length: 12 }, (_, c) => protocol(null, 'long', c + 1)),
  ];
  const measured = replayMeasured(TRUTH, { groups, replicates: 1, maxCycles: 12 }, 99);
  assert.deepEqual(
    measured.map((g) => g.length),
    [...new Array(16).fill(1), 12],
  );
  const prof = replayProfile(TRUTH, measured, groups, { seed: 1, minDevices: 17, maxDevices: 17 * 6, maxCycles: 12, targetRelSe: 0.05 });
  const names = prof.rows.map((r) => r.moment);
  for (const k of ['d2d:median:log10Hrs', 'd2d:sd:log10Hrs', 'c2c:sd:log10Hrs', 'd2d:mean:vSetV', 'c2c:sd:vSetV'])
    assert.ok(names.includes(k as never), `${k} in ${names.join(', ')}`);
  // the c2c samples come from the many-cycle device only: 12 cycles measured, 12 per replicate predicted
  assert.equal(prof.samples.measured.c2c.log10Hrs?.length, 12);
  assert.equal(prof.samples.predicted.c2c.log10Hrs?.length, 12 * prof.simulated.replicates);
  assert.equal(prof.samples.measured.d2d.log10Hrs?.length, 17);
  // grown until the target or the cap
  assert.ok(
    prof.simulated.worstPredictedRelSe < 0.05 || prof.simulated.devices === 17 * 6,
    `worst ${prof.simulated.worstPredictedRelSe}, devices ${prof.simulated.devices}`,
  );
  assert.ok(prof.simulated.replicates > 1, 'one replicate of 17 devices is not enough for 5 %');
  // the same population predicts its own data: levels within their errors
  for (const r of prof.rows.filter((x) => /median|mean/.test(x.moment)))
    assert.ok(Math.abs(r.relDiff) < 3 * Math.hypot(r.measuredRelSe, r.predictedRelSe) + 0.02, `${r.statistic}: ${r.relDiff}`);
  // deterministic for a seed
  assert.deepEqual(
    replayMeasured(TRUTH, { groups, replicates: 2, maxCycles: 5 }, 7),
    replayMeasured(TRUTH, { groups, replicates: 2, maxCycles: 5 }, 7),
  );
});

test('refinement on replayed protocols brings a biased rnew centre back (×1.35 → within 10 %)', () => {
  // 20 devices of 3 cycles whose compliance varies per cycle (none, 2 mA, 1 mA): the simulation follows each cycle's
  const groups: CycleProtocol[][] = Array.from({ length: 20 }, (_, i) => [
    protocol(null, `d${i}`, 1),
    protocol(2e-3, `d${i}`, 2),
    protocol(1e-3, `d${i}`, 3),
  ]);
  const measured = replayMeasured(TRUTH, { groups, replicates: 1, maxCycles: 3 }, 99);
  const free = ['rnew.center'] as const;
  const biased = applyTerms(TRUTH, [...free], [1]).population;
  const r = refinePopulation(biased, measured, {
    plan: { groups, replicates: 1, maxCycles: 3 },
    devices: 0,
    cycles: 0,
    seed: 1,
    free: [...free],
    maxEvaluations: 20,
  });
  const c = r.population.parameters.rnew?.d2d.center as number;
  assert.ok(Math.abs(c / 45e-9 - 1) < 0.1, `rnew centre ${c} (truth 45e-9, start 60.75e-9)`);
  assert.ok(r.record.objectiveAfter < 0.2 * r.record.objectiveBefore, `objective ${r.record.objectiveBefore} → ${r.record.objectiveAfter}`);
  assert.equal(r.record.protocol, 'replay');
  assert.deepEqual(r.record.estimate?.parameters, biased.parameters, 'the estimate is kept for the profile\'s "before"');
});

test('refinement on 2 threads = on 1 (the devices split between threads, joined in order)', () => {
  const groups: CycleProtocol[][] = Array.from({ length: 6 }, (_, i) => [protocol(null, `d${i}`, 1), protocol(1e-3, `d${i}`, 2)]);
  const measured = replayMeasured(TRUTH, { groups, replicates: 1, maxCycles: 2 }, 99);
  const opts = {
    plan: { groups, replicates: 1, maxCycles: 2 },
    devices: 0,
    cycles: 0,
    seed: 2,
    free: ['rnew.center', 'Ndiscmin.d2d'] as ('rnew.center' | 'Ndiscmin.d2d')[],
    maxEvaluations: 4,
  };
  const one = refinePopulation(TRUTH, measured, opts);
  const two = refinePopulation(TRUTH, measured, { ...opts, threads: 2 });
  assert.deepEqual(two.record, one.record);
  assert.deepEqual(two.population.parameters, one.population.parameters);
});

test('measurement noise: each simulated sample scattered by the measured noise in decades, the compliance plateau left held', async () => {
  const { measurementNoise } = await import('../../src/population/ppc.js');
  const n = 4000;
  const iA = Float64Array.from({ length: n }, (_, k) => (k < n / 2 ? 1e-5 : 3e-4));
  const out = measurementNoise(iA, 3e-4, 0.01, createRng(5));
  const d = Array.from(out.subarray(0, n / 2), (x) => Math.log10(x / 1e-5));
  const m = d.reduce((a, b) => a + b, 0) / d.length;
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / (d.length - 1));
  assert.ok(Math.abs(sd / 0.01 - 1) < 0.08 && Math.abs(m) < 0.001, `sd ${sd} dec, mean ${m}`);
  assert.ok(
    out.subarray(n / 2).every((x) => x === 3e-4),
    'held at the compliance',
  );
  // the stream does not depend on the currents: same draws whatever the values
  const again = measurementNoise(
    Float64Array.from(iA, (x) => 2 * x),
    null,
    0.01,
    createRng(5),
  );
  assert.ok(Math.abs(again[0] / out[0] - 2) < 1e-12);
});
