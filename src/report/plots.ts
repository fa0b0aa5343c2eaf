/**
 * The report's charts as SVG strings (through src/plot): per-cycle I-V overlays and residuals,
 * parameter histograms with the population's marginal law, parameter scatter plots with their
 * correlation, the RMS distribution and the measured switching-feature histograms.
 */
import { histogramBins, lineChart, scatterChart, histogram, PALETTE, type Series } from '../plot/index.js';
import { densityU, isLogFamily } from '../inspect/distribution.js';
import { residualsLog10, fmtRms } from '../inspect/quality.js';
import type { CycleData, CycleFitView, PopulationParam } from '../inspect/schema.js';
import { formatNumber } from '../model/display.js';
import { fmtUnit } from './format.js';

export const RED = '#d62728';
export const BLUE = '#1f77b4';
const W = 640;
const H = 400;

/** Points of one cycle split into SET (branches 0, 1), RESET (2, 3) and unlabelled. */
function splitBranches(
  d: CycleData,
  y: ArrayLike<number>,
): { set: [number[], number[]]; reset: [number[], number[]]; other: [number[], number[]] } {
  const out = { set: [[], []] as [number[], number[]], reset: [[], []] as [number[], number[]], other: [[], []] as [number[], number[]] };
  for (let i = 0; i < d.vV.length; i++) {
    const b = d.branch[i];
    const t = b === 0 || b === 1 ? out.set : b === 2 || b === 3 ? out.reset : out.other;
    t[0].push(d.vV[i]);
    t[1].push(y[i]);
  }
  return out;
}

export function ivOverlay(d: CycleData, fit: CycleFitView, modelA: Float64Array | null): string {
  const floor = d.currentFloorA ?? 1e-12;
  const floored = d.iA.map((i) => Math.max(Math.abs(i), floor));
  const s = splitBranches(d, floored);
  const all: Series[] = [
    { name: 'measured SET', x: s.set[0], y: s.set[1], kind: 'points', color: RED, size: 2.2 },
    { name: 'measured RESET', x: s.reset[0], y: s.reset[1], kind: 'points', color: BLUE, size: 2.2 },
  ];
  if (s.other[0].length) all.push({ name: 'measured (other)', x: s.other[0], y: s.other[1], kind: 'points', color: '#7f7f7f', size: 2 });
  if (modelA)
    all.push({
      name: 'model (fitted)',
      x: d.vV,
      y: Array.from(modelA, (i) => Math.max(Math.abs(i), floor)),
      kind: 'line',
      color: '#111111',
      size: 1.6,
    });
  const lg = floored.map(Math.log10).sort((a, b) => a - b);
  const yLo = Math.max(floor, 10 ** (lg[Math.floor(0.02 * (lg.length - 1))] - 1));
  let yHi = Math.max(...floored);
  if (modelA) for (const i of modelA) if (Number.isFinite(i)) yHi = Math.max(yHi, Math.abs(i));
  return lineChart({
    yRange: [yLo, yHi * 1.2],
    title: `${fit.device} cycle ${fit.cycle}: RMS ${fmtRms(fit.rmsLog10)} dec${fit.converged ? '' : ', not converged'}`,
    xLabel: 'V (V, model convention: SET at V < 0)',
    yLabel: '|I| (A)',
    yLog: true,
    width: W,
    height: H,
    series: all,
    markers: d.complianceA ? [{ y: d.complianceA, label: `compliance ${fmtUnit(d.complianceA, 'A', 3)}`, color: '#9467bd' }] : [],
  });
}

export function residualPlot(d: CycleData, fit: CycleFitView, modelA: Float64Array): string {
  const res = residualsLog10(d.iA, modelA, d.currentFloorA ?? 1e-12);
  const s = splitBranches(d, res);
  const m = Math.max(0.1, ...Array.from(res).filter(Number.isFinite).map(Math.abs));
  return lineChart({
    title: `${fit.device} cycle ${fit.cycle}: residuals`,
    xLabel: 'V (V)',
    yLabel: 'log10|I meas| − log10|I model| (dec)',
    width: W,
    height: 260,
    series: [
      { name: 'SET', x: s.set[0], y: s.set[1], kind: 'points', color: RED, size: 2 },
      { name: 'RESET', x: s.reset[0], y: s.reset[1], kind: 'points', color: BLUE, size: 2 },
    ],
    yRange: [-m, m],
    markers: [{ y: 0, color: '#555' }],
  });
}

/**
 * Histogram of one parameter's fitted values (display units) with the population's marginal density;
 * a population without spread (d2d and c2c both 0) is one value: drawn as a marker, not a flat zero density.
 */
export function paramHistogram(
  name: string,
  values: number[],
  unit: { factor: number; unit: string },
  pop: PopulationParam | undefined,
  over = 'cycles',
): string {
  const xs = values.filter(Number.isFinite).map((v) => v * unit.factor);
  let overlay: { name: string; x: number[]; density: number[] } | undefined;
  const markers: { x: number; label: string; color: string }[] = [];
  const u = unit.unit ? ` ${unit.unit}` : '';
  if (pop && !(pop.d2d.spread > 0) && !(pop.c2c.spread > 0)) {
    markers.push({
      x: pop.d2d.center * unit.factor,
      label: `population: ${formatNumber(pop.d2d.center * unit.factor, 4)}${u}, no spread`,
      color: RED,
    });
  } else if (pop) {
    const { lo, hi } = histogramBins(xs);
    const x: number[] = [];
    const density: number[] = [];
    for (let k = 0; k <= 120; k++) {
      const xd = lo + ((hi - lo) * k) / 120;
      const xv = xd / unit.factor;
      const log = isLogFamily(pop);
      if (log && xv <= 0) continue;
      const dens = log ? densityU(pop, Math.log(xv)) / xv : densityU(pop, xv);
      x.push(xd);
      density.push(dens / unit.factor);
    }
    overlay = { name: `population (${pop.family}, d2d ⊕ c2c)`, x, density };
  }
  const same = xs.length > 1 && xs.every((v) => v === xs[0]);
  return histogram({
    title: `${name}: fitted values of ${xs.length} ${over}${same ? ` (all ${formatNumber(xs[0], 4)}${u})` : ''}`,
    xLabel: `${name}${unit.unit ? ` (${unit.unit})` : ''}`,
    values: xs,
    width: W,
    height: 340,
    overlay,
    markers,
  });
}

/** Pearson correlation of two equally long series (NaN when undefined). */
export function pearson(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

export function paramScatter(
  nx: string,
  ny: string,
  pts: { x: number; y: number; device: string }[],
  ux: { factor: number; unit: string },
  uy: { factor: number; unit: string },
  logAxes: boolean,
): string {
  const devices = Array.from(new Set(pts.map((p) => p.device)));
  const tr = (v: number): number => (logAxes ? Math.log(v) : v);
  const r = pearson(
    pts.map((p) => tr(p.x)),
    pts.map((p) => tr(p.y)),
  );
  const many = devices.length > 10;
  const series = many
    ? [{ name: `${pts.length} cycles`, x: pts.map((p) => p.x * ux.factor), y: pts.map((p) => p.y * uy.factor), color: PALETTE[0] }]
    : devices.map((d, k) => {
        const q = pts.filter((p) => p.device === d);
        return { name: d, x: q.map((p) => p.x * ux.factor), y: q.map((p) => p.y * uy.factor), color: PALETTE[k % PALETTE.length] };
      });
  // Log axes only where the values span more than a decade (log axes snap to whole decades).
  const spansDecade = (v: number[]): boolean => v.length > 0 && Math.min(...v) > 0 && Math.max(...v) / Math.min(...v) > 10;
  return scatterChart({
    title: `${ny} against ${nx}: r = ${Number.isFinite(r) ? r.toFixed(2) : 'n/a'}${logAxes ? ' (of ln values)' : ''}`,
    xLabel: `${nx}${ux.unit ? ` (${ux.unit})` : ''}`,
    yLabel: `${ny}${uy.unit ? ` (${uy.unit})` : ''}`,
    xLog: logAxes && spansDecade(pts.map((p) => p.x)),
    yLog: logAxes && spansDecade(pts.map((p) => p.y)),
    width: 480,
    height: 380,
    series,
  });
}

export function simpleHistogram(title: string, xLabel: string, values: number[]): string {
  return histogram({ title, xLabel, values: values.filter(Number.isFinite), width: 480, height: 320 });
}
