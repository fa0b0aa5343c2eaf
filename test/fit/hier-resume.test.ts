/**
 * The hierarchical EM resumes from the state saved after a pass (fit/hier/step.ts `HierSnapshot`,
 * io/fits.ts): a run interrupted after pass 1 and resumed from its snapshot ends bit for bit where
 * the uninterrupted run ends, without redoing the passes it had done.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInlineScheduler, fitDataset, resolveFitSettings } from '../../src/fit/index.js';
import { synthCampaign } from '../../src/fit/hier/study.js';
import type { HierSnapshot } from '../../src/fit/hier/index.js';
import type { CycleFit, DeviceFit } from '../../src/fit/types.js';
import { emCheckpointPath, readEmCheckpoint, writeEmCheckpoint } from '../../src/io/fits.js';

test('hierarchical fit: a run resumed from the snapshot of pass 1 gives the uninterrupted result', async () => {
  const camp = synthCampaign({ devices: 3, cycles: 2, seed: 2, stepV: 0.02 });
  const settings = resolveFitSettings({ mode: 'hierarchical' });
  const records: { devices: DeviceFit[]; cycles: CycleFit[] } = { devices: [], cycles: [] };
  const snaps: HierSnapshot[] = [];
  const passesA: number[] = [];
  const a = await fitDataset({ devices: camp.devices }, settings, createInlineScheduler(), {
    hier: { maxPasses: 2 },
    onRecord: (e) => (e.kind === 'device' ? records.devices.push(e.device) : records.cycles.push(e.fit)),
    onPass: (p) => passesA.push(p),
    hierCheckpoint: { save: (s) => snaps.push(JSON.parse(JSON.stringify(s)) as HierSnapshot) },
  });
  assert.ok(passesA.length >= 2, `the uninterrupted EM ran ${passesA.length} passes`);
  assert.deepEqual(
    snaps.map((s) => s.pass),
    passesA,
  );

  // through the file the CLI keeps beside fits.json: the right key reads it back, another key or a torn file does not
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-em-'));
  const path = emCheckpointPath(join(dir, 'fits.json'));
  writeEmCheckpoint(path, 'k1', snaps[0]);
  assert.equal(readEmCheckpoint(path, 'k2'), null);
  const back = readEmCheckpoint(path, 'k1');
  assert.ok(back);
  const passesB: number[] = [];
  const b = await fitDataset({ devices: camp.devices }, settings, createInlineScheduler(), {
    hier: { maxPasses: 2 },
    resumed: records,
    onPass: (p) => passesB.push(p),
    hierCheckpoint: { resume: back },
  });
  assert.deepEqual(passesB, passesA.slice(1), 'the resumed EM continues after pass 1');
  // everything but the wall-clock seconds
  const timeless = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'seconds' ? undefined : v)));
  assert.deepEqual(timeless(b.cycles), timeless(a.cycles));
  assert.deepEqual(timeless(b.devices), timeless(a.devices));
  assert.deepEqual(timeless(b.population), timeless(a.population));

  writeFileSync(path, '{"schema":"jartcal.em-checkpoint/1","key":"k1","snapsh');
  assert.equal(readEmCheckpoint(path, 'k1'), null);
});
