/**
 * Recovery of a known population from synthetic per-cycle fits with known, heteroscedastic fit noise
 * (test/population/synth.ts). Acceptance figures of issue 5: d2d spreads within 25 % (relative),
 * c2c spreads within 35 %, rnew–lnew correlation within 0.2. Sample size: 150 devices × 10 cycles,
 * fit standard errors 0.01–0.03 in ln units. A held-out campaign (other values, seed, design) too.
 * Monte Carlo over 30 seeds (80 devices × 15 cycles, Ndiscmin d2d 0.2 ln, c2c 0.4 ln): d2d mean 0.202,
 * sd 0.019; c2c mean 0.398, sd 0.008 — unbiased. With 60 devices the d2d estimate of a 6 % spread has a
 * 12 % relative sd and the correlation an sd of 0.11 (scripts/studies/population-recovery.ts), too wide for the
 * acceptance figures at 3 sd; 150 devices bring them inside (see docs/population.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimatePopulation, relativeSd, type ParameterSpec } from '../../src/population/index.js';
import { syntheticFits, TRUTH, TRUE_RHO, type Truth } from './synth.js';

function rel(p: ParameterSpec, which: 'd2d' | 'c2c'): number {
  const s = which === 'd2d' ? p.d2d : p.c2c;
  return relativeSd(p.family, p.d2d.center, s.spread, s.spreadKind);
}
const relOf = (lnSd: number): number => Math.sqrt(Math.expm1(lnSd * lnSd));

function check(truth: Record<string, Truth>, rho: number, seed: number, nDev: number, nCyc: number, seLn: number): void {
  const pop = estimatePopulation(syntheticFits(seed, nDev, nCyc, seLn, truth as typeof TRUTH, rho), {
    bootstrap: 20,
    seed: 5,
    createdAt: 'test',
  });
  for (const [n, t] of Object.entries(truth)) {
    const p = pop.parameters[n as keyof typeof pop.parameters] as ParameterSpec;
    assert.ok(p, `${n} estimated`);
    const d = rel(p, 'd2d'),
      c = rel(p, 'c2c');
    assert.ok(Math.abs(d / relOf(t.d2dLn) - 1) < 0.25, `${n} d2d ${d} vs ${relOf(t.d2dLn)}`);
    assert.ok(Math.abs(c / relOf(t.c2cLn) - 1) < 0.35, `${n} c2c ${c} vs ${relOf(t.c2cLn)}`);
    assert.ok(Math.abs(p.d2d.center / t.center - 1) < 0.05, `${n} center`);
    if (p.d2d.ci) assert.ok(p.d2d.ci[0] <= p.d2d.spread && p.d2d.spread <= p.d2d.ci[1] * 1.05, `${n} ci brackets the estimate`);
  }
  const ir = pop.correlation.params.indexOf('rnew'),
    il = pop.correlation.params.indexOf('lnew');
  assert.ok(ir >= 0 && il >= 0);
  const r = pop.correlation.matrix[ir][il];
  assert.ok(Math.abs(r - rho) < 0.2, `rho ${r} vs ${rho}`);
}

test('known population comes back (150 devices × 10 cycles, fit se 0.01–0.03 ln)', () => {
  check(TRUTH, TRUE_RHO, 11, 150, 10, 0.02);
});

test('held-out campaign: other spreads, negative correlation, 150 devices × 15 cycles', () => {
  const truth = {
    rnew: { center: 30e-9, d2dLn: 0.15, c2cLn: 0.06 },
    lnew: { center: 0.8e-9, d2dLn: 0.1, c2cLn: 0.03 },
    Ndiscmax: { center: 10, d2dLn: 0.12, c2cLn: 0.05 },
    Ndiscmin: { center: 0.02, d2dLn: 0.2, c2cLn: 0.4 },
  };
  check(truth, -0.5, 97, 150, 15, 0.015);
});

test('fit standard errors are removed from the c2c spread (measurement error larger than c2c)', () => {
  const truth = { rnew: { center: 45e-9, d2dLn: 0.1, c2cLn: 0.04 }, lnew: { center: 0.4e-9, d2dLn: 0.1, c2cLn: 0.04 } };
  const fits = syntheticFits(3, 50, 12, 0.06, truth as unknown as typeof TRUTH, 0);
  const pop = estimatePopulation(fits, { bootstrap: 0, createdAt: 'test' });
  const p = pop.parameters.rnew as ParameterSpec;
  // naive within-device sd would be ≈ sqrt(0.04² + E[se²]) ≈ 0.075
  const c = rel(p, 'c2c');
  assert.ok(Math.abs(c / relOf(0.04) - 1) < 0.35, `c2c ${c}`);
});

test('levels: parameters of the device records are device-level (d2d only), with their own standard errors', () => {
  const fits = syntheticFits(5, 40, 4);
  const devs = [...new Set(fits.cycles.map((c) => c.device))];
  // a device-level RseriesTiOx with a known d2d spread of 10 % (ln) and fit errors of 2 %; device-stage cycles list it as fitted
  let k = 0;
  fits.devices = devs.map((device) => {
    const v = 650 * Math.exp(0.1 * Math.sin(1 + 7.3 * k) * Math.SQRT2 + 0.02 * Math.cos(3.1 * k++));
    return { device, params: { RseriesTiOx: v }, stderr: { RseriesTiOx: 0.02 * v } };
  });
  for (const c of fits.cycles) if (c.cycle === 1) c.fitted = [...c.fitted, 'RseriesTiOx'];
  const pop = estimatePopulation(fits, { bootstrap: 0, createdAt: 'test' });
  const r = pop.parameters.RseriesTiOx as ParameterSpec;
  assert.equal(r.diagnostics?.level, 'device');
  assert.equal(r.c2c.spread, 0);
  assert.ok(Math.abs(rel(r, 'd2d') / 0.1 - 1) < 0.25, `d2d ${rel(r, 'd2d')}`);
  assert.equal(pop.parameters.rnew?.diagnostics?.level, 'cycle');
});
