import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonFile, readJsonFormat } from '../../src/io/json.js';
import { fitsSchema } from '../../src/schema/fits.js';
import { JartcalError } from '../../src/util/errors.js';
import { jsonPathOffset, lineColumn } from '../../src/util/json-position.js';

const dir = mkdtempSync(join(tmpdir(), 'jartcal-io-'));
const err = (f: () => unknown): JartcalError => {
  try {
    f();
  } catch (e) {
    if (e instanceof JartcalError) return e;
    throw e;
  }
  assert.fail('no error');
};

test('readJsonFile: a missing file, a syntax error (line, column, expected) each with its own code', () => {
  const missing = err(() => readJsonFile(join(dir, 'nope.json')));
  assert.equal(missing.code, 'not_found');
  assert.match(missing.message, /nope\.json: file not found/);
  const p = join(dir, 'bad.json');
  writeFileSync(p, '{\n  "a": 1,\n  "b": [1, 2,]\n}\n');
  const bad = err(() => readJsonFile(p));
  assert.equal(bad.code, 'bad_json');
  assert.match(bad.message, /bad\.json, line 3, column 14: not valid JSON: expected a value/);
});

test('readJsonFormat: a schema problem names the file, the line and column of the field, its JSON path, what was expected and found', () => {
  const p = join(dir, 'fits.json');
  writeFileSync(
    p,
    JSON.stringify(
      {
        schema: 'jartcal.fits/1',
        dataset: 'd',
        settings: {},
        devices: [],
        cycles: [{ device: 'A', cycle: 1, params: {}, rmsLog10: 0.1, converged: 'yes' }],
      },
      null,
      2,
    ),
  );
  const e = err(() => readJsonFormat(p, fitsSchema, 'bad_fits'));
  assert.equal(e.code, 'bad_fits');
  assert.match(e.message, /fits\.json, line 12, column 7: cycles\[0\]\.converged: expected true or false, got "yes"/);
});

test('jsonPathOffset finds keys and array elements', () => {
  const t = '{"a": [10, {"b": 2}], "c": "x,]"}';
  assert.equal(t.slice(jsonPathOffset(t, ['a', 1, 'b'])).slice(0, 3), '"b"');
  assert.equal(t.slice(jsonPathOffset(t, ['c'])).slice(0, 3), '"c"');
  assert.deepEqual(lineColumn('ab\ncd', 4), { line: 2, column: 2 });
});
