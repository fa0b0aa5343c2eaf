/** Measurement circuit: SMU compliance (cell driven at Icc, voltage follows) and external series resistance. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PARAMS, operatingPoint, simulate, sweepWaveform } from '../../src/model/index.js';

const wave = sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.002 });

test('SET compliance: |I| = Icc while active, never above; the cell voltage follows; RESET unlimited', () => {
  const icc = 1e-4;
  const rExt = 200;
  const r = simulate(DEFAULT_PARAMS, wave, { circuit: { complianceA: icc, seriesOhm: rExt } });
  let active = 0;
  for (let k = 0; k < wave.tS.length; k++) {
    const v = wave.vV[k];
    const i = r.iA[k];
    assert.ok(Number.isFinite(i));
    if (v < 0) assert.ok(Math.abs(i) <= icc * (1 + 1e-9));
    if (r.complianceActive[k]) {
      active++;
      assert.ok(v < 0);
      assert.ok(Math.abs(Math.abs(i) / icc - 1) < 1e-9);
      assert.ok(Math.abs(r.vCellV[k]) < Math.abs(v) - icc * rExt, 'the SMU lowers the cell voltage');
      // the cell at its own voltage carries exactly Icc (same state, static solve)
      const op = operatingPoint({ ...DEFAULT_PARAMS, Ninit: r.ndisc[k] }, r.vCellV[k], r.ndisc[k]);
      assert.ok(Math.abs(op.iA / i - 1) < 1e-6, `k=${k}: static ${op.iA} vs ${i}`);
    } else if (v !== 0) {
      assert.ok(Math.abs(r.vCellV[k] - (v - i * rExt)) < 1e-9, 'series drop');
    }
  }
  assert.ok(active > 50, `compliance active at ${active} samples`);
  assert.ok(Math.max(...Array.from(r.iA)) > icc, 'no limit in the RESET polarity by default');
  // a compliance-limited SET leaves a more resistive LRS than the free SET
  const free = simulate(DEFAULT_PARAMS, wave);
  const mid = (wave.tS.length - 1) / 2;
  assert.ok(r.ndisc[mid] < free.ndisc[mid]);
});

test('RESET compliance is separate', () => {
  const r = simulate(DEFAULT_PARAMS, wave, { circuit: { complianceResetA: 2e-4 } });
  for (let k = 0; k < wave.tS.length; k++) if (wave.vV[k] > 0) assert.ok(r.iA[k] <= 2e-4 * (1 + 1e-9));
});
