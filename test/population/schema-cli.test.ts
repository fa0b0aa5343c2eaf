import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { checkValidity, estimatePopulation, readPopulation } from '../../src/population/index.js';
import { JartcalError } from '../../src/util/errors.js';
import { listPresets, loadPreset } from '../../src/io/population.js';
import { syntheticFits } from './synth.js';

async function quiet<T>(f: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  const orig = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stderr.write = ((s: string) => {
    stderr += s;
    return true;
  }) as typeof process.stderr.write;
  try {
    return { value: await f(), stderr };
  } finally {
    process.stderr.write = orig;
  }
}

test('schema round trip: estimate → JSON → readPopulation is lossless', () => {
  const pop = estimatePopulation(syntheticFits(1, 20, 4), { bootstrap: 5, createdAt: 'fixed' });
  const back = readPopulation(JSON.parse(JSON.stringify(pop)));
  assert.deepEqual(back, JSON.parse(JSON.stringify(pop)));
  assert.equal(back.schema, 'jartcal.population/1');
  assert.equal(back.seed, 1);
});

test('every preset loads, records a source and a validity or a no-variability note', () => {
  const names = listPresets();
  for (const n of ['cueppers2019', 'paper-realistic', 'paper-realistic-mixed', 'paper-d2d-rdisc-30', 'paper-c2c-rdisc-30-additive'])
    assert.ok(names.includes(n), n);
  for (const n of names) {
    const p = loadPreset(n);
    assert.equal(p.provenance.preset, n);
    assert.ok((p.provenance.source ?? '').length > 20);
  }
  assert.throws(() => loadPreset('nope'), /unknown preset "nope"; expected one of: .*paper-realistic/);
});

test('validity: a value outside a preset range is an error', () => {
  const p = loadPreset('paper-realistic');
  checkValidity(p, { rnew: 45e-9 });
  assert.throws(
    () => checkValidity(p, { rnew: 60e-9 }),
    (e: unknown) => e instanceof JartcalError && /outside the validity range/.test(e.message),
  );
});

test('readPopulation names the bad field', () => {
  const good = JSON.parse(JSON.stringify(loadPreset('paper-realistic')));
  const bad1 = { ...good, parameters: { ...good.parameters, rnew: { ...good.parameters.rnew, family: 'gamma' } } };
  assert.throws(() => readPopulation(bad1, 'p.json'), /p\.json: parameters\.rnew\.family: expected one of normal/);
  const bad2 = { ...good, parameters: { ...good.parameters, rdisc: good.parameters.rnew } };
  assert.throws(() => readPopulation(bad2, 'p.json'), /parameters\.rdisc: expected a JART parameter name/);
  assert.throws(() => readPopulation({ ...good, schema: 'jartcal.population/2' }), /schema: expected "jartcal.population\/1"/);
  assert.throws(
    () => readPopulation({ ...good, correlation: { params: ['rnew'], matrix: [[1, 0]] } }),
    /correlation\.matrix\[0\]: expected 1 numbers/,
  );
});

test('CLI: population → sample (bit-identical per seed) → export; bad input exits 2 without output', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-pop-'));
  const fits = join(dir, 'fits.json');
  writeFileSync(fits, JSON.stringify(syntheticFits(2, 15, 4)));
  const popPath = join(dir, 'population.json');
  const r1 = await quiet(() => main(['population', fits, '--out', popPath, '--bootstrap', '5', '--seed', '3']));
  assert.equal(r1.value, 0, r1.stderr);
  const pop = JSON.parse(readFileSync(popPath, 'utf8'));
  assert.equal(pop.seed, 3);
  assert.deepEqual(pop.provenance.fits, [fits]);
  const a = join(dir, 'a.csv'),
    b = join(dir, 'b.csv');
  assert.equal((await quiet(() => main(['sample', popPath, '-n', '30', '--cycles', '3', '--seed', '7', '--out', a]))).value, 0);
  assert.equal((await quiet(() => main(['sample', popPath, '-n', '30', '--cycles', '3', '--seed', '7', '--out', b]))).value, 0);
  assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
  assert.equal(readFileSync(a, 'utf8').trim().split('\n').length, 2 + 30 * 4);
  const py = join(dir, 'dev.py');
  assert.equal((await quiet(() => main(['export', 'paper-realistic', '--format', 'aihwkit', '--out', py]))).value, 0);
  assert.match(readFileSync(py, 'utf8'), /JARTv1bDevice\(/);
  // bad input
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"schema": "jartcal.fits/1", "cycles": [ {"device": 3} ]}');
  const out = join(dir, 'never.json');
  const r2 = await quiet(() => main(['population', broken, '--out', out]));
  assert.equal(r2.value, 2);
  assert.match(r2.stderr, /broken\.json: cycles\[0\]\.device: expected a string/);
  assert.ok(!existsSync(out));
  const r3 = await quiet(() => main(['export', popPath, '--format', 'matlab']));
  assert.equal(r3.value, 2);
  assert.match(r3.stderr, /--format expects one of verilog-a, spice, aihwkit, csv/);
});
