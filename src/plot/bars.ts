/**
 * Grouped bar chart (categories × series), e.g. measured against predicted variability statistics.
 * Same look as chart.ts (margins, grid, legend); linear y axis from 0 (or from the smallest negative value).
 */
import { linearScale } from './axis.js';
import { drawLegend, esc, PALETTE, topMargin } from './chart.js';

export interface BarSpec {
  title?: string;
  yLabel: string;
  categories: string[];
  series: { name: string; values: ArrayLike<number>; color?: string }[];
  width?: number;
  height?: number;
  /** Fixed y range (e.g. [0, 100] for a percentage); default from 0 (or the smallest negative value) to the largest value. */
  yRange?: [number, number];
  /** Write each bar's value above it, formatted by this function. */
  valueLabel?: (v: number) => string;
  /** Category labels horizontal (few, short categories) instead of slanted. */
  flatLabels?: boolean;
}

const M = { left: 72, right: 16, top: 34, bottom: 86 };

export function barChart(spec: BarSpec): string {
  const w = spec.width ?? 640;
  const h = spec.height ?? 400;
  const vals: number[] = [];
  for (const s of spec.series) for (let i = 0; i < s.values.length; i++) if (Number.isFinite(s.values[i])) vals.push(s.values[i]);
  const lo = spec.yRange?.[0] ?? Math.min(0, ...vals);
  const hi = spec.yRange?.[1] ?? Math.max(lo + 1e-12, ...vals);
  const items = spec.series.map((s, k) => ({ name: s.name, color: s.color ?? PALETTE[k % PALETTE.length] }));
  const top = topMargin(items, w);
  const bottom = spec.flatLabels ? 40 : M.bottom;
  const sy = linearScale(lo, hi, h - bottom, top, 6, !spec.yRange);
  const parts: string[] = [`<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>`];
  const pw = w - M.left - M.right;
  for (const t of sy.ticks) {
    const py = sy.map(t.value).toFixed(1);
    parts.push(`<line x1="${M.left}" y1="${py}" x2="${w - M.right}" y2="${py}" stroke="#e5e5e5"/>`);
    parts.push(
      `<text x="${M.left - 6}" y="${py}" font-size="11" text-anchor="end" dominant-baseline="middle" fill="#333">${esc(t.label)}</text>`,
    );
  }
  parts.push(`<rect x="${M.left}" y="${top}" width="${pw}" height="${h - top - bottom}" fill="none" stroke="#333"/>`);
  const nc = Math.max(1, spec.categories.length);
  const groupW = pw / nc;
  const ns = Math.max(1, spec.series.length);
  const barW = (groupW * 0.8) / ns;
  const y0 = sy.map(0);
  spec.categories.forEach((cat, c) => {
    const gx = M.left + c * groupW + groupW * 0.1;
    spec.series.forEach((s, k) => {
      const v = s.values[c];
      if (!Number.isFinite(v)) return;
      const yv = sy.map(v);
      parts.push(
        `<rect x="${(gx + k * barW).toFixed(2)}" y="${Math.min(yv, y0).toFixed(2)}" width="${Math.max(1, barW - 1).toFixed(2)}" height="${Math.abs(y0 - yv).toFixed(2)}" fill="${s.color ?? PALETTE[k % PALETTE.length]}"/>`,
      );
      if (spec.valueLabel)
        parts.push(
          `<text x="${(gx + (k + 0.5) * barW).toFixed(1)}" y="${(Math.min(yv, y0) - 4).toFixed(1)}" font-size="12" font-weight="bold" text-anchor="middle" fill="#111">${esc(spec.valueLabel(v))}</text>`,
        );
    });
    const cx = M.left + (c + 0.5) * groupW;
    if (spec.flatLabels)
      parts.push(`<text x="${cx.toFixed(1)}" y="${h - bottom + 16}" font-size="12" text-anchor="middle" fill="#333">${esc(cat)}</text>`);
    else
      parts.push(
        `<text x="${cx.toFixed(1)}" y="${h - bottom + 14}" font-size="11" text-anchor="end" fill="#333" transform="rotate(-30 ${cx.toFixed(1)} ${h - bottom + 14})">${esc(cat)}</text>`,
      );
  });
  parts.push(
    `<text x="16" y="${top + (h - top - bottom) / 2}" font-size="13" text-anchor="middle" fill="#111" transform="rotate(-90 16 ${top + (h - top - bottom) / 2})">${esc(spec.yLabel)}</text>`,
  );
  if (spec.title) parts.push(`<text x="${M.left}" y="20" font-size="14" font-weight="bold" fill="#111">${esc(spec.title)}</text>`);
  drawLegend(parts, items, w);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="DejaVu Sans, Arial, sans-serif">\n${parts.join('\n')}\n</svg>\n`;
}
