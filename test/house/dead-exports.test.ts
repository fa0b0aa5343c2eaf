/**
 * No value export of src/ that nothing imports (scripts/dead-exports.ts walks the import graph of src/, test/, scripts/
 * and bench/; the library entry src/index.ts counts as used). Types are listed by the script but not checked here.
 * KNOWN holds the exports left in modules under rework when this check was added; an entry that is no longer dead
 * fails too, so the list only shrinks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDeadExports } from '../../scripts/dead-exports.js';

const KNOWN = new Set([
  'src/cli/refine.ts: momentLabel',
  'src/fit/hier/index.ts: DEFAULT_HIER_OPTIONS',
  'src/fit/hier/records.ts: ABOVE_FLOOR_FACTOR',
  'src/io/profile.ts: attachProfile',
  'src/io/profile.ts: readProfile',
  'src/io/profile.ts: writeProfile',
  'src/population/moments.ts: MIN_DEVICES',
]);

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
  assert.ok(dead.includes('src/io/profile.ts: readProfile'));
});
