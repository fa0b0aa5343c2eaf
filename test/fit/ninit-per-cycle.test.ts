import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParams } from '../../src/model/index.js';
import { fitDevice, resolveFitSettings, type CycleFit, type FitCycleInput } from '../../src/fit/index.js';
import { synthCycle } from '../../src/fit/synthetic.js';
import { createRng } from '../../src/util/rng.js';

// Four ±1.3 V sweeps of one device whose starting states are NOT where the previous sweep ended (as when
// other operations — reads, pulses, a forming step — happen between the recorded sweeps): each cycle is
// simulated from its own stated N. Same physical parameters in every cycle; 1.3 % current noise.
const STARTS = [0.008, 0.05, 0.02, 0.12];
const TRUE = resolveParams({ rnew: 44e-9, lnew: 0.41e-9 });

function campaign(): FitCycleInput[] {
  const rng = createRng(5);
  return STARTS.map((n0, c) => synthCycle(TRUE, rng, { stepV: 0.01, device: 'D', cycle: c + 1, ninit: n0, noiseDec: 0.013 }).cycle);
}

function fit(free: string[], cycles: FitCycleInput[]): CycleFit[] {
  const out: CycleFit[] = [];
  const settings = resolveFitSettings({ fitParams: free as never, cycleParams: free as never, deviceCycles: 1, seed: 1 });
  fitDevice({ device: 'D', cycles }, settings, { cycles: new Map() }, (e) => {
    if (e.kind === 'cycle') out.push(e.fit);
  });
  return out.sort((a, b) => a.cycle - b.cycle);
}

test("Ninit as a cycle-level parameter: each cycle's own starting state is fitted instead of the carried one", () => {
  const cycles = campaign();
  const own = fit(['rnew', 'lnew', 'Ninit'], cycles);
  assert.equal(own.length, 4);
  for (const f of own) {
    const n0 = STARTS[f.cycle - 1];
    assert.ok(Math.abs(Math.log(f.params.Ninit / n0)) < 0.1, `cycle ${f.cycle}: Ninit ${f.params.Ninit} vs ${n0}`);
    assert.ok(Math.abs(f.ninit / f.params.Ninit - 1) < 1e-12, 'the recorded initial state is the fitted one');
    assert.ok(Math.abs(Math.log(f.params.rnew / TRUE.rnew)) < 0.03, `cycle ${f.cycle}: rnew ${f.params.rnew}`);
    assert.ok(f.rmsLog10 < 0.03, `cycle ${f.cycle}: RMS ${f.rmsLog10}`);
  }
  // carrying the previous cycle's end state (the default) cannot follow a start it was not left in
  const carried = fit(['rnew', 'lnew'], cycles);
  const worst = Math.max(...carried.map((f) => f.rmsLog10));
  assert.ok(worst > 2 * Math.max(...own.map((f) => f.rmsLog10)), `carried-state worst RMS ${worst}`);
});
