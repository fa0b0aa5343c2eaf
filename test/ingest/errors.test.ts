// Bad input: each case is refused with a JartcalError naming the file, the line (or sheet and cell), the column
// and what was expected; the CLI exits non-zero, prints no stack trace and writes no output file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as XLSX from '@e965/xlsx';
import { ingestFiles } from '../../src/io/ingest.js';
import { readDataset, writeDataset } from '../../src/io/dataset.js';
import { JartcalError } from '../../src/util/errors.js';
import { REPO_ROOT } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'jartcal-ingest-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const put = (name: string, content: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const sweep = (n = 12) =>
  Array.from({ length: n }, (_, k) => {
    const v = k < n / 2 ? -0.1 * k : -0.1 * (n - k);
    return `${v.toFixed(2)},${(1e-6 * (v || 0.01)).toExponential(3)}`;
  });

function refuses(
  path: string,
  expect: { code?: string; line?: number; column?: number | string; cell?: string; sheet?: string; text: RegExp },
  opts = {},
): void {
  assert.throws(
    () => ingestFiles([path], opts),
    (e: unknown) => {
      assert.ok(e instanceof JartcalError, String(e));
      assert.ok(e.message.includes(path), `names the file: ${e.message}`);
      assert.match(e.message, expect.text);
      if (expect.code) assert.equal(e.code, expect.code);
      if (expect.line !== undefined) assert.equal(e.location.line, expect.line, e.message);
      if (expect.column !== undefined) assert.equal(e.location.column, expect.column, e.message);
      if (expect.cell !== undefined) assert.equal(e.location.cell, expect.cell, e.message);
      if (expect.sheet !== undefined) assert.equal(e.location.sheet, expect.sheet);
      return true;
    },
  );
}

test('empty and white-space-only files', () => {
  refuses(put('empty.csv', ''), { code: 'empty_file', text: /empty/ });
  refuses(put('blank.csv', '\n \n\t\n'), { code: 'empty_file', text: /white space/ });
});

test('binary file', () => {
  const bytes = new Uint8Array(4096);
  for (let k = 0; k < bytes.length; k++) bytes[k] = (k * 7919 + 13) % 256;
  refuses(put('blob.csv', bytes), { code: 'binary_file', text: /binary/ });
  refuses(put('fake.xlsx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])), {
    code: 'bad_workbook',
    text: /not a readable Excel workbook/,
  });
});

test('missing current column, and no recognisable header at all', () => {
  refuses(put('nocurrent.csv', ['Voltage (V),Resistance (Ohm)', '0,1e5', '0.1,1e5', '0.2,1e5'].join('\n')), {
    code: 'missing_current_column',
    line: 1,
    text: /no current column.*expected a header such as "Current \(A\)"/,
  });
  refuses(put('noheader.csv', ['0,0', '0.1,0.1', '0.2,0.2'].join('\n')), {
    code: 'missing_columns',
    text: /no header row naming a voltage and a current column/,
  });
});

test('non-numeric cell, NaN, Inf, Excel error strings', () => {
  const rows = ['V,I', ...sweep()];
  const bad = (cell: string) => {
    const r = rows.slice();
    r[4] = `-0.30,${cell}`;
    return r.join('\n');
  };
  refuses(put('abc.csv', bad('abc')), {
    code: 'bad_row',
    line: 5,
    column: 2,
    text: /column "I": expected a current as a finite number, got "abc"/,
  });
  refuses(put('nan.csv', bad('NaN')), { code: 'bad_row', line: 5, column: 2, text: /got "NaN" \(a non-finite value\)/ });
  refuses(put('inf.csv', bad('-Inf')), { code: 'bad_row', line: 5, column: 2, text: /non-finite/ });
  refuses(put('ref.csv', bad('#REF!')), { code: 'bad_row', line: 5, column: 2, text: /#REF!/ });
  refuses(put('vbad.csv', rows.map((r, k) => (k === 3 ? 'x1.5,1e-6' : r)).join('\n')), {
    code: 'bad_row',
    line: 4,
    column: 1,
    text: /expected a voltage/,
  });
});

test('truncated last row', () => {
  refuses(put('trunc1.csv', ['V,I', ...sweep(), '-0.3,'].join('\n')), {
    code: 'bad_row',
    line: 14,
    column: 2,
    text: /current is missing \(empty cell or truncated row\)/,
  });
  refuses(put('trunc2.csv', ['V,I', ...sweep(), '-0.3'].join('\n') + '\n'), { code: 'bad_row', line: 14, column: 2, text: /truncated/ });
  refuses(put('trunc3.csv', ['V,I', ...sweep(), '-0.3,1.2e'].join('\n')), { code: 'bad_row', line: 14, column: 2, text: /not a number/ });
});

test('mixed units in a column', () => {
  const rows = ['V,I', '0 V,1 uA', '-0.1 V,2 uA', '-0.2 V,3 mA', '-0.1 V,2 uA', '0 V,1 uA'];
  refuses(put('mixed.csv', rows.join('\n')), {
    code: 'bad_row',
    line: 4,
    column: 2,
    text: /mixed units in column "I": "mA" here but "uA" at line 2/,
  });
  refuses(put('mixed2.csv', ['V,I', '0,1 uA', '-0.1,2e-6', '-0.2,3 uA'].join('\n')), { code: 'bad_row', line: 3, text: /mixed units/ });
  refuses(put('badunit.csv', ['V,I [kg]', '0,1', '-0.1,2', '-0.2,3'].join('\n')), {
    code: 'bad_unit',
    text: /unit "kg" is not a current unit/,
  });
});

test('one-point and two-point sweeps', () => {
  refuses(
    put('one.csv', 'V,I\n-0.1,1e-6\n'),
    { code: 'too_few_points', text: /at least 3 points; this one has 1/ },
    { setPolarity: 'negative' },
  );
  refuses(put('two.csv', 'V,I\n-0.1,1e-6\n-0.2,2e-6\n'), { code: 'too_few_points', text: /has 2/ }, { setPolarity: 'negative' });
});

test('workbook cells are named by sheet and cell', () => {
  const aoa: (string | number)[][] = [['Voltage (V)', 'Current (A)'], ...sweep().map((r) => r.split(',').map(Number))];
  aoa[5][1] = 'oops' as unknown as number;
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), 'Run1');
  const p = put('bad.xlsx', XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Uint8Array);
  refuses(p, { code: 'bad_row', sheet: 'Run1', cell: 'B6', text: /sheet "Run1", cell B6: column "Current \(A\)": expected a current/ });
  refuses(p, { code: 'no_sheet', text: /no sheet "Data"; the workbook has 0: "Run1"/ }, { sheet: 'Data' });
});

test('partly bad files: refused by default; under --lenient every dropped row is reported', () => {
  const rows = ['V,I', ...sweep(20)];
  rows[3] = '-0.20,oops';
  rows[9] = '-0.80,NaN';
  const p = put('partly.csv', rows.join('\n'));
  refuses(p, { line: 4, text: /--lenient drops such rows/ });
  const ds = ingestFiles([p], { lenient: true, setPolarity: 'negative' });
  const dropped = ds.issues.filter((i) => i.code === 'dropped_row');
  assert.deepEqual(
    dropped.map((d) => d.location?.line),
    [4, 10],
  );
  assert.equal(ds.devices[0].cycles[0].vV.length, 18);
});

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'ingest', 'run-cli.ts'), ...args], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
  });

test('CLI: a bad file exits 2 with one clear line, no stack trace, and no output file', () => {
  const out = join(dir, 'never.json');
  const bad = put('cli-bad.csv', ['V,I', ...sweep(), '-0.3,'].join('\n'));
  const r = cli(['ingest', bad, '--out', out]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^jartcal: .*cli-bad\.csv, line 14, column 2: column "I": the current is missing/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(existsSync(out), false);
  const r2 = cli(['ingest', join(dir, 'does-not-exist.csv'), '--out', out]);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /does-not-exist\.csv: file not found/);
  const r3 = cli(['ingest', bad, '--out', out, '--set-polarity', 'sideways']);
  assert.equal(r3.status, 2);
  assert.match(r3.stderr, /--set-polarity expects positive\|negative/);
  assert.equal(existsSync(out), false);
});

test('CLI: --json prints exactly the summary; --lenient reports dropped rows on stderr', () => {
  const out = join(dir, 'ds.json');
  const rows = ['V,I', ...sweep(20)];
  rows[3] = '-0.20,oops';
  const p = put('cli-partly.csv', rows.join('\n'));
  const r = cli([
    'ingest',
    p,
    join(REPO_ROOT, 'fixtures', 'ingest', 'b1500-3runs.csv'),
    '--out',
    out,
    '--json',
    '--lenient',
    '--set-polarity',
    'negative',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), ['devices', 'cycles', 'perDevice']);
  assert.equal(j.devices, 2);
  assert.equal(j.cycles, 4);
  assert.deepEqual(Object.keys(j.perDevice[0]), ['id', 'cycles', 'setPolarity', 'complianceA']);
  assert.deepEqual(
    j.perDevice.map((d: { id: string }) => d.id),
    ['cli-partly', 'b15dev'],
  );
  assert.match(r.stderr, /dropped row: .*cli-partly\.csv, line 4: column "I"/);
  assert.ok(existsSync(out));
  const back = readDataset(out);
  assert.equal(back.schema, 'jartcal.dataset/2');
  assert.equal(back.devices[1].cycles[2].vV.length, 241);
  assert.deepEqual(
    back.issues.filter((i) => i.code === 'dropped_row').map((i) => i.location?.line),
    [4],
  );
  const help = cli(['ingest', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--set-polarity/);
});

test('a pulse train (pulses with reads at 0 V between them) is refused as not a sweep; beside sweeps in a folder it is skipped and reported', () => {
  // 0 V read, then -2 V / -1 V depression pulses and +1 V potentiation pulses, a read after each: our own numbers
  const levels = [-2, -1, -2, -1, -2, -1, 1, 0.5, 1, 0.5, 1, 0.5];
  const rows = ['Time (s),Applied voltage (V),Current (A)'];
  let t = 0;
  for (const [k, v] of levels.entries()) {
    rows.push(`${(t += 0.3).toFixed(1)},0,${(1e-10 * (1 + 0.1 * k)).toExponential(3)}`);
    rows.push(`${(t += 0.3).toFixed(1)},${v},${(v * 1e-5).toExponential(3)}`);
  }
  rows.push(`${(t += 0.3).toFixed(1)},0,1e-10`);
  const p = put('pulses.csv', rows.join('\n') + '\n');
  refuses(p, { code: 'not_a_sweep', text: /jumps between levels/ });
  // a coarse triangle sweep with as many points is no pulse train
  const sub = join(dir, 'with-sweep');
  rmSync(sub, { recursive: true, force: true });
  mkdirSync(sub);
  writeFileSync(join(sub, 'pulses.csv'), rows.join('\n') + '\n');
  const v = [0, -0.5, -1, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 1, 0.5, 0, -0.5, -1, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 1, 0.5, 0];
  let lrs = false;
  const sweepRows = ['Voltage (V),Current (A)'];
  for (const x of v) {
    if (x <= -1.5) lrs = true;
    if (x >= 1.5) lrs = false;
    sweepRows.push(`${x},${(x / (lrs ? 1e3 : 1e6)).toExponential(3)}`);
  }
  writeFileSync(join(sub, 'sweep.csv'), sweepRows.join('\n') + '\n');
  const ds = ingestFiles([sub]);
  assert.deepEqual(
    ds.devices.map((d) => [d.id, d.cycles.length]),
    [['sweep', 2]],
  );
  const skipped = ds.issues.filter((i) => i.code === 'skipped_pulse_train');
  assert.equal(skipped.length, 1);
  assert.ok(skipped[0].location!.file!.endsWith('pulses.csv'));
});

test('dataset.json through its one schema: what ingest writes reads back; a /1 file reads; a bad field is named by path, line and column', () => {
  const ds = ingestFiles([join(REPO_ROOT, 'fixtures', 'ingest', 'generic-2cycles-mA.csv')]);
  const p = join(dir, 'ds-roundtrip.json');
  writeDataset(p, ds);
  const back = readDataset(p);
  assert.equal(back.devices[0].cycles.length, ds.devices[0].cycles.length);
  assert.deepEqual(back.devices[0].cycles[1].iA, ds.devices[0].cycles[1].iA);
  assert.equal(back.devices[0].polaritySource, ds.devices[0].polaritySource);
  // a hand-made /1 file without time, branches or features: time from the sample index, the device id filled
  const one = put(
    'ds-v1.json',
    JSON.stringify({
      schema: 'jartcal.dataset/1',
      devices: [{ id: 'a', setPolarity: 'negative', cycles: [{ cycle: 1, vV: [0, -1, 0], iA: [0, -1e-6, 0] }] }],
    }),
  );
  const c = readDataset(one).devices[0].cycles[0];
  assert.deepEqual([c.device, c.tS, c.timeSource, c.branch, c.features], ['a', [0, 1, 2], 'index', undefined, undefined]);
  // unequal lengths and a bad polarity: code bad_dataset, the JSON path, line and column
  const bad = put(
    'ds-bad.json',
    '{\n "schema": "jartcal.dataset/2",\n "devices": [\n  {"id": "a", "setPolarity": "negative", "cycles": [{"cycle": 1, "vV": [0, 1, 0], "iA": [0, 1]}]}\n ]\n}\n',
  );
  assert.throws(
    () => readDataset(bad),
    (e: unknown) =>
      e instanceof JartcalError &&
      e.code === 'bad_dataset' &&
      e.message.includes('devices[0].cycles[0].iA') &&
      /3 values, as many as vV \(got 2\)/.test(e.message) &&
      e.location.line === 4,
  );
  const pol = put('ds-pol.json', JSON.stringify({ schema: 'jartcal.dataset/2', devices: [{ id: 'a', setPolarity: 'up', cycles: [] }] }));
  assert.throws(
    () => readDataset(pol),
    (e: unknown) => e instanceof JartcalError && /devices\[0\]\.setPolarity: expected one of positive, negative/.test(e.message),
  );
  assert.throws(
    () => readDataset(put('ds-v9.json', '{"schema": "jartcal.dataset/9", "devices": []}')),
    (e: unknown) => e instanceof JartcalError && /schema: expected one of jartcal\.dataset\/1, jartcal\.dataset\/2/.test(e.message),
  );
});
