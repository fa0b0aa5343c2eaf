import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatsMarkdown, fieldTable } from '../../src/schema/docs.js';
import { fitsSchema } from '../../src/schema/fits.js';

test('docs/formats.md is what `npm run docs:formats` generates from the schemas', () => {
  const onDisk = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'formats.md'), 'utf8');
  assert.ok(onDisk === formatsMarkdown(), 'docs/formats.md is out of date: run `npm run docs:formats`');
});

test('a field table names the fields, whether they are required and their schema descriptions', () => {
  const t = fieldTable(fitsSchema);
  assert.match(t, /\| `cycles\[\]\.converged` \| boolean \| no \| the optimiser met its convergence test/);
  assert.match(t, /\| `schema` \| `"jartcal.fits\/1"` \\\| `"jartcal.fits\/2"` \| yes \|/);
  assert.match(t, /\| `cycles\[\]\.flags\[\]\.code` \| name \| yes \| what is wrong: `param_at_bound`/);
});
