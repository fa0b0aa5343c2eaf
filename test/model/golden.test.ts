/** Static operating points against ../shared/jart/reference/golden_points.csv (spec §9, §13). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedPath } from '../helpers/shared.js';
import { DEFAULT_PARAMS, operatingPoint, readCurrent, simulate, sweepWaveform } from '../../src/model/index.js';
import { readCsv } from './refdata.js';

test('golden points: I to 1e-6 relative, T to 1e-3 K, V_S and dN/dt', () => {
  const rows = readCsv(sharedPath('jart', 'reference', 'golden_points.csv'));
  assert.ok(rows.length >= 20);
  for (const [vV, n, iA, vsV, tK, dndt] of rows) {
    const op = operatingPoint(DEFAULT_PARAMS, vV, n);
    const where = `V=${vV} N=${n}`;
    assert.ok(Math.abs(op.iA / iA - 1) < 1e-6, `${where}: I ${op.iA} vs ${iA}`);
    assert.ok(Math.abs(op.tempK - tK) < 1e-3, `${where}: T ${op.tempK} vs ${tK}`);
    assert.ok(Math.abs(op.vsV - vsV) < 1e-6 * Math.abs(vsV) + 1e-12, `${where}: V_S ${op.vsV} vs ${vsV}`);
    if (dndt === 0) assert.equal(op.dndtPerS, 0, `${where}: dN/dt at the bound`);
    else assert.ok(Math.abs(op.dndtPerS / dndt - 1) < 1e-5, `${where}: dN/dt ${op.dndtPerS} vs ${dndt}`);
  }
});

test('read currents at +0.2 V (spec §9 table, µA to 4 digits)', () => {
  const table: [number, number][] = [
    [0.008, 3.05],
    [0.02, 7.363],
    [0.06, 20.03],
    [0.1, 30.46],
    [0.2, 49.4],
    [0.5, 77.68],
    [1, 95.98],
    [1.99, 108.69],
    [5, 118.2],
    [20, 123.54],
  ];
  for (const [n, uA] of table) {
    const i = readCurrent(DEFAULT_PARAMS, n, 0.2) * 1e6;
    assert.ok(Math.abs(i / uA - 1) < 6e-4, `N=${n}: ${i} µA vs ${uA}`);
  }
});

test('physical branch: the smallest-V_S root where three exist (spec §5.5)', () => {
  // N = 20 at +0.7…1 V has three operating points; the physical one has V_S ≈ 5–20 mV < φBn0 − φn.
  for (const v of [0.7, 0.85, 1.0]) {
    const op = operatingPoint(DEFAULT_PARAMS, v, 20);
    assert.ok(op.vsV > 0 && op.vsV < 0.03, `V=${v}: V_S=${op.vsV}`);
  }
});

test('the default sweep stays on the physical branch (spec §5.5: max V_S on the positive side 18 mV)', () => {
  const r = simulate(DEFAULT_PARAMS, sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.001 }));
  let maxVs = 0;
  for (let k = 0; k < r.vV.length; k++) if (r.vV[k] > 0) maxVs = Math.max(maxVs, r.vsV[k]);
  assert.ok(maxVs > 0.015 && maxVs < 0.02, `max V_S = ${maxVs}`);
  // the state-switching samples are the only V_S discontinuities (spec §10.3)
  for (let k = 1; k < r.vV.length; k++) {
    if (r.vV[k] === 0 || r.vV[k - 1] === 0 || Math.sign(r.vV[k]) !== Math.sign(r.vV[k - 1])) continue;
    const jump = Math.abs(r.vsV[k] - r.vsV[k - 1]);
    const switching = Math.abs(Math.log(r.ndisc[k] / r.ndisc[k - 1])) > 0.01;
    if (!switching) assert.ok(jump < 2e-3, `V_S jumps by ${jump} V at sample ${k} without switching`);
  }
});
