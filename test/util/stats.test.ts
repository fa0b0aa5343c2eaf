import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, quantile } from '../../src/util/stats.js';
import { formatSummaryTable } from '../../src/ingest/dataset.js';
import type { Dataset } from '../../src/ingest/types.js';

test('median: the middle value, the mean of the two middle ones for an even count; non-finite ignored', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([1, NaN, 3, Infinity]), 2);
  assert.ok(Number.isNaN(median([])));
  assert.equal(quantile([1, 2, 3, 4, 5], 0.25), 2);
});

test('the ingest summary table shows the median of an even number of cycles, not the upper middle one', () => {
  const feat = (hrsOhm: number) => ({
    vSetV: -1,
    vResetV: 1,
    readVoltageV: 0.1,
    hrsOhm,
    lrsOhm: 1e3,
    onOff: hrsOhm / 1e3,
    resetPeakA: 1e-3,
    complianceHit: false,
  });
  const cycle = (k: number, hrsOhm: number) => ({
    device: 'A',
    cycle: k,
    tS: [0],
    timeSource: 'index',
    vV: [0],
    iA: [0],
    branch: [0],
    complianceA: null,
    features: feat(hrsOhm),
  });
  const ds = {
    schema: 'jartcal.dataset/1',
    options: { readVoltageV: 0.1 },
    devices: [{ id: 'A', setPolarity: 'negative', complianceA: null, cycles: [cycle(1, 1e4), cycle(2, 3e4)] }],
  } as unknown as Dataset;
  const row = formatSummaryTable(ds).split('\n')[1];
  assert.match(row, /2\.00e\+4Ω/, row);
});

test('one read-voltage default: the population profile falls back to the read voltage ingest uses', async () => {
  const { sweepConditions } = await import('../../src/population/dataset.js');
  const { resolveIngestOptions } = await import('../../src/ingest/options.js');
  const c = { device: 'A', cycle: 1, tS: [0, 1, 2], timeSource: 'index', vV: [0, -1, 1], iA: [0, 1, 2], complianceA: null, features: {} };
  const s = sweepConditions({ devices: [{ id: 'A', cycles: [c as never] }] });
  assert.equal(s.readVoltageV, resolveIngestOptions({}).readVoltageV);
});
