/**
 * A new ingest format is one file in src/ingest/formats/, a fixture and a test (the registry finds the file):
 * every reader file is registered, in detection order (specific readers by name, then the generic ones), its --format name is in `jartcal ingest --help` (from the registry) and in
 * docs/ingest.md's table of readers, and a fixture named for it is read by a test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { READERS, FORMAT_NAMES } from '../../src/ingest/formats/index.js';
import { command as ingestCommand } from '../../src/cli/ingest.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FORMATS = join(ROOT, 'src', 'ingest', 'formats');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? [p, ...walk(p)] : [p];
  });

test('every reader file in src/ingest/formats is in the registry, once, with a unique name', async () => {
  const files = readdirSync(FORMATS).filter((f) => /^export const reader\b/m.test(readFileSync(join(FORMATS, f), 'utf8')));
  assert.ok(files.length >= 5);
  const registered = new Set(READERS);
  for (const f of files) {
    const mod = (await import(join(FORMATS, f))) as { reader: (typeof READERS)[number] };
    assert.ok(registered.has(mod.reader), `${f}: reader "${mod.reader.name}" not found by formats/index.ts`);
  }
  assert.equal(READERS.length, files.length, 'a registered reader without its own file');
  assert.equal(new Set(FORMAT_NAMES).size, FORMAT_NAMES.length);
});

test('detection order: every specific reader before the generic ones, each group by name', () => {
  const firstGeneric = READERS.findIndex((r) => r.generic);
  assert.ok(firstGeneric > 0, 'a generic reader and a specific one are registered');
  assert.ok(
    READERS.slice(firstGeneric).every((r) => r.generic),
    'a specific reader after a generic one would never be reached',
  );
  for (const group of [READERS.slice(0, firstGeneric), READERS.slice(firstGeneric)]) {
    const names = group.map((r) => r.name);
    assert.deepEqual(names, [...names].sort());
  }
  // the generic readers accept anything of their kind: for each kind one exists, the last resort
  for (const kind of ['text', 'workbook'] as const)
    assert.ok(
      READERS.some((r) => r.generic && r.reads.includes(kind)),
      kind,
    );
});

test('every registered format is named in `ingest --help`, in docs/ingest.md and read by a test', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'ingest.md'), 'utf8');
  const tests = readdirSync(join(ROOT, 'test', 'ingest'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => readFileSync(join(ROOT, 'test', 'ingest', f), 'utf8'))
    .join('\n');
  for (const r of READERS) {
    assert.ok(ingestCommand.help.includes(r.name), `--help does not name ${r.name}`);
    assert.match(doc, new RegExp(`^\\| \`${r.name}\` \\|`, 'm'), `docs/ingest.md's reader table has no row for ${r.name}`);
    if (r.generic) continue; // the generic readers: every plain fixture
    const fixtures = walk(join(ROOT, 'fixtures', 'ingest')).filter((f) => f.toLowerCase().includes(r.name));
    assert.ok(fixtures.length > 0, `no fixture under fixtures/ingest is named for the ${r.name} reader`);
    assert.ok(tests.includes(r.name), `no test under test/ingest names the ${r.name} reader or its fixture`);
  }
});
