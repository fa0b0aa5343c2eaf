import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inSituDiagnosis } from '../../src/crossbar/experiment/diagnosis.js';

const trace = (losses: number[]) => losses.map((loss, i) => ({ epoch: 1, samples: 600 * (i + 1), loss }));

test('a training loss that settles at chance (ln 10) is "at chance", not "falling", whatever its slope', () => {
  // the tenths of paper-noise-free's first 6,000 samples (seed 1): an overshoot, then the plateau at ln 10
  const d = inSituDiagnosis(11.35, trace([2.935, 2.302, 2.302, 2.301, 2.303, 2.302, 2.302, 2.299, 2.303, 2.303]), [2.366], null);
  assert.equal(d.lossTrend?.trend, 'at chance');
  assert.equal(d.learned, false);
  assert.match(d.reason ?? '', /from 2\.94 to 2\.30 \(at chance: a uniform guess over 10 classes gives ln 10 = 2\.30\)/);
  // just under chance still counts as chance (within 5 %), above it too
  assert.equal(inSituDiagnosis(10, trace([3, 2.2]), [], null).lossTrend?.trend, 'at chance');
  assert.equal(inSituDiagnosis(10, trace([3.8, 2.6]), [], null).lossTrend?.trend, 'at chance');
  // the number of classes sets the level
  assert.equal(inSituDiagnosis(10, trace([2.2, 1.2]), [], null, 3).lossTrend?.trend, 'at chance');
  assert.equal(inSituDiagnosis(10, trace([2.2, 1.2]), [], null, 10).lossTrend?.trend, 'falling');
});

test('the other trends are unchanged: falling below chance, flat, rising', () => {
  assert.equal(inSituDiagnosis(91, trace([2.3, 1.1, 0.4]), [], null).lossTrend?.trend, 'falling');
  assert.equal(inSituDiagnosis(40, trace([1.5, 1.52]), [], null).lossTrend?.trend, 'flat');
  assert.equal(inSituDiagnosis(10, trace([2, 3.8]), [], null).lossTrend?.trend, 'rising');
  // per-epoch losses when there is no trace
  assert.equal(inSituDiagnosis(91, [], [1.06, 0.4], null).lossTrend?.trend, 'falling');
});
