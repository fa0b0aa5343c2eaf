import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdealArray } from '../../src/crossbar/device/ideal.js';
import { writeVerify } from '../../src/crossbar/program/writeVerify.js';
import { FitEulerEngine, PAPER_PULSES, TabulatedEngine } from '../../src/crossbar/device/jartEngine.js';
import { JartArray } from '../../src/crossbar/device/jartArray.js';
import { NO_VAR } from '../../src/crossbar/device/types.js';
import { createRng } from '../../src/util/rng.js';

test('write-verify converges on ideal devices within tolerance and budget', () => {
  const dev = new IdealArray(50, 1e-3, -1, 1);
  const rng = createRng(4);
  for (let k = 0; k < 50; k++) {
    const target = 1.8 * rng.next() - 0.9;
    const r = writeVerify(dev, k, target, 0.002, 5000);
    assert.ok(r.converged, `device ${k}`);
    assert.ok(Math.abs(dev.weight(k) - target) <= 0.002);
    assert.ok(r.pulses <= Math.ceil(Math.abs(target) / 1e-3) + 20, `pulses ${r.pulses}`);
  }
});

test('write-verify programs JART devices (nonlinear, state-dependent steps) through the read current', () => {
  const eng = new TabulatedEngine(new FitEulerEngine(PAPER_PULSES), { nLo: 0.06, nHi: 1.9897452127440085, nPoints: 2049, rLoM: 45e-9, rHiM: 45e-9, rPoints: 1, lNomM: 0.4e-9, nMinNom: 0.008, nMaxNom: 20 });
  const v = { Ndiscmax: NO_VAR, Ndiscmin: NO_VAR, ldisc: NO_VAR, rdisc: NO_VAR, wBounds: NO_VAR };
  const dev = new JartArray({ size: 20, engine: eng, nLo: 0.06, nHi: 1.9897452127440085, wMin: -1.5, wMax: 1.5, nominal: { rM: 45e-9, lM: 0.4e-9, nMin: 0.008, nMax: 20 }, variability: v }, createRng(1));
  const rng = createRng(8);
  for (let k = 0; k < 20; k++) {
    dev.setWeight(k, 0);
    const target = 2.4 * rng.next() - 1.2;
    const r = writeVerify(dev, k, target, 0.03, 20000);
    assert.ok(r.converged, `device ${k}: target ${target}, error ${r.error}, pulses ${r.pulses}`);
    if (Math.abs(target) > 0.03) assert.ok(r.pulses > 0);
  }
});
