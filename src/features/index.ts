/** Switching features of I-V curves: one extractor for measured and simulated cycles (switching.ts). */
export { computeFeatures, curveFeatures, labelBranches, type CycleFeatures } from './switching.js';
