/**
 * Small, dependency-free SVG charts: line/point series with linear or log axes, markers and a
 * legend; histograms with an optional density overlay. Output is a standalone SVG string that
 * renders the same in browsers and in resvg (PNG export).
 */
import { extent, linearScale, logScale, type Scale } from './axis.js';

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  kind?: 'line' | 'points';
  color?: string;
  dash?: boolean;
  /** Stroke width (lines) or radius (points), px. */
  size?: number;
}

export interface Marker {
  /** Vertical line at x, horizontal line at y (either or both). */
  x?: number;
  y?: number;
  label?: string;
  color?: string;
}

export interface ChartSpec {
  title?: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  /** Plot |y| instead of y (typical for log |I| against V). */
  yAbs?: boolean;
  width?: number;
  height?: number;
  series: Series[];
  markers?: Marker[];
  xRange?: [number, number];
  yRange?: [number, number];
}

const M = { left: 72, right: 16, top: 34, bottom: 48 };
const LEGEND_ROW = 16;

export interface LegendItem {
  name: string;
  color: string;
}

/** Legend rows laid out left to right across the width of the plot area (item width estimated from its text). */
function legendLayout(items: LegendItem[], x0: number, x1: number): { rows: number; at: { x: number; row: number; it: LegendItem }[] } {
  const at: { x: number; row: number; it: LegendItem }[] = [];
  let x = x0;
  let row = 0;
  for (const it of items.filter((i) => i.name)) {
    const w = 22 + 6.6 * it.name.length + 14;
    if (x > x0 && x + w > x1) {
      row++;
      x = x0;
    }
    at.push({ x, row, it });
    x += w;
  }
  return { rows: at.length ? row + 1 : 0, at };
}

/** Top margin: the title, then the legend rows, above the plot area (the legend never covers data). */
export function topMargin(items: LegendItem[], w: number): number {
  const rows = legendLayout(items, M.left, w - M.right).rows;
  return M.top + (rows ? rows * LEGEND_ROW + 2 : 0);
}

export function drawLegend(parts: string[], items: LegendItem[], w: number): void {
  for (const { x, row, it } of legendLayout(items, M.left, w - M.right).at) {
    const y = M.top - 4 + row * LEGEND_ROW + 8;
    parts.push(`<rect x="${x.toFixed(1)}" y="${y - 8}" width="10" height="10" fill="${it.color}"/>`);
    parts.push(`<text x="${(x + 14).toFixed(1)}" y="${y + 1}" font-size="11" fill="#111">${esc(it.name)}</text>`);
  }
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function yValue(spec: ChartSpec, v: number): number {
  return spec.yAbs ? Math.abs(v) : v;
}

interface Frame {
  sx: Scale;
  sy: Scale;
  parts: string[];
  w: number;
  h: number;
  /** Top of the plot area (below the title and the legend). */
  top: number;
}

function frame(spec: ChartSpec, xs: number[], ys: number[], items: LegendItem[] = []): Frame {
  const w = spec.width ?? 640;
  const h = spec.height ?? 400;
  const top = topMargin(items, w);
  const [x0, x1] = spec.xRange ?? extent(xs, !!spec.xLog);
  const [y0, y1] = spec.yRange ?? extent(ys, !!spec.yLog);
  const sx = spec.xLog ? logScale(x0, x1, M.left, w - M.right) : linearScale(x0, x1, M.left, w - M.right);
  const sy = spec.yLog ? logScale(y0, y1, h - M.bottom, top) : linearScale(y0, y1, h - M.bottom, top);
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>`);
  const pw = w - M.left - M.right;
  const ph = h - top - M.bottom;
  parts.push(`<rect x="${M.left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#333" stroke-width="1"/>`);
  for (const t of sx.ticks) {
    const px = sx.map(t.value).toFixed(1);
    parts.push(`<line x1="${px}" y1="${top}" x2="${px}" y2="${h - M.bottom}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${px}" y="${h - M.bottom + 16}" font-size="11" text-anchor="middle" fill="#333">${esc(t.label)}</text>`);
  }
  for (const t of sy.ticks) {
    const py = sy.map(t.value).toFixed(1);
    parts.push(`<line x1="${M.left}" y1="${py}" x2="${w - M.right}" y2="${py}" stroke="#e5e5e5"/>`);
    parts.push(
      `<text x="${M.left - 6}" y="${py}" font-size="11" text-anchor="end" dominant-baseline="middle" fill="#333">${esc(t.label)}</text>`,
    );
  }
  parts.push(`<text x="${M.left + pw / 2}" y="${h - 10}" font-size="13" text-anchor="middle" fill="#111">${esc(spec.xLabel)}</text>`);
  parts.push(
    `<text x="16" y="${top + ph / 2}" font-size="13" text-anchor="middle" fill="#111" transform="rotate(-90 16 ${top + ph / 2})">${esc(spec.yLabel)}</text>`,
  );
  if (spec.title) parts.push(`<text x="${M.left}" y="20" font-size="14" font-weight="bold" fill="#111">${esc(spec.title)}</text>`);
  drawLegend(parts, items, w);
  return { sx, sy, parts, w, h, top };
}

function inDomain(s: Scale, v: number): boolean {
  return Number.isFinite(v) && (!s.log || v > 0);
}

function wrap(f: Frame): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.w}" height="${f.h}" viewBox="0 0 ${f.w} ${f.h}" font-family="DejaVu Sans, Arial, sans-serif">\n${f.parts.join('\n')}\n</svg>\n`;
}

function clip(f: Frame): string {
  return `<clipPath id="plotarea"><rect x="${M.left}" y="${f.top}" width="${f.w - M.left - M.right}" height="${f.h - f.top - M.bottom}"/></clipPath>`;
}

/** Lines and/or point series on shared axes. */
export function lineChart(spec: ChartSpec): string {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of spec.series) {
    for (let i = 0; i < s.x.length; i++) {
      xs.push(s.x[i]);
      ys.push(yValue(spec, s.y[i]));
    }
  }
  // A legend entry only for a series with something to draw: a finite point (positive on a log axis)
  // inside the axis ranges (points clipped away by a given range do not count).
  const inRange = (v: number, r: [number, number] | undefined): boolean => !r || (v >= Math.min(r[0], r[1]) && v <= Math.max(r[0], r[1]));
  const drawable = (s: Series): boolean => {
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i];
      const y = yValue(spec, s.y[i]);
      if (
        Number.isFinite(x) &&
        Number.isFinite(y) &&
        (!spec.xLog || x > 0) &&
        (!spec.yLog || y > 0) &&
        inRange(x, spec.xRange) &&
        inRange(y, spec.yRange)
      )
        return true;
    }
    return false;
  };
  const items = spec.series
    .map((s, k) => ({ s, k }))
    .filter(({ s }) => drawable(s))
    .map(({ s, k }) => ({ name: s.name, color: s.color ?? PALETTE[k % PALETTE.length] }));
  const f = frame(spec, xs, ys, items);
  f.parts.push(clip(f));
  f.parts.push('<g clip-path="url(#plotarea)">');
  spec.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length];
    if ((s.kind ?? 'line') === 'line') {
      let d = '';
      let pen = false;
      for (let i = 0; i < s.x.length; i++) {
        const x = s.x[i];
        const y = yValue(spec, s.y[i]);
        if (!inDomain(f.sx, x) || !inDomain(f.sy, y)) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${f.sx.map(x).toFixed(2)} ${f.sy.map(y).toFixed(2)}`;
        pen = true;
      }
      f.parts.push(
        `<path d="${d}" fill="none" stroke="${color}" stroke-width="${s.size ?? 1.6}"${s.dash ? ' stroke-dasharray="6 4"' : ''}/>`,
      );
    } else {
      const r = s.size ?? 2;
      const dots: string[] = [];
      for (let i = 0; i < s.x.length; i++) {
        const x = s.x[i];
        const y = yValue(spec, s.y[i]);
        if (!inDomain(f.sx, x) || !inDomain(f.sy, y)) continue;
        dots.push(`<circle cx="${f.sx.map(x).toFixed(2)}" cy="${f.sy.map(y).toFixed(2)}" r="${r}"/>`);
      }
      f.parts.push(`<g fill="${color}" fill-opacity="0.75">${dots.join('')}</g>`);
    }
  });
  for (const m of spec.markers ?? []) {
    const c = m.color ?? '#555';
    if (m.x !== undefined && inDomain(f.sx, m.x)) {
      const px = f.sx.map(m.x).toFixed(1);
      f.parts.push(`<line x1="${px}" y1="${f.top}" x2="${px}" y2="${f.h - M.bottom}" stroke="${c}" stroke-dasharray="3 3"/>`);
      if (m.label) f.parts.push(`<text x="${px}" y="${f.top + 12}" font-size="10" fill="${c}" dx="3">${esc(m.label)}</text>`);
    }
    if (m.y !== undefined && inDomain(f.sy, m.y)) {
      const py = f.sy.map(m.y).toFixed(1);
      f.parts.push(`<line x1="${M.left}" y1="${py}" x2="${f.w - M.right}" y2="${py}" stroke="${c}" stroke-dasharray="3 3"/>`);
      if (m.label)
        f.parts.push(
          `<text x="${f.w - M.right - 4}" y="${py}" dy="-3" font-size="10" text-anchor="end" fill="${c}">${esc(m.label)}</text>`,
        );
    }
  }
  f.parts.push('</g>');
  return wrap(f);
}

/** Scatter plot: every series drawn as points. */
export function scatterChart(spec: ChartSpec): string {
  return lineChart({ ...spec, series: spec.series.map((s) => ({ ...s, kind: 'points' as const })) });
}

export interface HistogramSpec {
  title?: string;
  xLabel: string;
  values: ArrayLike<number>;
  bins?: number;
  width?: number;
  height?: number;
  color?: string;
  /** A density curve (e.g. the fitted distribution), in probability density units of x; not drawn when it is zero everywhere. */
  overlay?: { name: string; x: ArrayLike<number>; density: ArrayLike<number> };
  /** Vertical lines at x (legend entry from the label). */
  markers?: { x: number; label?: string; color?: string }[];
}

/** Equal-width bins over the finite values, as a probability density (sums to 1 over bin widths). */
export function histogramBins(
  values: ArrayLike<number>,
  bins?: number,
): { lo: number; hi: number; binWidth: number; density: number[]; n: number } {
  const vals = Array.from(values).filter(Number.isFinite);
  const [lo, hi] = extent(vals, false);
  const nb = bins ?? Math.max(5, Math.min(40, Math.ceil(Math.sqrt(vals.length))));
  const bw = (hi - lo) / nb;
  const counts = new Array<number>(nb).fill(0);
  for (const v of vals) counts[Math.min(nb - 1, Math.max(0, Math.floor((v - lo) / bw)))]++;
  return { lo, hi, binWidth: bw, density: counts.map((c) => (vals.length ? c / (vals.length * bw) : 0)), n: vals.length };
}

/** Histogram normalised to a probability density, so a fitted pdf can be overlaid directly. */
export function histogram(spec: HistogramSpec): string {
  const { lo, hi, binWidth: bw, density: dens, n } = histogramBins(spec.values, spec.bins);
  const nb = dens.length;
  let ymax = Math.max(...dens, 0);
  const o = spec.overlay;
  const overlayOk = !!o && Array.from(o.density).some((d) => Number.isFinite(d) && d > 0);
  if (o && overlayOk) for (let i = 0; i < o.density.length; i++) if (Number.isFinite(o.density[i])) ymax = Math.max(ymax, o.density[i]);
  const color = spec.color ?? PALETTE[0];
  const items: LegendItem[] = [{ name: `n = ${n}`, color }];
  if (o && overlayOk) items.push({ name: o.name, color: PALETTE[1] });
  for (const m of spec.markers ?? []) if (m.label) items.push({ name: m.label, color: m.color ?? PALETTE[1] });
  const f = frame(
    {
      xLabel: spec.xLabel,
      yLabel: 'density',
      title: spec.title,
      width: spec.width,
      height: spec.height,
      series: [],
      xRange: [lo, hi],
      yRange: [0, ymax > 0 ? ymax * 1.05 : 1],
    },
    [],
    [],
    items,
  );
  const y0 = f.sy.map(0);
  for (let b = 0; b < nb; b++) {
    const xa = f.sx.map(lo + b * bw);
    const xb = f.sx.map(lo + (b + 1) * bw);
    const yt = f.sy.map(dens[b]);
    f.parts.push(
      `<rect x="${xa.toFixed(2)}" y="${yt.toFixed(2)}" width="${Math.max(0.5, xb - xa - 1).toFixed(2)}" height="${Math.max(0, y0 - yt).toFixed(2)}" fill="${color}" fill-opacity="0.6"/>`,
    );
  }
  if (o && overlayOk) {
    let d = '';
    for (let i = 0; i < o.x.length; i++)
      if (Number.isFinite(o.density[i])) d += `${d ? 'L' : 'M'}${f.sx.map(o.x[i]).toFixed(2)} ${f.sy.map(o.density[i]).toFixed(2)}`;
    f.parts.push(`<path d="${d}" fill="none" stroke="${PALETTE[1]}" stroke-width="2"/>`);
  }
  // Vertical markers (e.g. a population without spread: its one value), drawn over the bars.
  for (const m of spec.markers ?? []) {
    if (!Number.isFinite(m.x) || m.x < f.sx.min || m.x > f.sx.max) continue;
    const px = f.sx.map(m.x).toFixed(1);
    f.parts.push(
      `<line x1="${px}" y1="${f.top}" x2="${px}" y2="${f.h - M.bottom}" stroke="${m.color ?? PALETTE[1]}" stroke-width="2" stroke-dasharray="5 3"/>`,
    );
  }
  return wrap(f);
}
