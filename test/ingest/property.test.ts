// fast-check: thousands of random malformed files. Each either ingests into a valid dataset or is refused
// with a JartcalError; nothing else is thrown, nothing hangs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  assembleDataset,
  parseFileBytes,
  resolveIngestOptions,
  validateDataset,
  type IngestIssue,
  type IngestOptions,
} from '../../src/ingest/index.js';
import { isJartcalError } from '../../src/util/errors.js';
import { REPO_ROOT } from '../helpers/shared.js';

let slowest = 0;
function ingestOrRefuse(bytes: Uint8Array, name: string, o: IngestOptions = {}): 'ok' | 'refused' {
  const t0 = performance.now();
  try {
    const opts = resolveIngestOptions(o);
    const issues: IngestIssue[] = [];
    const { traces } = parseFileBytes(bytes, name, opts, issues);
    const ds = assembleDataset(traces, opts, [name], issues);
    validateDataset(JSON.parse(JSON.stringify(ds)));
    return 'ok';
  } catch (e) {
    if (!isJartcalError(e))
      throw new Error(
        `not a JartcalError for ${JSON.stringify(new TextDecoder('latin1').decode(bytes).slice(0, 300))}: ${e instanceof Error ? e.stack : String(e)}`,
      );
    assert.ok(e.message.length > 10 && !/undefined|NaN|\[object/.test(e.message.replace(/"[^"]*"/g, '')), e.message);
    return 'refused';
  } finally {
    slowest = Math.max(slowest, performance.now() - t0);
  }
}

const cellTok = fc.oneof(
  fc.double({ noNaN: false }).map(String),
  fc.integer().map(String),
  fc.constantFrom(
    '',
    '--',
    'NaN',
    'Inf',
    '-inf',
    '1e400',
    '#REF!',
    '1,5',
    '"2.5"',
    "'3'",
    '1.2.3',
    '1e',
    '.',
    '-',
    '+',
    '0x10',
    '12 uA',
    '3 mA',
    '4 mV',
    'µ',
    'Cycle 1',
    'abc',
    ' ',
    '\u2212 1',
  ),
  fc.string({ maxLength: 12 }),
);
const headerTok = fc.constantFrom(
  'V',
  'I',
  'Voltage (V)',
  'Current (A)',
  'AV',
  'AI',
  'Time',
  'I [mA]',
  'Vforce',
  'IF',
  'cycle',
  'device',
  'R',
  'absI',
  'Voltage (kg)',
  '',
  'Experiment #',
  'V1',
  'I1',
  '@TIME',
);
const sep = fc.constantFrom(',', ';', '\t', ' ', '|', ', ');
const nl = fc.constantFrom('\n', '\r\n', '\r');
const tableText = fc
  .record({
    sep,
    nl,
    pre: fc.array(
      fc.oneof(
        fc.constantFrom(
          '# Compliance: 1 mA',
          '% comment',
          'Test Name,Set#1@1',
          'Device ID,d1',
          '=====',
          'SetupTitle, x',
          'DataName, V1, I1',
        ),
        fc.string({ maxLength: 30 }),
      ),
      { maxLength: 4 },
    ),
    header: fc.array(headerTok, { minLength: 0, maxLength: 5 }),
    rows: fc.array(fc.array(cellTok, { maxLength: 5 }), { maxLength: 40 }),
  })
  .map(({ sep, nl, pre, header, rows }) => [...pre, header.join(sep), ...rows.map((r) => r.join(sep))].join(nl));

// well-formed sweeps with random damage
const goodRows = Array.from({ length: 60 }, (_, k) => {
  const v = k < 15 ? -0.06 * k : k < 30 ? -0.06 * (30 - k) : k < 45 ? 0.06 * (k - 30) : 0.06 * (60 - k);
  const i = v < -0.7 || (k >= 15 && k < 38) ? v / 2e3 : (Math.sinh(v / 0.25) * 0.25) / 2e5;
  return `${v.toFixed(3)},${i.toExponential(4)}`;
});
const damaged = fc
  .record({
    cut: fc.nat({ max: 2000 }),
    edits: fc.array(fc.record({ at: fc.nat({ max: 2000 }), del: fc.nat({ max: 8 }), ins: fc.string({ maxLength: 6 }) }), { maxLength: 5 }),
  })
  .map(({ cut, edits }) => {
    let s = ['V,I', ...goodRows].join('\n');
    for (const e of edits) {
      const a = e.at % (s.length + 1);
      s = s.slice(0, a) + e.ins + s.slice(a + e.del);
    }
    return s.slice(0, Math.max(1, s.length - cut));
  });

test('random tables: only JartcalErrors, never a crash or a hang', () => {
  const seen = { ok: 0, refused: 0 };
  fc.assert(
    fc.property(tableText, fc.boolean(), (text, lenient) => {
      seen[ingestOrRefuse(new TextEncoder().encode(text), 'random.csv', { lenient })]++;
    }),
    { numRuns: 2500, seed: 42 },
  );
  assert.ok(seen.refused > 100, JSON.stringify(seen));
});

test('damaged good sweeps: read (when still sound) or refused, never misread silently', () => {
  const seen = { ok: 0, refused: 0 };
  fc.assert(
    fc.property(damaged, (text) => {
      const r = ingestOrRefuse(new TextEncoder().encode(text), 'damaged.csv');
      seen[r]++;
      if (r === 'ok') {
        // a file that still reads must have lost no row silently: each data row of the text is a sample
        const lines = text
          .split(/\r\n|\n|\r/)
          .slice(1)
          .filter((l) => l.trim() !== '');
        const opts = resolveIngestOptions({});
        const { traces } = parseFileBytes(new TextEncoder().encode(text), 'damaged.csv', opts, []);
        assert.equal(
          traces.reduce((n, t) => n + t.vV.length, 0),
          lines.length,
        );
      }
    }),
    { numRuns: 1500, seed: 7 },
  );
  assert.ok(seen.ok > 50 && seen.refused > 50, JSON.stringify(seen));
});

test('random bytes, truncated workbooks and B1500 files', () => {
  const xlsx = readFileSync(join(REPO_ROOT, 'fixtures', 'ingest', 'blocks-3devices.xlsx'));
  const b1500 = readFileSync(join(REPO_ROOT, 'fixtures', 'ingest', 'b1500-3runs.csv'));
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
      ingestOrRefuse(bytes, 'bytes.dat');
    }),
    { numRuns: 800, seed: 3 },
  );
  fc.assert(
    fc.property(fc.nat({ max: xlsx.length - 1 }), fc.nat({ max: 255 }), (cut, b) => {
      const bytes = new Uint8Array(xlsx.subarray(0, Math.max(4, cut)));
      if (cut > 100) bytes[cut >> 1] = b;
      ingestOrRefuse(bytes, 'cut.xlsx');
    }),
    { numRuns: 150, seed: 5 },
  );
  fc.assert(
    fc.property(fc.nat({ max: b1500.length }), fc.string({ maxLength: 10 }), fc.nat({ max: b1500.length }), (cut, ins, at) => {
      const s = b1500.toString('utf8').slice(0, cut);
      ingestOrRefuse(new TextEncoder().encode(s.slice(0, at) + ins + s.slice(at)), 'cut-b1500.csv');
    }),
    { numRuns: 200, seed: 9 },
  );
  assert.ok(slowest < 5000, `slowest case ${slowest.toFixed(0)} ms`);
});
