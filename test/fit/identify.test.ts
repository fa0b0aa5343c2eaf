/**
 * A cycle without a complete RESET does not determine its own lnew (the disc length shows only in the
 * HRS, spec §6.3): the fit flags it `reset_incomplete` and marks lnew `param_unidentified` (no stderr),
 * and the next cycle, which starts from that undetermined geometry, gets lnew `param_unidentified` too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParams, simulate, sweepWaveform } from '../../src/model/index.js';
import {
  fitDevice,
  hrsVisit,
  resolveFitSettings,
  synthCycle,
  HRS_POSITION,
  type CycleFit,
  type FitCycleInput,
} from '../../src/fit/index.js';
import { createRng } from '../../src/util/rng.js';

test('hrsVisit: the default device RESETs into its HRS at +1.3 V, not at +0.5 V (model physics)', () => {
  const p = resolveParams({});
  const full = simulate(p, sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.01 }), { ninit: p.Ndiscmin });
  const short = simulate(p, sweepWaveform({ vSetV: -1.3, vResetV: 0.5, rateVps: 1, stepV: 0.01 }), { ninit: p.Ndiscmin });
  const a = hrsVisit(full.ndisc, p, true),
    b = hrsVisit(short.ndisc, p, true);
  assert.ok(a.lowest <= HRS_POSITION && a.end <= HRS_POSITION, `full RESET: lowest after the LRS peak ${a.lowest}`);
  assert.ok(b.lowest > HRS_POSITION && b.end > 0.9, `no RESET within +0.5 V: the model stays near its LRS (${b.lowest})`);
  // without a carried geometry the HRS branch before the SET counts (the cycle runs at its own values throughout)
  assert.ok(hrsVisit(short.ndisc, p, false).lowest <= HRS_POSITION);
});

test('fit: a cycle without a RESET gets reset_incomplete and an unidentified lnew; the next one inherits the flag', () => {
  const p = resolveParams({ rnew: 45e-9, lnew: 0.4e-9 });
  const rng = createRng(3);
  const c1 = synthCycle(p, rng, { stepV: 0.01, device: 'D', cycle: 1, ninit: p.Ndiscmin, noiseDec: 0.01 });
  const c2 = synthCycle(p, rng, { stepV: 0.01, vResetV: 0.5, device: 'D', cycle: 2, ninit: c1.endNdisc, noiseDec: 0.01 });
  const c3 = synthCycle(p, rng, { stepV: 0.01, device: 'D', cycle: 3, ninit: c2.endNdisc, noiseDec: 0.01 });
  const c4 = synthCycle(p, rng, { stepV: 0.01, device: 'D', cycle: 4, ninit: c3.endNdisc, noiseDec: 0.01 });
  assert.ok(c2.endNdisc > 0.5 * p.Ndiscmax, 'the synthetic cycle 2 really ends in the LRS');
  const cycles: FitCycleInput[] = [c1.cycle, c2.cycle, c3.cycle, c4.cycle];
  const settings = resolveFitSettings({
    fitParams: ['rnew', 'lnew'],
    cycleParams: ['rnew', 'lnew'],
    deviceCycles: 1,
    carryGeometry: true,
    seed: 1,
  });
  const out: CycleFit[] = [];
  fitDevice({ device: 'D', cycles }, settings, { cycles: new Map() }, (e) => {
    if (e.kind === 'cycle') out.push(e.fit);
  });
  out.sort((a, b) => a.cycle - b.cycle);
  const codes = (f: CycleFit) => f.flags.map((x) => `${x.code}${x.param ? `:${x.param}` : ''}`);
  assert.deepEqual(
    codes(out[0]).filter((c) => c !== 'param_at_bound'),
    [],
    `cycle 1: ${codes(out[0])}`,
  );
  assert.ok(codes(out[1]).includes('reset_incomplete') && codes(out[1]).includes('param_unidentified:lnew'), `cycle 2: ${codes(out[1])}`);
  assert.equal(out[1].stderr.lnew, undefined, 'no standard error for an unidentified value');
  assert.ok(Number.isFinite(out[1].stderr.rnew), 'rnew (the LRS) stays identified');
  assert.ok(out[1].metrics.hrsPosition! > HRS_POSITION);
  assert.ok(
    !codes(out[2]).includes('reset_incomplete') && codes(out[2]).includes('param_unidentified:lnew'),
    `cycle 3 starts from cycle 2's geometry: ${codes(out[2])}`,
  );
  assert.ok(
    !codes(out[3]).some((c) => c.startsWith('param_unidentified') || c === 'reset_incomplete'),
    `cycle 4: one step only (${codes(out[3])})`,
  );
  // and the identified cycles get lnew right
  for (const f of [out[0], out[3]]) assert.ok(Math.abs(Math.log(f.params.lnew / p.lnew)) < 0.05, `cycle ${f.cycle} lnew ${f.params.lnew}`);
});
