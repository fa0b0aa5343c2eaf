/** Worker threads of the toolkit's modules (src/util/thread.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadExecArgv } from '../../src/util/thread.js';

test('threadExecArgv: a parent run as node -e / -p / --input-type passes its other options on, not those', () => {
  assert.deepEqual(threadExecArgv(['--input-type=module', '-e', 'code']), []);
  assert.deepEqual(threadExecArgv(['--import', 'tsx', '--eval', 'x', '--max-old-space-size=512']), [
    '--import',
    'tsx',
    '--max-old-space-size=512',
  ]);
  assert.deepEqual(threadExecArgv(['-p', '1+1', '--input-type', 'module', '--no-warnings']), ['--no-warnings']);
  assert.deepEqual(threadExecArgv(['--eval=x', '--print=y', '--enable-source-maps']), ['--enable-source-maps']);
});

test('a module thread starts from a parent run as node --input-type=module -e (it used to fail on the inherited options)', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const stream = join(root, 'src', 'io', 'simcsv-stream.ts');
  const out = join(mkdtempSync(join(tmpdir(), 'jartcal-thread-')), 'empty.csv');
  const code = `const { SimCsvStream } = await import(${JSON.stringify(stream)});
    const s = new SimCsvStream(); s.open(${JSON.stringify(out)}, 0); const r = await s.finish(); process.stdout.write(JSON.stringify(r));`;
  const p = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  assert.deepEqual(JSON.parse(p.stdout), { ok: true });
  assert.equal(readFileSync(out, 'utf8'), 't_s,v_V,i_A,ndisc,v_cell_V,T_K,compliance,vs_V\n');
});
