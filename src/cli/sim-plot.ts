/** The I-V chart of a simulation (log |I| against V), optionally over a reference curve. */
import { lineChart, type Series } from '../plot/index.js';
import type { SimResult } from '../model/index.js';

export function ivChart(r: SimResult, title: string, reference?: { vV: ArrayLike<number>; iA: ArrayLike<number>; name: string }): string {
  const series: Series[] = [];
  if (reference) series.push({ name: reference.name, x: reference.vV, y: reference.iA, kind: 'points', color: '#7f7f7f', size: 1.6 });
  series.push({
    name: 'jartcal',
    x: r.vCellV.some((v, k) => v !== r.vV[k]) ? r.vCellV : r.vV,
    y: r.iA,
    kind: 'line',
    color: '#d62728',
    size: 1.5,
  });
  return lineChart({ title, xLabel: 'V (V)', yLabel: '|I| (A)', yLog: true, yAbs: true, series });
}
