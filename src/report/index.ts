/** Report stage (pure): the static HTML report and its SVG plots. Writing: src/io/inspect-files.ts `writeReportDir`. */
export { buildReport, chooseCycles, type Report, type ReportInput, type ReportPlot } from './build.js';
export { ivOverlay, residualPlot, paramHistogram, paramScatter, pearson } from './plots.js';
export { featureStats, profileRows } from './profile.js';
