import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParams, simulate, sweepWaveform, type Waveform } from '../../src/model/index.js';
import { fitDevice, resolveFitSettings, type CycleFit, type FitCycleInput } from '../../src/fit/index.js';

// Four consecutive noise-free ±1.3 V sweeps of one device under v1b var with one draw per cycle held
// for its SET and RESET (the model's §6.1 mechanics: the geometry moves from where the previous cycle
// left it to the cycle's targets with the switching progress). The targets are stated, not random.
const TARGETS = [
  { rnew: 45e-9, lnew: 0.4e-9 },
  { rnew: 47e-9, lnew: 0.44e-9 },
  { rnew: 43e-9, lnew: 0.37e-9 },
  { rnew: 46e-9, lnew: 0.42e-9 },
];

function campaign(): FitCycleInput[] {
  const one = sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.01 });
  const n = one.tS.length,
    period = one.tS[n - 1],
    C = TARGETS.length;
  const wave: Waveform = { tS: new Float64Array((n - 1) * C + 1), vV: new Float64Array((n - 1) * C + 1) };
  for (let c = 0; c < C; c++)
    for (let k = c === 0 ? 0 : 1; k < n; k++) {
      wave.tS[c * (n - 1) + k] = c * period + one.tS[k];
      wave.vV[c * (n - 1) + k] = one.vV[k];
    }
  const p = resolveParams(TARGETS[0]);
  const sim = simulate(p, wave, {
    ninit: p.Ndiscmin,
    sampler: ({ index }) => ({ ...TARGETS[index >> 1], Ndiscmin: p.Ndiscmin, Ndiscmax: p.Ndiscmax }),
  });
  return TARGETS.map((_, c) => ({
    device: 'D',
    cycle: c + 1,
    tS: Array.from(one.tS),
    timeSource: 'file',
    vV: Array.from(sim.vV.slice(c * (n - 1), c * (n - 1) + n)),
    iA: Array.from(sim.iA.slice(c * (n - 1), c * (n - 1) + n)),
    complianceA: null,
    features: { readVoltageV: 0.2 },
  }));
}

function fit(carryGeometry: boolean, cycles: FitCycleInput[]): CycleFit[] {
  const out: CycleFit[] = [];
  const settings = resolveFitSettings({
    fitParams: ['rnew', 'lnew'],
    cycleParams: ['rnew', 'lnew'],
    deviceCycles: 2,
    carryGeometry,
    seed: 1,
  });
  fitDevice({ device: 'D', cycles }, settings, { cycles: new Map() }, (e) => {
    if (e.kind === 'cycle') out.push(e.fit);
  });
  return out.sort((a, b) => a.cycle - b.cycle);
}

test('carryGeometry: per-cycle rnew, lnew recovered when the geometry carries over from cycle to cycle', () => {
  const cycles = campaign();
  const carried = fit(true, cycles);
  assert.equal(carried.length, 4);
  for (const f of carried) {
    const t = TARGETS[f.cycle - 1];
    assert.ok(Math.abs(Math.log(f.params.rnew / t.rnew)) < 0.005, `cycle ${f.cycle} rnew ${f.params.rnew} vs ${t.rnew}`);
    assert.ok(Math.abs(Math.log(f.params.lnew / t.lnew)) < 0.005, `cycle ${f.cycle} lnew ${f.params.lnew} vs ${t.lnew}`);
    assert.ok(f.endGeometry && f.endGeometry.rM > 0 && f.endGeometry.lM > 0);
  }
  // the cycle model without carried geometry reads the HRS at the start of a cycle (set by the previous
  // cycle's geometry) as this cycle's: lnew comes back wrong by several per cent on some cycle
  const plain = fit(false, cycles);
  const worst = Math.max(...plain.map((f) => Math.abs(Math.log(f.params.lnew / TARGETS[f.cycle - 1].lnew))));
  assert.ok(worst > 0.03, `without carried geometry the worst lnew error is ${worst}`);
});
