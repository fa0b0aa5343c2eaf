/** Report stage (pure): the static HTML report and its SVG plots. Writing: src/io/inspect-files.ts `writeReportDir`. */
export { buildReport, type Report, type ReportInput, type ReportPlot } from './build.js';
