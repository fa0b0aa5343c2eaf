/**
 * Switching kinetics against spec §9 (independent reference numbers, not in the shared CSVs):
 * the apparent SET/RESET voltages at 0.1…1000 V/s and the constant-voltage switching times.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PARAMS as p, simulate, sweepWaveform } from '../../src/model/index.js';
import { crossingVoltage } from './refdata.js';

test('apparent V_SET / V_RESET vs sweep rate (spec §9) within ±2 mV', () => {
  const table: [number, number, number][] = [
    [0.1, -0.534, 0.848],
    [1, -0.591, 0.929],
    [10, -0.65, 1.02],
    [1000, -0.772, 1.24],
  ];
  for (const [rate, vSet, vReset] of table) {
    const r = simulate(p, sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: rate, stepV: 0.001 }));
    const s = crossingVoltage(r.ndisc, r.vV, 0.4, true);
    const q = crossingVoltage(r.ndisc, r.vV, 0.4, false);
    assert.ok(Math.abs(s - vSet) <= 2e-3, `${rate} V/s: V_SET ${s} vs ${vSet}`);
    assert.ok(Math.abs(q - vReset) <= 2e-3, `${rate} V/s: V_RESET ${q} vs ${vReset}`);
  }
});

/** Time at which N crosses 0.4 under a constant voltage (interpolated in ln N on a fine output grid). */
function crossingTime(vV: number, n0: number, tMaxS: number): number {
  const m = 2000;
  const tS = new Float64Array(m + 1).map((_, k) => (tMaxS * k) / m);
  const r = simulate(p, { tS, vV: new Float64Array(m + 1).fill(vV) }, { ninit: n0, scheme: 'rk23', relTol: 1e-8 });
  for (let k = 1; k <= m; k++) {
    const a = r.ndisc[k - 1];
    const b = r.ndisc[k];
    if ((a - 0.4) * (b - 0.4) <= 0 && a !== b)
      return tS[k - 1] + ((Math.log(0.4) - Math.log(a)) / (Math.log(b) - Math.log(a))) * (tS[k] - tS[k - 1]);
  }
  return NaN;
}

test('constant-voltage switching times (spec §9) within 0.3 %', () => {
  const set: [number, number][] = [
    [-0.5, 0.968],
    [-0.6, 17.22e-3],
    [-0.7, 0.364e-3],
    [-0.8, 10.09e-6],
    [-1.0, 21.35e-9],
  ];
  const reset: [number, number][] = [
    [0.8, 1.328],
    [0.9, 78.0e-3],
    [1.0, 6.425e-3],
    [1.2, 0.1069e-3],
    [1.5, 1.31e-6],
  ];
  for (const [v, t] of set) {
    const tc = crossingTime(v, p.Ndiscmin, 2 * t);
    assert.ok(Math.abs(tc / t - 1) < 3e-3, `SET at ${v} V: ${tc} s vs ${t} s`);
  }
  for (const [v, t] of reset) {
    const tc = crossingTime(v, p.Ndiscmax, 2 * t);
    assert.ok(Math.abs(tc / t - 1) < 3e-3, `RESET at ${v} V: ${tc} s vs ${t} s`);
  }
});
