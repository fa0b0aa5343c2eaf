/**
 * Values the fit could not determine, and fits that went wrong: the estimator's treatment
 * (src/population/screen.ts, estimate.ts; docs/population.md "Values not used").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimatePopulation, relativeSd, selectionCorrectedCovariance, type ParameterSpec } from '../../src/population/index.js';
import { syntheticFits, TRUTH, TRUE_RHO } from './synth.js';
import type { FitsIn } from '../../src/population/fits.js';

const relOf = (lnSd: number): number => Math.sqrt(Math.expm1(lnSd * lnSd));
const rel = (p: ParameterSpec, w: 'd2d' | 'c2c'): number => relativeSd(p.family, p.d2d.center, p[w].spread, p[w].spreadKind);
const rho = (pop: ReturnType<typeof estimatePopulation>): number =>
  pop.correlation.matrix[pop.correlation.params.indexOf('rnew')][pop.correlation.params.indexOf('lnew')];
const two = { rnew: TRUTH.rnew, lnew: TRUTH.lnew };

/** Garbage lnew (×e^2) with a tiny stated error on the cycles `pick` selects, as an LRS-only fit produces. */
function corrupt(f: FitsIn, pick: (c: FitsIn['cycles'][number]) => boolean, flag: boolean): number {
  let n = 0;
  for (const c of f.cycles) {
    if (!pick(c)) continue;
    c.params.lnew = (c.params.lnew as number) * Math.exp(2);
    c.stderr.lnew = 1e-3 * (c.params.lnew as number);
    if (flag) c.flags = [...c.flags, { code: 'param_unidentified', param: 'lnew' }];
    n++;
  }
  return n;
}

test('a value flagged param_unidentified is missing: same estimate as without it, and counted', () => {
  const pick = (c: FitsIn['cycles'][number]) => c.cycle >= 4 && Number(c.device.slice(1)) % 7 === 0;
  const flagged = syntheticFits(21, 80, 6, 0.02, two as typeof TRUTH);
  const n = corrupt(flagged, pick, true);
  const removed = syntheticFits(21, 80, 6, 0.02, two as typeof TRUTH);
  for (const c of removed.cycles) if (pick(c)) delete c.params.lnew;
  const o = { bootstrap: 0, createdAt: 'test', selectionCorrection: false };
  const a = estimatePopulation(flagged, o),
    b = estimatePopulation(removed, o);
  assert.ok(n > 10);
  assert.equal(a.parameters.lnew!.diagnostics!.excluded!.unidentified, n);
  assert.deepEqual((a.provenance.exclusions as Record<string, { unidentified: number }>).lnew.unidentified, n);
  for (const w of ['d2d', 'c2c'] as const) assert.equal(a.parameters.lnew![w].spread, b.parameters.lnew![w].spread, w);
  assert.equal(rho(a), rho(b));
  assert.ok(Math.abs(rel(a.parameters.lnew!, 'c2c') / relOf(TRUTH.lnew.c2cLn) - 1) < 0.35);
  // used (--include-unidentified), the garbage values with their tiny stated errors inflate the c2c several-fold
  const c = estimatePopulation(flagged, { ...o, includeUnidentified: true, outlierZ: 0 });
  assert.ok(
    rel(c.parameters.lnew!, 'c2c') > 3 * relOf(TRUTH.lnew.c2cLn),
    `c2c with the unidentified values ${rel(c.parameters.lnew!, 'c2c')}`,
  );
});

test('within-device outlier screen: one wrong cycle with a small stated error is left out, nothing else', () => {
  const f = syntheticFits(5, 40, 6, 0.02, two as typeof TRUTH);
  corrupt(f, (c) => c.device === 'D3' && c.cycle === 2, false);
  const pop = estimatePopulation(f, { bootstrap: 0, createdAt: 'test' });
  const ex = pop.parameters.lnew!.diagnostics!.excluded!;
  assert.deepEqual([ex.unidentified, ex.outliers, ex.devicesLost], [0, 1, 0]);
  assert.equal(pop.parameters.rnew!.diagnostics!.excluded, undefined, 'no false rejection in rnew');
  assert.ok(Math.abs(rel(pop.parameters.lnew!, 'c2c') / relOf(TRUTH.lnew.c2cLn) - 1) < 0.35);
  const off = estimatePopulation(f, { bootstrap: 0, createdAt: 'test', outlierZ: 0 });
  assert.ok(rel(off.parameters.lnew!, 'c2c') > 1.5 * rel(pop.parameters.lnew!, 'c2c'), 'without the screen the one cycle inflates the c2c');
});

test('selection correction: bivariate case equals the Pearson-Lawley range-restriction formula', () => {
  // selected: var_x 1, var_y 1, rho_s 0.4; whole population var_x = u² = 2.25
  const r = 0.4,
    u = 1.5;
  const s = selectionCorrectedCovariance(
    [
      [1, r],
      [r, 1],
    ],
    [[u * u]],
    [0],
    [1],
  )!;
  const rhoFull = s[0][1] / Math.sqrt(s[0][0] * s[1][1]);
  assert.ok(Math.abs(rhoFull - (r * u) / Math.sqrt(1 + r * r * (u * u - 1))) < 1e-12);
  // no selection (same x variance): unchanged
  const same = selectionCorrectedCovariance(
    [
      [2, 0.5],
      [0.5, 1],
    ],
    [[2]],
    [0],
    [1],
  )!;
  assert.ok(Math.abs(same[0][1] - 0.5) < 1e-12 && Math.abs(same[1][1] - 1) < 1e-12);
});

test('selection correction: lnew lost on the devices with the largest rnew; d2d spread and correlation restored', () => {
  // the 25 % of devices with the largest rnew lose every lnew value (as with a RESET beyond the sweep)
  const f = syntheticFits(8, 300, 4, 0.02, two as typeof TRUTH);
  const devR = new Map<string, number>();
  for (const c of f.cycles) devR.set(c.device, (devR.get(c.device) ?? 0) + Math.log(c.params.rnew as number));
  const cut = [...devR.values()].sort((a, b) => a - b)[Math.floor(0.75 * devR.size)];
  corrupt(f, (c) => (devR.get(c.device) as number) >= cut, true);
  const o = { bootstrap: 0, createdAt: 'test' };
  const plain = estimatePopulation(f, { ...o, selectionCorrection: false });
  const corr = estimatePopulation(f, o);
  assert.equal(corr.parameters.lnew!.diagnostics!.excluded!.devicesLost, 75);
  const z = corr.parameters.lnew!.diagnostics!.excluded!.selection!.find((q) => q.param === 'rnew')!;
  assert.ok(z.meanZ > 1, `the excluded cycles sit high in rnew (${z.meanZ} sd)`);
  assert.ok(rho(plain) < TRUE_RHO - 0.1, `range restriction attenuates the correlation (${rho(plain)})`);
  assert.ok(Math.abs(rho(corr) - TRUE_RHO) < 0.1, `corrected ${rho(corr)}`);
  const dTrue = relOf(TRUTH.lnew.d2dLn);
  assert.ok(
    Math.abs(rel(corr.parameters.lnew!, 'd2d') / dTrue - 1) < Math.abs(rel(plain.parameters.lnew!, 'd2d') / dTrue - 1),
    'the d2d spread moves towards the truth',
  );
  assert.ok(Math.abs(rel(corr.parameters.lnew!, 'd2d') / dTrue - 1) < 0.2);
});
