/**
 * No value export of src/ that nothing imports (scripts/dead-exports.ts walks the import graph of src/, test/, scripts/
 * and bench/; the library entry src/index.ts counts as used). Types are listed by the script but not checked here.
 * KNOWN holds exports allowed to stay dead (none today); an entry that is no longer dead fails too, so the list only
 * shrinks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findDeadExports } from '../../scripts/dead-exports.js';

const KNOWN = new Set<string>([]);

test('no value export of src/ is left that nothing imports', () => {
  const dead = findDeadExports()
    .filter((d) => !d.typeOnly)
    .map((d) => `${d.file}: ${d.name}`);
  const fresh = dead.filter((d) => !KNOWN.has(d));
  assert.deepEqual(fresh, [], `dead exports (remove them, or the export keyword):\n${fresh.join('\n')}`);
  const gone = [...KNOWN].filter((k) => !dead.includes(k));
  assert.deepEqual(gone, [], 'no longer dead: remove from KNOWN');
});

test('the finder sees a dead export, a used one, a re-export and a dynamic import', () => {
  const dead = findDeadExports().map((d) => `${d.file}: ${d.name}`);
  // used by tests only through the stage index, or loaded with import(): not dead
  assert.ok(!dead.includes('src/util/stats.ts: median'));
  assert.ok(!dead.includes('src/population/schema.ts: readPopulation'), 'dynamic import() in src/cli/simulate.ts');
});

test('the finder on a small tree: a dead export, a used one, a dead re-export and a registry member', () => {
  const root = mkdtempSync(join(tmpdir(), 'jartcal-dead-'));
  try {
    const put = (rel: string, text: string): void => {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    put('src/index.ts', "export { used } from './a.js';\n");
    put('src/a.ts', 'export const used = 1;\nexport const dead = 2;\nexport const local = 3;\nexport const twice = local + 1;\n');
    put('src/b.ts', "export { dead } from './a.js';\n");
    put('src/ingest/formats/x.ts', 'export const reader = {};\nexport const other = 1;\n');
    const dead = findDeadExports(root).map(
      (d) => `${d.file}: ${d.name}${d.usedLocally ? ' (local)' : ''}${d.reexport ? ' (re-export)' : ''}`,
    );
    assert.deepEqual(dead.sort(), [
      'src/a.ts: dead',
      'src/a.ts: local (local)',
      'src/a.ts: twice',
      'src/b.ts: dead (re-export)',
      'src/ingest/formats/x.ts: other',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
