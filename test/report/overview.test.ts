/** The defects a new user found in the report, one test each (issue: the report a device engineer would send). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, parameterValues } from '../../src/report/build.js';
import { crossbarView } from '../../src/report/crossbar.js';
import { ivOverlay, paramHistogram } from '../../src/report/plots.js';
import { fmtUnit, sweepProse } from '../../src/report/format.js';
import { lineChart } from '../../src/plot/index.js';
import { accuracyChart } from '../../src/plot/accuracy.js';
import { displayUnit } from '../../src/model/display.js';
import type { FitsFileView, PopulationView } from '../../src/inspect/schema.js';
import { makeFixture, analyticModel } from '../helpers/inspect-fixture.js';

const fx = makeFixture();
const RESULTS = {
  schema: 'jartcal.crossbar-results/1',
  name: 'one-epoch',
  mode: 'in-situ',
  seed: 1,
  finalAccuracy: 93.53,
  accuracyStd: 0,
  accuracyPerEpoch: [93.53],
  repeats: [
    {
      repeat: 0,
      finalAccuracy: 93.53,
      records: [{ epoch: 1, lr: 0.05, trainLoss: 0.3, testAccuracy: 93.53, seconds: 1, pulsesApplied: 0, coincidences: 0 }],
    },
  ],
  config: { training: { epochs: 1, trainSamples: 60000, testSamples: 10000 } },
};

/** y of the top edge of the plot frame (the first <rect fill="none" stroke="#333">) of an SVG. */
const plotTop = (svg: string): number =>
  Number(/<rect x="\d+(?:\.\d+)?" y="(\d+(?:\.\d+)?)" width="[\d.]+" height="[\d.]+" fill="none" stroke="#333"/.exec(svg)![1]);
const legendTexts = (svg: string, names: string[]) =>
  names.map((n) => {
    const m = new RegExp(`<text x="[\\d.]+" y="([\\d.]+)" font-size="11" fill="#111">${n.replace(/[()]/g, '\\$&')}</text>`).exec(svg);
    return m ? Number(m[1]) : null;
  });

test('report: the overview (data, fits, population, predictive check, crossbar accuracy) comes before the details', () => {
  const cb = crossbarView(RESULTS, 'out/crossbar/results.json').view;
  const r = buildReport({
    fits: fx.fits,
    fitsPath: 'fits.json',
    dataset: fx.dataset,
    population: fx.population,
    model: analyticModel,
    crossbar: cb,
  });
  const at = (s: string) => r.html.indexOf(s);
  for (const s of ['<h3>Data</h3>', '<h3>Fits</h3>', '<h3>Population</h3>', '<h3>Crossbar accuracy</h3>', 'Predictive check'])
    assert.ok(at(s) > 0 && at(s) < at('class="details"'), s);
  assert.match(r.html, /id="crossbar-accuracy">93\.53 %</);
  assert.match(r.html, /60,000 training samples, tested on 10,000/);
  assert.ok(r.plots.some((p) => p.file === 'crossbar_accuracy.svg'));
  const none = buildReport({ fits: fx.fits, fitsPath: 'fits.json', dataset: fx.dataset, population: fx.population, model: null });
  assert.match(none.html, /Crossbar accuracy<\/h3><p>No crossbar run/);
  assert.equal(crossbarView({ schema: 'jartcal.fits/1' }, 'x.json').view, null);
});

test('report: the predictive check sweep reads as settings with units, not JSON', () => {
  const s = sweepProse({
    vSetV: -1.3,
    vResetV: 1.3,
    stepV: 0.010000000000000009,
    rateVps: 1,
    rateSource: 'data',
    readVoltageV: 0.1,
    complianceA: 0.00027499999999999996,
  });
  assert.equal(
    s,
    'triangular sweep to -1.3 V (SET) and 1.3 V (RESET), step 10 mV, 1 V/s (rate from the measured data), read at 0.1 V, compliance 275 µA',
  );
  const r = buildReport({ fits: fx.fits, fitsPath: 'fits.json', dataset: fx.dataset, population: fx.population, model: null });
  assert.doesNotMatch(r.html, /"stepV"|\{"/);
  assert.match(r.html, /step 20 mV/);
  assert.equal(fmtUnit(250e-6, 'A'), '250 µA');
  assert.equal(fmtUnit(0.83371, 'V'), '0.8337 V');
  assert.equal(fmtUnit(101102.43, 'Ω'), '101.1 kΩ');
});

test('report: a table that shows a subset says so, with consistent counts', () => {
  const big = makeFixture({ devices: 5, cycles: 4 });
  const r = buildReport({ fits: big.fits, fitsPath: 'fits.json', dataset: big.dataset, population: null, model: null, maxCycles: 6 });
  assert.match(r.html, /The 15 worst of 20 cycle fits/);
  assert.match(r.html, /6 of 20 cycles shown/);
  const small = buildReport({ fits: fx.fits, fitsPath: 'fits.json', dataset: fx.dataset, population: null, model: null });
  assert.match(small.html, /All 12 cycle fits, largest RMS first/);
});

test('report: device-level parameters are counted per device, with the cycles they were fitted on', () => {
  // Campaign fit: dWa fitted per device on cycles 1-2 of each of 3 devices, held by the other cycles.
  const fits: FitsFileView = {
    ...fx.fits,
    devices: fx.fits.devices.map((d, i) => ({ ...d, params: { dWa: 1.3 + 0.01 * i }, stderr: { dWa: 0.01 }, fromCycles: [1, 2] })),
    cycles: fx.fits.cycles.map((c) => ({ ...c, fitted: [...c.fitted, ...(c.cycle <= 2 ? ['dWa'] : [])] })),
  };
  const pv = parameterValues(fits, 'dWa');
  assert.deepEqual(
    { level: pv.level, n: pv.n, fittedCycles: pv.fittedCycles, allCycles: pv.allCycles },
    { level: 'device', n: 3, fittedCycles: 6, allCycles: 12 },
  );
  const r = buildReport({ fits, fitsPath: 'fits.json', dataset: fx.dataset, population: null, model: null });
  assert.match(
    r.html,
    /<td>dWa<\/td><td>eV<\/td><td>3 devices \(fitted on 6 of 12 cycles; the others use their device&#39;s value\)|<td>dWa<\/td><td>eV<\/td><td>3 devices \(fitted on 6 of 12 cycles; the others use their device's value\)/,
  );
  assert.match(r.html, /<td>rnew<\/td><td>nm<\/td><td>12 of 12 cycles<\/td>/);
});

test('plots: the legend sits above the plot area and lists only series with points', () => {
  const d = fx.dataset.devices[0].cycles[0];
  const fit = fx.fits.cycles.find((c) => c.device === 'D1' && c.cycle === 1)!;
  const svg = ivOverlay(d, fit, analyticModel(fit.params, d));
  const top = plotTop(svg);
  const ys = legendTexts(svg, ['measured SET', 'measured RESET', 'model (fitted)']);
  for (const y of ys) assert.ok(y !== null && y < top, `legend entry at y ${y}, plot area from ${top}`);
  assert.doesNotMatch(svg, /measured \(other\)/);
  // A series without a drawable point (NaN, or ≤ 0 on a log axis) gets no legend entry.
  const empty = lineChart({
    xLabel: 'V',
    yLabel: '|I|',
    yLog: true,
    series: [
      { name: 'real', x: [1, 2], y: [1e-6, 1e-5] },
      { name: 'ghost', x: [1, 2], y: [0, NaN] },
    ],
  });
  assert.match(empty, />real</);
  assert.doesNotMatch(empty, />ghost</);
  // Points outside a given range are clipped away: no entry either (the 0 V, 0 A end points of a sweep below the |I| range).
  const clipped = lineChart({
    xLabel: 'V',
    yLabel: '|I|',
    yLog: true,
    yRange: [1e-9, 1e-3],
    series: [
      { name: 'real', x: [1, 2], y: [1e-6, 1e-5] },
      { name: 'measured (other)', x: [0, 0], y: [1e-12, 1e-12] },
    ],
  });
  assert.doesNotMatch(clipped, /measured \(other\)/);
  const withZeros = {
    ...d,
    branch: d.branch.map((b, i) => (i === 0 ? -1 : b)),
    iA: d.iA.map((x, i) => (i === 0 ? 0 : x)),
    vV: d.vV.map((x, i) => (i === 0 ? 0 : x)),
  };
  assert.doesNotMatch(
    ivOverlay(withZeros, fit, null),
    /measured \(other\)/,
    'an unlabelled (0 V, 0 A) point below the axis is not in the legend',
  );
});

test('plots: a zero-spread population is a marker at its value, not a flat density at zero', () => {
  const pop: PopulationView['parameters'][string] = {
    family: 'lognormal',
    d2d: { center: 650.8, spread: 0, spreadKind: 'ln' },
    c2c: { spread: 0, spreadKind: 'ln' },
  };
  const svg = paramHistogram('RseriesTiOx', [650.2, 650.9, 651.3, 650.4], displayUnit('RseriesTiOx'), pop, 'devices');
  assert.doesNotMatch(svg, /stroke="#d62728" stroke-width="2"\/>/, 'no density curve');
  assert.match(svg, /population: 650\.8 Ω, no spread/);
  assert.match(svg, /<line [^>]*stroke="#d62728" stroke-width="2" stroke-dasharray/);
  assert.match(svg, /fitted values of 4 devices/);
  const spread = paramHistogram('rnew', [44e-9, 45e-9, 46e-9], displayUnit('rnew'), {
    family: 'lognormal',
    d2d: { center: 45e-9, spread: 0.05, spreadKind: 'ln' },
    c2c: { spread: 0.02, spreadKind: 'ln' },
  });
  assert.match(spread, /<path d="M[^"]+" fill="none" stroke="#1f77b4"|<path d="M[^"]+" fill="none" stroke="#d62728" stroke-width="2"\/>/);
  assert.match(spread, /rnew \(nm\)/);
});

test('plots: one epoch of accuracy is a labelled bar on a 0-100 % axis; many epochs a curve on a fitted axis', () => {
  const one = accuracyChart({ title: 't', perEpoch: [93.53] });
  assert.match(one, />93\.53 %</);
  assert.match(one, />100</);
  assert.doesNotMatch(one, />105</);
  assert.doesNotMatch(one, /<circle/);
  assert.ok((one.match(/fill="#1f77b4"/g) ?? []).length >= 2, 'a bar (and its legend swatch)');
  const many = accuracyChart({ title: 't', perEpoch: [80, 85, 88, 90, 91] });
  assert.match(many, /<path d="M/);
  assert.doesNotMatch(many, />0</, 'the axis is fitted to the values, not from 0');
});
