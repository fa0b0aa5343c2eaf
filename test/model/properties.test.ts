/** Property tests over the whole parameter box: finite physics, compliance never exceeded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PARAM_TABLE, operatingPoint, resolveParams, simulate, sweepWaveform, type JartParams } from '../../src/model/index.js';

/** A parameter set drawn from the box (log-uniform for positive parameters), made consistent. */
const paramsArb: fc.Arbitrary<JartParams> = fc.tuple(...PARAM_TABLE.map(() => fc.double({ min: 0, max: 1, noNaN: true }))).map((us) => {
  const o: Record<string, number> = {};
  PARAM_TABLE.forEach((s, k) => {
    const u = us[k];
    const x = s.positive ? Math.exp(Math.log(s.min) + u * (Math.log(s.max) - Math.log(s.min))) : s.min + u * (s.max - s.min);
    o[s.name] = Math.min(s.max, Math.max(s.min, x));
  });
  if (o.Ndiscmin >= o.Ndiscmax) [o.Ndiscmin, o.Ndiscmax] = [Math.min(o.Ndiscmin, o.Ndiscmax) * 0.5, Math.max(o.Ndiscmin, o.Ndiscmax)];
  o.ldet = Math.min(o.ldet, 0.9 * o.lcell);
  o.lnew = Math.min(o.lnew, 0.9 * o.lcell);
  return resolveParams(o);
});

test('operating point: I, T and dN/dt finite over the parameter box, |V| ≤ 2 V', () => {
  fc.assert(
    fc.property(paramsArb, fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (p, v, u) => {
      const nd = Math.exp(Math.log(1e-4) + u * Math.log(1100 / 1e-4));
      const op = operatingPoint(p, v, nd);
      assert.ok(
        Number.isFinite(op.iA) && Number.isFinite(op.tempK) && Number.isFinite(op.dndtPerS) && Number.isFinite(op.vsV),
        `V=${v} N=${nd} → ${JSON.stringify(op)}`,
      );
      assert.ok(op.iA === 0 || Math.sign(op.iA) === Math.sign(v), 'current has the sign of V');
      assert.ok(op.tempK >= p.T0 - 1e-9);
      assert.ok(Math.abs(op.vsV) <= Math.abs(v) + 1e-12);
    }),
    { numRuns: 2000, seed: 20261129 },
  );
});

test('simulate: finite sweeps over the parameter box; SET compliance never exceeded', () => {
  const wave = sweepWaveform({ vSetV: -2, vResetV: 2, rateVps: 10, stepV: 0.02 });
  fc.assert(
    fc.property(paramsArb, fc.double({ min: 1e-6, max: 1e-3, noNaN: true }), (p, icc) => {
      const r = simulate(p, wave, { circuit: { complianceA: icc, seriesOhm: 50 } });
      for (let k = 0; k < wave.tS.length; k++) {
        assert.ok(Number.isFinite(r.iA[k]) && Number.isFinite(r.tempK[k]) && Number.isFinite(r.ndisc[k]), `sample ${k} not finite`);
        if (wave.vV[k] < 0) assert.ok(Math.abs(r.iA[k]) <= icc * (1 + 1e-9), `|I| ${r.iA[k]} > ${icc}`);
        assert.ok(r.ndisc[k] >= Math.min(p.Ninit, p.Ndiscmin) * (1 - 1e-12) && r.ndisc[k] <= Math.max(p.Ninit, p.Ndiscmax) * (1 + 1e-12));
      }
    }),
    { numRuns: 60, seed: 7 },
  );
});
