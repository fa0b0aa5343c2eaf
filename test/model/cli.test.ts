/** `jartcal simulate` and `jartcal demo`: outputs, and refusals that leave no output file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sharedPath } from '../helpers/shared.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'jartcal-sim-'));

const run = runCli;

test('simulate a reference waveform file: columns and rows', async () => {
  const out = join(dir, 'ok.csv');
  const plot = join(dir, 'ok.svg');
  const ref = join(sharedPath('jart', 'reference'), 'sweep_setA');
  const r = await run(['simulate', '--params', `${ref}.params.json`, '--waveform', `${ref}.wave.csv`, '--out', out, '--plot', plot]);
  assert.equal(r.code, 0, r.err);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.ok(lines[0].startsWith('t_s,v_V,i_A,ndisc'));
  assert.equal(lines.length, readFileSync(`${ref}.wave.csv`, 'utf8').trim().split('\n').length);
  assert.ok(readFileSync(plot, 'utf8').startsWith('<svg'));
});

test('simulate --sweep with compliance and series resistance', async () => {
  const out = join(dir, 'sweep.csv');
  const r = await run([
    'simulate',
    '--sweep',
    '--vset',
    '-1.2',
    '--vreset',
    '1.2',
    '--rate',
    '10',
    '--step',
    '0.005',
    '--compliance',
    '1e-4',
    '--series-resistance',
    '100',
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.err);
  const rows = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  assert.equal(rows.length, 1 + 4 * 240);
  for (const row of rows) if (row[1] < 0) assert.ok(Math.abs(row[2]) <= 1e-4 * (1 + 1e-9), `|I| = ${row[2]} at ${row[1]} V`);
  assert.ok(
    rows.some((row) => row[6] === 1),
    'compliance was active somewhere',
  );
});

const refusals: [string, string, string, RegExp][] = [
  [
    'unknown parameter',
    'params',
    '{"model":"jart-vcm-v1b","params":{\n "rdet": 4e-8,\n "bogus": 1\n}}',
    /line 3, column 2: unknown parameter "bogus"/,
  ],
  [
    'out-of-range value',
    'params',
    '{"model":"jart-vcm-v1b","params":{"phiBn0": 0.9}}',
    /line 1, column 35: parameter "phiBn0" = 0.9 eV is outside its valid range \[0.1, 0.5\]/,
  ],
  ['wrong model', 'params', '{"model":"other","params":{}}', /"model" must be "jart-vcm-v1b"/],
  ['non-monotonic time', 'wave', 't_s,v_V\n0,0\n1,-0.5\n0.5,0\n', /line 4, column 1: time must increase/],
  ['missing column', 'wave', 't_s,volts\n0,0\n1,1\n', /missing column "v_V"/],
  ['NaN', 'wave', 't_s,v_V\n0,0\n1,NaN\n2,0\n', /line 3, column 2: v_V must be a finite number/],
  ['short row', 'wave', 't_s,v_V\n0,0\n1\n', /line 3, column 2/],
];

for (const [name, kind, text, re] of refusals) {
  test(`simulate refuses: ${name} (exit 2, message, no output file)`, async () => {
    const bad = join(dir, `bad-${name.replace(/\W+/g, '_')}.${kind === 'params' ? 'json' : 'csv'}`);
    writeFileSync(bad, text);
    const out = join(dir, `never-${name.replace(/\W+/g, '_')}.csv`);
    const args = kind === 'params' ? ['simulate', '--params', bad, '--sweep', '--out', out] : ['simulate', '--waveform', bad, '--out', out];
    const r = await run(args);
    assert.equal(r.code, 2);
    assert.match(r.err, re);
    assert.ok(r.err.includes(bad), 'names the file');
    assert.ok(!/\n\s+at /.test(r.err), 'no stack trace');
    assert.ok(!existsSync(out), 'no output file');
  });
}

test('demo writes the default sweep CSV and SVG', async () => {
  const d = join(dir, 'demo');
  const r = await run(['demo', '--out-dir', d]);
  assert.equal(r.code, 0, r.err);
  assert.ok(existsSync(join(d, 'default_sweep.csv')) && existsSync(join(d, 'default_sweep.svg')));
});
