import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParams } from '../../src/model/index.js';
import { DEFAULT_OBJECTIVE, evaluateCycle, prepareCycle, type FitCycleInput } from '../../src/fit/index.js';
import { synthCycle } from '../../src/fit/synthetic.js';
import { createRng } from '../../src/util/rng.js';

// A cycle joined from a SET and a RESET file (aguirref's workbooks, its derived CSVs) carries the RESET
// half's own time base: a pause at 0 V before it and a rate that differs in the fourth digit from one
// copy to the other. At 0 V the cell does not move, and a 1e-4 change of the sweep rate moves the
// switching by microvolts: the objective must not see either.
const TRUE = resolveParams({ rnew: 41e-9, lnew: 0.43e-9, Ndiscmin: 0.011, RseriesTiOx: 820, phiBn0: 0.19, dWa: 1.33 });

function retimed(c: FitCycleInput, pauseS: number, rateFactor: number): FitCycleInput {
  // the RESET half: from the first sample with V > 0
  const j = c.vV.findIndex((v) => v > 0);
  const t0 = c.tS[j - 1];
  return { ...c, tS: c.tS.map((t, i) => (i < j ? t : t0 + pauseS + (t - t0) / rateFactor)) };
}

test('objective: invariant to a pause at 0 V before the RESET half and to a 1e-4 change of its rate', () => {
  const c = synthCycle(TRUE, createRng(5), { stepV: 0.005, vResetV: 1.3 }).cycle;
  for (const p of [TRUE, resolveParams({ ...TRUE, dWa: 1.3, Ndiscmin: 0.02, rnew: 35e-9 })]) {
    const ref = evaluateCycle(prepareCycle(c, DEFAULT_OBJECTIVE), p, p.Ndiscmin, DEFAULT_OBJECTIVE);
    assert.ok(ref.vSetModelV !== null && ref.vResetModelV !== null, 'the model switches both ways');
    for (const [pause, rate] of [
      [0.008, 1],
      [0.5, 1],
      [0.5, 1 + 1e-4],
      [0.008, 1 - 1e-4],
    ]) {
      const e = evaluateCycle(prepareCycle(retimed(c, pause, rate), DEFAULT_OBJECTIVE), p, p.Ndiscmin, DEFAULT_OBJECTIVE);
      let d = 0;
      for (let k = 0; k < ref.residuals.length; k++) d = Math.max(d, Math.abs(e.residuals[k] - ref.residuals[k]));
      assert.ok(d < 1e-3, `pause ${pause} s, rate × ${rate}: residuals move by up to ${d}`);
      assert.ok(Math.abs(e.rmsLog10 - ref.rmsLog10) < 1e-5, `pause ${pause} s, rate × ${rate}: RMS ${e.rmsLog10} vs ${ref.rmsLog10}`);
    }
  }
});
