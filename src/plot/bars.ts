/**
 * Grouped bar chart (categories × series), e.g. measured against predicted variability statistics.
 * Same look as chart.ts (margins, grid, legend); linear y axis from 0 (or from the smallest negative value).
 */
import { linearScale } from './axis.js';
import { esc, PALETTE } from './chart.js';

export interface BarSpec {
  title?: string;
  yLabel: string;
  categories: string[];
  series: { name: string; values: ArrayLike<number>; color?: string }[];
  width?: number;
  height?: number;
}

const M = { left: 72, right: 16, top: 34, bottom: 86 };

export function barChart(spec: BarSpec): string {
  const w = spec.width ?? 640;
  const h = spec.height ?? 400;
  const vals: number[] = [];
  for (const s of spec.series) for (let i = 0; i < s.values.length; i++) if (Number.isFinite(s.values[i])) vals.push(s.values[i]);
  const lo = Math.min(0, ...vals);
  const hi = Math.max(lo + 1e-12, ...vals);
  const sy = linearScale(lo, hi, h - M.bottom, M.top);
  const parts: string[] = [`<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>`];
  const pw = w - M.left - M.right;
  for (const t of sy.ticks) {
    const py = sy.map(t.value).toFixed(1);
    parts.push(`<line x1="${M.left}" y1="${py}" x2="${w - M.right}" y2="${py}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${M.left - 6}" y="${py}" font-size="11" text-anchor="end" dominant-baseline="middle" fill="#333">${esc(t.label)}</text>`);
  }
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${h - M.top - M.bottom}" fill="none" stroke="#333"/>`);
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
      parts.push(`<rect x="${(gx + k * barW).toFixed(2)}" y="${Math.min(yv, y0).toFixed(2)}" width="${Math.max(1, barW - 1).toFixed(2)}" height="${Math.abs(y0 - yv).toFixed(2)}" fill="${s.color ?? PALETTE[k % PALETTE.length]}"/>`);
    });
    const cx = M.left + (c + 0.5) * groupW;
    parts.push(`<text x="${cx.toFixed(1)}" y="${h - M.bottom + 14}" font-size="11" text-anchor="end" fill="#333" transform="rotate(-30 ${cx.toFixed(1)} ${h - M.bottom + 14})">${esc(cat)}</text>`);
  });
  parts.push(`<text x="16" y="${M.top + (h - M.top - M.bottom) / 2}" font-size="13" text-anchor="middle" fill="#111" transform="rotate(-90 16 ${M.top + (h - M.top - M.bottom) / 2})">${esc(spec.yLabel)}</text>`);
  if (spec.title) parts.push(`<text x="${M.left}" y="20" font-size="14" font-weight="bold" fill="#111">${esc(spec.title)}</text>`);
  let ly = M.top + 14;
  const lw = Math.min(260, 16 + 7 * Math.max(1, ...spec.series.map((s) => s.name.length)));
  parts.push(`<rect x="${w - M.right - 8 - lw}" y="${M.top + 4}" width="${lw}" height="${spec.series.length * 16 + 6}" fill="#ffffff" fill-opacity="0.85" stroke="#ccc"/>`);
  spec.series.forEach((s, k) => {
    parts.push(`<rect x="${w - M.right - 8 - lw + 6}" y="${ly - 8}" width="10" height="10" fill="${s.color ?? PALETTE[k % PALETTE.length]}"/>`);
    parts.push(`<text x="${w - M.right - 8 - lw + 22}" y="${ly + 1}" font-size="11" fill="#111">${esc(s.name)}</text>`);
    ly += 16;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="DejaVu Sans, Arial, sans-serif">\n${parts.join('\n')}\n</svg>\n`;
}
