/** The LM driver with an exact Jacobian supplied with the residuals (`residualsWithJacobian`). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { levenbergMarquardtFit } from '../../src/fit/lm.js';
import { createRng } from '../../src/util/rng.js';

// y = A exp(-t/tau) + c on 50 points with Gaussian noise 0.01 (as lm.test.ts)
const rng = createRng(1);
const T = Array.from({ length: 50 }, (_, i) => i * 0.1);
const TRUTH = [2, 0.7, 0.3];
const Y = T.map((t) => TRUTH[0] * Math.exp(-t / TRUTH[1]) + TRUTH[2] + 0.01 * rng.normal());
const fn = (u: Float64Array) => Float64Array.from(T, (t, i) => u[0] * Math.exp(-t / u[1]) + u[2] - Y[i]);
const withJac = (u: Float64Array) => ({
  residuals: fn(u),
  jacobian: T.map((t) => {
    const e = Math.exp(-t / u[1]);
    return Float64Array.from([e, (u[0] * e * t) / (u[1] * u[1]), 1]);
  }),
});
const box = { uMin: Float64Array.from([0, 0.05, -5]), uMax: Float64Array.from([10, 10, 5]), maxEvaluations: 2000 };

test('LM with an exact Jacobian: same optimum as with differences, one evaluation per iteration, the Jacobian returned is exact', () => {
  const fd = levenbergMarquardtFit(fn, [1, 2, 0], box);
  const an = levenbergMarquardtFit(fn, [1, 2, 0], { ...box, residualsWithJacobian: withJac });
  assert.ok(an.converged, an.stopReason);
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(an.u[k] - fd.u[k]) < 1e-3, `param ${k}: ${an.u[k]} vs ${fd.u[k]}`);
  assert.ok(Math.abs(an.cost - fd.cost) <= 1e-6 * fd.cost + 1e-12);
  // one evaluation per iteration plus the start (rejected steps included)
  assert.ok(an.evaluations <= an.iterations + 1, `${an.evaluations} evaluations, ${an.iterations} iterations`);
  assert.ok(an.evaluations < fd.evaluations / 2, `${an.evaluations} vs ${fd.evaluations}`);
  const exact = withJac(an.u).jacobian;
  for (let i = 0; i < exact.length; i++) for (let k = 0; k < 3; k++) assert.equal(an.jacobian[i][k], exact[i][k]);
});

test('LM with an exact Jacobian: a NaN residual gets the penalty and a zero row', () => {
  const nanAt = (u: Float64Array) => {
    const r = withJac(u);
    r.residuals[3] = NaN;
    return r;
  };
  const r = levenbergMarquardtFit(fn, [1, 2, 0], { ...box, residualsWithJacobian: nanAt, nanPenalty: 10 });
  assert.equal(r.residuals[3], 10);
  assert.deepEqual(Array.from(r.jacobian[3]), [0, 0, 0]);
});

test('LM with an exact Jacobian and the fast schedule: at the optimum one small gain and the Gauss–Newton gain stop it', () => {
  const opt = levenbergMarquardtFit(fn, [1, 2, 0], { ...box, residualsWithJacobian: withJac, relTol: 1e-12, xTol: 0, fastSchedule: true });
  const again = levenbergMarquardtFit(fn, opt.u, { ...box, residualsWithJacobian: withJac, xTol: 0, fastSchedule: true });
  assert.ok(again.converged);
  assert.equal(again.stopReason, 'relative');
  assert.ok(again.evaluations <= 2, `${again.evaluations} evaluations`);
  assert.ok(again.cost <= opt.cost * (1 + 1e-12));
  // from afar: within relTol (default 1e-4) of the optimum's cost
  for (const start of [
    [5, 0.1, 2],
    [0.5, 5, -1],
  ]) {
    const r = levenbergMarquardtFit(fn, start, { ...box, residualsWithJacobian: withJac, fastSchedule: true });
    assert.ok(r.converged, r.stopReason);
    assert.ok(r.cost <= opt.cost * (1 + 1e-4), `${r.cost} vs ${opt.cost}`);
  }
});
