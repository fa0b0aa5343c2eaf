/** Plotting: SVG charts (line, scatter, histogram, bars, accuracy) and PNG rendering. No file system here. */
export {
  lineChart,
  scatterChart,
  histogram,
  histogramBins,
  PALETTE,
  esc,
  type ChartSpec,
  type Series,
  type Marker,
  type HistogramSpec,
} from './chart.js';
export { type BarSpec } from './bars.js';
export { accuracyChart, type AccuracySpec } from './accuracy.js';
export { svgToPng } from './png.js';
export { linearScale, logScale, type Scale } from './axis.js';
export { ecdfChart, ecdfText, type EcdfSeries } from './ecdf.js';
