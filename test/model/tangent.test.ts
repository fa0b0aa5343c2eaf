/**
 * Forward sensitivities of a simulation (src/model/tangent.ts) against central differences of the
 * simulation itself, on converged integrations (Bogacki–Shampine, relTol 1e-7, |Δ ln N| ≤ 0.02) so
 * that the step control does not add noise to the differences. Regimes: the default cell through
 * SET and RESET, SET under a current compliance, and with an external series resistance.
 * Tolerance: per direction, the largest difference of d ln|I|/dθ (and dN/dθ) over the sweep within
 * 2 % of that column's largest value (the differences at the abrupt switching points carry the
 * central difference's own truncation error, O(h²) on a steep trajectory).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParams, simulate, sweepWaveform, Tangent, type Circuit, type TangentParam } from '../../src/model/index.js';

const BASE = { rnew: 41e-9, lnew: 0.43e-9, Ndiscmin: 0.011, RseriesTiOx: 820, phiBn0: 0.19, dWa: 1.33 };
const WAVE = sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.01 });
const TOL = { scheme: 'rk23' as const, relTol: 1e-7, maxDlnN: 0.02 };

function check(dirs: TangentParam[], circuit: Circuit): void {
  const p0 = resolveParams(BASE);
  const ser = circuit.seriesOhm ?? 0;
  const run = (name: TangentParam | null, dv: number, tan?: Tangent) => {
    const over = name && name !== 'ninit' && name !== 'seriesOhm' ? { [name]: (p0 as Record<string, number>)[name] + dv } : {};
    const p = resolveParams({ ...BASE, ...over });
    return simulate(p, WAVE, {
      ...TOL,
      tangent: tan,
      ninit: p0.Ndiscmin + (name === 'ninit' ? dv : 0),
      circuit: { ...circuit, seriesOhm: ser + (name === 'seriesOhm' ? dv : 0) },
    });
  };
  const tan = new Tangent(p0, dirs);
  const s0 = run(null, 0, tan);
  assert.equal(tan.dlnI.length, WAVE.tS.length * dirs.length);
  dirs.forEach((name, j) => {
    const v0 = name === 'ninit' ? p0.Ndiscmin : name === 'seriesOhm' ? ser : (p0 as Record<string, number>)[name];
    const h = name === 'seriesOhm' ? 1 : 1e-4 * v0;
    const sp = run(name, h),
      sm = run(name, -h);
    let maxI = 0,
      errI = 0,
      maxN = 0,
      errN = 0;
    for (let k = 1; k < WAVE.tS.length; k++) {
      if (WAVE.vV[k] === 0) continue; // no current at 0 V
      const fdI = (Math.log(Math.abs(sp.iA[k])) - Math.log(Math.abs(sm.iA[k]))) / (2 * h);
      const fdN = (sp.ndisc[k] - sm.ndisc[k]) / (2 * h);
      maxI = Math.max(maxI, Math.abs(fdI));
      errI = Math.max(errI, Math.abs(fdI - tan.dlnI[k * dirs.length + j]));
      maxN = Math.max(maxN, Math.abs(fdN));
      errN = Math.max(errN, Math.abs(fdN - tan.dN[k * dirs.length + j]));
    }
    assert.ok(maxI > 0 && Number.isFinite(errI), `${name}: no sensitivity`);
    assert.ok(errI <= 0.02 * maxI, `${name}: d ln I error ${errI.toExponential(2)} vs max ${maxI.toExponential(2)}`);
    if (maxN > 0) assert.ok(errN <= 0.02 * maxN, `${name}: dN error ${errN.toExponential(2)} vs max ${maxN.toExponential(2)}`);
  });
  assert.ok(s0.iA.every((x) => Number.isFinite(x)));
}

test('sensitivities: SET and RESET of the default cell, every supported direction', () => {
  check(['rnew', 'lnew', 'Ndiscmin', 'RseriesTiOx', 'phiBn0', 'dWa', 'ninit', 'seriesOhm'], {});
});

test('sensitivities: SET under a 100 µA compliance (current drive)', () => {
  check(['rnew', 'RseriesTiOx', 'phiBn0', 'dWa', 'ninit'], { complianceA: 1e-4 });
});

test('sensitivities: with a 3 kΩ external series resistance', () => {
  check(['rnew', 'lnew', 'dWa', 'seriesOhm', 'ninit'], { seriesOhm: 3000 });
});

test('sensitivities do not change the simulation', () => {
  const p = resolveParams(BASE);
  const a = simulate(p, WAVE);
  const b = simulate(p, WAVE, { tangent: new Tangent(p, ['rnew', 'dWa']) });
  assert.deepEqual(Array.from(b.iA), Array.from(a.iA));
  assert.deepEqual(Array.from(b.ndisc), Array.from(a.ndisc));
});
