import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrailleCanvas, linesText } from '../../src/tui/canvas.js';
import { densityU, expectedCounts, histogram, marginal } from '../../src/inspect/distribution.js';
import { residualsLog10, rmsByBranch, diagnose, isBadFit } from '../../src/inspect/quality.js';
import { replaceCycleFit, compareFits, buildRequest, toggleFree } from '../../src/inspect/refit.js';
import { branchBreakdown, formatBranchBreakdown, summarizeFits } from '../../src/inspect/summary.js';
import type { CurveModel } from '../../src/inspect/quality.js';
import { validateFits } from '../../src/inspect/schema.js';
import type { PopulationParam } from '../../src/inspect/schema.js';
import { makeFixture } from '../helpers/inspect-fixture.js';

test('canvas: braille dots follow the Unicode 2×4 layout; lines join their end points', () => {
  const c = new BrailleCanvas(2, 1);
  c.set(0, 0); // dot 1
  c.set(1, 3); // dot 8
  c.set(2, 1); // second cell, dot 2
  assert.equal(linesText(c.lines()), String.fromCharCode(0x2801 | 0x80) + String.fromCharCode(0x2802));
  const d = new BrailleCanvas(4, 2);
  d.line(0, 0, 7, 7, 'red');
  assert.equal(d.inkedCells(), 4, 'a diagonal crosses 4 cells');
  d.set(100, 100); // out of range: ignored
  assert.equal(d.inkedCells(), 4);
  assert.equal(d.lines()[0][0].color, 'red');
});

test('distribution: the marginal density integrates to 1 (also truncated) and combines d2d and c2c', () => {
  const integrate = (p: PopulationParam, lo: number, hi: number): number => {
    let s = 0;
    const n = 20000;
    const h = (hi - lo) / n;
    for (let i = 0; i < n; i++) s += densityU(p, lo + (i + 0.5) * h) * h;
    return s;
  };
  const ln: PopulationParam = {
    family: 'lognormal',
    d2d: { center: 45e-9, spread: 0.08, spreadKind: 'ln' },
    c2c: { spread: 0.06, spreadKind: 'ln' },
  };
  assert.ok(Math.abs(marginal(ln).sigma - 0.1) < 1e-12, '√(0.08² + 0.06²) = 0.1');
  assert.ok(Math.abs(marginal(ln).mu - Math.log(45e-9)) < 1e-12);
  assert.ok(Math.abs(integrate(ln, Math.log(45e-9) - 1, Math.log(45e-9) + 1) - 1) < 1e-4);
  const tr: PopulationParam = {
    family: 'truncnormal',
    d2d: { center: 20, spread: 2, spreadKind: 'absolute', lower: 19, upper: 30 },
    c2c: { spread: 0, spreadKind: 'absolute' },
  };
  assert.ok(Math.abs(integrate(tr, 15, 35) - 1) < 1e-4, 'renormalised after truncation');
  assert.equal(densityU(tr, 18.9), 0);
  const rel: PopulationParam = {
    family: 'normal',
    d2d: { center: 10, spread: 0.1, spreadKind: 'relative' },
    c2c: { spread: 0, spreadKind: 'absolute' },
  };
  assert.ok(Math.abs(marginal(rel).sigma - 1) < 1e-12);
  const h = histogram([8, 9, 10, 10, 11, 12], 6, false, [4, 16]);
  assert.equal(h.total, 6);
  const e = expectedCounts(h, rel);
  assert.ok(Math.abs(e.reduce((a, b) => a + b, 0) - 6) < 0.01, 'expected counts over ±6σ sum to n');
});

test('quality: residuals with a floor, RMS per branch, diagnosis names the worst branch', () => {
  const res = residualsLog10([1e-6, 1e-5, 0, -1e-3], [1e-6, 1e-6, 0, -1e-4], 1e-12);
  assert.deepEqual(Array.from(res), [0, 1, 0, 1]);
  const by = rmsByBranch(res, [0, 1, 2, 3]);
  assert.deepEqual(
    by.map((b) => [b.name, b.rmsLog10]),
    [
      ['SET out', 0],
      ['SET back', 1],
      ['RESET out', 0],
      ['RESET back', 1],
      ['all', Math.sqrt(0.5)],
    ],
  );
  const fit = makeFixture().fits.cycles[0];
  const why = diagnose({ ...fit, flags: [] }, by);
  assert.match(why[0], /largest misfit on the SET back branch: 1\.00 decades RMS/);
  assert.ok(!isBadFit({ rmsLog10: 0.05, converged: true, flags: [] }));
  assert.ok(isBadFit({ rmsLog10: NaN, converged: true, flags: [] }));
  assert.ok(isBadFit({ rmsLog10: 0.2, converged: true, flags: [] }));
});

test('refit bookkeeping: request, comparison, replacement keeping unknown fields; summary quantiles', () => {
  const fx = makeFixture();
  const fits = { ...fx.fits, extra: 'kept', cycles: fx.fits.cycles.map((c) => ({ ...c, stage: 'cycle' })) };
  const f = fits.cycles[5];
  const free = toggleFree(toggleFree(f.fitted, 'lnew'), 'dWa');
  assert.deepEqual(free, ['rnew', 'Ndiscmin', 'Ndiscmax', 'dWa']);
  const req = buildRequest(f, null, free, fits.settings);
  assert.equal(req.fixed.lnew, f.params.lnew);
  assert.equal(req.fixed.dWa, undefined);
  const next = { ...f, params: { ...f.params, rnew: f.params.rnew * 1.1 }, rmsLog10: f.rmsLog10 / 2, fitted: free };
  const cmp = compareFits(f, next);
  assert.ok(cmp.better);
  assert.ok(Math.abs(cmp.params.find((p) => p.name === 'rnew')!.relChange - 0.1) < 1e-12);
  const out = replaceCycleFit(fits, 5, next);
  assert.equal((out as typeof fits).extra, 'kept');
  assert.equal((out.cycles[5] as (typeof fits.cycles)[5]).stage, 'cycle');
  assert.equal(out.cycles[5].rmsLog10, f.rmsLog10 / 2);
  assert.equal(fits.cycles[5].rmsLog10, f.rmsLog10, 'the input is not mutated');
  assert.throws(() => replaceCycleFit(fits, 4, next), /not D/);
  const s = summarizeFits(
    { ...fits, cycles: [0.1, 0.2, 0.3, 0.4, 0.5].map((r, i) => ({ ...f, cycle: i + 1, rmsLog10: r, flags: [] })) },
    'x',
  );
  assert.equal(s.rmsLog10.median, 0.3);
  assert.ok(Math.abs(s.rmsLog10.p90! - 0.46) < 1e-12);
  assert.equal(s.bad, 4, 'RMS above 0.15 dec counts as bad');
});

test('schema: a fits file is refused with the file and the JSON path of the first bad field', () => {
  assert.throws(
    () =>
      validateFits(
        {
          schema: 'jartcal.fits/1',
          dataset: 'd',
          settings: {},
          cycles: [{ device: 'A', cycle: 1, params: {}, rmsLog10: 0.1, converged: 'yes' }],
        },
        'f.json',
      ),
    /f\.json: cycles\[0\]\.converged: expected true or false, got "yes"/,
  );
  assert.throws(() => validateFits([], 'f.json'), /f\.json: \(top level\): expected an object/);
  const ok = validateFits(
    {
      schema: 'jartcal.fits/1',
      dataset: 'd',
      settings: {},
      cycles: [{ device: 'A', cycle: 1, params: { rnew: 1e-8 }, rmsLog10: null, converged: false }],
    },
    'f.json',
  );
  assert.ok(Number.isNaN(ok.cycles[0].rmsLog10), 'a null RMS (non-finite in JSON) reads as NaN');
  assert.deepEqual(ok.cycles[0].flags, []);
});

test('summary by branch: a model off by one decade on RESET out only puts all the misfit there; unlabelled data is labelled', () => {
  const fx = makeFixture({ devices: 1, cycles: 2 });
  const exact: CurveModel = (_p, data) => Float64Array.from(data.iA);
  const offOnResetOut: CurveModel = (_p, data) => Float64Array.from(data.iA, (i, k) => (data.branch[k] === 2 ? i * 10 : i));
  const zero = branchBreakdown(fx.fits, fx.dataset, exact);
  assert.equal(zero.cycles, 2);
  assert.ok(zero.branches.every((b) => b.pooledRmsLog10 < 1e-12));
  const b = branchBreakdown(fx.fits, fx.dataset, offOnResetOut);
  const by = Object.fromEntries(b.branches.map((r) => [r.name, r]));
  // one decade on every RESET-out point above the current floor (the 0 V sample reads 0 A in both)
  let above = 0,
    onBranch = 0;
  for (const d of fx.dataset.devices)
    for (const c of d.cycles)
      c.iA.forEach((i, k) => {
        if (c.branch[k] === 2) {
          onBranch++;
          if (Math.abs(i) * 10 > (c.currentFloorA ?? 0)) above++;
        }
      });
  assert.ok(Math.abs(by['RESET out'].pooledRmsLog10 - Math.sqrt(above / onBranch)) < 1e-9, `${by['RESET out'].pooledRmsLog10}`);
  assert.ok(above / onBranch > 0.95);
  assert.ok(Math.abs(by['RESET out'].shareOfSquares - 1) < 1e-9);
  assert.equal(by['SET out'].pooledRmsLog10, 0);
  assert.ok(Math.abs(by.all.pooledRmsLog10 - Math.sqrt(above / by.all.points)) < 1e-9);
  // the same data written without branch labels: labelled from the voltage as ingest labels it
  const unlabelled = {
    ...fx.dataset,
    devices: fx.dataset.devices.map((d) => ({ ...d, cycles: d.cycles.map((c) => ({ ...c, branch: c.branch.map(() => -1) })) })),
  };
  const u = branchBreakdown(fx.fits, unlabelled, (_p, data) =>
    Float64Array.from(data.iA, (i, k) => (fx.dataset.devices[0].cycles[0].branch[k] === 2 ? i * 10 : i)),
  );
  const ub = Object.fromEntries(u.branches.map((r) => [r.name, r]));
  assert.ok(ub['RESET out'].shareOfSquares > 0.95, `share ${ub['RESET out'].shareOfSquares}`);
  // a refused parameter set (model returns null) is counted, not fatal
  assert.equal(branchBreakdown(fx.fits, fx.dataset, () => null).skipped, 2);
  assert.match(formatBranchBreakdown(b), /RESET out\s+\d+\s+0\.9\d\d\s+0\.9\d\d\s+100 %/);
});
