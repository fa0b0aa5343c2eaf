/**
 * Regenerates the figures of docs/model.md: the default sweep over the shared reference
 * (docs/img/default_sweep.svg) and a compliance/series-resistance example (docs/img/compliance_sweep.svg).
 * Run: node --import tsx scripts/studies/model-figures.ts   (needs ../shared, or JARTCAL_SHARED)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineChart } from '../../src/plot/index.js';
import { writePlot } from '../../src/io/plot.js';
import { DEFAULT_PARAMS, simulate, sweepWaveform } from '../../src/model/index.js';
import { sharedPath } from '../lib/shared.js';

const ref = readFileSync(sharedPath('jart', 'reference', 'default_sweep.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',').map(Number));
const wave = sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.001 });
const r = simulate(DEFAULT_PARAMS, wave);
const every = (a: ArrayLike<number>, k: number): number[] => Array.from(a).filter((_, i) => i % k === 0);
writePlot(
  join('docs', 'img', 'default_sweep.svg'),
  lineChart({
    title: 'Default device, 0 → −1.3 → 0 → +1.3 → 0 V at 1 V/s: jartcal over the reference',
    xLabel: 'V (V)',
    yLabel: '|I| (A)',
    yLog: true,
    yAbs: true,
    width: 720,
    height: 440,
    series: [
      {
        name: 'reference (numpy/scipy, every 10th point)',
        x: every(
          ref.map((x) => x[1]),
          10,
        ),
        y: every(
          ref.map((x) => x[2]),
          10,
        ),
        kind: 'points',
        color: '#7f7f7f',
        size: 2.2,
      },
      { name: 'jartcal simulate', x: r.vV, y: r.iA, kind: 'line', color: '#d62728', size: 1.4 },
    ],
  }),
);
const series = [];
for (const [icc, color] of [
  [3e-5, '#1f77b4'],
  [1e-4, '#2ca02c'],
  [3e-4, '#ff7f0e'],
] as const) {
  const c = simulate(DEFAULT_PARAMS, wave, { circuit: { complianceA: icc } });
  series.push({ name: `compliance ${icc * 1e6} µA (SET)`, x: c.vCellV, y: c.iA, kind: 'line' as const, color, size: 1.4 });
}
writePlot(
  join('docs', 'img', 'compliance_sweep.svg'),
  lineChart({
    title: 'SET current compliance: I-V against the cell voltage',
    xLabel: 'V cell (V)',
    yLabel: '|I| (A)',
    yLog: true,
    yAbs: true,
    width: 720,
    height: 440,
    series,
  }),
);
console.log('wrote docs/img/default_sweep.svg and docs/img/compliance_sweep.svg');
