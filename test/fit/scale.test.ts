import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInlineScheduler, createWorkerPool, fitDataset, resolveFitSettings } from '../../src/fit/index.js';
import { main } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { synthDevice } from './helpers.js';
import { killAtCheckpointLines } from '../helpers/kill.js';

// Small fits: three free parameters, 20 mV sweeps.
const small = { fitParams: ['Ndiscmin', 'RseriesTiOx', 'dWa'] as const, deviceCycles: 1, maxEvaluations: 60, starts: 1 };

function dataset(nDev: number, nCyc: number) {
  return {
    devices: Array.from({ length: nDev }, (_, d) => ({
      id: `dev${d + 1}`,
      cycles: synthDevice(`dev${d + 1}`, nCyc, 100 + d, 0.02).cycles,
    })),
  };
}

test('the same seed gives identical fits with 1 and 2 workers', async () => {
  const ds = dataset(2, 2);
  const settings = resolveFitSettings({ ...small, fitParams: [...small.fitParams], seed: 7 });
  const a = await fitDataset(ds, settings, createInlineScheduler());
  const b = await fitDataset(ds, settings, createWorkerPool(2));
  assert.equal(a.cycles.length, 4);
  const strip = (r: typeof a) => r.cycles.map((c) => ({ ...c, metrics: { ...c.metrics, seconds: 0 } }));
  assert.deepEqual(strip(b), strip(a));
  assert.deepEqual(b.devices, a.devices);
});

test('fit CLI: a killed run resumes from its checkpoint, repeating and losing nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-fit-'));
  const dsPath = join(dir, 'dataset.json');
  writeFileSync(
    dsPath,
    JSON.stringify({
      schema: 'jartcal.dataset/1',
      toolkitVersion: 'test',
      createdAt: '',
      options: {},
      devices: dataset(1, 5).devices.map((d) => ({ ...d, setPolarity: 'negative', complianceA: null, metadata: {} })),
    }),
  );
  const args = [
    'fit',
    dsPath,
    '--mode',
    'campaign',
    '--fit',
    small.fitParams.join(','),
    '--device-cycles',
    '1',
    '--max-evals',
    '60',
    '--starts',
    '1',
    '--workers',
    '1',
  ];
  // reference: an uninterrupted run
  const refOut = join(dir, 'ref.json');
  assert.equal(await main([...args, '--out', refOut]), 0);
  const ref = JSON.parse(readFileSync(refOut, 'utf8'));
  // a run killed after its second record
  const out = join(dir, 'fits.json');
  const ckpt = `${out}.checkpoint.jsonl`;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('./src/cli/main.ts').then(async (m) => process.exit(await m.main(${JSON.stringify([...args, '--out', out])})))`,
    ],
    { cwd: REPO_ROOT, stdio: 'ignore' },
  );
  await killAtCheckpointLines(child, ckpt, 3);
  assert.ok(!existsSync(out), 'no fits.json from the killed run');
  const before = readFileSync(ckpt, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => r.kind === 'cycle');
  assert.ok(before.length >= 1 && before.length < 5, `checkpointed ${before.length}`);
  // without --resume the checkpoint is protected
  assert.equal(await main([...args, '--out', out]), 2);
  assert.equal(await main([...args, '--out', out, '--resume']), 0);
  const res = JSON.parse(readFileSync(out, 'utf8'));
  assert.ok(!existsSync(ckpt));
  assert.equal(res.schema, 'jartcal.fits/2');
  assert.equal(res.dataset, 'dataset.json');
  assert.equal(res.cycles.length, 5);
  // the checkpointed cycles were kept as they were (same timing record = not refitted)
  for (const b of before)
    assert.deepEqual(
      res.cycles.find((c: { cycle: number }) => c.cycle === b.fit.cycle),
      b.fit,
    );
  // and the resumed result equals the uninterrupted one
  const strip = (f: typeof ref) => f.cycles.map((c: { metrics: object }) => ({ ...c, metrics: { ...c.metrics, seconds: 0 } }));
  assert.deepEqual(strip(res), strip(ref));
});

test('fit CLI refuses bad input with a clear message and no output', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-fit-'));
  const bad = join(dir, 'bad.json');
  writeFileSync(
    bad,
    JSON.stringify({ schema: 'jartcal.dataset/1', devices: [{ id: 'a', cycles: [{ cycle: 1, vV: [0, 1, 'x'], iA: [0, 1, 2] }] }] }),
  );
  const out = join(dir, 'o.json');
  assert.equal(await main(['fit', bad, '--out', out]), 2);
  assert.equal(await main(['fit', bad, '--out', out, '--fit', 'nope']), 2);
  assert.equal(await main(['fit', bad, '--out', out, '--fix', 'dWa=9']), 2);
  assert.ok(!existsSync(out));
});

test('fit CLI ingests measurement files itself and writes the dataset beside fits.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-fit-'));
  const out = join(dir, 'fits.json');
  const file = join(REPO_ROOT, 'fixtures', 'ingest', 'k4200-cycle3.csv');
  assert.equal(
    await main([
      'fit',
      file,
      '--out',
      out,
      '--fit',
      'Ndiscmin,RseriesTiOx',
      '--max-evals',
      '30',
      '--starts',
      '1',
      '--workers',
      '1',
      '--json',
    ]),
    0,
  );
  const fits = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(fits.dataset, 'fits.dataset.json');
  const ds = JSON.parse(readFileSync(join(dir, fits.dataset), 'utf8'));
  assert.equal(ds.schema, 'jartcal.dataset/2');
  assert.equal(
    fits.cycles.length,
    ds.devices.reduce((a: number, d: { cycles: unknown[] }) => a + d.cycles.length, 0),
  );
  assert.deepEqual(fits.cycles[0].fitted, ['RseriesTiOx', 'Ndiscmin']);
  assert.ok(Number.isFinite(fits.cycles[0].rmsLog10));
});
