/**
 * The fits' measurement circuit in a population: the external series resistance each device was fitted
 * with (`--fit ...,seriesOhm`, fits.json devices[].circuit) becomes the population's `circuit` block, and the
 * variability profile draws one resistance per simulated device from it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/util/rng.js';
import { estimatePopulation, predictiveProfile, readPopulation, validateFits, type SweepConditions } from '../../src/population/index.js';
import { loadPreset } from '../../src/io/population.js';
import { syntheticFits } from './synth.js';

test("population: the devices' fitted series resistances become a lognormal circuit block (median, ln sd, count)", () => {
  const fits = syntheticFits(3, 4, 3);
  const rs = [10e3, 20e3, 40e3, 80e3];
  fits.devices = [...new Set(fits.cycles.map((c) => c.device))].map((device, i) => ({
    device,
    params: {},
    stderr: {},
    circuit: { seriesOhm: rs[i] },
  }));
  const pop = estimatePopulation(fits, { bootstrap: 0, createdAt: 'test' });
  const c = pop.circuit!.seriesOhm;
  assert.equal(c.n, 4);
  assert.ok(Math.abs(c.center - 30e3) < 1e-6, `median ${c.center}`); // median of 10, 20, 40, 80 kΩ
  // ln values are equally spaced by ln 2: sample sd = ln 2 · sd(0, 1, 2, 3) = ln 2 · 1.291
  assert.ok(Math.abs(c.spread - Math.LN2 * Math.sqrt(5 / 3)) < 1e-12, `ln sd ${c.spread}`);
  // round trip through the schema; a bad block is refused with its path
  assert.deepEqual(readPopulation(JSON.parse(JSON.stringify(pop))).circuit, pop.circuit);
  assert.throws(
    () =>
      readPopulation(
        {
          ...JSON.parse(JSON.stringify(pop)),
          circuit: { seriesOhm: { family: 'lognormal', spreadKind: 'ln', center: -5, spread: 0.1, n: 1 } },
        },
        'p.json',
      ),
    /p\.json: circuit\.seriesOhm\.center: expected a resistance > 0/,
  );
  // without fitted resistances: no circuit block
  assert.equal(estimatePopulation(syntheticFits(3, 4, 3), { bootstrap: 0, createdAt: 'test' }).circuit, undefined);
  // fits.json validation reads devices[].circuit and refuses a negative resistance
  const raw = {
    schema: 'jartcal.fits/1',
    dataset: 'd',
    settings: {},
    devices: [{ device: 'A', params: {}, stderr: {}, circuit: { seriesOhm: -1 } }],
    cycles: [],
  };
  assert.throws(() => validateFits(raw, 'f.json'), /f\.json: devices\[0\]\.circuit\.seriesOhm: expected a resistance ≥ 0/);
});

const SWEEP: SweepConditions = { vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.02, readVoltageV: 0.2, complianceA: null };

test("profile: a population's circuit gives each simulated device its resistance; a stated one overrides it", () => {
  const base = loadPreset('paper-noise-free');
  const withCircuit = {
    ...base,
    circuit: { seriesOhm: { family: 'lognormal' as const, center: 5000, spread: 0, spreadKind: 'ln' as const, n: 3 } },
  };
  const opts = { devices: 4, cycles: 1, pooling: 'all' as const };
  const fromPop = predictiveProfile(withCircuit, [], { ...opts, sweep: SWEEP }, createRng(7));
  const stated = predictiveProfile(base, [], { ...opts, sweep: { ...SWEEP, seriesOhm: 5000 } }, createRng(7));
  const none = predictiveProfile(base, [], { ...opts, sweep: SWEEP }, createRng(7));
  const overridden = predictiveProfile(withCircuit, [], { ...opts, sweep: { ...SWEEP, seriesOhm: 0 } }, createRng(7));
  assert.deepEqual(fromPop.predicted, stated.predicted, 'a 5 kΩ population circuit (no spread) = a stated 5 kΩ on the same devices');
  assert.deepEqual(overridden.predicted, none.predicted, 'a stated 0 Ω overrides the population');
  assert.ok(fromPop.seriesOhmPerDevice && fromPop.seriesOhmPerDevice.center === 5000);
  assert.equal(overridden.seriesOhmPerDevice, undefined);
  const lrs = (p: typeof none): number => p.predicted.lrsOhm.median;
  assert.ok(Math.abs((lrs(fromPop) - lrs(none)) / 5000 - 1) < 0.1, `LRS ${lrs(none)} → ${lrs(fromPop)} Ω`);
});
