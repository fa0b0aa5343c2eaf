// Lab test sequences (fixtures/ingest/sequences/, written by scripts/make-sequence-fixtures.ts from our own numbers):
// a Clarius campaign with one folder per device and the same file names in each, leakage / forming / first RESET
// steps, SET and RESET in separate workbooks with misaligned run numbers; bad inputs; "compliance off"; the
// Keithley 2450 buffer reader; a workbook crafted to pollute Object.prototype.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as XLSX from '@e965/xlsx';
import { ingestFiles } from '../../src/io/ingest.js';
import { validateDataset } from '../../src/ingest/index.js';
import { isJartcalError } from '../../src/util/errors.js';
import { REPO_ROOT } from '../helpers/shared.js';

const S = (...p: string[]) => join(REPO_ROOT, 'fixtures', 'ingest', 'sequences', ...p);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

test('a campaign (two device folders, identical file names) ingests with no flags into two devices of endurance SET/RESET pairs in time order', () => {
  const ds = ingestFiles([S('campaign')]);
  validateDataset(JSON.parse(JSON.stringify(ds)));
  assert.equal(ds.schema, 'jartcal.dataset/2');
  assert.deepEqual(
    ds.devices.map((d) => d.id),
    ['D1', 'D2'],
  );
  const truth = {
    D1: { scales: [1.0, 1.1, 1.2, 1.3, 1.4, 1.5], set0: 123, reset0: 1, formingV: -2.5, pristine: 1e9 },
    D2: { scales: [0.6, 0.7, 0.8, 0.9, 1.0, 1.1], set0: 140, reset0: 7, formingV: -2.8, pristine: 4e9 },
  };
  for (const dev of ds.devices) {
    const t = truth[dev.id as 'D1' | 'D2'];
    assert.equal(dev.setPolarity, 'negative');
    assert.equal(dev.complianceA, 1e-4);
    assert.equal(dev.cycles.length, 6);
    // cycle k = SET run set0+k (every third sheet labelled "Cycle k") with RESET run reset0+k, by time stamps
    dev.pairing!.forEach((p, k) => {
      assert.equal(p.by, 'time');
      assert.equal(p.set!.sheet, k % 3 === 2 ? `Cycle${k + 1}` : `Run${t.set0 + k}`);
      assert.equal(p.reset!.sheet, `Run${t.reset0 + k}`);
      assert.match(p.set!.file, new RegExp(`${dev.id}[\\\\/]0${4 + Math.floor(k / 3)} endurance set\\.xlsx$`));
    });
    // both halves of a cycle come from one toy loop: LRS follows its scale (2 kΩ × scale)
    dev.cycles.forEach((c, k) => {
      assert.ok(rel(c.features.lrsOhm!, 2e3 * t.scales[k]) < 0.06, `${dev.id} cycle ${k + 1}: LRS ${c.features.lrsOhm}`);
      assert.equal(c.complianceSource, 'metadata');
    });
    for (let k = 1; k < dev.cycles.length; k++) assert.ok(dev.pairing![k].set!.file >= dev.pairing![k - 1].set!.file);
    // the other steps: reported, left out, metadata kept
    const roles = dev.tests!.filter((x) => !x.used).map((x) => x.role);
    assert.deepEqual(roles, ['leakage', 'forming', 'first-reset']);
    assert.ok(dev.tests!.every((x) => x.startTime !== undefined));
    assert.ok(Math.abs(dev.formingV! - t.formingV) <= 0.021, `formingV ${dev.formingV}`);
    assert.ok(rel(dev.pristineOhm!, t.pristine) < 0.05, `pristine ${dev.pristineOhm}`);
  }
  for (const code of ['skipped_leakage', 'skipped_forming', 'skipped_first_reset'])
    assert.equal(ds.issues.filter((i) => i.code === code).length, 2, code);
  assert.ok(!ds.issues.some((i) => i.code === 'unpaired_half'));
});

test('device ids: two folders of the same name are an error naming both paths, never a merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-seq-'));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet([
      ['V', 'I'],
      [0, 0],
      [-1, -1e-4],
      [0, 0],
      [1, 1e-6],
      [0, 0],
    ]),
    'Run1',
  );
  for (const lot of ['lotA', 'lotB']) {
    const p = join(dir, lot, 'D1');
    mkdirSync(p, { recursive: true });
    writeFileSync(join(p, '04 endurance set.xlsx'), XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  }
  assert.throws(
    () => ingestFiles([dir]),
    (e) => isJartcalError(e) && e.code === 'device_id_clash' && /lotA/.test(e.message) && /lotB/.test(e.message),
  );
});

test('a SET with no RESET partner is kept as a half-cycle and reported, never paired across tests', () => {
  const ds = ingestFiles([S('unpaired')]);
  const dev = ds.devices[0];
  assert.equal(dev.cycles.length, 3);
  assert.deepEqual(
    dev.pairing!.map((p) => p.by),
    ['time', 'unpaired', 'time'],
  );
  assert.equal(dev.pairing![1].reset, undefined);
  const is = ds.issues.find((i) => i.code === 'unpaired_half');
  assert.ok(is && is.location?.file?.endsWith('04 endurance set.xlsx') && is.location.sheet === 'Run11');
});

test('run numbers against time stamps: refused naming file and sheet; --lenient orders by time and reports', () => {
  assert.throws(
    () => ingestFiles([S('time-order')]),
    (e) => isJartcalError(e) && e.code === 'time_order' && /04 endurance set\.xlsx, sheet "Run11"/.test(e.message),
  );
  const ds = ingestFiles([S('time-order')], { lenient: true });
  assert.ok(ds.issues.some((i) => i.code === 'time_order'));
  assert.deepEqual(
    ds.devices[0].pairing!.map((p) => p.set!.sheet),
    ['Run11', 'Run10', 'Cycle3'],
  );
});

test('"current compliance off" in the header: no compliance, although the data plateau at 0.4 mA', () => {
  const ds = ingestFiles([S('compliance-off.csv')]);
  const c = ds.devices[0].cycles[0];
  assert.equal(c.complianceA, null);
  assert.equal(c.complianceSource, 'off');
  assert.equal(ds.devices[0].complianceA, null);
  // the same data without the statement: the plateau guess, with its evidence
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-seq-'));
  const p = join(dir, 'plain.csv');
  writeFileSync(
    p,
    readFileSync(S('compliance-off.csv'), 'utf8')
      .split('\n')
      .filter((l) => !l.includes('compliance off'))
      .join('\n'),
  );
  const g = ingestFiles([p]).devices[0].cycles[0];
  assert.equal(g.complianceSource, 'plateau');
  assert.equal(g.complianceA, 4e-4);
  assert.equal(g.complianceEvidence?.method, 'smu-plateau');
  assert.equal(g.complianceEvidence?.confidence, 'high');
});

test('Keithley 2450 reading-buffer CSV (registered reader k2450): Source = V, Reading = I, Relative Time = t', () => {
  const ds = ingestFiles([S('k2450', 'buffer-loop.csv')]);
  const dev = ds.devices[0];
  assert.equal(dev.cycles.length, 1);
  assert.equal(dev.setPolarity, 'negative');
  const c = dev.cycles[0];
  assert.equal(c.timeSource, 'file');
  assert.ok(rel(c.features.lrsOhm!, 3e3) < 0.06, `LRS ${c.features.lrsOhm}`);
  assert.equal(c.complianceA, 1e-4);
  assert.deepEqual(JSON.parse(dev.metadata['columns']), { v: 'Voltage (V)', i: 'Current (A)', t: 'Time (s)' });
  // forced on a file that is not a 2450 buffer: refused with the reader's expectation
  assert.throws(
    () => ingestFiles([S('compliance-off.csv')], { format: 'k2450' }),
    (e) => isJartcalError(e) && /Reading/.test(e.message),
  );
});

test('a workbook crafted to pollute Object.prototype (sheet and property names "__proto__", "constructor") leaves it clean', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-proto-'));
  const wb = XLSX.utils.book_new();
  const rows = [
    ['__proto__', 'constructor'],
    ['Voltage (V)', 'Current (A)'],
    [0, 0],
    [-1, -1e-4],
    [-0.5, -5e-5],
    [0, 0],
    [1, 1e-6],
    [0.5, 5e-7],
    [0, 0],
  ];
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '__proto__');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'constructor');
  wb.Props = { Title: '__proto__' };
  wb.Custprops = { __proto__: { polluted: 'yes' }, constructor: 'x' } as unknown as Record<string, string>;
  const p = join(dir, 'proto.xlsx');
  writeFileSync(p, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  try {
    ingestFiles([p]);
  } catch (e) {
    assert.ok(isJartcalError(e), String(e));
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  assert.equal(typeof ({} as { constructor: unknown }).constructor, 'function');
});

test('a workbook with a damaged sheet: refused naming file and sheet; --lenient reads the other sheets and reports it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-bad-'));
  // two runs of the toy loop (the fixture's CSV), then sheet 2's XML damaged inside the zip
  const lines = readFileSync(S('compliance-off.csv'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('#'));
  const rows = [lines[0].split(','), ...lines.slice(1).map((l) => l.split(',').map(Number))];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Run1');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Run2');
  const zip = XLSX.CFB.read(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer, { type: 'buffer' });
  XLSX.CFB.find(zip, '/xl/worksheets/sheet2.xml')!.content = Buffer.from('<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>999');
  const p = join(dir, 'D9_endurance.xlsx');
  writeFileSync(p, XLSX.CFB.write(zip, { type: 'buffer', fileType: 'zip' }) as Buffer);
  assert.throws(
    () => ingestFiles([p]),
    (e) => isJartcalError(e) && e.code === 'bad_sheet' && /D9_endurance\.xlsx, sheet "Run2"/.test(e.message),
  );
  const ds = ingestFiles([p], { lenient: true });
  assert.equal(ds.devices.length, 1);
  assert.equal(ds.devices[0].cycles.length, 1);
  assert.ok(ds.issues.some((i) => i.code === 'skipped_bad_sheet' && i.location?.sheet === 'Run2'));
});

test('a polarity and a sweep rate stated in the header are used as stated; a guess from the data is recorded, not applied', () => {
  const agree = ingestFiles([S('stated', 'agree.csv')]).devices[0];
  assert.equal(agree.setPolarity, 'negative');
  assert.equal(agree.polaritySource, 'stated');
  assert.match(agree.metadata['polarityEvidence'], /^stated in .*agree\.csv \("SET polarity: negative"\); the data agree \(hysteresis/);
  const c = agree.cycles[0];
  assert.equal(c.timeSource, 'sweep-rate');
  assert.equal(c.sweepRateVps, 0.5);
  assert.equal(c.sweepRateSource, 'stated');
  // 20 mV steps at 0.5 V/s: 40 ms per sample
  assert.ok(Math.abs(c.tS[1] - 0.04) < 1e-9 && Math.abs(c.tS[c.tS.length - 1] - 0.04 * (c.tS.length - 1)) < 1e-6);
  assert.equal(agree.metadata['sweepRateStated'], 'Sweep rate: 0.5 V/s');

  // the header says positive, the hysteresis says negative: the statement is used and the disagreement reported
  const ds = ingestFiles([S('stated', 'disagree.csv')]);
  const dis = ds.devices[0];
  assert.equal(dis.setPolarity, 'positive');
  assert.equal(dis.polaritySource, 'stated');
  assert.match(dis.metadata['polarityEvidence'], /the data suggest negative .*not applied/);
  const note = ds.issues.filter((i) => i.code === 'polarity_disagrees');
  assert.equal(note.length, 1);
  assert.ok(note[0].location!.file!.endsWith('disagree.csv'));
  assert.equal(dis.cycles[0].sweepRateVps, 0.25); // "Sweep rate (mV/s): 250"
  // an option still overrides both
  const opt = ingestFiles([S('stated', 'disagree.csv')], { setPolarity: 'negative', sweepRateVps: 2 }).devices[0];
  assert.equal(opt.polaritySource, 'option');
  assert.equal(opt.setPolarity, 'negative');
  assert.equal(opt.cycles[0].sweepRateVps, 2);
  assert.equal(opt.cycles[0].sweepRateSource, 'option');

  // a resistor has no hysteresis to guess from: the statement alone decides (without it, the ingest asks for the polarity)
  const res = ingestFiles([S('stated', 'resistor.csv')]).devices[0];
  assert.equal(res.setPolarity, 'positive');
  assert.equal(res.polaritySource, 'stated');
  assert.equal(res.cycles[0].timeSource, 'index');
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-stated-'));
  writeFileSync(join(dir, 'r.csv'), readFileSync(S('stated', 'resistor.csv'), 'utf8').replace('# SET polarity: positive\n', ''));
  assert.throws(
    () => ingestFiles([join(dir, 'r.csv')]),
    (e) => isJartcalError(e) && e.code === 'polarity_unknown',
  );
});

test('two files of one device stating opposite polarities are refused, naming both', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-stated-'));
  writeFileSync(join(dir, 'dev1_cycle1.csv'), readFileSync(S('stated', 'agree.csv')));
  writeFileSync(join(dir, 'dev1_cycle2.csv'), readFileSync(S('stated', 'disagree.csv')));
  assert.throws(
    () => ingestFiles([dir]),
    (e) => isJartcalError(e) && e.code === 'polarity_conflict' && /dev1_cycle1\.csv/.test(e.message) && /dev1_cycle2\.csv/.test(e.message),
  );
});

test('file names that say nothing (run1.csv ... run9.csv): leakage, forming and the first RESET recognised from the data', () => {
  const ds = ingestFiles([S('unnamed')]);
  validateDataset(JSON.parse(JSON.stringify(ds)));
  assert.equal(ds.devices.length, 1);
  const dev = ds.devices[0];
  assert.equal(dev.id, 'D5');
  assert.deepEqual(
    dev.tests!.map((t) => [t.file.replace(/.*[\\/]/, ''), t.role, t.used]),
    [
      ['run1.csv', 'leakage', false],
      ['run2.csv', 'forming', false],
      ['run3.csv', 'first-reset', false],
      ...[4, 5, 6, 7, 8, 9].map((k) => [`run${k}.csv`, 'endurance', true]),
    ],
  );
  // the fixture: pristine 1 GΩ, forming switch at -2.5 V (20 mV steps), endurance loops to ±1.2 V
  assert.ok(Math.abs(dev.formingV! + 2.5) <= 0.021, `formingV ${dev.formingV}`);
  assert.ok(rel(dev.pristineOhm!, 1e9) < 0.05, `pristine ${dev.pristineOhm}`);
  assert.match(dev.tests![1].reason, /switches at -2\.50 V, beyond the 1\.2 V the later sweeps reach, from 1\.0e\+9 Ω/);
  assert.equal(dev.cycles.length, 6);
  for (const code of ['skipped_leakage', 'skipped_forming', 'skipped_first_reset'])
    assert.equal(ds.issues.filter((i) => i.code === code).length, 1, code);

  // the same large first sweep from a resistance the later sweeps also show is not a forming (not pristine)
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-unnamed-'));
  const D = (f: string) => S('unnamed', 'D5', f);
  mkdirSync(join(dir, 'D6'));
  for (const k of [1, 3, 4, 5, 6, 7, 8, 9]) writeFileSync(join(dir, 'D6', `run${k}.csv`), readFileSync(D(`run${k}.csv`)));
  const scaled = readFileSync(D('run2.csv'), 'utf8')
    .split('\n')
    .map((l, k) => (k === 0 || !l ? l : `${l.split(',')[0]},${Number(l.split(',')[1]) * 1e3}`))
    .join('\n');
  writeFileSync(join(dir, 'D6', 'run2.csv'), scaled);
  const not = ingestFiles([dir]).devices[0];
  assert.ok(not.tests!.every((t) => t.role !== 'forming'));
  assert.equal(not.formingV, null);
});
