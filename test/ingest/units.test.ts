// Small pure pieces: unit parsing, header roles, cell parsing, compliance detection, features.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitHeaderUnit, unitScale } from '../../src/ingest/units.js';
import { classifyHeader } from '../../src/ingest/columns.js';
import { parseCell } from '../../src/ingest/cells.js';
import { findExcursions } from '../../src/ingest/excursions.js';
import { detectCompliance } from '../../src/ingest/compliance.js';
import { computeFeatures, labelBranches } from '../../src/features/index.js';

test('units and header units', () => {
  assert.equal(unitScale('mA', 'A'), 1e-3);
  assert.equal(unitScale('µA', 'A'), 1e-6);
  assert.equal(unitScale('uA', 'A'), 1e-6);
  assert.equal(unitScale('nA', 'A'), 1e-9);
  assert.equal(unitScale('mV', 'V'), 1e-3);
  assert.equal(unitScale('ms', 's'), 1e-3);
  assert.equal(unitScale('kg', 'A'), null);
  assert.equal(unitScale('mV', 'A'), null);
  assert.deepEqual(splitHeaderUnit('Current (mA)'), { name: 'Current', unit: 'mA' });
  assert.deepEqual(splitHeaderUnit('I [uA]'), { name: 'I', unit: 'uA' });
  assert.deepEqual(splitHeaderUnit('V_mV'), { name: 'V', unit: 'mV' });
  assert.deepEqual(splitHeaderUnit('time_s'), { name: 'time', unit: 's' });
  assert.deepEqual(splitHeaderUnit('Smu1.V[1][1]'), { name: 'Smu1.V[1][1]', unit: null });
});

test('header roles in the common spellings', () => {
  const role = (h: string) => classifyHeader(h)?.role ?? null;
  for (const h of ['Voltage (V)', 'AV', 'VF', 'Vforce', 'V1', 'Smu1.V[1][1]', 'V_V', 'Vtop']) assert.equal(role(h), 'v', h);
  for (const h of ['Current (A)', 'AI', 'IF', 'I [mA]', ' Current (A)', 'I1', 'Smu1.I[1][1]', 'I_A', 'Itop']) assert.equal(role(h), 'i', h);
  for (const h of ['Time', 'Time (generated)', '@TIME', 'time_s', 'Smu1.Time[1][1]']) assert.equal(role(h), 't', h);
  for (const h of ['cycle', 'Cycle #', 'Count']) assert.equal(role(h), 'cycle', h);
  for (const h of ['device', 'Device ID', 'DUT']) assert.equal(role(h), 'device', h);
  for (const h of ['VSET', 'VRESET', 'Resistance', 'RATIO_NEGATIVE', 'IV_average_1']) assert.equal(role(h), null, h);
  assert.ok(classifyHeader('AI')!.rank < classifyHeader('ID')!.rank);
  assert.ok(classifyHeader('I1')!.rank < classifyHeader('absI')!.rank);
});

test('cells: quoted, decimal comma, unit suffix, refusals', () => {
  assert.deepEqual(parseCell('"1.5e-3"', false), { kind: 'number', value: 1.5e-3, unit: null });
  assert.deepEqual(parseCell('1,5', true), { kind: 'number', value: 1.5, unit: null });
  assert.equal(parseCell('1,5', false).kind, 'bad');
  assert.deepEqual(parseCell('12 uA', false), { kind: 'number', value: 12, unit: 'uA' });
  assert.deepEqual(parseCell('\u22120.2', false), { kind: 'number', value: -0.2, unit: null });
  assert.equal(parseCell('NaN', false).kind, 'bad');
  assert.equal(parseCell('#REF!', false).kind, 'bad');
  assert.equal(parseCell('Cycle 1', false).kind, 'text');
  assert.equal(parseCell(Infinity, false).kind, 'bad');
  assert.deepEqual(parseCell('9.91E37', false), { kind: 'bad', text: '9.91E37', why: 'an instrument overflow marker, not a reading' });
  assert.equal(parseCell('1e400', false).kind, 'bad');
});

/** A SET excursion to -2 V, ohmic 1 kΩ after SET at -1 V, with the current limited at `icc`; then RESET. */
function loop(step: number, icc: number | null, stall: boolean) {
  const v: number[] = [],
    i: number[] = [];
  const n = Math.round(2 / step);
  const push = (x: number, lrs: boolean) => {
    let cur = lrs ? x / 1e3 : x / 1e6;
    let vm = x;
    if (icc !== null && Math.abs(cur) > icc) {
      cur = -icc;
      if (stall) vm = -icc * 1e3;
    }
    v.push(vm);
    i.push(cur);
  };
  for (let k = 0; k <= n; k++) push(-k * step, k * step >= 1);
  for (let k = n - 1; k >= 0; k--) push(-k * step, true);
  for (let k = 1; k <= n; k++) {
    const x = k * step;
    v.push(x);
    i.push(x < 0.8 ? x / 1e3 : (0.8 / 1e3) * Math.exp(-(x - 0.8) / 0.1));
  }
  for (let k = n - 1; k >= 0; k--) {
    v.push(k * step);
    i.push((k * step) / 1e6);
  }
  return { v, i };
}

test('compliance: plateau with moving or stalled voltage, saturating branch; a fine smooth maximum is not one', () => {
  for (const stall of [false, true]) {
    const { v, i } = loop(0.01, 1e-3, stall);
    assert.equal(detectCompliance(v, i, findExcursions(v), -1), 1e-3, `stall ${stall}`);
  }
  const free = loop(0.01, null, false);
  assert.equal(detectCompliance(free.v, free.i, findExcursions(free.v), -1), null);
  const fine = loop(0.0005, null, false); // RESET peak 0.8 mA sampled every 0.5 mV: round, smooth, not a limit
  assert.equal(detectCompliance(fine.v, fine.i, findExcursions(fine.v), -1), null);
  // a 1T1R-like saturation: I rises 10 % over the last volt of the SET excursion
  const sat = loop(0.01, null, false);
  for (let k = 0; k < sat.v.length; k++)
    if (sat.v[k] < 0) sat.i[k] = -Math.min(-sat.i[k], 1.5e-4 * (0.9 + 0.1 * Math.max(0, -sat.v[k] - 1)));
  assert.ok(Math.abs(detectCompliance(sat.v, sat.i, findExcursions(sat.v), -1)! - 1.5e-4) < 1e-12);
});

test('features of a known loop', () => {
  const { v, i } = loop(0.01, 1e-3, false);
  const b = labelBranches(v, findExcursions(v));
  const f = computeFeatures(v, i, b, 0.1, 1e-3);
  assert.ok(Math.abs(f.vSetV! - -1.0) < 0.011, `${f.vSetV}`);
  assert.ok(Math.abs(f.vResetV! - 0.8) < 0.011, `${f.vResetV}`);
  assert.ok(Math.abs(f.hrsOhm! / 1e6 - 1) < 1e-9);
  assert.ok(Math.abs(f.lrsOhm! / 1e3 - 1) < 1e-9);
  assert.ok(Math.abs(f.onOff! / 1e3 - 1) < 1e-9);
  assert.ok(Math.abs(f.resetPeakA! - 0.8e-3) < 1e-12);
  assert.equal(f.complianceHit, true);
  assert.equal(computeFeatures(v, i, b, 5, null).hrsOhm, null); // read voltage beyond the sweep
});
