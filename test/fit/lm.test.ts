import { test } from 'node:test';
import assert from 'node:assert/strict';
import { levenbergMarquardtFit } from '../../src/fit/lm.js';
import { jacobianUncertainty } from '../../src/fit/uncertainty.js';
import { createSpace } from '../../src/fit/space.js';
import { startDesign, multiStartFit } from '../../src/fit/multistart.js';
import { createRng } from '../../src/util/rng.js';

// y = A exp(-t/tau) + c on 50 points, with known Gaussian noise of sigma 0.01
function problem(noise: number, seed = 1) {
  const rng = createRng(seed);
  const t = Array.from({ length: 50 }, (_, i) => i * 0.1);
  const truth = [2, 0.7, 0.3];
  const y = t.map((ti) => truth[0] * Math.exp(-ti / truth[1]) + truth[2] + noise * rng.normal());
  const fn = (u: Float64Array) => Float64Array.from(t, (ti, i) => u[0] * Math.exp(-ti / u[1]) + u[2] - y[i]);
  return { fn, truth };
}

const box = { uMin: Float64Array.from([0, 0.05, -5]), uMax: Float64Array.from([10, 10, 5]) };

test('LM wrapper recovers an exponential and stops on the relative test well before its budget', () => {
  const { fn, truth } = problem(0.01);
  const r = levenbergMarquardtFit(fn, [1, 2, 0], { ...box, maxEvaluations: 2000 });
  assert.ok(r.converged, r.stopReason);
  assert.ok(r.evaluations < 300, `evaluations ${r.evaluations}`);
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(r.u[k] - truth[k]) < 0.05, `param ${k}: ${r.u[k]}`);
  // standard errors: the truth lies within 4 standard errors, and s ≈ noise
  const unc = jacobianUncertainty(r.jacobian, r.cost, 3);
  assert.ok(Math.abs(Math.sqrt(unc.s2) - 0.01) < 0.003, `s ${Math.sqrt(unc.s2)}`);
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(r.u[k] - truth[k]) < 4 * unc.seU[k], `param ${k} outside 4 se`);
  assert.equal(unc.correlation[0][0], 1);
});

test('LM wrapper: exact data reaches (near) zero cost', () => {
  const { fn, truth } = problem(0);
  const r = levenbergMarquardtFit(fn, [1.5, 1, 0.5], { ...box });
  assert.ok(r.cost < 1e-12, `cost ${r.cost}`);
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(r.u[k] - truth[k]) < 1e-4);
});

test('LM wrapper survives NaN residuals and a throwing library step, and respects its budget', () => {
  const { fn } = problem(0.01);
  // NaN whenever tau > 1.5: the start sits there, so the first library steps see the penalty
  const nanFn = (u: Float64Array) => (u[1] > 1.5 ? new Float64Array(50).fill(NaN) : fn(u));
  const r = levenbergMarquardtFit(nanFn, [1, 1.4, 0], { ...box, maxEvaluations: 500 });
  assert.ok(Number.isFinite(r.cost));
  assert.ok(r.u[1] <= 1.5);
  const budget = levenbergMarquardtFit(fn, [1, 2, 0], { ...box, maxEvaluations: 12 });
  assert.equal(budget.stopReason, 'max_evaluations');
  assert.equal(budget.converged, false);
  assert.ok(budget.evaluations <= 12 + 4);
  // A residual that throws-inducing NaN everywhere: stops cleanly, not converged... or stalled
  const allNan = levenbergMarquardtFit(() => new Float64Array(50).fill(NaN), [1, 1, 0], { ...box, maxEvaluations: 100 });
  assert.ok(Number.isFinite(allNan.cost));
});

test('bounds are respected and a parameter space round-trips', () => {
  const { fn } = problem(0.01);
  const r = levenbergMarquardtFit(fn, [1, 2, 0], { uMin: Float64Array.from([0, 0.05, 0.5]), uMax: Float64Array.from([10, 10, 5]) });
  assert.equal(r.u[2], 0.5); // true offset 0.3 is below the bound
  const sp = createSpace([
    { name: 'a', min: 1e-9, max: 1e-7, positive: true, typical: 4.5e-8 },
    { name: 'b', min: 0, max: 5000, positive: false, typical: 650 },
  ]);
  const v = sp.fromU(sp.toU([4.5e-8, 650]));
  assert.ok(Math.abs(v[0] / 4.5e-8 - 1) < 1e-12 && Math.abs(v[1] - 650) < 1e-9);
  assert.ok(Math.abs(sp.uMin[0] - Math.log(1e-9)) < 1e-12);
});

test('multi-start design is seeded and finds the global minimum of a two-well problem', () => {
  const d1 = startDesign(Float64Array.from([0, 0]), Float64Array.from([-3, -3]), Float64Array.from([3, 3]), 5, 2, createRng(3));
  const d2 = startDesign(Float64Array.from([0, 0]), Float64Array.from([-3, -3]), Float64Array.from([3, 3]), 5, 2, createRng(3));
  assert.deepEqual(
    d1.map((x) => Array.from(x)),
    d2.map((x) => Array.from(x)),
  );
  // residuals of (x² − 4)·something with a local minimum at x = −2 (cost 0.25) and the global one at +2 (cost 0)
  const fn = (u: Float64Array) => Float64Array.from([(u[0] - 2) * (u[0] + 2), 0.5 * (u[0] < 0 ? 1 : 0), u[1] - 1]);
  const r = multiStartFit(
    fn,
    startDesign(Float64Array.from([-1.5, 0]), Float64Array.from([-3, -3]), Float64Array.from([3, 3]), 6, 3, createRng(4)),
    { uMin: Float64Array.from([-3, -3]), uMax: Float64Array.from([3, 3]) },
  );
  assert.ok(Math.abs(r.u[0] - 2) < 1e-3, `x ${r.u[0]}`);
});

test('Broyden Jacobian updates (through the library jacobianFunction) reach the same minimum', () => {
  const { fn, truth } = problem(0.01);
  const a = levenbergMarquardtFit(fn, [1, 2, 0], { ...box, jacobianUpdate: 'broyden' });
  const b = levenbergMarquardtFit(fn, [1, 2, 0], { ...box, jacobianUpdate: 'fd' });
  assert.ok(a.converged && b.converged);
  for (let k = 0; k < 3; k++) {
    assert.ok(Math.abs(a.u[k] - b.u[k]) < 1e-3, `param ${k}: ${a.u[k]} vs ${b.u[k]}`);
    assert.ok(Math.abs(a.u[k] - truth[k]) < 0.05);
  }
});

test('LM: a residual that is NaN everywhere stalls and is not reported as converged', () => {
  const fn = (u: Float64Array) => new Float64Array(20).fill(NaN).map((x) => x + u[0]);
  const r = levenbergMarquardtFit(fn, [1, 2, 0], { ...box, maxEvaluations: 400 });
  assert.equal(r.stopReason, 'stalled');
  assert.equal(r.converged, false);
});

test('LM: a stall at a real minimum (finite residual, informative Jacobian) still counts as converged', () => {
  // exact data: the cost reaches round-off and no damped step lowers it further
  const { fn } = problem(0);
  const r = levenbergMarquardtFit(fn, [2, 0.7, 0.3], { ...box, maxEvaluations: 2000, relTol: 0, xTol: 0 });
  assert.ok(r.converged, r.stopReason);
});
