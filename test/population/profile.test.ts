import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/util/rng.js';
import { sweepWaveform } from '../../src/model/index.js';
import {
  predictiveProfile,
  samplePopulation,
  simulateDeviceCycles,
  sweepConditions,
  sweepFeatures,
  validateDataset,
  type CycleFeaturesIn,
  type SweepConditions,
} from '../../src/population/index.js';
import { loadPreset } from '../../src/io/population.js';

test('sweepFeatures on a two-resistor I-V with an abrupt SET at -0.6 V and a RESET peak at +0.5 V', () => {
  const w = sweepWaveform({ vSetV: -1, vResetV: 1, rateVps: 1, stepV: 0.05 });
  let lrs = false,
    reset = false;
  const iA = Array.from(w.vV, (v, k) => {
    if (!lrs && v <= -0.6 + 1e-9 && k < w.vV.length / 2) lrs = true;
    if (lrs && !reset && v >= 0.5 - 1e-9) reset = true;
    return v / (lrs && !reset ? 1e3 : 1e5);
  });
  const f = sweepFeatures(w.vV, Float64Array.from(iA), 0.2);
  assert.ok(Math.abs((f.vSetV as number) + 0.6) < 1e-9);
  assert.ok(Math.abs((f.vResetV as number) - 0.45) < 1e-9, `vReset ${f.vResetV}`); // last LRS point before the drop
  assert.ok(Math.abs((f.hrsOhm as number) / 1e5 - 1) < 1e-9 && Math.abs((f.lrsOhm as number) / 1e3 - 1) < 1e-9);
  assert.ok(Math.abs((f.onOff as number) - 100) < 1e-6);
});

const SWEEP: SweepConditions = { vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.02, readVoltageV: 0.2, complianceA: null };

test('posterior predictive check: the true population reproduces its own statistics; a noise-free one does not', () => {
  const truth = loadPreset('paper-realistic-mixed');
  // "measured": 40 devices × 2 cycles simulated from the truth with another seed. HRS is broad here
  // (Ndiscmin piles up at its clip bounds 0.004 / 0.016, c2c 90 %), so medians of 80 cycles scatter by ~30 %.
  const rng = createRng(21);
  const measured: CycleFeaturesIn[] = [];
  for (const d of samplePopulation(truth, 40, rng.fork(1)))
    measured.push(...(simulateDeviceCycles(truth, d, 2, SWEEP, rng.fork(100 + d.index)).filter(Boolean) as CycleFeaturesIn[]));
  assert.ok(measured.length >= 75);
  const same = predictiveProfile(truth, measured, { devices: 40, cycles: 2, sweep: SWEEP }, createRng(5));
  const row = (p: typeof same, s: string): number => (p.rows.find((r) => r.statistic === s) as { relDiff: number }).relDiff;
  assert.ok(Math.abs(row(same, 'V_SET mean (V)')) < 0.1);
  assert.ok(Math.abs(row(same, 'V_RESET sd (V)')) < 0.3);
  assert.ok(Math.abs(row(same, 'median HRS (Ohm)')) < 0.5);
  assert.ok(Math.abs(row(same, 'CV of HRS')) < 0.4, `CV HRS ${row(same, 'CV of HRS')}`);
  const none = predictiveProfile(loadPreset('paper-noise-free'), measured, { devices: 3, cycles: 3, sweep: SWEEP }, createRng(5));
  assert.ok(row(none, 'CV of HRS') < -0.9, 'noise-free population predicts (almost) no HRS spread');
});

test('sweepConditions: median sweep, rate from time, compliance', () => {
  const w = sweepWaveform({ vSetV: -1.5, vResetV: 1.2, rateVps: 2, stepV: 0.1 });
  const cyc = (c: number) => ({
    device: 'A',
    cycle: c,
    tS: Array.from(w.tS),
    timeSource: 'file',
    vV: Array.from(w.vV),
    iA: Array.from(w.vV, () => 0),
    complianceA: 5e-5,
    features: { vSetV: -0.8, vResetV: 0.9, readVoltageV: 0.1, hrsOhm: 1e5, lrsOhm: 1e3, onOff: 100, resetPeakA: null, complianceHit: true },
  });
  const ds = validateDataset({ schema: 'jartcal.dataset/1', devices: [{ id: 'A', cycles: [cyc(1), cyc(2)] }] });
  const s = sweepConditions(ds);
  assert.equal(s.vSetV, -1.5);
  assert.equal(s.vResetV, 1.2);
  assert.ok(Math.abs(s.stepV - 0.1) < 1e-12);
  assert.ok(Math.abs(s.rateVps - 2) < 1e-9);
  assert.equal(s.rateSource, 'data');
  assert.equal(s.complianceA, 5e-5);
  assert.equal(s.readVoltageV, 0.1);
  assert.throws(
    () =>
      validateDataset(
        { schema: 'jartcal.dataset/1', devices: [{ id: 'A', cycles: [{ device: 'A', cycle: 1, vV: [], iA: [] }] }] },
        'd.json',
      ),
    /d\.json: devices\[0\]\.cycles\[0\]\.features: expected an object/,
  );
});

test('within-device statistics exclude the device-to-device offset', async () => {
  const { featureStats, featureStatsWithin } = await import('../../src/population/index.js');
  const f = (h: number) => ({ vSetV: -1, vResetV: 1, hrsOhm: h, lrsOhm: 1e3, onOff: h / 1e3 });
  const a = [f(90), f(110)],
    b = [f(900), f(1100)];
  const w = featureStatsWithin([a, b]);
  assert.ok(Math.abs(w.hrsOhm.cv - (Math.SQRT2 * 10) / 100) < 1e-12); // sd of {90,110} = 14.14, mean 100
  assert.ok(featureStats([...a, ...b]).hrsOhm.cv > 0.9);
});

test('an external series resistance in the sweep conditions adds to the simulated LRS (the circuit of fits made with seriesOhm)', () => {
  const pop = loadPreset('paper-noise-free');
  const [dev] = samplePopulation(pop, 1, createRng(5));
  const base = simulateDeviceCycles(pop, dev, 1, SWEEP, createRng(6))[0]!;
  const rs = 5000;
  const withR = simulateDeviceCycles(pop, dev, 1, { ...SWEEP, seriesOhm: rs }, createRng(6))[0]!;
  assert.ok(base.lrsOhm !== null && withR.lrsOhm !== null);
  // read in the LRS at 0.2 V: R_read = R_device(V_dev) + R_s; the device sees a little less voltage
  // and its LRS is nearly ohmic, so the difference is R_s within a few per cent
  const added = (withR.lrsOhm as number) - (base.lrsOhm as number);
  assert.ok(Math.abs(added / rs - 1) < 0.1, `LRS ${base.lrsOhm} → ${withR.lrsOhm} Ω (added ${added.toFixed(0)} Ω)`);
});
