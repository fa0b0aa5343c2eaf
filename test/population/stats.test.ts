import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cholesky, normCdf, normQuantile, normalityTest, symmetricEigen } from '../../src/population/stats.js';
import { fitRandomEffects } from '../../src/population/reml.js';
import { repairCorrelation } from '../../src/population/correlation.js';
import { createRng } from '../../src/util/rng.js';

test('normal CDF and quantile against tabulated values (Abramowitz & Stegun 26.2)', () => {
  assert.ok(Math.abs(normCdf(1.959963985) - 0.975) < 2e-7);
  assert.ok(Math.abs(normCdf(-1) - 0.158655254) < 2e-7);
  assert.ok(Math.abs(normQuantile(0.975) - 1.959963985) < 1e-6);
  assert.ok(Math.abs(normQuantile(1e-6) + 4.753424309) < 1e-4);
  for (const p of [0.001, 0.1, 0.5, 0.77, 0.999]) assert.ok(Math.abs(normCdf(normQuantile(p)) - p) < 1e-7);
});

test('Anderson–Darling: normal sample passes, exponential sample fails', () => {
  const rng = createRng(4);
  const normal = Array.from({ length: 200 }, () => rng.normal());
  const expo = Array.from({ length: 200 }, () => -Math.log(1 - rng.next()));
  assert.ok(normalityTest(normal).adPValue > 0.05);
  assert.ok(normalityTest(expo).adPValue < 0.001);
});

test('REML equals the ANOVA estimator on a balanced design without measurement error', () => {
  const rng = createRng(9);
  const k = 30,
    n = 6;
  const groups = Array.from({ length: k }, () => {
    const b = 2 * rng.normal();
    return { z: Array.from({ length: n }, () => 5 + b + rng.normal()), s2: new Array(n).fill(0) };
  });
  const means = groups.map((g) => g.z.reduce((s, x) => s + x, 0) / n);
  const grand = means.reduce((s, x) => s + x, 0) / k;
  const msb = (n * means.reduce((s, m) => s + (m - grand) ** 2, 0)) / (k - 1);
  const msw = groups.reduce((s, g, i) => s + g.z.reduce((t, x) => t + (x - means[i]) ** 2, 0), 0) / (k * (n - 1));
  const f = fitRandomEffects(groups);
  assert.ok(Math.abs(f.sigma2 / msw - 1) < 1e-4, `${f.sigma2} vs ${msw}`);
  assert.ok(Math.abs(f.tau2 / ((msb - msw) / n) - 1) < 1e-4);
  assert.ok(Math.abs(f.mu - grand) < 1e-9);
});

test('REML: no device effect gives τ² = 0 (boundary)', () => {
  const rng = createRng(2);
  const groups = Array.from({ length: 40 }, () => ({ z: Array.from({ length: 5 }, () => rng.normal()), s2: new Array(5).fill(0) }));
  // remove device means' excess: force all group means equal
  for (const g of groups) {
    const m = g.z.reduce((s, x) => s + x, 0) / 5;
    g.z = g.z.map((x) => x - m);
  }
  assert.equal(fitRandomEffects(groups).tau2, 0);
});

test('eigen-decomposition reconstructs; repair makes an indefinite correlation PD with unit diagonal', () => {
  const a = [
    [1, 0.9, -0.9],
    [0.9, 1, 0.9],
    [-0.9, 0.9, 1],
  ];
  const { values, vectors } = symmetricEigen(a);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += vectors[i][k] * values[k] * vectors[j][k];
      assert.ok(Math.abs(s - a[i][j]) < 1e-10);
    }
  assert.equal(cholesky(a), null);
  const r = repairCorrelation(a);
  assert.ok(r.repaired && r.minEigenvalueBefore < 0);
  assert.ok(cholesky(r.matrix) !== null);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(r.matrix[i][i] - 1) < 1e-12);
});
