import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport, chooseCycles } from '../../src/report/build.js';
import { writeReportDir } from '../../src/io/inspect-files.js';
import { lineChart } from '../../src/plot/index.js';
import { svgToPng } from '../../src/plot/png.js';
import { makeFixture, analyticModel } from '../helpers/inspect-fixture.js';
import { decodePng, countColor, countInk } from '../helpers/png.js';

const fx = makeFixture();
// Plot area of src/plot charts: margins left 72, right 16, bottom 48; top 34 plus one 16-px legend row (+2) above it.
const area = (w: number, h: number) => ({ x0: 73, y0: 53, x1: w - 17, y1: h - 49 });

test('report: every kind of plot is present, and the HTML links each SVG and PNG', () => {
  const r = buildReport({ fits: fx.fits, fitsPath: 'fits.json', dataset: fx.dataset, population: fx.population, model: analyticModel });
  const names = r.plots.map((p) => p.file);
  for (const prefix of [
    'rms_histogram',
    'iv_D2_3',
    'res_D2_3',
    'hist_rnew',
    'hist_lnew',
    'scatter_rnew_lnew',
    'feature_vSetV',
    'feature_hrsOhm',
  ]) {
    assert.ok(
      names.some((n) => n.startsWith(prefix)),
      `missing plot ${prefix}`,
    );
  }
  for (const p of r.plots) {
    assert.ok(r.html.includes(`plots/${p.file}`), `${p.file} not linked`);
    assert.ok(r.html.includes(`plots/${p.file.replace('.svg', '.png')}`));
  }
  assert.match(r.html, /Predictive check/);
  assert.match(r.html, /<td>CV of HRS<\/td><td>21\.0 %<\/td><td>19\.0 %<\/td>/); // the population's measured-vs-predicted profile
  assert.ok(names.includes('profile_spreads.svg') && names.includes('profile_voltages.svg'));
  assert.match(r.html, /rnew sits at its upper bound/);
});

test('report: chooseCycles keeps the worst cycles first and caps the count', () => {
  const big = makeFixture({ devices: 6, cycles: 8 });
  const chosen = chooseCycles(big.fits, 10);
  assert.equal(chosen.length, 10);
  const worst = big.fits.cycles.findIndex((c) => c.device === 'D2' && c.cycle === 3);
  assert.ok(chosen.includes(worst));
  assert.equal(chooseCycles(fx.fits, 100).length, fx.fits.cycles.length);
});

test('report: written atomically; the rendered PNGs show the data inside the plot areas', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-report-'));
  const out = join(dir, 'report');
  mkdirSync(out);
  writeFileSync(join(out, 'stale.txt'), 'old');
  const r = buildReport({
    fits: fx.fits,
    fitsPath: 'fits.json',
    dataset: fx.dataset,
    population: fx.population,
    model: analyticModel,
    maxCycles: 3,
  });
  writeReportDir(out, r);
  assert.ok(existsSync(join(out, 'index.html')));
  assert.ok(!existsSync(join(out, 'stale.txt')), 'the old folder is replaced as a whole');
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.includes('.tmp') || n.includes('.old')),
    [],
  );

  // I-V overlay of the bad cycle: red SET points left of 0 V, blue RESET points right of it, the black model line.
  const iv = decodePng(readFileSync(join(out, 'plots', 'iv_D2_3.png')));
  assert.equal(iv.width, 640);
  const a = area(iv.width, iv.height);
  const mid = (a.x0 + a.x1) / 2;
  const red = countColor(iv, a, [214, 39, 40], 70);
  const blue = countColor(iv, a, [31, 119, 180], 70);
  const black = countColor(iv, a, [17, 17, 17], 40);
  assert.ok(red.n > 300, `red SET pixels ${red.n}`);
  assert.ok(blue.n > 300, `blue RESET pixels ${blue.n}`);
  assert.ok(black.n > 150, `model line pixels ${black.n}`);
  assert.ok(red.meanX < mid && blue.meanX > mid, `SET left (${red.meanX.toFixed(0)}) and RESET right (${blue.meanX.toFixed(0)}) of ${mid}`);

  // Every PNG has ink inside its plot area; an empty chart of the same size does not (the check can fail).
  for (const f of readdirSync(join(out, 'plots')).filter((n) => n.endsWith('.png'))) {
    const img = decodePng(readFileSync(join(out, 'plots', f)));
    const ink = countInk(img, area(img.width, img.height));
    if (process.env.JARTCAL_DEBUG_INK) console.log(f, ink);
    const min = f.startsWith('scatter_') ? 100 : 1000; // 12 scatter points of radius 2 px: ~150 px
    assert.ok(ink > min, `${f}: only ${ink} drawn pixels inside the plot area`);
  }
  const empty = decodePng(
    svgToPng(
      lineChart({
        xLabel: 'V',
        yLabel: 'I',
        width: 640,
        height: 400,
        series: [
          { name: 'measured SET', x: [], y: [] },
          { name: 'model', x: [], y: [] },
        ],
        xRange: [-1, 1],
        yRange: [0, 1],
      }),
    ),
  );
  const emptyInk = countInk(empty, area(640, 400));
  if (process.env.JARTCAL_DEBUG_INK) console.log('empty', emptyInk);
  assert.ok(emptyInk < 100, `an empty chart (with its legend) must fail the ink check: ${emptyInk}`);
});

test('report: without a dataset the overlays are skipped with a note instead of failing', () => {
  const r = buildReport({ fits: fx.fits, fitsPath: 'fits.json', dataset: null, population: null, model: analyticModel });
  assert.match(r.html, /not found/);
  assert.ok(!r.plots.some((p) => p.file.startsWith('iv_')));
  assert.ok(r.plots.some((p) => p.file.startsWith('hist_')));
});

test('report: --no-png writes the SVGs only', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'jartcal-report-svg-')), 'r');
  const r = buildReport({ fits: fx.fits, fitsPath: 'fits.json', dataset: fx.dataset, population: null, model: null, maxCycles: 1 });
  writeReportDir(out, r, { png: false });
  const files = readdirSync(join(out, 'plots'));
  assert.equal(files.filter((f) => f.endsWith('.png')).length, 0);
  assert.equal(files.filter((f) => f.endsWith('.svg')).length, r.plots.length);
  assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /model curve unavailable/);
});
