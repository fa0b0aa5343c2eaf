/**
 * Empirical distribution functions overlaid: measured against predicted samples of one feature, as an SVG
 * step chart (through lineChart) and as a character grid for the terminal.
 */
import { lineChart, type Series } from './chart.js';

export interface EcdfSeries {
  name: string;
  values: ArrayLike<number>;
  color?: string;
  dash?: boolean;
}

/** The steps of the ECDF of `values` (sorted x, F from 1/n to 1), as a polyline starting at F = 0. */
function ecdfSteps(values: ArrayLike<number>): { x: number[]; y: number[] } {
  const v = Array.from(values)
    .filter((x) => Number.isFinite(x))
    .sort((a, b) => a - b);
  const x: number[] = [],
    y: number[] = [];
  const n = v.length;
  for (let i = 0; i < n; i++) {
    x.push(v[i], v[i]);
    y.push(i / n, (i + 1) / n);
  }
  return { x, y };
}

/** F(x) of sorted samples: the fraction ≤ x. */
function cdfAt(sorted: number[], x: number): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length ? lo / sorted.length : NaN;
}

export function ecdfChart(spec: { title: string; xLabel: string; series: EcdfSeries[]; width?: number; height?: number }): string {
  const series: Series[] = spec.series
    .filter((s) => s.values.length > 0)
    .map((s) => {
      const st = ecdfSteps(s.values);
      return { name: `${s.name} (n = ${s.values.length})`, x: st.x, y: st.y, kind: 'line', color: s.color, dash: s.dash, size: 1.8 };
    });
  return lineChart({
    title: spec.title,
    xLabel: spec.xLabel,
    yLabel: 'fraction ≤ x (ECDF)',
    yRange: [0, 1],
    series,
    width: spec.width,
    height: spec.height,
  });
}

/**
 * A text ECDF overlay: `rows` lines of `width` cells over the common x range, each series drawn with its own
 * mark (where two series share a cell, the later one's mark shows), an x axis with the range below.
 */
export function ecdfText(
  series: { name: string; mark: string; values: ArrayLike<number> }[],
  opts: { width?: number; rows?: number; fmt?: (x: number) => string } = {},
): string[] {
  const width = opts.width ?? 56,
    rows = opts.rows ?? 8;
  const fmt = opts.fmt ?? ((x: number) => x.toPrecision(3));
  const sorted = series.map((s) =>
    Array.from(s.values)
      .filter((x) => Number.isFinite(x))
      .sort((a, b) => a - b),
  );
  const all = sorted.flat();
  if (all.length === 0) return ['(no values)'];
  let lo = Math.min(...all),
    hi = Math.max(...all);
  if (hi === lo) {
    lo -= 0.5 * Math.abs(lo || 1) * 0.1;
    hi += 0.5 * Math.abs(hi || 1) * 0.1;
  }
  const grid: string[][] = Array.from({ length: rows }, () => new Array<string>(width).fill(' '));
  sorted.forEach((v, si) => {
    if (!v.length) return;
    for (let c = 0; c < width; c++) {
      const x = lo + ((c + 0.5) / width) * (hi - lo);
      const f = cdfAt(v, x);
      const r = Math.min(rows - 1, Math.floor(f * rows - 1e-12));
      if (f > 0) grid[rows - 1 - Math.max(0, r)][c] = series[si].mark;
    }
  });
  const out = grid.map((line, i) => `${i === 0 ? '1.0' : i === rows - 1 ? '0.0' : '   '} |${line.join('')}|`);
  out.push(`    +${'-'.repeat(width)}+`);
  const left = fmt(lo),
    right = fmt(hi);
  out.push(`     ${left}${' '.repeat(Math.max(1, width - left.length - right.length))}${right}`);
  out.push(`     ${series.map((s, i) => `${s.mark} ${s.name} (n = ${sorted[i].length})`).join('   ')}`);
  return out;
}
