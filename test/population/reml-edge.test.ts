/**
 * REML edge cases met on real fits: one device (no device-to-device variance to estimate: its cycles are the
 * population), and cycle values stated with a standard error of 0 (a fit at a parameter bound) beside
 * identical values, where the c2c variance snaps to 0 — the centre must stay finite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitRandomEffects } from '../../src/population/reml.js';
import { mean, variance } from '../../src/population/stats.js';

test('one device: τ² = 0, σ² the within-device variance, μ the mean', () => {
  const z = [0.1, -0.3, 0.25, 0.05, -0.1, 0.4, -0.2];
  const f = fitRandomEffects([{ z, s2: z.map(() => 0) }]);
  assert.equal(f.tau2, 0);
  assert.ok(Math.abs(f.mu - mean(z)) < 1e-9, `mu ${f.mu}`);
  // REML of one sample: the unbiased variance
  assert.ok(Math.abs(f.sigma2 / variance(z) - 1) < 1e-3, `sigma2 ${f.sigma2} vs ${variance(z)}`);
});

test('values at a bound stated without error: the centre stays finite', () => {
  const b = Math.log(2.084e-9);
  const z = [b, b, b, b, Math.log(1.977e-9), b, b, Math.log(1.884e-9), b, b];
  const s2 = [0, 1e-20, 2e-4, 5e-4, 2e-4, 1e-4, 2e-3, 1e-4, 1e-3, 6e-4];
  const f = fitRandomEffects([{ z, s2 }]);
  assert.ok(Number.isFinite(f.mu), `mu ${f.mu}`);
  assert.ok(Math.abs(f.mu - b) < 0.1, `mu ${f.mu} vs ${b}`);
  assert.equal(f.tau2, 0);
  const two = fitRandomEffects([
    { z, s2 },
    { z: z.map((x) => x + 0.01), s2 },
  ]);
  assert.ok(Number.isFinite(two.mu), `mu ${two.mu}`);
});
