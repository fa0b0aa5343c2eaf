/** v1b var bookkeeping (spec §6.1): geometry follows the switching progress; per-event redraws; R_th scaling. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PARAMS, operatingPoint, simulate, sweepWaveform, type CycleDraw, type CycleEvent } from '../../src/model/index.js';

const sweep = sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.002 });
function twoCycles() {
  const n = sweep.tS.length;
  const tS = new Float64Array(2 * n - 1);
  const vV = new Float64Array(2 * n - 1);
  for (let k = 0; k < n; k++) {
    tS[k] = sweep.tS[k];
    vV[k] = sweep.vV[k];
    if (k > 0) {
      tS[n - 1 + k] = sweep.tS[n - 1] + sweep.tS[k];
      vV[n - 1 + k] = sweep.vV[k];
    }
  }
  return { tS, vV };
}

test('without a sampler the geometry stays at rnew/lnew', () => {
  const p = { ...DEFAULT_PARAMS, rnew: 50e-9, lnew: 0.38e-9 };
  const r = simulate(p, sweep);
  assert.ok(r.rVarM.every((x) => x === 50e-9) && r.lVarM.every((x) => x === 0.38e-9));
});

test('sampler: called at every entry into SET/RESET; geometry moves with f; new bounds apply', () => {
  const events: CycleEvent[] = [];
  const draws: CycleDraw[] = [
    { rnew: 50e-9, lnew: 0.42e-9, Ndiscmin: 0.008, Ndiscmax: 15 },
    { rnew: 41e-9, lnew: 0.37e-9, Ndiscmin: 0.01, Ndiscmax: 15 },
    { rnew: 47e-9, lnew: 0.4e-9, Ndiscmin: 0.01, Ndiscmax: 18 },
    { rnew: 44e-9, lnew: 0.41e-9, Ndiscmin: 0.009, Ndiscmax: 18 },
  ];
  const wave = twoCycles();
  const r = simulate(DEFAULT_PARAMS, wave, {
    sampler: (e) => {
      events.push(e);
      return draws[e.index];
    },
  });
  assert.deepEqual(
    events.map((e) => [e.index, e.polarity]),
    [
      [0, 'set'],
      [1, 'reset'],
      [2, 'set'],
      [3, 'reset'],
    ],
  );
  assert.ok(r.ndisc.every((x) => Number.isFinite(x)));
  const n = sweep.tS.length;
  // first SET half: r_var = r_old + (r_new − r_old)·(N − N_old)/(Nmax − N_old), N_old = Ninit, r_old = rdet
  const q1 = Math.round((n - 1) / 4);
  for (let k = 1; k <= 2 * q1; k++) {
    const f = Math.min(1, Math.max(0, (r.ndisc[k] - DEFAULT_PARAMS.Ninit) / (15 - DEFAULT_PARAMS.Ninit)));
    const expect = 45e-9 + (50e-9 - 45e-9) * f;
    assert.ok(Math.abs(r.rVarM[k] - expect) < 1e-12 * 45e-9 + 1e-6 * Math.abs(expect - 45e-9), `k=${k}`);
  }
  // the first SET ends below the redrawn Ndiscmax = 15 and the geometry reaches the target
  const endSet = 2 * q1;
  assert.ok(r.ndisc[endSet] <= 15 && r.ndisc[endSet] > 14);
  assert.ok(Math.abs(r.rVarM[endSet] - 50e-9) < 0.01e-9);
  // after the first RESET the geometry is close to the RESET target (N near its lower bound)
  const endReset = n - 1;
  assert.ok(r.ndisc[endReset] < 0.05);
  const fR = (r.ndisc[endSet] - r.ndisc[endReset]) / (r.ndisc[endSet] - 0.01);
  const expectR = r.rVarM[endSet] + (41e-9 - r.rVarM[endSet]) * fR;
  assert.ok(Math.abs(r.rVarM[endReset] - expectR) < 0.02e-9, `${r.rVarM[endReset]} vs ${expectR}`);
  // the second cycle switches at a different voltage (other geometry)
  const vSet = (from: number, to: number): number => {
    for (let k = from + 1; k < to; k++) if (r.ndisc[k - 1] < 0.4 && r.ndisc[k] >= 0.4) return wave.vV[k];
    return NaN;
  };
  assert.notEqual(vSet(0, n), vSet(n - 1, wave.tS.length));
});

test('R_th scales with (rdet/rnew)^2 (temperature of the operating point)', () => {
  for (const rnew of [35e-9, 45e-9, 60e-9]) {
    const p = { ...DEFAULT_PARAMS, rnew };
    for (const [v, nd] of [
      [-0.6, 0.1],
      [0.7, 1],
    ] as const) {
      const op = operatingPoint(p, v, nd);
      const i = Math.abs(op.iA);
      const rSeries = p.RseriesTiOx + p.R0 * (1 + p.alphaline * p.R0 * i * i * p.Rthline);
      const rth = p.Rth0 * (p.rdet / rnew) ** 2 * (v > 0 ? p.Rtheff_scaling : 1);
      const expectT = p.T0 + i * (Math.abs(v) - i * rSeries) * rth;
      assert.ok(Math.abs(op.tempK - expectT) < 1e-6 * expectT, `rnew=${rnew} V=${v}: ${op.tempK} vs ${expectT}`);
    }
  }
});
