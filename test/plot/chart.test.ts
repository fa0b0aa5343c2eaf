import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineChart, histogram, histogramBins, svgToPng, logScale, linearScale } from '../../src/plot/index.js';

test('log scale spans whole decades and maps them monotonically', () => {
  const s = logScale(3e-6, 7e-4, 0, 100);
  assert.equal(s.min, 1e-6);
  assert.equal(s.max, 1e-3);
  assert.ok(Math.abs(s.map(1e-6) - 0) < 1e-9 && Math.abs(s.map(1e-3) - 100) < 1e-9);
  assert.ok(Math.abs(s.map(10 ** -4.5) - 50) < 1e-6);
});

test('linear scale ticks are round numbers covering the data', () => {
  const s = linearScale(-1.3, 1.3, 0, 100);
  assert.ok(s.min <= -1.3 && s.max >= 1.3);
  for (const t of s.ticks) assert.ok(Math.abs(t.value * 2 - Math.round(t.value * 2)) < 1e-9, String(t.value));
});

test('line chart with |y| on a log axis skips zeros and renders to a non-blank PNG', () => {
  const x = [-1, -0.5, 0, 0.5, 1];
  const y = [-1e-4, -1e-6, 0, 2e-6, 3e-4];
  const svg = lineChart({ xLabel: 'V', yLabel: '|I| (A)', yLog: true, yAbs: true, series: [{ name: 'I', x, y }] });
  assert.match(svg, /^<svg /);
  assert.ok(!svg.includes('NaN'));
  const png = svgToPng(svg);
  assert.deepEqual(Array.from(png.subarray(1, 4)), [0x50, 0x4e, 0x47]);
});

test('histogram densities integrate to one', () => {
  const vals = Array.from({ length: 200 }, (_, i) => Math.sin(i) * 3);
  const h = histogramBins(vals, 10);
  const area = h.density.reduce((a, d) => a + d * h.binWidth, 0);
  assert.ok(Math.abs(area - 1) < 1e-12, String(area));
  const svg = histogram({ xLabel: 'x', values: vals, bins: 10, overlay: { name: 'pdf', x: [-3, 0, 3], density: [0.1, 0.2, 0.1] } });
  assert.equal([...svg.matchAll(/fill="#1f77b4" fill-opacity="0.6"/g)].length, 10);
});
