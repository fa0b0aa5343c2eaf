/** The fast pulse update and the read table against full integration / the static solve. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PARAMS, applyPulseExact, createPulseKernel, createReadTable, readCurrent } from '../../src/model/index.js';
import { createRng } from '../../src/util/rng.js';

const p = DEFAULT_PARAMS;

function device(rng: ReturnType<typeof createRng>) {
  // the JART-TUD / aihwkit example ranges (spec §6.2): r ±10 %, l ±10 %, Nmin [0.004, 0.016], Nmax [18, 22]
  return {
    r: 45e-9 * (0.9 + 0.2 * rng.next()),
    l: 0.4e-9 * (0.9 + 0.2 * rng.next()),
    nMin: 0.004 + 0.012 * rng.next(),
    nMax: 18 + 4 * rng.next(),
  };
}

const cases: [string, number, number, number, number][] = [
  // name, V, width, N range (log-uniform)
  ['crossbar SET pulse', -0.342, 1e-6, 0.06, 1.99],
  ['crossbar RESET pulse', 0.7065, 1e-6, 0.06, 1.99],
  ['abrupt SET', -0.55, 1e-6, 0.01, 10],
  ['abrupt RESET', 1.15, 1e-6, 0.05, 19],
  ['SET into the upper bound', -0.8, 1e-5, 0.008, 19.9],
  ['RESET into the lower bound', 1.0, 1e-2, 0.009, 20],
];

for (const [name, v, w, lo, hi] of cases) {
  test(`pulse kernel within 0.5 % of full integration: ${name}`, () => {
    const rng = createRng(Math.round(1000 * Math.abs(v)));
    const k = createPulseKernel(p, v, w);
    for (let i = 0; i < 12; i++) {
      const d = device(rng);
      const n0 = Math.exp(Math.log(lo) + rng.next() * Math.log(hi / lo));
      const exact = applyPulseExact({ ...p, rnew: d.r, lnew: d.l, Ndiscmin: d.nMin, Ndiscmax: d.nMax }, n0, v, w);
      const fast = k.apply(n0, d.r, d.l, d.nMin, d.nMax);
      assert.ok(Math.abs(fast / exact - 1) <= 5e-3, `N0=${n0} r=${d.r} l=${d.l}: ${fast} vs ${exact}`);
      if (v < 0) assert.ok(fast <= d.nMax && fast >= n0);
      else assert.ok(fast >= d.nMin && fast <= n0);
    }
    assert.equal(k.fallbacks, 0);
  });
}

test('pulse kernel: many pulses accumulate like the full integration (100 SET then 100 RESET, spec §8)', () => {
  const set = createPulseKernel(p, -0.342, 1e-6);
  const reset = createPulseKernel(p, 0.7065, 1e-6);
  let nFast = 0.3421;
  let nExact = 0.3421;
  for (let i = 0; i < 100; i++) {
    nFast = set.apply(nFast, p.rnew, p.lnew, p.Ndiscmin, p.Ndiscmax);
    if (i % 10 === 9) {
      nExact = applyPulseExact({ ...p }, nExact, -0.342, 1e-5);
      assert.ok(Math.abs(nFast / nExact - 1) < 5e-3, `after ${i + 1} SET pulses: ${nFast} vs ${nExact}`);
    }
  }
  // spec §8: after 100 SET pulses from N = 0.3421 the full model gives 0.832
  assert.ok(Math.abs(nFast - 0.832) < 0.005, `100 SET pulses → ${nFast}`);
  let n = 0.3421;
  for (let i = 0; i < 100; i++) n = reset.apply(n, p.rnew, p.lnew, p.Ndiscmin, p.Ndiscmax);
  assert.ok(Math.abs(n - 0.1128) < 0.001, `100 RESET pulses → ${n}`);
});

test('pulse kernel: frozen at the bound, identity at V = 0, fallback outside the tables', () => {
  const k = createPulseKernel(p, -0.5, 1e-6);
  assert.equal(k.apply(20, p.rnew, p.lnew, p.Ndiscmin, 20), 20);
  assert.equal(createPulseKernel(p, 0, 1e-6).apply(0.3, p.rnew, p.lnew, p.Ndiscmin, p.Ndiscmax), 0.3);
  const far = k.apply(0.1, 80e-9, p.lnew, p.Ndiscmin, p.Ndiscmax);
  assert.equal(k.fallbacks, 1);
  const exact = applyPulseExact({ ...p, rnew: 80e-9 }, 0.1, -0.5, 1e-6);
  assert.ok(Math.abs(far / exact - 1) < 1e-9);
});

test('read table within 0.1 % of the static read current', () => {
  const rng = createRng(5);
  const t = createReadTable(p, 0.2);
  for (let i = 0; i < 60; i++) {
    const d = device(rng);
    const n = Math.exp(Math.log(0.004) + rng.next() * Math.log(22 / 0.004));
    const exact = readCurrent({ ...p, rnew: d.r, lnew: d.l }, n, 0.2);
    assert.ok(Math.abs(t.current(n, d.r, d.l) / exact - 1) < 1e-3, `N=${n}`);
  }
});
