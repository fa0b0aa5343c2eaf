import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParams } from '../../src/model/index.js';
import { DEFAULT_OBJECTIVE, evaluateCycle, prepareCycle, synthCycle } from '../../src/fit/index.js';
import { prepareCoarse } from '../../src/fit/coarse.js';
import { createRng } from '../../src/util/rng.js';

// The coarse internal grid (src/fit/coarse.ts) must give the objective of a full simulation of a
// fine (1 mV) sweep: same residuals to well below the data noise (≥ 0.01 decade) and the same
// switching voltages, at the truth and away from it (a trial point of a fit).
test('coarse simulation grid reproduces the full-grid objective on a 1 mV sweep', () => {
  const truth = { rnew: 41e-9, lnew: 0.43e-9, Ndiscmin: 0.011, RseriesTiOx: 820, phiBn0: 0.19, dWa: 1.33 };
  const c = synthCycle(resolveParams(truth), createRng(5), { stepV: 0.001, cycle: 1 }).cycle;
  const full = { ...DEFAULT_OBJECTIVE, simStepV: 0 };
  const pcFull = prepareCycle(c, full),
    pc = prepareCycle(c, DEFAULT_OBJECTIVE);
  assert.equal(pcFull.coarse, null);
  assert.ok(pc.coarse && pc.coarse.k.length < pc.wave.tS.length / 4, 'the grid is decimated about 5×');
  for (const q of [truth, { ...truth, dWa: 1.25, rnew: 35e-9 }, { ...truth, Ndiscmin: 0.02, phiBn0: 0.22 }]) {
    const p = resolveParams(q);
    const a = evaluateCycle(pcFull, p, 0.011, full),
      b = evaluateCycle(pc, p, 0.011, DEFAULT_OBJECTIVE);
    // the sample in which the model switches moves by decades per mV: there the ~20 µV difference
    // of the two integrations shows (measured 6.5e-3); elsewhere ≤ 1.5e-3, p99 ≤ 2e-4 (measured)
    const d = Array.from(pc.idx, (i) => Math.abs(a.logIModel[i] - b.logIModel[i])).sort((x, y) => y - x);
    assert.ok(d[0] < 0.02, `max |Δ log10 I| ${d[0]}`);
    assert.ok(d[2] < 3e-3, `third largest |Δ log10 I| ${d[2]}`);
    assert.ok(d[Math.floor(d.length / 100)] < 5e-4, `p99 |Δ log10 I| ${d[Math.floor(d.length / 100)]}`);
    assert.ok(Math.abs(a.vSetModelV! - b.vSetModelV!) < 2e-4, `V_SET ${a.vSetModelV} vs ${b.vSetModelV}`);
    assert.ok(Math.abs(a.vResetModelV! - b.vResetModelV!) < 2e-4, `V_RESET ${a.vResetModelV} vs ${b.vResetModelV}`);
    assert.ok(Math.abs(a.endNdisc / b.endNdisc - 1) < 0.02, `end state ${a.endNdisc} vs ${b.endNdisc}`);
  }
});

test('coarse grid keeps turning points and is not used on coarse sweeps', () => {
  const tS = Float64Array.from({ length: 41 }, (_, i) => i);
  const vV = Float64Array.from(tS, (t) => (t <= 20 ? t * 1e-3 : (40 - t) * 1e-3));
  const g = prepareCoarse({ tS, vV }, 0.005)!;
  assert.ok(Array.from(g.k).includes(20) && g.k[0] === 0 && g.k[g.k.length - 1] === 40);
  assert.equal(prepareCoarse({ tS, vV: Float64Array.from(vV, (v) => v * 5) }, 0.005), null);
});
