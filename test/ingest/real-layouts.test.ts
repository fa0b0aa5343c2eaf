// Real instrument export layouts (fixtures/ingest/real-layouts/, written by scripts/make-real-layout-fixtures.ts
// from the toy loop; the public sources each layout was learned from are in that folder's README.md), all
// ingested with no flags: devices, cycles, polarity, compliance and features must come out of the files alone.
// Toy truth per cycle (model convention): SET at −0.8 V, RESET onset +0.6 V, LRS 2 kΩ·scale, HRS 200 kΩ·scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { ingestFiles } from '../../src/io/ingest.js';
import { classifyHeader } from '../../src/ingest/columns.js';
import { isFormingFile, parseFileName } from '../../src/ingest/deviceid.js';
import { parseRecordTime, recordTimesMs } from '../../src/ingest/metadata.js';
import { REPO_ROOT } from '../helpers/shared.js';
import type { Cycle, Dataset } from '../../src/ingest/index.js';

const R = (rel: string) => join(REPO_ROOT, 'fixtures', 'ingest', 'real-layouts', rel);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

function checkLoop(c: Cycle, scale: number, iccA: number | null = 1e-4): void {
  const f = c.features;
  assert.ok(Math.abs(f.vSetV! - -0.8) < 0.021, `V_SET ${f.vSetV}`);
  assert.ok(Math.abs(f.vResetV! - 0.6) < 0.021, `V_RESET ${f.vResetV}`);
  const hrs = (2e5 * scale * 0.1) / (0.25 * Math.sinh(0.4));
  assert.ok(rel(f.hrsOhm!, hrs) < 0.06, `HRS ${f.hrsOhm} vs ${hrs}`);
  assert.ok(rel(f.lrsOhm!, 2e3 * scale) < 0.06, `LRS ${f.lrsOhm} vs ${2e3 * scale}`);
  if (iccA !== null) {
    assert.equal(c.complianceA, iccA);
    assert.ok(f.complianceHit);
  }
  c.branch.forEach((b, k) => {
    if (b === 0 || b === 1) assert.ok(c.vV[k] < 0);
    if (b === 2 || b === 3) assert.ok(c.vV[k] > 0);
  });
}
const byId = (ds: Dataset) => new Map(ds.devices.map((d) => [d.id, d]));

test('B1500 EasyEXPERT exports: VAR1 channel (Vrow/Irow) from Channel.Func/VName/IName, device from TestTarget, SET/RESET runs joined', () => {
  const ds = ingestFiles([R('b1500-campaign')]);
  const d = byId(ds);
  assert.deepEqual([...d.keys()].sort(), ['R2C3', 'R2C4', 'R5C1']);
  const scales: Record<string, number[]> = { R2C3: [1, 1.1], R2C4: [1.6, 1.76], R5C1: [0.7, 0.77] };
  for (const [id, sc] of Object.entries(scales)) {
    const dev = d.get(id)!;
    assert.equal(dev.setPolarity, 'positive');
    assert.equal(dev.complianceA, 1e-4, 'the SET run states 100 uA; the RESET run 10 mA');
    assert.equal(dev.cycles.length, 2);
    dev.cycles.forEach((c, k) => {
      assert.equal(c.parts?.length, 2, 'SET run + RESET run');
      assert.equal(c.complianceSource, 'metadata');
      checkLoop(c, sc[k]);
    });
    assert.equal(JSON.parse(dev.metadata['columns']).i, 'Irow');
  }
  // R5C1: one run per exported file; file names sort Reset before Set, the record times put them in order
  assert.ok(d.get('R5C1')!.cycles.every((c) => /Set \[/.test(c.parts![0].file) && /Reset \[/.test(c.parts![1].file)));
  assert.ok(!ds.issues.some((i) => i.code === 'unpaired_half'));
  // the fixed-bias read record between R2C4's first SET and RESET is skipped and reported, not a half
  const skipped = ds.issues.filter((i) => i.code === 'skipped_fixed_bias');
  assert.equal(skipped.length, 1);
  assert.match(skipped[0].location!.file!, /R2C4/);
});

test('Keithley 4200 Clarius CSV exports: terminal-named columns (AnodeV/AnodeI, grounded CathodeV first), Vforce/Imeas, loops in one run', () => {
  const ds = ingestFiles([R('k4200-campaign')]);
  const d = byId(ds);
  assert.deepEqual([...d.keys()].sort(), ['cellA', 'cellB', 'ivswitch loops']);
  const scales: Record<string, number[]> = { cellA: [1.1, 1.2], cellB: [1.5, 1.6], 'ivswitch loops': [0.9, 1.0, 1.1] };
  for (const [id, sc] of Object.entries(scales)) {
    const dev = d.get(id)!;
    assert.equal(dev.setPolarity, 'negative');
    assert.equal(dev.complianceA, 1e-4);
    assert.equal(dev.cycles.length, sc.length);
    dev.cycles.forEach((c, k) => {
      assert.equal(c.timeSource, 'file');
      checkLoop(c, sc[k]);
    });
  }
  assert.deepEqual(JSON.parse(d.get('cellB')!.metadata['columns']), { v: 'AnodeV', i: 'AnodeI', t: 'Time' });
  assert.deepEqual(JSON.parse(d.get('ivswitch loops')!.metadata['columns']), { v: 'Vforce', i: 'Imeas', t: 'Time' });
  assert.equal(d.get('ivswitch loops')!.cycles[0].complianceSource, 'metadata');
  assert.equal(d.get('cellA')!.cycles[0].complianceSource, 'plateau');
});

test('Keithley 4200 KITE .xls (Data / Calc / Settings sheets): compliance of the sweeping SMU, Calc skipped', () => {
  const ds = ingestFiles([R('kite-xls')]);
  assert.equal(ds.devices.length, 1);
  const dev = ds.devices[0];
  assert.equal(dev.setPolarity, 'negative');
  assert.equal(dev.complianceA, 5e-4);
  assert.equal(dev.cycles.length, 1);
  assert.equal(dev.cycles[0].provenance.sheet, 'Data');
  checkLoop(dev.cycles[0], 1.2, null);
  assert.ok(ds.issues.some((i) => i.code === 'skipped_sheet' && /Calc/.test(i.message)));
});

test('Keysight B2900 Quick I/V CSV: Repeat is the cycle, CH1 Voltage/Current/Time, engineering notation', () => {
  const ds = ingestFiles([R('b2900/quickiv-3repeats.csv')]);
  const dev = ds.devices[0];
  assert.equal(dev.setPolarity, 'positive');
  assert.equal(dev.cycles.length, 3);
  assert.deepEqual(
    dev.cycles.map((c) => c.sourceCycle),
    [1, 2, 3],
  );
  dev.cycles.forEach((c, k) => {
    assert.equal(c.timeSource, 'file');
    checkLoop(c, 1 + 0.2 * k);
  });
  assert.deepEqual(JSON.parse(dev.metadata['columns']), { v: 'CH1 Voltage', i: 'CH1 Current', t: 'CH1 Time', cycle: 'Repeat' });
});

test('research CSVs: ms/mA with decimal commas and RESET-first loops; +V-first nA loops; SET_n/RESET_n files', () => {
  const a = ingestFiles([R('generic/loops-semicolon-decimal-comma.csv')]).devices[0];
  assert.equal(a.setPolarity, 'negative');
  assert.equal(a.cycles.length, 3, 'three concatenated loops split at their turning points');
  a.cycles.forEach((c, k) => {
    checkLoop(c, [1, 1.2, 0.9][k]);
    assert.equal(c.timeSource, 'file');
  });
  // the time column is in ms: each loop (240 steps of 20 ms) lasts 4.8 s
  assert.ok(Math.abs(a.cycles[0].tS[a.cycles[0].tS.length - 1] - 4.8) < 1e-9, `${a.cycles[0].tS.at(-1)}`);
  assert.ok(a.cycles[0].vV[1] > 0, 'RESET (positive) excursion first, kept in measured order');

  // loops appended with their own clocks (time back to 0 at each record): records, not a time error
  const ap = ingestFiles([R('generic/appended-clock-restarts.csv')]).devices[0];
  assert.equal(ap.cycles.length, 3);
  ap.cycles.forEach((c, k) => {
    assert.equal(c.timeSource, 'file');
    checkLoop(c, [1, 1.3, 1.6][k]);
    assert.ok(Math.abs(c.tS[c.tS.length - 1] - 4.8) < 1e-6);
  });

  const b = ingestFiles([R('generic/pos-first-nA.tsv')]).devices[0];
  assert.equal(b.setPolarity, 'positive');
  assert.equal(b.cycles.length, 2);
  b.cycles.forEach((c, k) => checkLoop(c, [2, 2.5][k]));

  const halves = ['S7_RESET_2.csv', 'S7_SET_1.csv', 'S7_forming.csv', 'S7_RESET_1.csv', 'S7_SET_2.csv'].map((n) => R(`generic/${n}`));
  const ds = ingestFiles(halves);
  assert.equal(ds.devices.length, 1);
  const s = ds.devices[0];
  assert.equal(s.id, 'S7');
  assert.deepEqual(
    s.cycles.map((c) => c.sourceCycle),
    [1, 2],
  );
  s.cycles.forEach((c, k) => {
    assert.equal(c.parts?.length, 2);
    assert.match(c.parts![0].file, /_SET_/);
    checkLoop(c, [1.3, 1.6][k]);
  });
  assert.deepEqual(
    ds.issues.filter((i) => i.code === 'skipped_forming').map((i) => i.location?.file),
    [R('generic/S7_forming.csv')],
    'the forming sweep is no SET half',
  );

  // halves in SET/ and RESET/ folders of the device folder, files named only by cycle
  const f = ingestFiles([R('generic/by-folder')]);
  assert.deepEqual(
    f.devices.map((d) => d.id),
    ['S9'],
  );
  assert.deepEqual(
    f.devices[0].cycles.map((c) => c.sourceCycle),
    [1, 2],
  );
  f.devices[0].cycles.forEach((c, k) => {
    assert.match(c.parts![0].file, /[\\/]SET[\\/]/);
    assert.equal(c.timeSource, 'file');
    checkLoop(c, [0.8, 1.0][k]);
  });
});

test('campaign in two formats: `jartcal ingest B1500_DIR K4200_DIR --out d.json --json`, no other flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-real-'));
  try {
    const out = join(dir, 'd.json');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'test', 'ingest', 'run-cli.ts'),
        'ingest',
        R('b1500-campaign'),
        R('k4200-campaign'),
        '--out',
        out,
        '--json',
      ],
      { encoding: 'utf8', cwd: REPO_ROOT },
    );
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as {
      devices: number;
      cycles: number;
      perDevice: { id: string; cycles: number; setPolarity: string; complianceA: number | null }[];
    };
    assert.equal(summary.devices, 6);
    assert.equal(summary.cycles, 2 * 3 + 2 + 2 + 3);
    for (const p of summary.perDevice) {
      assert.equal(p.setPolarity, /^R\dC\d$/.test(p.id) ? 'positive' : 'negative', p.id);
      assert.equal(p.complianceA, 1e-4, p.id);
    }
    assert.ok(existsSync(out));
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).devices.length, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pure pieces: terminal header names, partner columns, EasyEXPERT and SET_n file names, record times', () => {
  assert.deepEqual(classifyHeader('AnodeV'), { role: 'v', rank: 0 });
  assert.deepEqual(classifyHeader('CathodeI'), { role: 'i', rank: 3 });
  assert.deepEqual(classifyHeader('Vrow'), { role: 'v', rank: 1 });
  assert.deepEqual(classifyHeader('CH2 Time'), { role: 't', rank: 1 });
  assert.deepEqual(parseFileName('x/I_V Sweep [D07(3) ; 11_29_2026 10_01_05 AM].csv'), { device: 'D07' });
  assert.deepEqual(parseFileName('x/Reset [D07(3) ; 11_29_2026 10_01_05 AM].csv'), { device: 'D07', half: 'reset' });
  // no test target: the folder names the device
  assert.deepEqual(parseFileName('D08/Reset [(3) ; 11_29_2026 10_01_05 AM].csv'), { device: 'D08', half: 'reset' });
  assert.deepEqual(parseFileName('D08/I_V Sweep [(3) ; 11_29_2026 10_01_05 AM].csv'), { device: 'D08' });
  assert.deepEqual(parseFileName('x/dev3_reset2.csv'), { device: 'dev3', cycle: 2, half: 'reset' });
  assert.deepEqual(parseFileName('x/dev3_SET_12.csv'), { device: 'dev3', cycle: 12, half: 'set' });
  assert.deepEqual(parseFileName('x/set_10cycles.xlsx'), { device: '10cycles', half: 'set' });
  // halves kept in SET/ and RESET/ folders (KITE test folders "Set#1", "Reset#1")
  assert.deepEqual(parseFileName('camp/S9/SET/cycle2.csv'), { device: 'S9', cycle: 2, half: 'set' });
  assert.deepEqual(parseFileName('camp/Reset#1/S9_cycle2.csv'), { device: 'S9', cycle: 2, half: 'reset' });
  assert.deepEqual(parseFileName('camp/S9/sweeps/S9_cycle2.csv'), { device: 'S9', cycle: 2 });
  assert.deepEqual(parseFileName('x/D3_forming.csv'), { device: 'D3' });
  assert.ok(
    isFormingFile('x/D3-electroforming.csv') &&
      isFormingFile('x/FORM_D3.csv') &&
      !isFormingFile('x/waveform_D3.csv') &&
      !isFormingFile('x/format.csv'),
  );
  assert.equal(
    parseRecordTime('11/29/2026 10:20:30') !== null && parseRecordTime('11/29/2026 10:20:30')! - parseRecordTime('11/29/2026 10:20:00')!,
    30000,
  );
  assert.equal(parseRecordTime('11/29/2026 1:00:00 PM')! - parseRecordTime('11/29/2026 12:00:00 PM')!, 3600000);
  assert.equal(parseRecordTime('2026-11-29 10:00:01')! - parseRecordTime('2026-11-29T10:00:00')!, 1000);
  assert.equal(parseRecordTime('yesterday'), null);
  // a stamp that can only be day-first makes the whole device day-first
  assert.deepEqual(recordTimesMs(['05/11/2026 10:00:00', '29/10/2026 10:00:00']), [Date.UTC(2026, 10, 5, 10), Date.UTC(2026, 9, 29, 10)]);
  assert.deepEqual(recordTimesMs(['05/11/2026 10:00:00', '10/29/2026 10:00:00']), [Date.UTC(2026, 4, 11, 10), Date.UTC(2026, 9, 29, 10)]);
  assert.equal(recordTimesMs(['05/11/2026 10:00:00', 'soon']), null);
});

test('a grounded terminal listed first and a second channel: the varying voltage and its own current are chosen', () => {
  // V1 constant (grounded), V2 swept: the voltage that varies and I2 (its partner), not I1
  const text = [
    'V1,I1,V2,I2',
    ...Array.from({ length: 41 }, (_, k) => {
      const v = k <= 20 ? -k * 0.05 : -(40 - k) * 0.05;
      const i = v / (k <= 14 ? 2e5 : 2e3);
      return `0,${-i},${v},${i}`;
    }),
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-real-'));
  try {
    const p = join(dir, 'v2sweep.csv');
    writeFileSync(p, text);
    const ds = ingestFiles([p], { setPolarity: 'negative' });
    assert.deepEqual(JSON.parse(ds.devices[0].metadata['columns']), { v: 'V2', i: 'I2' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a time column labelled with no time unit ("Time(T)", as a public probe-station script writes it) is not read, and reported', () => {
  const rows = ['Time(T),Voltage (V),Current (A)'];
  for (let k = 0; k <= 60; k++) {
    const v = k <= 30 ? -0.02 * k : -0.02 * (60 - k);
    rows.push(`${k * 0.02},${v},${v / (k < 20 ? 2e5 : 2e3)}`);
  }
  for (let k = 1; k <= 60; k++) {
    const v = k <= 30 ? 0.02 * k : 0.02 * (60 - k);
    rows.push(`${1.2 + k * 0.02},${v},${v / (k < 25 ? 2e3 : 2e5)}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-real-'));
  try {
    const p = join(dir, 'probe-station.csv');
    writeFileSync(p, rows.join('\n'));
    const ds = ingestFiles([p]);
    const c = ds.devices[0].cycles[0];
    assert.equal(ds.devices[0].setPolarity, 'negative');
    assert.equal(c.timeSource, 'index');
    assert.ok(ds.issues.some((i) => i.code === 'time_column_ignored' && /Time\(T\)/.test(i.message)));
    // with --t-unit s the column is read
    assert.equal(ingestFiles([p], { tUnit: 's' }).devices[0].cycles[0].timeSource, 'file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a time column that falls anywhere else than back to its record start is still refused', () => {
  const rows = ['Time (s),Voltage (V),Current (A)'];
  for (let k = 0; k <= 60; k++) {
    const v = k <= 30 ? -0.02 * k : -0.02 * (60 - k);
    rows.push(`${k === 40 ? 0.5 : k * 0.02},${v},${v / (k < 20 ? 2e5 : 2e3)}`);
  }
  for (let k = 1; k <= 60; k++) {
    const v = k <= 30 ? 0.02 * k : 0.02 * (60 - k);
    rows.push(`${1.2 + k * 0.02},${v},${v / (k < 25 ? 2e3 : 2e5)}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-real-'));
  try {
    const p = join(dir, 'glitch.csv');
    writeFileSync(p, rows.join('\n'));
    assert.throws(
      () => ingestFiles([p]),
      (e: Error & { code?: string }) => e.code === 'bad_time' && /does not increase/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
