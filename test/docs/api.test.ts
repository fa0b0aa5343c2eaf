/** docs/api.md: its example runs against the library entry, and every name it documents is exported. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as lib from '../../src/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const doc = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');

test('the example of docs/api.md runs and prints what it computes', () => {
  const block = /```ts example\n([\s\S]*?)```/.exec(doc);
  assert.ok(block, 'an example block');
  const code = block[1].replace(/from 'jartcal'/g, `from '${pathToFileURL(join(ROOT, 'src', 'index.ts')).href}'`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^points \d+, peak \|I\| \d+\.\d µA$/);
  assert.match(lines[1], /^rnew \d+\.\d\d nm, rnew \d+\.\d\d nm, rnew \d+\.\d\d nm$/);
  assert.equal(lines[2], 'soft-bounds 0.05');
});

test('every name in the tables of docs/api.md is an export of the library', () => {
  const names = [...doc.matchAll(/^\| ([^|]+) \|/gm)]
    .flatMap((m) => [...m[1].matchAll(/`([A-Za-z_][A-Za-z0-9_]*)(?:\([^`]*\))?`/g)].map((x) => x[1]))
    .filter((n) => n !== 'export');
  assert.ok(names.length > 60, `${names.length} names`);
  for (const n of names) assert.ok(n in lib, `${n} is documented but not exported`);
});
