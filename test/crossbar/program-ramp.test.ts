/**
 * Per-device programming of a wide population (width-ramped write-verify) and the reason in-situ training
 * fails on one. The population is generated here: the project's example spreads widened towards the
 * measured ddas04 population's (filament radius ln-sd 0.3, Ndiscmax ln-sd 0.5, barrier ln-sd 0.3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig, type ExperimentConfig } from '../../src/crossbar/experiment/config.js';
import { applyPopulation } from '../../src/crossbar/experiment/applyPopulation.js';
import { applyOperatingPoint } from '../../src/crossbar/device/operatingPoint.js';
import { createEngine, createKineticEngines, deviceMaker } from '../../src/crossbar/device/factory.js';
import { programCell, PROGRAM_FAILURES, type ProgramResult } from '../../src/crossbar/program/writeVerify.js';
import { swingSpread } from '../../src/crossbar/device/swingSpread.js';
import { inSituDiagnosis } from '../../src/crossbar/experiment/diagnosis.js';
import { runInSituRepeat } from '../../src/crossbar/experiment/inSitu.js';
import { loadMnist } from '../../src/io/mnist.js';
import { createRng } from '../../src/util/rng.js';

const ln = (center: number, spread: number, c2c = 0) => ({
  family: 'lognormal',
  d2d: { center, spread, spreadKind: 'ln' },
  c2c: { spread: c2c, spreadKind: 'ln' },
});
const population = (radiusSpread: number) => ({
  schema: 'jartcal.population/1',
  toolkitVersion: '0',
  createdAt: '',
  seed: 3,
  provenance: { fits: [], datasets: [] },
  base: { RseriesTiOx: 650 },
  parameters: {
    rnew: ln(45e-9, radiusSpread, 0.03),
    lnew: ln(0.4e-9, 0.06, 0.03),
    Ndiscmax: ln(20, 0.5, 0.05),
    phiBn0: ln(0.18, 0.3),
    dWa: ln(1.35, 0.1),
  },
  correlation: { params: [], matrix: [] },
});
const WIDE = population(0.3);
/** the filament-radius spread of the measured ddas04 population (ln-sd ≈ 0.7) */
const WIDER = population(0.7);

function config(mode: 'inference' | 'in-situ', extra: Record<string, unknown> = {}, pop: unknown = WIDE): ExperimentConfig {
  const cfg = resolveConfig({
    name: 'wide',
    mode,
    device: {
      model: 'jart',
      jart: { wMin: -1.5, wMax: 1.5, wBoundMin: -1.5, wBoundMax: 1.5, nWindow: 'device', pulseMatch: 9900, kineticClasses: 4 },
    },
    ...extra,
  });
  applyPopulation(cfg, pop, 'wide.json');
  const c = resolveConfig(cfg);
  applyOperatingPoint(c);
  return c;
}

/** Programs `n` cells of one tile to uniform targets within ±0.9 of the reach nine devices in ten have in both signs. */
function programTile(
  c: ExperimentConfig,
  n: number,
  ramp: boolean,
  amplitude = false,
): { results: ProgramResult[]; weights: number[]; holdable: number[] } {
  c.program.ramp = amplitude ? 'amplitude' : ramp ? 'width' : 'none';
  const dev = deviceMaker(c, createEngine(c), createRng(c.seed).fork(0), 0, createKineticEngines(c))(n, 0);
  const reach = Array.from({ length: n }, (_, k) => Math.min(dev.wMax(k), -dev.wMin(k)))
    .filter((x) => x > 0)
    .sort((a, b) => a - b);
  const wTop = 0.9 * reach[Math.floor(0.1 * (reach.length - 1))];
  const rng = createRng(7);
  const results: ProgramResult[] = [];
  // cells whose target lies well inside the device's range: a failure there is the programmer's
  const holdable: number[] = [];
  for (let k = 0; k < n; k++) {
    dev.setWeight(k, 0);
    const target = (2 * rng.next() - 1) * wTop;
    const r = c.program.widthRange;
    const tol = c.program.tolerance * wTop;
    if (target >= dev.wMin(k) + tol && target <= dev.wMax(k) - tol) holdable.push(k);
    results.push(
      programCell(dev, k, target, { tol, maxPulses: c.program.maxPulses, ramp: ramp ? { min: r[0], max: r[1], amplitude } : null }),
    );
  }
  return { results, weights: Array.from({ length: n }, (_, k) => dev.weight(k)), holdable };
}

test('width-ramped write-verify lands ≥ 90 % of a wide population in tolerance (bursts of the shared pulse do not), names why the rest missed, and is deterministic', () => {
  const c = config('inference');
  const n = 150;
  const ramped = programTile(c, n, true);
  const share = ramped.results.filter((r) => r.converged).length / n;
  assert.ok(share >= 0.9, `width-ramped: ${(100 * share).toFixed(1)} % in tolerance`);
  // every cell out of tolerance carries its reason; none that converged does
  for (const r of ramped.results) {
    if (r.converged) assert.equal(r.reason, null);
    else assert.ok(r.reason && PROGRAM_FAILURES.includes(r.reason), `reason ${r.reason}`);
  }
  // the width found per device spans decades: slow devices get long pulses, fast ones short
  const f = ramped.results.map((r) => r.widthFactor ?? 1).sort((a, b) => a - b);
  assert.ok(
    f[Math.floor(0.9 * n)] / f[Math.floor(0.1 * n)] > 10,
    `width factors p10 ${f[Math.floor(0.1 * n)]}, p90 ${f[Math.floor(0.9 * n)]}`,
  );
  // before: the same cells with bursts of the configured pulse
  const bursts = programTile(c, n, false);
  const before = bursts.results.filter((r) => r.converged).length / n;
  assert.ok(before < share, `bursts ${(100 * before).toFixed(1)} %, width-ramped ${(100 * share).toFixed(1)} %`);
  // determinism for a seed
  assert.deepEqual(programTile(c, n, true).weights, ramped.weights);
});

test("amplitude ramping within each device's own N bounds lands ≥ 90 % of a population as wide as ddas04's in tolerance, where width ramping alone does not; the rest is out of its window", () => {
  const c = config('inference', { program: { window: 'device' } }, WIDER);
  const n = 150;
  const width = programTile(c, n, true);
  const amp = programTile(c, n, true, true);
  const share = (t: { results: ProgramResult[] }): number => t.results.filter((r) => r.converged).length / n;
  assert.ok(share(amp) >= 0.9, `amplitude-ramped: ${(100 * share(amp)).toFixed(1)} % in tolerance`);
  assert.ok(share(width) < 0.85, `width-ramped: ${(100 * share(width)).toFixed(1)} % in tolerance`);
  // width ramping alone leaves devices too slow at its longest pulse or too coarse at its shortest; with the
  // amplitude ladder the cells whose target their device can hold land within tolerance
  assert.ok(
    width.results.some((r) => r.reason === 'too-slow' || r.reason === 'too-coarse'),
    JSON.stringify(width.results.map((r) => r.reason)),
  );
  // (a cell whose range its cycle-to-cycle walk moves during programming may still end out of reach)
  const held = amp.holdable.filter((k) => amp.results[k].converged).length / amp.holdable.length;
  assert.ok(held >= 0.97, `${(100 * held).toFixed(1)} % of the cells whose device can hold the target`);
  for (const r of amp.results) if (!r.converged) assert.equal(r.reason, 'out-of-reach');
  // the ladder is used both ways: slow devices end above the matched amplitude, fast ones below
  const a = amp.results.map((r) => r.amplitudeFactor ?? 1);
  assert.ok(a.some((x) => x > 1) && a.some((x) => x < 1), `amplitude factors ${Math.min(...a)} … ${Math.max(...a)}`);
  // determinism for a seed
  assert.deepEqual(programTile(c, n, true, true).weights, amp.weights);
});

test('in-situ training on a wide population that does not learn reports why: the switching-speed spread and the loss trend', () => {
  const c = config('in-situ', { training: { epochs: 1, trainSamples: 128, testSamples: 50, repeats: 1 } });
  const swing = swingSpread(c, 60, 5000);
  // measured: the devices span decades of switching speed, part of them never swing within the cap
  assert.ok(swing.decades > 1, `decades ${swing.decades}`);
  const records = runInSituRepeat(c, loadMnist('train', 128), loadMnist('test', 50), 0);
  const acc = records[records.length - 1].testAccuracy;
  const d = inSituDiagnosis(
    acc,
    [],
    records.map((r) => r.trainLoss),
    swing,
  );
  assert.equal(d.learned, acc >= 50);
  assert.ok(!d.learned, `accuracy ${acc}`);
  assert.match(d.reason ?? '', /pulses per full swing over 60 devices: SET p10 \d+/);
  assert.match(d.reason ?? '', /decades between p10 and p90/);
  assert.equal(d.swingDecades, swing.decades);
  // a loss trend when there is one: first and last tenth
  const t = inSituDiagnosis(
    acc,
    [
      { epoch: 1, samples: 10, loss: 2 },
      { epoch: 1, samples: 20, loss: 3.8 },
    ],
    [],
    swing,
  );
  assert.deepEqual(t.lossTrend, { first: 2, last: 3.8, trend: 'rising' });
  assert.match(t.reason ?? '', /from 2\.00 to 3\.80 \(rising\)/);
  // a run that learned has no reason
  assert.equal(inSituDiagnosis(91, [], [0.4], swing).reason, null);
  // determinism for a seed: the same spread again
  assert.deepEqual(swingSpread(c, 60, 5000), swing);
});
