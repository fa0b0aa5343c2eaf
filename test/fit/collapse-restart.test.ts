/**
 * A later cycle of a campaign fit whose carried state the model cannot switch out of within the sweep is
 * refitted in a fresh state. Measured data: the first six experiments of polimi's SiOx 1T1R device (the
 * shared measurements): the fifth ends in a deep RESET, and without the restart the sixth fits at 1.97
 * decade (the model never SETs) and hands that state on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedPath } from '../helpers/shared.js';
import { ingestFiles } from '../../src/io/ingest.js';
import { datasetToJson } from '../../src/io/dataset.js';
import { checkDatasetForFit } from '../../src/io/fit-dataset.js';
import { createInlineScheduler, fitDataset, resolveFitSettings } from '../../src/fit/index.js';

test('campaign fit: a collapsed cycle after a deep RESET is refitted in a fresh state (polimi, experiments 1-6)', async () => {
  const d = sharedPath('measurements', 'polimi-siox-1t1r-bianchi2023');
  const ds = ingestFiles([join(d, 'Figures_Nature_Communications_Figure_1_review.xls')], {});
  const fitDs = checkDatasetForFit(JSON.parse(datasetToJson(ds)), 'polimi');
  const dev = fitDs.devices[0];
  const r = await fitDataset(
    { devices: [{ id: dev.id, cycles: dev.cycles.slice(0, 6) }] },
    { ...resolveFitSettings({ seed: 1 }), starts: 2 },
    createInlineScheduler(),
  );
  console.log(`# polimi 1-6: ${r.cycles.map((c) => c.rmsLog10.toFixed(3)).join(', ')}`);
  assert.equal(r.cycles.length, 6);
  for (const c of r.cycles) assert.ok(c.rmsLog10 < 0.6, `cycle ${c.cycle}: RMS ${c.rmsLog10}`);
});
