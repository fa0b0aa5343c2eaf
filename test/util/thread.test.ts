/** Worker threads of the toolkit's modules (src/util/thread.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

test('a compiled module thread starts from a parent run as node --input-type=module -e (it used to fail on the inherited options)', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const thread = join(root, 'src', 'util', 'thread.ts');
  // a compiled module beside a compiled caller (the dist/ layout): the thread gets the module's URL, not an eval
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-thread-'));
  writeFileSync(join(dir, 'w.js'), "require('node:worker_threads').parentPort.postMessage('up');\n");
  const base = pathToFileURL(join(dir, 'caller.js')).href;
  const code = `const { spawnModuleThread } = await import(${JSON.stringify(thread)});
    const w = spawnModuleThread(${JSON.stringify(base)}, './w.ts');
    const r = await new Promise((resolve) => { w.once('message', resolve); w.once('error', (e) => resolve(e.message)); });
    await w.terminate(); process.stdout.write(JSON.stringify(r));`;
  const p = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  assert.equal(JSON.parse(p.stdout), 'up');
});
