/**
 * One source for each thing (issue "the house"): one median/quantile (src/util/stats.ts), one read-voltage default
 * (DEFAULT_READ_VOLTAGE_V), JSON parsed from files only in src/io, one parameter-name list (the model's table), one
 * validator per file format (a `validate*`/`check*` of a whole file goes through its schema in src/schema).
 * Read from the source text of src/ (comments stripped).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
const strip = (t: string): string => t.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
const sources = walk(join(ROOT, 'src')).map((f) => ({ file: relative(ROOT, f), text: strip(readFileSync(f, 'utf8')) }));

/** Lines of src/ matching `re`, as "file: line", outside the files allowed. */
function hits(re: RegExp, allowed: (file: string, line: string) => boolean = () => false): string[] {
  return sources.flatMap(({ file, text }) =>
    text
      .split('\n')
      .filter((l) => re.test(l) && !allowed(file, l))
      .map((l) => `${file}: ${l.trim()}`),
  );
}

test('one median and one quantile: no other definition in src/', () => {
  const defs = hits(
    /\b(function|const|let)\s+(median|quantile|percentile)\s*[=(<]/,
    (f, l) => f === 'src/util/stats.ts' || /medianOf\(/.test(l),
  );
  assert.deepEqual(defs, []);
  // a sort followed by taking a middle element is a median written again
  // (the fit's typical sweep step is a step the instrument took, the upper middle, on purpose: src/fit/cycle-data.ts)
  const middle = hits(
    /\.length\s*>>\s*1\]|\[\s*\(\s*\w+\.length\s*-\s*1\s*\)\s*\/\s*2\s*\]|% 2 \? \w+\[/,
    (f, l) => f === 'src/fit/cycle-data.ts' && /return d\.length \? d\[d\.length >> 1\] : 0;/.test(l),
  );
  assert.deepEqual(middle, []);
});

test('one read-voltage default: no read voltage written as a number outside src/model/constants.ts', () => {
  assert.deepEqual(
    hits(/readVoltage\w*\s*(\?\?|\|\||=|:)\s*0\.\d+\b/, (f) => f === 'src/model/constants.ts'),
    [],
  );
});

test('JSON from files is parsed in src/io only', () => {
  const found = hits(
    /JSON\.parse\(/,
    (f, l) =>
      f.startsWith('src/io/') ||
      /JSON\.parse\(JSON\.stringify\(/.test(l) || // a deep copy
      f === 'src/util/json-position.ts' || // a string token of a text already read
      (f === 'src/cli/crossbar.ts' && /JSON\.parse\(key\)/.test(l)), // a checkpoint's configuration key, already read
  );
  assert.deepEqual(found, []);
});

test('parameter names come from the model table: no hand-written list of the four varying parameters', () => {
  assert.deepEqual(
    hits(/\[\s*'rnew',\s*'lnew',\s*'Ndiscmin',\s*'Ndiscmax'\s*\]/, (f) => f === 'src/model/params.ts'),
    [],
  );
});

test('a whole-file validator goes through a schema of src/schema', () => {
  const bad = sources
    .filter(({ file }) => !file.startsWith('src/schema/'))
    .flatMap(({ file, text }) =>
      [...text.matchAll(/export function (validate\w*|check\w*)\((\w+): unknown[^)]*\)[^{]*\{([\s\S]*?)\n\}/g)]
        .filter((m) => !/parseWith\(|\.safeParse\(|\.parse\(|checkDatasetForFit|validate\w*\(/.test(m[3]))
        .map((m) => `${file}: ${m[1]}`),
    );
  assert.deepEqual(bad, []);
});
