/**
 * Test accuracy of a crossbar run against epochs. Up to three epochs: one labelled bar per epoch on a
 * 0–100 % axis (a single value reads as a value, not as a dot on an empty axis); more: the mean curve
 * and each repeat's points on an axis fitted to the values.
 */
import { barChart } from './bars.js';
import { lineChart, PALETTE, type Series } from './chart.js';

export interface AccuracySpec {
  title: string;
  /** Mean test accuracy (%) after each epoch. */
  perEpoch: number[];
  /** Each repeat's (epoch, accuracy %) points. */
  repeats?: { epoch: number; accuracy: number }[][];
  width?: number;
  height?: number;
}

export function accuracyChart(spec: AccuracySpec): string {
  const n = spec.perEpoch.length;
  const reps = spec.repeats ?? [];
  if (n <= 3) {
    return barChart({
      title: spec.title,
      yLabel: 'test accuracy (%)',
      yRange: [0, 100],
      flatLabels: true,
      width: spec.width ?? 480,
      height: spec.height ?? 320,
      categories: spec.perEpoch.map((_, i) => `after epoch ${i + 1}`),
      series: [{ name: reps.length > 1 ? `mean of ${reps.length} repeats` : 'test accuracy', values: spec.perEpoch, color: PALETTE[0] }],
      valueLabel: (v) => `${v.toFixed(2)} %`,
    });
  }
  const all = [...spec.perEpoch, ...reps.flatMap((r) => r.map((p) => p.accuracy))].filter(Number.isFinite);
  const lo = Math.max(0, Math.floor(Math.min(...all) - 2));
  const hi = Math.min(100, Math.ceil(Math.max(...all) + 2));
  const series: Series[] = [
    {
      name: reps.length > 1 ? `mean of ${reps.length} repeats` : 'test accuracy',
      x: spec.perEpoch.map((_, i) => i + 1),
      y: spec.perEpoch,
      kind: 'line',
      color: PALETTE[0],
    },
  ];
  if (reps.length > 1)
    reps.forEach((r, k) =>
      series.push({
        name: `repeat ${k + 1}`,
        x: r.map((p) => p.epoch),
        y: r.map((p) => p.accuracy),
        kind: 'points',
        color: PALETTE[(k + 1) % PALETTE.length],
        size: 2.5,
      }),
    );
  return lineChart({
    title: spec.title,
    xLabel: 'epoch',
    yLabel: 'test accuracy (%)',
    yRange: [lo, hi],
    width: spec.width ?? 640,
    height: spec.height ?? 400,
    series,
  });
}
