/**
 * The check's "within sampling error" verdict (ppc.ts withinSamplingError) is calibrated: on campaigns of 12
 * devices drawn from a known distribution, the true value of a spread lies within 2 combined sampling errors
 * of the measured one in about 95 % of campaigns, although a ±15 % tolerance misses it in a large share of
 * them (the sd of 12 values is known to about ±21 %: 1/√(2·11)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/util/rng.js';
import { featureMoments } from '../../src/population/moments.js';
import { withinSamplingError, type LevelRow } from '../../src/population/ppc.js';
import type { CycleFeaturesIn } from '../../src/population/profile.js';

const row = (moment: string, measured: number, predicted: number, measuredRelSe: number, predictedRelSe = 0): LevelRow => ({
  statistic: moment,
  moment: moment as LevelRow['moment'],
  level: 'd2d',
  measured,
  predicted,
  relDiff: (predicted - measured) / Math.abs(measured),
  measuredRelSe,
  predictedRelSe,
});

test('12-device spreads: the true value is within 2 sampling errors in ~95 % of campaigns, a ±15 % tolerance misses it often', () => {
  const rng = createRng(7);
  const SD = 0.011; // decades, a d2d spread of log10 LRS at a compliance
  const campaigns = 300;
  let covered = 0,
    beyond15 = 0;
  for (let c = 0; c < campaigns; c++) {
    const groups: CycleFeaturesIn[][] = [];
    for (let d = 0; d < 12; d++) {
      const lrs = 10 ** (3.2 + SD * rng.normal());
      groups.push([{ vSetV: -0.5, vResetV: 0.9, hrsOhm: 1e5, lrsOhm: lrs, onOff: 1e5 / lrs }]);
    }
    const m = featureMoments(groups, { bootstrap: 100, seed: c + 1 })['d2d:sd:log10Lrs'];
    assert.ok(m);
    // the prediction of a population that is the truth, simulated on many devices (its own error small)
    const r = row('d2d:sd:log10Lrs', m.value, SD, m.se / m.value, 0.02);
    if (withinSamplingError(r)) covered++;
    if (Math.abs(r.relDiff) > 0.15) beyond15++;
  }
  assert.ok(covered / campaigns >= 0.9, `covered ${covered}/${campaigns}`);
  assert.ok(beyond15 / campaigns >= 0.3, `beyond ±15 %: ${beyond15}/${campaigns}`);
});

test('a difference far outside the sampling errors is not excused; resistance levels compare ln(ratio)', () => {
  assert.equal(withinSamplingError(row('d2d:sd:log10Lrs', 0.01, 0.013, 0.21, 0.05)), true); // +30 %, se 22 %
  assert.equal(withinSamplingError(row('d2d:sd:log10Lrs', 0.01, 0.02, 0.21, 0.05)), false); // +100 %
  // median LRS ×0.13 with 7 % errors: ln 0.13 = −2.0, far beyond 2 × 0.07
  assert.equal(withinSamplingError(row('d2d:median:log10Lrs', 186e3, 0.13 * 186e3, 0.07, 0.05)), false);
  // a ratio of 2 with a 102 % error (11 cycles of a 1-decade spread): ln 2 = 0.69 < 2 × 1.02
  assert.equal(withinSamplingError(row('all:median:log10Hrs', 12.9e3, 25.8e3, 1.02, 0.2)), true);
  assert.equal(withinSamplingError(row('d2d:sd:log10Lrs', 0.01, NaN, 0.21)), false);
});
