/**
 * Terminal charts drawn on the braille canvas, returned as coloured lines (pure, testable as text):
 * the I-V plot (log10|I| against V, SET and RESET branches told apart, model curve, compliance level),
 * the residual strip, and a histogram with an expected-count curve.
 */
import { BrailleCanvas, type Line } from './canvas.js';

export const COLORS = {
  set: 'red',
  reset: 'cyan',
  other: 'gray',
  model: 'yellow',
  compliance: 'magenta',
  zero: 'gray',
  bar: 'blue',
  pdf: 'yellow',
  old: 'gray',
} as const;

interface Frame {
  canvas: BrailleCanvas;
  x: (v: number) => number;
  y: (v: number) => number;
  finish(): Line[];
}

const YW = 7; // y tick label width

/** A plot area of `cols`×`rows` characters in total, axes and tick labels included. */
function frame(
  cols: number,
  rows: number,
  xr: [number, number],
  yr: [number, number],
  yfmt: (v: number) => string,
  yticks: number[],
  xfmt: (v: number) => string,
): Frame {
  const pc = Math.max(4, cols - YW - 1);
  const pr = Math.max(2, rows - 2);
  const canvas = new BrailleCanvas(pc, pr);
  const sx = (canvas.width - 1) / (xr[1] - xr[0] || 1);
  const sy = (canvas.height - 1) / (yr[1] - yr[0] || 1);
  const x = (v: number): number => (v - xr[0]) * sx;
  const y = (v: number): number => canvas.height - 1 - (v - yr[0]) * sy;
  return {
    canvas,
    x,
    y,
    finish(): Line[] {
      const body = canvas.lines();
      const labels = new Map<number, string>();
      for (const t of yticks) {
        const r = Math.floor(y(t) / 4);
        if (r >= 0 && r < pr) labels.set(r, yfmt(t));
      }
      const out: Line[] = body.map((segs, r) => [
        { text: (labels.get(r) ?? '').padStart(YW - 1).slice(-(YW - 1)) + ' ┤', dim: true },
        ...segs,
      ]);
      out.push([{ text: ' '.repeat(YW) + '└' + '─'.repeat(pc), dim: true }]);
      const lo = xfmt(xr[0]);
      const mid = xfmt((xr[0] + xr[1]) / 2);
      const hi = xfmt(xr[1]);
      const axis = new Array(pc + YW + 1).fill(' ');
      const put = (pos: number, s: string): void => {
        for (let i = 0; i < s.length; i++) if (pos + i >= 0 && pos + i < axis.length) axis[pos + i] = s[i];
      };
      put(YW + 1, lo);
      put(YW + 1 + Math.floor(pc / 2 - mid.length / 2), mid);
      put(YW + 1 + pc - hi.length, hi);
      out.push([{ text: axis.join(''), dim: true }]);
      return out;
    },
  };
}

function niceRange(vals: Iterable<number>, pad = 0.05): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of vals)
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi - lo < 1e-9) {
    lo -= 0.5;
    hi += 0.5;
  }
  const p = (hi - lo) * pad;
  return [lo - p, hi + p];
}

const fmtV = (v: number): string => `${v.toFixed(1)}V`;
const fmtDecade = (d: number): string => `1e${d}`;

export interface IvChartInput {
  cols: number;
  rows: number;
  vV: ArrayLike<number>;
  iA: ArrayLike<number>;
  branch: ArrayLike<number>;
  modelA?: ArrayLike<number> | null;
  oldModelA?: ArrayLike<number> | null;
  complianceA?: number | null;
  floorA?: number;
}

/** log10|I| against V: measured SET points red, RESET points cyan, the model curve yellow, compliance magenta. */
export function ivChart(inp: IvChartInput): Line[] {
  const floor = inp.floorA ?? 1e-12;
  const lg = (i: number): number => Math.log10(Math.max(Math.abs(i), floor));
  const n = inp.vV.length;
  const ys: number[] = [];
  for (let i = 0; i < n; i++) ys.push(lg(inp.iA[i]));
  if (inp.modelA) for (let i = 0; i < inp.modelA.length; i++) if (Number.isFinite(inp.modelA[i])) ys.push(lg(inp.modelA[i]));
  if (inp.complianceA) ys.push(Math.log10(inp.complianceA));
  let [ylo, yhi] = niceRange(ys, 0);
  yhi += 0.05;
  // A few points at V ≈ 0 (I ≈ 0, floored) would stretch the axis by decades: start 1 decade below the 2 % quantile.
  const sorted = ys.slice().sort((a, b) => a - b);
  const q = sorted[Math.floor(0.02 * (sorted.length - 1))];
  if (Number.isFinite(q)) ylo = Math.max(ylo, q - 1);
  ylo = Math.floor(ylo);
  yhi = Math.ceil(yhi);
  const xr = niceRange(Array.from(inp.vV), 0.03);
  const ticks: number[] = [];
  const step = Math.max(1, Math.ceil((yhi - ylo) / Math.max(1, Math.floor((inp.rows - 2) / 2))));
  for (let d = ylo; d <= yhi; d += step) ticks.push(d);
  const f = frame(inp.cols, inp.rows, xr, [ylo, yhi], fmtDecade, ticks, fmtV);
  const c = f.canvas;
  if (inp.complianceA) {
    const yc = f.y(Math.log10(inp.complianceA));
    for (let px = 0; px < c.width; px += 3) c.set(px, yc, COLORS.compliance);
  }
  const curve = (a: ArrayLike<number>, color: string): void => {
    for (let i = 1; i < Math.min(n, a.length); i++) {
      if (!Number.isFinite(a[i - 1]) || !Number.isFinite(a[i])) continue;
      c.line(f.x(inp.vV[i - 1]), f.y(lg(a[i - 1])), f.x(inp.vV[i]), f.y(lg(a[i])), color);
    }
  };
  if (inp.oldModelA) curve(inp.oldModelA, COLORS.old);
  if (inp.modelA) curve(inp.modelA, COLORS.model);
  for (let i = 0; i < n; i++) {
    const b = inp.branch[i];
    const color = b === 0 || b === 1 ? COLORS.set : b === 2 || b === 3 ? COLORS.reset : COLORS.other;
    c.set(f.x(inp.vV[i]), Math.min(c.height - 1, f.y(lg(inp.iA[i]))), color);
  }
  return f.finish();
}

export interface ResidualChartInput {
  cols: number;
  rows: number;
  vV: ArrayLike<number>;
  res: ArrayLike<number>;
  branch: ArrayLike<number>;
}

/** Residuals log10|I_meas| − log10|I_model| against V, symmetric range, zero line. */
export function residualChart(inp: ResidualChartInput): Line[] {
  let m = 0.05;
  for (let i = 0; i < inp.res.length; i++) if (Number.isFinite(inp.res[i])) m = Math.max(m, Math.abs(inp.res[i]));
  m = Math.ceil(m * 20) / 20;
  const f = frame(
    inp.cols,
    inp.rows,
    niceRange(Array.from(inp.vV), 0.03),
    [-m, m],
    (v) => (v === 0 ? '0' : (v > 0 ? '+' : '') + v.toFixed(2)),
    [-m, 0, m],
    fmtV,
  );
  const c = f.canvas;
  for (let px = 0; px < c.width; px += 2) c.set(px, f.y(0), COLORS.zero);
  for (let i = 0; i < inp.res.length; i++) {
    if (!Number.isFinite(inp.res[i])) continue;
    const b = inp.branch[i];
    c.set(f.x(inp.vV[i]), f.y(inp.res[i]), b === 0 || b === 1 ? COLORS.set : b === 2 || b === 3 ? COLORS.reset : COLORS.other);
  }
  return f.finish();
}

export interface HistChartInput {
  cols: number;
  rows: number;
  lo: number;
  hi: number;
  counts: number[];
  expected?: number[] | null;
  xfmt: (u: number) => string;
  markers?: number[];
}

/** Bars of `counts` over [lo, hi] (in the histogram's own space), expected counts as a yellow curve. */
export function histChart(inp: HistChartInput): Line[] {
  const ymax = Math.max(1, ...inp.counts, ...(inp.expected ?? []));
  const f = frame(inp.cols, inp.rows, [inp.lo, inp.hi], [0, ymax * 1.05], (v) => String(Math.round(v)), [0, Math.round(ymax)], inp.xfmt);
  const c = f.canvas;
  const nb = inp.counts.length;
  const w = (inp.hi - inp.lo) / nb;
  for (let b = 0; b < nb; b++) {
    const x0 = Math.ceil(f.x(inp.lo + b * w));
    const x1 = Math.floor(f.x(inp.lo + (b + 1) * w)) - 1;
    const yTop = f.y(inp.counts[b]);
    if (inp.counts[b] <= 0) continue;
    for (let px = x0; px <= Math.max(x0, x1); px++) for (let py = c.height - 1; py >= yTop; py--) c.set(px, py, COLORS.bar);
  }
  if (inp.expected) {
    for (let b = 1; b < nb; b++) {
      c.line(f.x(inp.lo + (b - 0.5) * w), f.y(inp.expected[b - 1]), f.x(inp.lo + (b + 0.5) * w), f.y(inp.expected[b]), COLORS.pdf);
    }
  }
  for (const m of inp.markers ?? []) {
    const px = f.x(m);
    for (let py = 0; py < c.height; py += 2) c.set(px, py, COLORS.compliance);
  }
  return f.finish();
}
