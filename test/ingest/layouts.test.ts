// Table layouts beyond one V/I table per file: appended runs, settings after the data, several tables in one
// file, SET/RESET runs alternating in a B1500 file, one voltage column shared by many traces, folder = device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../src/io/ingest.js';
import { toyLoop } from '../../src/synth/index.js';

const dir = mkdtempSync(join(tmpdir(), 'jartcal-layouts-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const put = (name: string, text: string) => {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};
const toy = (scale = 1) =>
  toyLoop({ hrsOhm: 2e5 * scale, lrsOhm: 2e3 * scale, vSetV: -0.8, vResetV: 0.6, vMinV: -1.2, vMaxV: 1.2, stepV: 0.05, rateVps: 1 });
const g = (x: number) => Number(x.toPrecision(6)).toString();

test('appended K4200 runs side by side (AV, AI, AV_2, AI_2, ...) are cycles', () => {
  const a = toy(1),
    b = toy(2),
    c = toy(3);
  const rows = ['Time,AI,AV,Time_2,AI_2,AV_2,Time_3,AI_3,AV_3'];
  for (let k = 0; k < a.vV.length; k++) rows.push([a, b, c].map((x) => `${g(x.tS[k])},${g(x.iA[k])},${g(x.vV[k])}`).join(','));
  const ds = ingestFiles([put('appended.csv', rows.join('\n'))]);
  assert.equal(ds.devices.length, 1);
  assert.equal(ds.devices[0].cycles.length, 3);
  const lrs = ds.devices[0].cycles.map((cy) => cy.features.lrsOhm!);
  [2e3, 4e3, 6e3].forEach((r, k) => assert.ok(Math.abs(lrs[k] / r - 1) < 0.01, `${lrs[k]}`));
});

test('KITE settings after the data, several tables in one file, trailing key/value metadata', () => {
  const a = toy(1),
    b = toy(1.5);
  const table = (x: typeof a) => ['Time,AI,AV', ...Array.from(x.vV, (_, k) => `${g(x.tS[k])},${g(x.iA[k])},${g(x.vV[k])}`)];
  const text = [
    ...table(a),
    '',
    'Settings',
    'Test Name,IV#1@1',
    'KTEI Version,V9.1',
    'Forcing Function,Voltage Sweep,Common',
    'Compliance,0.0005,0.1',
    'Measure I,Measured,N/A',
    '',
    ...table(b),
    'Operator,someone',
  ].join('\r\n');
  const ds = ingestFiles([put('settings-after.csv', text)]);
  const dev = ds.devices[0];
  assert.equal(dev.cycles.length, 2);
  assert.equal(dev.complianceA, 5e-4);
  assert.equal(dev.cycles[0].complianceSource, 'metadata');
  assert.equal(dev.cycles[1].vV.length, b.vV.length);
});

test('B1500 file with SET and RESET runs alternating: halves joined in order', () => {
  const runs: string[] = [];
  for (const [n, scale] of [
    [1, 1],
    [2, 1.4],
  ] as const) {
    const x = toy(scale);
    const mid = Array.from(x.vV).findIndex((v, k) => k > 0 && v === 0);
    for (const [title, a, e] of [
      ['SET sweep', 0, mid + 1],
      ['RESET sweep', mid, x.vV.length],
    ] as const) {
      runs.push(
        `SetupTitle, ${title}`,
        `TestParameter, Measurement.Primary.Compliance, ${title.startsWith('SET') ? 1e-4 : 0.01}`,
        `MetaData, TestRecord.DeviceID, D9`,
        `MetaData, TestRecord.Count, ${n}`,
        'DataName, V1, I1, T1',
      );
      for (let k = a; k < e; k++)
        runs.push(
          `DataValue, ${g(x.vV[k])}, ${g(Math.min(Math.abs(x.iA[k]), title.startsWith('SET') ? 1e-4 : 1) * Math.sign(x.iA[k]))}, ${g(x.tS[k])}`,
        );
    }
  }
  const ds = ingestFiles([put('alt.csv', runs.join('\n'))]);
  assert.equal(ds.devices.length, 1);
  const d = ds.devices[0];
  assert.equal(d.id, 'D9');
  assert.equal(d.setPolarity, 'negative');
  assert.equal(d.cycles.length, 2);
  for (const c of d.cycles) {
    assert.equal(c.parts?.length, 2);
    assert.equal(c.complianceA, 1e-4);
    assert.ok(Math.abs(c.features.vSetV! + 0.8) < 0.06);
  }
});

test('one voltage column shared by trace columns under a group label, averages skipped', () => {
  const a = toy(1),
    b = toy(2);
  const rows = ['Voltage,Average current,Device #,', ',,A1,A2'];
  for (let k = 0; k < a.vV.length; k++) rows.push(`${g(a.vV[k])},${g((a.iA[k] + b.iA[k]) / 2)},${g(a.iA[k])},${g(b.iA[k])}`);
  const ds = ingestFiles([put('shared-v.csv', rows.join('\n'))]);
  assert.deepEqual(
    ds.devices.map((d) => d.id),
    ['shared-v#A1', 'shared-v#A2'],
  );
  assert.ok(ds.issues.some((i) => i.code === 'skipped_columns' && i.message.includes('Average current')));
});

test('files named only by cycle take the device from their folder; a long multi-cycle file is split by its turning points', () => {
  for (const d of ['devA', 'devB'])
    for (const c of [1, 2, 10]) {
      const x = toy(c);
      put(`camp/${d}/cycle${c}.csv`, ['V,I', ...Array.from(x.vV, (v, k) => `${g(v)},${g(x.iA[k])}`)].join('\n'));
    }
  const ds = ingestFiles([join(dir, 'camp')]);
  assert.deepEqual(
    ds.devices.map((d) => [d.id, d.cycles.map((c) => c.sourceCycle)]),
    [
      ['devA', [1, 2, 10]],
      ['devB', [1, 2, 10]],
    ],
  );
  const x = toy(1),
    y = toy(2);
  const long = ['V,I', ...[x, y, x].flatMap((z) => Array.from(z.vV, (v, k) => `${g(v)},${g(z.iA[k])}`))];
  const ds2 = ingestFiles([put('long.csv', long.join('\n'))]);
  assert.equal(ds2.devices[0].cycles.length, 3);
  assert.ok(Math.abs(ds2.devices[0].cycles[1].features.lrsOhm! / 4e3 - 1) < 0.01);
});

test('a log10|I| column is read as |I|; other header spellings (V_SMU1, Ch1 Current) are found', () => {
  const x = toy(1);
  const a = ['Voltage (V),log10(|I|)', ...Array.from(x.vV, (v, k) => `${g(v)},${g(Math.log10(Math.max(Math.abs(x.iA[k]), 1e-13)))}`)];
  const ds = ingestFiles([put('log.csv', a.join('\n'))]);
  assert.equal(ds.devices[0].metadata['currentColumnIsLog10'], 'true');
  assert.ok(Math.abs(ds.devices[0].cycles[0].features.lrsOhm! / 2e3 - 1) < 1e-3);
  const b = [
    'Ch1 Voltage;Ch1 Current (mA);Resistance',
    ...Array.from(x.vV, (v, k) => `${g(v).replace('.', ',')};${g(x.iA[k] * 1e3).replace('.', ',')};1`),
  ];
  const ds2 = ingestFiles([put('ch.csv', b.join('\n'))]);
  assert.ok(Math.abs(ds2.devices[0].cycles[0].features.lrsOhm! / 2e3 - 1) < 1e-3);
});

test('a units row under the header scales the columns', () => {
  const x = toy(1);
  const rows = ['AV,AI,Time', 'V,mA,ms', ...Array.from(x.vV, (v, k) => `${g(v)},${g(x.iA[k] * 1e3)},${g(x.tS[k] * 1e3)}`)];
  const ds = ingestFiles([put('units-row.csv', rows.join('\n'))]);
  const c = ds.devices[0].cycles[0];
  assert.ok(Math.abs(c.features.lrsOhm! / 2e3 - 1) < 1e-3);
  assert.ok(Math.abs(c.tS[c.tS.length - 1] - 4.8) < 1e-6);
  assert.equal(c.provenance.rowStart, 3);
});

test('a folder: files without any V/I table are skipped and reported; a named one is refused', () => {
  const x = toy(1);
  put('folder/notes.txt', 'measured on Tuesday\nprobe 3\n');
  put('folder/d1_cycle1.csv', ['V,I', ...Array.from(x.vV, (v, k) => `${g(v)},${g(x.iA[k])}`)].join('\n'));
  const ds = ingestFiles([join(dir, 'folder')]);
  assert.equal(ds.devices.length, 1);
  assert.ok(ds.issues.some((i) => i.code === 'skipped_file' && i.location?.file?.endsWith('notes.txt')));
  assert.throws(() => ingestFiles([join(dir, 'folder', 'notes.txt')]), /no header row/);
});
