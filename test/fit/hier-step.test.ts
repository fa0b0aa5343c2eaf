/** The hierarchical fit's pass jobs (src/fit/hier/step.ts): a device's state crosses JSON bit for bit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyState } from '../../src/fit/hier/em.js';
import { applyWire, stateToWire } from '../../src/fit/hier/step.js';

test('a device state survives JSON (NaN, ±Infinity, −0 and every bit of a float64)', () => {
  const d = emptyState('dev1', []);
  const odd = [NaN, Infinity, -Infinity, -0, 0.1 + 0.2, Number.MIN_VALUE, -1.7976931348623157e308];
  d.v = Float64Array.from(odd);
  d.theta = [Float64Array.from([1 / 3, -0]), Float64Array.from([NaN, 2])];
  d.s = 0.0123456789012345;
  d.lastMove = Infinity;
  d.evaluations = 17;
  d.cov = [odd, odd.map((x) => -x)];
  d.prec = [[1e-300, -0]];
  d.a = [NaN];
  d.covA = [[2]];
  d.covThetaA = [[[1, 2]], [[3, -0]]];
  d.numShift = [-0, 5e-324];
  d.infoC = [[[Infinity]], [[1]]];
  d.lmConverged = true;
  d.lmStop = 'relative';
  d.profiles = new Map([
    [3, [-1.5, 0.25]],
    [0, [-Infinity, 2]],
  ]);
  const back = emptyState('dev1', []);
  applyWire(back, JSON.parse(JSON.stringify(stateToWire(d))));
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));
  assert.ok(same(back.v, d.v));
  assert.ok(back.theta.every((t, c) => same(t, d.theta[c])));
  assert.ok(back.cov.every((r, i) => same(r, d.cov[i])));
  assert.ok(same(back.prec[0], d.prec[0]) && same(back.a, d.a) && same(back.numShift, d.numShift));
  assert.ok(back.covThetaA.every((m, c) => m.every((r, i) => same(r, d.covThetaA[c][i]))));
  assert.ok(back.infoC.every((m, c) => m.every((r, i) => same(r, d.infoC[c][i]))));
  assert.deepEqual([...back.profiles], [...d.profiles]); // profile-likelihood ends reach the records
  assert.deepEqual(
    [back.s, back.lastMove, back.evaluations, back.lmConverged, back.lmStop],
    [d.s, d.lastMove, d.evaluations, d.lmConverged, d.lmStop],
  );
  // plain JSON of the numbers would not do: NaN and ±Infinity become null, −0 becomes 0
  assert.notDeepEqual(JSON.parse(JSON.stringify(Array.from(d.v))), Array.from(d.v));
});
