import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { resolveConfig } from '../../src/crossbar/experiment/config.js';
import { runInSituRepeat, type RepeatCheckpoint } from '../../src/crossbar/experiment/inSitu.js';
import { loadMnist } from '../../src/io/mnist.js';
import { main } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { checkGrid, GRID_SCHEMA } from '../../src/crossbar/experiment/sweep.js';

test('every experiment config parses; unknown keys and bad values are refused naming the path', () => {
  const dir = join(REPO_ROOT, 'experiments');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 20);
  for (const f of files) {
    const raw = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    if (raw.schema === GRID_SCHEMA) {
      checkGrid(raw, f);
      continue;
    } // a sweep grid (paper-table.json), not a config
    const c = resolveConfig(raw, f);
    assert.equal(`${c.name}.json`, f);
  }
  assert.throws(() => resolveConfig({ device: { jart: { rdsic: 1 } } }), /device\.jart\.rdsic: unknown key/);
  assert.throws(() => resolveConfig({ training: { epochs: 0 } }), /training\.epochs/);
  assert.throws(() => resolveConfig({ mode: 'quantum' }), /mode: expected one of/);
  assert.throws(
    () => resolveConfig({ device: { model: 'jart', jart: { rthScaling: 'none' } } }),
    /rthScaling: expected "area" \("none" applies to device.model "aihwkit-jart" only/,
  );
  assert.throws(() => resolveConfig({ device: { jart: { rthScaling: 'volume' } } }), /rthScaling: expected one of area, none/);
});

test('a short in-situ run on soft-bounds devices learns (far above chance on a small subset; random init, lr 1, batch 8)', () => {
  const cfg = resolveConfig({
    name: 't',
    mode: 'in-situ',
    network: { init: 'uniform' },
    device: { model: 'soft-bounds', softBounds: { dwMin: 0.001, wMin: -1.5, wMax: 1.5 } },
    update: { dwMin: 0.001 },
    training: { epochs: 1, lr: 1, batchSize: 8, trainSamples: 3000, testSamples: 300 },
    tile: { maxInputSize: 0, maxOutputSize: 0 },
  });
  const train = loadMnist('train', 3000),
    test = loadMnist('test', 300);
  const recs = runInSituRepeat(cfg, train, test, 0);
  // sigmoid MLPs leave the initial plateau slowly: 3000 samples reach ~35 % (chance 10 %)
  assert.ok(recs[0].testAccuracy > 25, `accuracy ${recs[0].testAccuracy} %`);
  assert.ok(recs[0].pulsesApplied > 0);
});

test('crossbar run writes results.json, CSV and plot; --resume after completion repeats nothing; bad config gives a clear error', async () => {
  const out = mkdtempSync(join(tmpdir(), 'jartcal-xbar-'));
  try {
    const cfg = join(REPO_ROOT, 'experiments', 'paper-noise-free.json');
    const code = await main(['crossbar', 'run', cfg, '--out', out, '--epochs', '2', '--train-samples', '64', '--test-samples', '50']);
    assert.equal(code, 0);
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.equal(r.accuracyPerEpoch.length, 2);
    assert.equal(typeof r.finalAccuracy, 'number');
    assert.equal(r.seed, 1);
    assert.ok(r.toolkitVersion);
    assert.equal(r.config.training.epochs, 2);
    assert.ok(existsSync(join(out, 'accuracy.csv')) && existsSync(join(out, 'accuracy.svg')));
    const code2 = await main([
      'crossbar',
      'run',
      cfg,
      '--out',
      out,
      '--epochs',
      '2',
      '--train-samples',
      '64',
      '--test-samples',
      '50',
      '--resume',
    ]);
    assert.equal(code2, 0);
    const r2 = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.deepEqual(r2.accuracyPerEpoch, r.accuracyPerEpoch);
    const bad = join(out, 'bad.json');
    (await import('node:fs')).writeFileSync(bad, '{"training": {"epochs": -1}}');
    assert.equal(await main(['crossbar', 'run', bad, '--out', join(out, 'x')]), 2);
    assert.ok(!existsSync(join(out, 'x', 'results.json')));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('resuming from an epoch checkpoint continues bit for bit (as after a kill)', () => {
  const cfg = resolveConfig({
    name: 'r',
    training: { epochs: 2, trainSamples: 96, testSamples: 40 },
    tile: { maxInputSize: 300, maxOutputSize: 200 },
  });
  const train = loadMnist('train', 96),
    test = loadMnist('test', 40);
  const full = runInSituRepeat(cfg, train, test, 0);
  let cp: RepeatCheckpoint | undefined;
  assert.throws(
    () =>
      runInSituRepeat(cfg, train, test, 0, {
        onEpoch: (c) => {
          cp = c;
          throw new Error('killed');
        },
      }),
    /killed/,
  );
  assert.ok(cp && cp.epochsDone === 1);
  const resumed = runInSituRepeat(cfg, train, test, 0, {}, cp);
  const strip = (r: typeof full): unknown => r.map(({ seconds: _s, cpuSeconds: _c, pulsesApplied: _p, ...rest }) => rest);
  assert.deepEqual(strip(resumed), strip(full));
});

test('a population file (jartcal.population/1) drives the device variability of a run', async () => {
  const { applyPopulation } = await import('../../src/crossbar/experiment/applyPopulation.js');
  const pop = {
    schema: 'jartcal.population/1',
    toolkitVersion: '0',
    createdAt: '',
    seed: 3,
    provenance: { fits: [], datasets: [] },
    base: {},
    parameters: {
      rnew: {
        family: 'truncnormal',
        d2d: { center: 44e-9, spread: 0.05, spreadKind: 'relative', lower: 40e-9, upper: 48e-9 },
        c2c: { spread: 0.01, spreadKind: 'relative' },
      },
      Ndiscmax: { family: 'normal', d2d: { center: 20, spread: 1, spreadKind: 'absolute' }, c2c: { spread: 0, spreadKind: 'relative' } },
    },
    correlation: { params: [], matrix: [] },
  };
  const cfg = resolveConfig({ name: 'p', training: { epochs: 1, trainSamples: 32, testSamples: 20 } });
  const info = applyPopulation(cfg, pop, 'pop.json');
  assert.deepEqual(info.mapped, ['rnew', 'Ndiscmax']);
  const r = cfg.device.jart.variability.rdisc;
  assert.equal(cfg.device.jart.nominal.rM, 44e-9);
  assert.equal(r.dtod, 0.05);
  assert.equal(r.dtodLower, 40e-9);
  // c2c spread per switching event → update-scaled (slope) term, not a per-pulse additive step
  assert.equal(r.std, 0);
  assert.ok(Math.abs(r.slope - Math.sqrt(3) * 0.01) < 1e-15);
  assert.equal(cfg.device.jart.variability.Ndiscmax.dtod, 0.05);
  const recs = runInSituRepeat(resolveConfig(cfg), loadMnist('train', 32), loadMnist('test', 20), 0);
  assert.equal(recs.length, 1);
  assert.throws(() => applyPopulation(cfg, { schema: 'other' }, 'x.json'), /x\.json: expected a population file/);
});
