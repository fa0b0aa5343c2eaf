import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParams } from '../../src/model/index.js';
import {
  DEFAULT_OBJECTIVE,
  evaluateCycle,
  firstGuess,
  fitDevice,
  prepareCycle,
  resolveFitSettings,
  type CycleFit,
} from '../../src/fit/index.js';
import { synthCycle } from '../../src/fit/synthetic.js';
import { createRng } from '../../src/util/rng.js';

// A cell with little RESET-side heating (Rtheff_scaling 0.12 instead of the nominal 0.27) RESETs about
// 0.5 V later than the nominal one: ±1.3/+1.6 V sweep, 1.3 % current noise.
const TRUE = resolveParams({
  Rtheff_scaling: 0.12,
  rnew: 41e-9,
  lnew: 0.43e-9,
  Ndiscmin: 0.011,
  RseriesTiOx: 820,
  phiBn0: 0.19,
  dWa: 1.33,
});
const FREE = ['rnew', 'lnew', 'Ndiscmin', 'RseriesTiOx', 'phiBn0', 'dWa', 'Rtheff_scaling'] as const;
const cycle = () => synthCycle(TRUE, createRng(3), { stepV: 0.005, vResetV: 1.6, device: 'D', cycle: 1 }).cycle;

test('first guess: with Rtheff_scaling free, the model RESETs where the data do', () => {
  const pc = prepareCycle(cycle(), DEFAULT_OBJECTIVE);
  assert.ok(pc.vResetV !== null && pc.vResetV > 1.1, `measured V_RESET ${pc.vResetV}`);
  const nominal = evaluateCycle(pc, resolveParams({}), resolveParams({}).Ndiscmin, DEFAULT_OBJECTIVE).vResetModelV;
  assert.ok(nominal !== null && pc.vResetV - nominal > 0.3, `the nominal start RESETs at ${nominal} V`);
  const g = firstGuess(pc, resolveParams({}), FREE, DEFAULT_OBJECTIVE);
  const v = evaluateCycle(pc, g.p, g.p.Ndiscmin, DEFAULT_OBJECTIVE).vResetModelV;
  assert.ok(v !== null && Math.abs(v - pc.vResetV) < 0.02, `guessed model V_RESET ${v} V, data ${pc.vResetV} V`);
  assert.ok(g.p.Rtheff_scaling < 0.25, `guessed (moved down from the nominal 0.27) Rtheff_scaling ${g.p.Rtheff_scaling}`);
  // the SET-side guess is untouched by it: Rtheff_scaling acts for V > 0 only
  const gNo = firstGuess(
    pc,
    resolveParams({}),
    FREE.filter((n) => n !== 'Rtheff_scaling'),
    DEFAULT_OBJECTIVE,
  );
  assert.equal(g.p.dWa, gNo.p.dWa);
});

test('the fit from that guess reaches the noise floor (from the nominal 0.27 it stalled at twice the noise)', () => {
  const out: CycleFit[] = [];
  fitDevice(
    { device: 'D', cycles: [cycle()] },
    resolveFitSettings({ mode: 'independent', fitParams: [...FREE], seed: 1 }),
    { cycles: new Map() },
    (e) => {
      if (e.kind === 'cycle') out.push(e.fit);
    },
  );
  assert.equal(out.length, 1);
  // 0.013-decade noise; the fit from the nominal start ended at 0.028 with Rtheff_scaling 0.27 and rnew 48 nm
  assert.ok(out[0].rmsLog10 < 0.018, `RMS ${out[0].rmsLog10}`);
  assert.ok(out[0].params.Rtheff_scaling < 0.2, `Rtheff_scaling ${out[0].params.Rtheff_scaling}`);
  assert.ok(Math.abs(out[0].params.rnew / TRUE.rnew - 1) < 0.06, `rnew ${out[0].params.rnew}`);
});
