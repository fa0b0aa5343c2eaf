/**
 * The tie-break of the fit structure search (src/fit/auto.ts `breakTie`, src/cli/fit.ts `fitStage`): when the
 * finalists tie on the held-back cycles, each tied structure is fitted on the whole dataset and the lower
 * full-data score (median RMS + per-cycle charge) decides; each full fit has its own checkpoint, so that a
 * killed run resumes without mixing two structures' records. Small synthetic device, three free parameters,
 * 20 mV sweeps, a pilot of 4 cycles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { median } from '../../src/util/stats.js';
import {
  createInlineScheduler,
  resolveFitSettings,
  synthCycle,
  type FitCycleInput,
  type FitOptions,
  type FitsFile,
} from '../../src/fit/index.js';
import { resolveParams } from '../../src/model/index.js';
import { createRng } from '../../src/util/rng.js';
import {
  breakTie,
  chooseFitStructure,
  DEFAULT_AUTO,
  structureScore,
  type AutoOptions,
  type AutoReport,
  type AutoResult,
} from '../../src/fit/auto.js';
import { fitStage } from '../../src/cli/fit.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { TRUTH, synthDevice } from './helpers.js';
import { killAtCheckpointLines } from '../helpers/kill.js';

test('breakTie: the lower full-data score wins, per-cycle charge included, whatever the held-back order', () => {
  const base = resolveFitSettings({ fitParams: ['Ndiscmin', 'RseriesTiOx', 'dWa'] });
  const perCycle = resolveFitSettings({ fitParams: ['Ndiscmin', 'RseriesTiOx', 'dWa', 'Ndiscmax'], cycleParams: ['Ndiscmin', 'Ndiscmax'] });
  const extra = base.cycleParams.length;
  assert.equal(perCycle.cycleParams.length, 2);
  const mk = (): AutoResult => ({
    settings: base,
    report: {
      pilot: [],
      noiseLog10: 0.01,
      chosen: [],
      reasons: [],
      candidates: [],
      stopped: 'no_gain',
      seconds: 0,
      tieBreak: [
        { moves: [], heldBackScore: 0.26 },
        { moves: ['Ndiscmax/cycle'], heldBackScore: 0.27 },
      ],
    },
    tied: [
      { moves: [], settings: base },
      { moves: ['Ndiscmax/cycle'], settings: perCycle, starts: { d: { device: {} } } },
    ],
  });
  const cyc = (xs: number[]) => ({ cycles: xs.map((rmsLog10) => ({ rmsLog10 })) });
  // the held-back runner-up fits the whole dataset clearly better: it is chosen, its settings and starts returned
  const r = mk();
  assert.equal(breakTie(r, [cyc([0.2, 0.21, 0.22, NaN]), cyc([0.14, 0.15, 0.16])]), 1);
  assert.deepEqual(r.report.chosen, ['Ndiscmax/cycle']);
  assert.equal(r.settings, perCycle);
  assert.deepEqual(r.starts, { d: { device: {} } });
  const e = r.report.tieBreak!;
  assert.equal(e[0].fullMedianRms, 0.21);
  assert.equal(e[1].fullMedianRms, 0.15);
  assert.ok(Math.abs(e[1].fullScore! - (0.15 + DEFAULT_AUTO.cycleParamCharge * 2)) < 1e-12);
  assert.deepEqual(
    e.map((x) => x.chosen),
    [false, true],
  );
  assert.match(r.report.reasons.at(-1)!, /tie-break on the whole dataset: .*Ndiscmax\/cycle chosen/);
  // a raw gain smaller than the charge of the extra per-cycle parameter does not pay for it
  const r2 = mk();
  const gap = DEFAULT_AUTO.cycleParamCharge * (2 - extra);
  assert.equal(breakTie(r2, [cyc([0.2]), cyc([0.2 - 0.5 * gap])]), gap > 0 ? 0 : 1);
  // fits that do not match the tied structures are refused
  assert.throws(() => breakTie(mk(), [cyc([0.2])]), /2 tied structures/);
});

// one device of 10 cycles; pilot 4 cycles (two blocks of 2), held-back 4; a minimum gain of 50 % makes
// the three structures below tie on the held-back cycles (none gains 50 % on the default)
const AUTO: Partial<AutoOptions> = {
  moves: ['seriesOhm', 'returnWeight=2'],
  bundles: [],
  pilotCycles: 4,
  blockCycles: 2,
  pilotStarts: 1,
  noiseFactor: 0,
  minGain: 0.5,
};
const SETTINGS: FitOptions = { fitParams: ['Ndiscmin', 'RseriesTiOx', 'dWa'], deviceCycles: 1, maxEvaluations: 60, starts: 1, seed: 3 };

function writeDataset(dir: string): string {
  const p = join(dir, 'dataset.json');
  const cycles = synthDevice('t1', 10, 41, 0.02).cycles;
  writeFileSync(
    p,
    JSON.stringify({
      schema: 'jartcal.dataset/1',
      toolkitVersion: 'test',
      createdAt: '',
      options: {},
      devices: [{ id: 't1', cycles, setPolarity: 'negative', complianceA: null, metadata: {} }],
    }),
  );
  return p;
}
const autoOf = (f: FitsFile): AutoReport => (f.settings as { auto?: AutoReport }).auto!;

test('fit stage: a near-tie is decided by full fits of the tied structures; fits.json holds the chosen one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-tie-'));
  const ds = writeDataset(dir);
  const out = join(dir, 'fits.json');
  const fits = await fitStage({ inputs: [ds], out, settings: resolveFitSettings(SETTINGS), auto: AUTO, workers: 1, json: true });
  const auto = autoOf(fits);
  console.log(`# tie: ${auto.reasons.join('; ')}`);
  const tb = auto.tieBreak!;
  assert.ok(tb && tb.length >= 2 && tb.length <= DEFAULT_AUTO.tieStructures, `tie-break of ${tb?.length}`);
  assert.ok(tb.every((x) => Number.isFinite(x.fullMedianRms) && Number.isFinite(x.fullScore)));
  const win = tb.filter((x) => x.chosen);
  assert.equal(win.length, 1);
  assert.equal(win[0].fullScore, Math.min(...tb.map((x) => x.fullScore!)));
  assert.deepEqual(auto.chosen, win[0].moves);
  // fits.json is the chosen structure's full fit: its settings, and its cycles give the recorded score
  assert.equal(fits.settings.fitParams.includes('seriesOhm'), win[0].moves.includes('seriesOhm'));
  assert.equal(fits.settings.objective.returnWeight, win[0].moves.includes('returnWeight=2') ? 2 : 1);
  assert.equal(fits.cycles.length, 10);
  assert.equal(win[0].fullMedianRms, median(fits.cycles.map((c) => c.rmsLog10)));
  assert.equal(structureScore(fits.cycles, fits.settings).score, win[0].fullScore);
  // written to disk, nothing left beside it
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')).settings.auto.tieBreak, tb);
  assert.deepEqual(readdirSync(dir).sort(), ['dataset.json', 'fits.json']);
});

test('fit stage: a run killed during the second full fit resumes each structure from its own checkpoint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-tie-'));
  const ds = writeDataset(dir);
  const ref = await fitStage({
    inputs: [ds],
    out: join(dir, 'ref.json'),
    settings: resolveFitSettings(SETTINGS),
    auto: AUTO,
    workers: 1,
    json: true,
  });
  const out = join(dir, 'fits.json');
  const tie1 = `${out}.tie1.checkpoint.jsonl`;
  const call = `import('./src/cli/fit.ts').then(async (m) => { const { resolveFitSettings } = await import('./src/fit/settings.ts');
    await m.fitStage({ inputs: [${JSON.stringify(ds)}], out: ${JSON.stringify(out)}, settings: resolveFitSettings(${JSON.stringify(SETTINGS)}),
      auto: ${JSON.stringify(AUTO)}, workers: 1, json: true }); })`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', call], { cwd: REPO_ROOT, stdio: 'ignore' });
  await killAtCheckpointLines(child, tie1, 3);
  assert.ok(!existsSync(out), 'no fits.json from the killed run');
  assert.ok(existsSync(`${out}.checkpoint.jsonl`) && existsSync(tie1), 'both structures checkpointed');
  const header = (p: string) => JSON.parse(readFileSync(p, 'utf8').split('\n')[0]).header.settings;
  assert.notDeepEqual(header(tie1), header(`${out}.checkpoint.jsonl`), 'one checkpoint per structure');
  // without resume the checkpoints are protected
  await assert.rejects(
    fitStage({ inputs: [ds], out, settings: resolveFitSettings(SETTINGS), auto: AUTO, workers: 1, json: true }),
    /checkpoint of an interrupted run exists/,
  );
  const res = await fitStage({
    inputs: [ds],
    out,
    settings: resolveFitSettings(SETTINGS),
    auto: AUTO,
    workers: 1,
    json: true,
    resume: true,
  });
  const strip = (f: typeof ref) => f.cycles.map((c) => ({ ...c, metrics: { ...c.metrics, seconds: 0 } }));
  assert.deepEqual(strip(res), strip(ref));
  const scores = (f: typeof ref) => autoOf(f).tieBreak!.map((x) => [x.moves, x.fullScore, x.chosen]);
  assert.deepEqual(scores(res), scores(ref));
  assert.deepEqual(readdirSync(dir).sort(), ['dataset.json', 'fits.json', 'ref.json']);
});

test('held-back finalists include the structures the result grew from (a move kept on the pilot is checked on other cycles)', async () => {
  // cycles measured through a 30 kΩ series resistor: seriesOhm is kept on the pilot; the default it grew
  // from is compared with it on the held-back cycles, and loses there
  const rng = createRng(5);
  const cycles: FitCycleInput[] = [];
  let ninit: number | undefined;
  for (let c = 1; c <= 8; c++) {
    const p = resolveParams({ ...TRUTH, rnew: 41e-9 * (1 + 0.03 * rng.normal()), lnew: 0.43e-9 * (1 + 0.03 * rng.normal()) });
    const n0 = ninit === undefined ? undefined : Math.min(p.Ndiscmax, Math.max(p.Ndiscmin, ninit));
    const s = synthCycle(p, rng, { stepV: 0.02, noiseDec: 0.013, seriesOhm: 3e4, device: 'r1', cycle: c, ninit: n0 });
    ninit = s.endNdisc;
    cycles.push(s.cycle);
  }
  const base = resolveFitSettings({ ...SETTINGS, fitParams: ['rnew', 'Ndiscmin', 'RseriesTiOx', 'dWa'] });
  const r = await chooseFitStructure({ devices: [{ id: 'r1', cycles }] }, base, createInlineScheduler(), {
    ...AUTO,
    moves: ['seriesOhm', 'Rth0'],
    minGain: DEFAULT_AUTO.minGain,
  });
  console.log(`# path finalists: ${r.report.reasons.join('; ')}`);
  const held = r.report.reasons.filter((x) => /held-back cycles/.test(x) && !/near-tie/.test(x));
  assert.ok(
    held.some((x) => x.startsWith('seriesOhm:')),
    r.report.reasons.join('; '),
  );
  assert.ok(
    held.some((x) => x.startsWith('default:')),
    r.report.reasons.join('; '),
  );
  assert.ok(r.report.chosen.includes('seriesOhm'), r.report.reasons.join('; '));
  const d = r.report.candidates.find((c) => c.moves.length === 0)!;
  const so = r.report.candidates.find((c) => c.moves.join() === 'seriesOhm')!;
  assert.ok(so.heldBackRms! < d.heldBackRms!, `held-back ${so.heldBackRms} vs default ${d.heldBackRms}`);
});
