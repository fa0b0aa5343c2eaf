// The project's own quirk fixtures (fixtures/ingest/, written by scripts/make-ingest-fixtures.ts from a toy
// loop whose truth is known: HRS 200 kΩ, LRS 2 kΩ at 0.1 V, SET at -0.8 V, RESET onset +0.6 V, Icc 100 uA).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ingestFiles } from '../../src/io/ingest.js';
import { REPO_ROOT } from '../helpers/shared.js';
import type { Cycle } from '../../src/ingest/index.js';

const F = (name: string) => join(REPO_ROOT, 'fixtures', 'ingest', name);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** The toy loop's truth; scale multiplies both resistances. */
function checkToy(c: Cycle, scale = 1): void {
  const f = c.features;
  assert.ok(Math.abs(f.vSetV! - -0.8) < 0.021, `V_SET ${f.vSetV}`);
  assert.ok(Math.abs(f.vResetV! - 0.6) < 0.021, `V_RESET ${f.vResetV}`);
  // toy HRS at 0.1 V: R·(0.1/(0.25 sinh(0.4))) (sinh-shaped), LRS ohmic; 1 % current noise
  const hrs = (2e5 * scale * 0.1) / (0.25 * Math.sinh(0.4));
  assert.ok(rel(f.hrsOhm!, hrs) < 0.05, `HRS ${f.hrsOhm} vs ${hrs}`);
  assert.ok(rel(f.lrsOhm!, 2e3 * scale) < 0.05, `LRS ${f.lrsOhm}`);
  assert.ok(f.complianceHit);
  assert.ok(c.complianceA !== null && rel(c.complianceA, 1e-4) < 1e-3);
  // model convention: SET branches at V <= 0, RESET at V >= 0; iA carries the sign of vV
  c.branch.forEach((b, k) => {
    if (b === 0 || b === 1) assert.ok(c.vV[k] < 0);
    if (b === 2 || b === 3) assert.ok(c.vV[k] > 0);
    assert.ok(c.iA[k] === 0 || Math.sign(c.iA[k]) === Math.sign(c.vV[k]));
  });
}

test('Keithley 4200 CSV: settings block gives device, cycle number and compliance', () => {
  const ds = ingestFiles([F('k4200-cycle3.csv')]);
  assert.equal(ds.devices[0].id, 'k42dev');
  const c = ds.devices[0].cycles[0];
  assert.equal(c.sourceCycle, 3);
  assert.equal(c.complianceSource, 'metadata');
  assert.equal(c.timeSource, 'file');
  checkToy(c);
});

test('B1500 EasyEXPERT CSV: three runs become three cycles of the device named in MetaData', () => {
  const ds = ingestFiles([F('b1500-3runs.csv')]);
  assert.equal(ds.devices.length, 1);
  assert.equal(ds.devices[0].id, 'b15dev');
  assert.deepEqual(
    ds.devices[0].cycles.map((c) => c.sourceCycle),
    [1, 2, 3],
  );
  [1, 1.3, 0.8].forEach((s, k) => checkToy(ds.devices[0].cycles[k], s));
  assert.deepEqual(
    ds.devices[0].cycles.map((c) => c.provenance.rowStart),
    [17, 17 + 257, 17 + 2 * 257],
  );
});

test('generic CSV: cycle column, mA column, comment metadata', () => {
  const ds = ingestFiles([F('generic-2cycles-mA.csv')]);
  assert.equal(ds.devices[0].id, 'gen01');
  assert.equal(ds.devices[0].cycles.length, 2);
  checkToy(ds.devices[0].cycles[0]);
  checkToy(ds.devices[0].cycles[1], 1.2);
});

for (const name of [
  'semicolon-decimal-comma.csv',
  'tab-uA.tsv',
  'whitespace.dat',
  'quoted-trailing-comma.csv',
  'cell-units.csv',
  'latin1-microamp.csv',
]) {
  test(`quirk file ${name} reads as the same toy loop`, () => {
    const ds = ingestFiles([F(name)]);
    assert.equal(ds.devices.length, 1);
    assert.equal(ds.devices[0].cycles.length, 1);
    assert.equal(ds.devices[0].setPolarity, 'negative');
    checkToy(ds.devices[0].cycles[0]);
  });
}

test('SET and RESET halves in separate files are joined into cycles by device and cycle number', () => {
  const files = ['dev07_reset_cycle2.csv', 'dev07_set_cycle1.csv', 'dev07_reset_cycle1.csv', 'dev07_set_cycle2.csv'].map(F);
  const ds = ingestFiles(files);
  assert.equal(ds.devices.length, 1);
  const dev = ds.devices[0];
  assert.equal(dev.id, 'dev07');
  assert.deepEqual(
    dev.cycles.map((c) => c.sourceCycle),
    [1, 2],
  );
  for (const c of dev.cycles) {
    assert.equal(c.parts?.length, 2);
    assert.match(c.parts![0].file, /_set_/);
    assert.match(c.parts![1].file, /_reset_/);
    for (let k = 1; k < c.tS.length; k++) assert.ok(c.tS[k] > c.tS[k - 1]);
  }
  checkToy(dev.cycles[0]);
  checkToy(dev.cycles[1], 1.1);
});

test('a device that SETs at positive voltage is detected, recorded and flipped to the model convention', () => {
  const ds = ingestFiles([F('polarity-positive.csv')]);
  assert.equal(ds.devices[0].setPolarity, 'positive');
  assert.equal(ds.devices[0].polaritySource, 'detected');
  checkToy(ds.devices[0].cycles[0]);
  const forced = ingestFiles([F('polarity-positive.csv')], { setPolarity: 'negative' });
  assert.equal(forced.devices[0].setPolarity, 'negative');
  assert.equal(forced.devices[0].polaritySource, 'option');
  assert.ok(Math.abs(forced.devices[0].cycles[0].features.vSetV! - -0.8) > 0.1);
});

test('workbooks (xlsx and xls): side-by-side blocks are devices, "--" padding and label rows skipped, notes sheet skipped', () => {
  for (const name of ['blocks-3devices.xlsx', 'blocks-3devices.xls']) {
    const ds = ingestFiles([F(name)]);
    assert.deepEqual(
      ds.devices.map((d) => d.id),
      ['blocks-3devices#1', 'blocks-3devices#2', 'blocks-3devices#3'],
    );
    [1, 1.5, 0.7].forEach((s, k) => checkToy(ds.devices[k].cycles[0], s));
    assert.ok(ds.issues.some((i) => i.code === 'skipped_sheet' && i.message.includes('notes')));
    const one = ingestFiles([F(name)], { sheet: 'devices', blocks: 'cycles' });
    assert.equal(one.devices.length, 1);
    assert.equal(one.devices[0].cycles.length, 3);
    assert.equal(ingestFiles([F(name)], { sheet: 0 }).devices.length, 3);
  }
});

test('explicit flags override guesses: columns by position, units, sweep rate, compliance, device', () => {
  const ds = ingestFiles([F('tab-uA.tsv')], { vColumn: '1', iColumn: '2', iUnit: 'uA', sweepRateVps: 2, complianceA: 1.2e-4, device: 'X' });
  const c = ds.devices[0].cycles[0];
  assert.equal(ds.devices[0].id, 'X');
  assert.equal(c.timeSource, 'sweep-rate');
  assert.ok(Math.abs(c.tS[c.tS.length - 1] - 4.8 / 2) < 1e-9); // 4.8 V of travel at 2 V/s
  assert.equal(c.complianceA, 1.2e-4);
  assert.equal(c.complianceSource, 'option');
  const mA = ingestFiles([F('tab-uA.tsv')], { iUnit: 'mA' });
  assert.ok(rel(mA.devices[0].cycles[0].features.lrsOhm!, 2) < 0.05); // the same numbers read as mA: 1000x lower R
  const t = ingestFiles([F('k4200-cycle3.csv')], { timeFrom: 'sweep-rate', sweepRateVps: 1 });
  assert.equal(t.devices[0].cycles[0].timeSource, 'sweep-rate');
});
