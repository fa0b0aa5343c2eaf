/**
 * The external series resistance of the measurement circuit as a fitted (device-level) parameter:
 * `--fit ...,seriesOhm`. Synthetic cycles are simulated with a known external resistor; the fit
 * starts at 0 Ω and has to find it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParams, type JartParams } from '../../src/model/index.js';
import {
  createInlineScheduler,
  fitDataset,
  resolveFitSettings,
  synthCycle,
  prepareCycle,
  evaluateCycle,
  type FitCycleInput,
} from '../../src/fit/index.js';
import { createSpace } from '../../src/fit/space.js';
import { modelSwitching, switchingLevels } from '../../src/fit/features.js';
import { createRng } from '../../src/util/rng.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { validateFits } from '../../src/population/fits.js';
import { TRUTH, relErr } from './helpers.js';

const FREE = ['rnew', 'lnew', 'Ndiscmin', 'phiBn0', 'dWa', 'seriesOhm'] as const;

test('space: the offset-log transform reaches 0 and maps back exactly', () => {
  const s = createSpace([{ name: 'seriesOhm', min: 0, max: 1e6, positive: false, typical: 0, offset: 100 }]);
  assert.equal(s.uMin[0], Math.log(100));
  assert.ok(Math.abs(s.uMax[0] - Math.log(1e6 + 100)) < 1e-12);
  for (const r of [0, 1, 2e4, 1e6]) assert.ok(Math.abs(s.fromU(s.toU([r]))[0] - r) <= 1e-9 * Math.max(1, r));
  // dp/du = R + offset (for standard errors)
  assert.ok(Math.abs(s.dpdu(s.toU([2e4]))[0] - 20100) < 1e-6);
});

test('settings: seriesOhm is a device-level fit parameter; fixed, it is the circuit option; not with RseriesTiOx', () => {
  const s = resolveFitSettings({ fitParams: [...FREE] });
  assert.ok(s.fitParams.includes('seriesOhm'));
  assert.ok(!s.cycleParams.includes('seriesOhm' as never));
  const f = resolveFitSettings({ fixed: { seriesOhm: 3000 } });
  assert.equal(f.objective.seriesOhm, 3000);
  assert.ok(!('seriesOhm' in f.fixed));
  assert.throws(() => resolveFitSettings({ fitParams: ['rnew', 'RseriesTiOx', 'seriesOhm'] }), /only as their sum/);
  assert.throws(() => resolveFitSettings({ fitParams: ['rnew', 'seriesOhm'], cycleParams: ['seriesOhm' as never] }), /unknown parameter/);
  assert.throws(() => resolveFitSettings({ fitParams: ['rnew', 'seriesOhm'], fixed: { seriesOhm: 10 } }), /both fitted and fixed/);
  assert.throws(() => resolveFitSettings({ fixed: { seriesOhm: -1 } }), /within/);
});

test('single cycle with a 20 kΩ external resistor: seriesOhm comes back from a start at 0 Ω', async () => {
  const truth = resolveParams(TRUTH);
  const rTrue = 2e4;
  const { cycle } = synthCycle(truth, createRng(11), { stepV: 0.005, noiseDec: 0.013, seriesOhm: rTrue });
  const settings = resolveFitSettings({ mode: 'independent', fitParams: [...FREE], fixed: { RseriesTiOx: truth.RseriesTiOx } });
  const r = await fitDataset({ devices: [{ id: 'synthetic', cycles: [cycle] }] }, settings, createInlineScheduler());
  const fit = r.cycles[0];
  const rFit = fit.circuit?.seriesOhm ?? NaN;
  const se = fit.circuitStderr?.seriesOhm ?? NaN;
  // the fitted curve against the noise-free truth
  const pc = prepareCycle(cycle, settings.objective);
  const t = evaluateCycle(pc, truth, truth.Ndiscmin, { ...settings.objective, seriesOhm: rTrue });
  const m = evaluateCycle(pc, fit.params, fit.params.Ndiscmin, { ...settings.objective, seriesOhm: rFit });
  let ss = 0;
  for (const i of pc.idx) ss += (t.logIModel[i] - m.logIModel[i]) ** 2;
  const rmsTruth = Math.sqrt(ss / pc.idx.length);
  console.log(
    `# seriesOhm recovery: ${rFit.toFixed(0)} Ω ± ${se.toFixed(0)} (truth ${rTrue}), rms ${fit.rmsLog10.toFixed(4)}, vs truth ${rmsTruth.toFixed(4)}, evals ${fit.metrics.evaluations}; ${(['rnew', 'lnew', 'Ndiscmin', 'phiBn0', 'dWa'] as const).map((n) => `${n} ${(relErr(fit.params[n], truth[n]) * 100).toFixed(1)}%`).join(', ')}`,
  );
  assert.ok(relErr(rFit, rTrue) < 0.02, `seriesOhm ${rFit} vs ${rTrue}`);
  assert.ok(se > 0 && Math.abs(rFit - rTrue) < 4 * se, `seriesOhm off by ${(rFit - rTrue).toFixed(0)} Ω, stderr ${se}`);
  assert.ok(fit.rmsLog10 < 0.02, `rms ${fit.rmsLog10}`);
  assert.ok(rmsTruth < 0.02, `curve vs truth ${rmsTruth}`);
  // the record keeps the JART parameters and the circuit apart
  assert.ok(!fit.fitted.includes('seriesOhm' as never) && !('seriesOhm' in fit.params));

  // control: without the external resistor in the model (RseriesTiOx capped at 5 kΩ) the same
  // data cannot be followed — the 20 kΩ resistor is visible in the curve
  const plain = await fitDataset(
    { devices: [{ id: 'synthetic', cycles: [cycle] }] },
    resolveFitSettings({ mode: 'independent', starts: 1 }),
    createInlineScheduler(),
  );
  console.log(`# without seriesOhm: rms ${plain.cycles[0].rmsLog10.toFixed(3)}`);
  assert.ok(plain.cycles[0].rmsLog10 > 5 * fit.rmsLog10, `plain fit rms ${plain.cycles[0].rmsLog10}`);
});

test('campaign: seriesOhm is device-level — fitted on the first cycles, held for the later ones', async () => {
  const rTrue = 2e4;
  const rng = createRng(7);
  const cycles: FitCycleInput[] = [];
  const truths: JartParams[] = [];
  let ninit: number | undefined;
  for (let c = 1; c <= 3; c++) {
    const p = resolveParams({ ...TRUTH, rnew: 41e-9 * (1 + 0.04 * rng.normal()), lnew: 0.43e-9 * (1 + 0.04 * rng.normal()) });
    const n0 = ninit === undefined ? undefined : Math.min(p.Ndiscmax, Math.max(p.Ndiscmin, ninit));
    const s = synthCycle(p, rng, { stepV: 0.01, noiseDec: 0.013, seriesOhm: rTrue, device: 'd1', cycle: c, ninit: n0 });
    ninit = s.endNdisc;
    cycles.push(s.cycle);
    truths.push(p);
  }
  const settings = resolveFitSettings({
    mode: 'campaign',
    deviceCycles: 2,
    fitParams: [...FREE],
    fixed: { RseriesTiOx: TRUTH.RseriesTiOx! },
  });
  const r = await fitDataset({ devices: [{ id: 'd1', cycles }] }, settings, createInlineScheduler());
  const d = r.devices[0];
  const rFit = d.circuit?.seriesOhm ?? NaN;
  console.log(
    `# campaign seriesOhm ${rFit.toFixed(0)} Ω ± ${d.circuitStderr?.seriesOhm?.toFixed(0)} (truth ${rTrue}); cycle rms ${r.cycles.map((c) => c.rmsLog10.toFixed(4)).join(', ')}`,
  );
  assert.ok(relErr(rFit, rTrue) < 0.03, `device seriesOhm ${rFit}`);
  assert.ok(Number.isFinite(d.circuitStderr?.seriesOhm ?? NaN));
  assert.ok(!('seriesOhm' in d.params), 'JART params only in devices[].params');
  for (const c of r.cycles) {
    assert.equal(c.circuit?.seriesOhm, rFit, `cycle ${c.cycle} runs at the device's seriesOhm`);
    assert.ok(c.rmsLog10 < 0.03, `cycle ${c.cycle} rms ${c.rmsLog10}`);
  }
  assert.equal(r.cycles[2].stage, 'cycle');
  assert.deepEqual(r.cycles[2].fitted, ['rnew', 'lnew', 'Ndiscmin']);
});

test('fit CLI: --fit ...,seriesOhm and --fix seriesOhm=R; the population stage reads the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-fit-rs-'));
  const dsPath = join(dir, 'dataset.json');
  const truth = resolveParams(TRUTH);
  const cycles = [1, 2].map(
    (c) => synthCycle(truth, createRng(c), { stepV: 0.02, noiseDec: 0.013, seriesOhm: 5000, device: 'd1', cycle: c }).cycle,
  );
  writeFileSync(
    dsPath,
    JSON.stringify({
      schema: 'jartcal.dataset/1',
      toolkitVersion: 'test',
      createdAt: '',
      options: {},
      devices: [{ id: 'd1', cycles, setPolarity: 'negative', complianceA: null, metadata: {} }],
    }),
  );
  const base = ['fit', dsPath, '--device-cycles', '1', '--max-evals', '60', '--starts', '1', '--workers', '1'];
  const out = join(dir, 'fits.json');
  assert.equal(await main([...base, '--fit', 'Ndiscmin,dWa,seriesOhm', '--out', out]), 0);
  const res = JSON.parse(readFileSync(out, 'utf8'));
  const r = res.devices[0].circuit.seriesOhm;
  assert.ok(r > 0 && Number.isFinite(res.devices[0].circuitStderr.seriesOhm), JSON.stringify(res.devices[0]));
  for (const c of res.cycles) assert.equal(c.circuit.seriesOhm, r);
  const pop = validateFits(res, out);
  assert.ok(!('seriesOhm' in pop.devices[0].params));
  // fixed: the circuit option
  const out2 = join(dir, 'fixed.json');
  assert.equal(await main([...base, '--fit', 'Ndiscmin,dWa', '--fix', 'seriesOhm=5000', '--out', out2]), 0);
  const res2 = JSON.parse(readFileSync(out2, 'utf8'));
  assert.equal(res2.settings.objective.seriesOhm, 5000);
  assert.equal(res2.cycles[0].circuit.seriesOhm, 5000);
  // refused: only the sum of RseriesTiOx and seriesOhm is identifiable
  assert.equal(await main([...base, '--fit', 'RseriesTiOx,seriesOhm', '--out', join(dir, 'bad.json')]), 2);
  assert.equal(await main([...base, '--fix', 'seriesOhm=-3', '--out', join(dir, 'bad.json')]), 2);
});

test('switching levels: a SET cut short by a series resistor is dated at its jump (adaptiveLevels)', () => {
  // N jumps 0.017 → 0.3 within one step, then creeps to 2 (a SET limited by a series resistor);
  // RESET: from 2 down to 0.5 (partial)
  const vV = [0, -0.2, -0.4, -0.6, -0.62, -0.8, -1.0, -1.3, -0.6, 0, 0.5, 0.8, 1.0, 1.3, 0.5, 0];
  const nd = [0.011, 0.012, 0.015, 0.017, 0.3, 0.8, 1.2, 2, 2, 2, 2, 1.5, 0.5, 0.5, 0.5, 0.5];
  const fixed = Math.sqrt(0.011 * 20);
  const lv = switchingLevels(vV, nd, fixed);
  assert.ok(Math.abs(lv.set - Math.sqrt(0.012 * 2)) < 1e-12, `set level ${lv.set}`);
  assert.ok(Math.abs(lv.reset - Math.sqrt(2 * 0.5)) < 1e-12, `reset level ${lv.reset}`);
  const a = modelSwitching(vV, nd, lv.set, lv.reset);
  assert.ok(a.vSetV! <= -0.6 && a.vSetV! >= -0.62, `adaptive V_SET ${a.vSetV}`); // in the jump
  assert.ok(a.vResetV! > 0.8 && a.vResetV! < 1.0, `adaptive V_RESET ${a.vResetV}`);
  const b = modelSwitching(vV, nd, fixed);
  assert.ok(b.vSetV! < -0.62, `fixed level: V_SET ${b.vSetV} after the jump, where N creeps`);
  assert.equal(b.vResetV, null, 'fixed level: the partial RESET is not seen');
  // a state that hardly moves keeps the fixed level (no switching found)
  const flat = switchingLevels([0, -0.5, -1, 0, 0.5, 1, 0], [0.011, 0.012, 0.013, 0.013, 0.013, 0.012, 0.012], fixed);
  assert.deepEqual(flat, { set: fixed, reset: fixed });
});

test('adaptiveLevels: an 8 kΩ resistor (abrupt SET, partial RESET) is recovered where the fixed level fails', async () => {
  const truth = resolveParams(TRUTH);
  const rTrue = 8000;
  const { cycle } = synthCycle(truth, createRng(11), { stepV: 0.005, noiseDec: 0.013, seriesOhm: rTrue });
  const run = async (adaptiveLevels: boolean) =>
    (
      await fitDataset(
        { devices: [{ id: 's', cycles: [cycle] }] },
        resolveFitSettings({
          mode: 'independent',
          fitParams: [...FREE],
          fixed: { RseriesTiOx: truth.RseriesTiOx },
          objective: { adaptiveLevels },
        }),
        createInlineScheduler(),
      )
    ).cycles[0];
  const a = await run(true);
  const f = await run(false);
  console.log(
    `# 8 kΩ: adaptive levels ${a.circuit?.seriesOhm.toFixed(0)} Ω, rms ${a.rmsLog10.toFixed(4)}; fixed level ${f.circuit?.seriesOhm.toFixed(0)} Ω, rms ${f.rmsLog10.toFixed(4)}`,
  );
  assert.ok(relErr(a.circuit!.seriesOhm, rTrue) < 0.03, `seriesOhm ${a.circuit?.seriesOhm}`);
  assert.ok(a.rmsLog10 < 0.02, `rms ${a.rmsLog10}`);
  assert.ok(f.rmsLog10 > 2 * a.rmsLog10, `the fixed level fits as well: ${f.rmsLog10}`);
});
