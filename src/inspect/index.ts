/** Inspect stage core (pure): reading views of the files, fit quality, summaries, refit bookkeeping, model links. */
export {
  validateFits,
  validateDataset,
  validatePopulation,
  type FitsFileView,
  type CycleFitView,
  type DatasetView,
  type PopulationView,
  type CycleData,
  type FitFlag,
  type PopulationParam,
} from './schema.js';
export {
  cycleRows,
  sortRows,
  filterRows,
  isBadFit,
  diagnose,
  residualsLog10,
  rmsByBranch,
  flagProse,
  type CycleRow,
  type SortKey,
  type CurveModel,
  type CurveContext,
  type BranchRms,
} from './quality.js';
export { summarizeFits, formatSummary, type FitsSummary } from './summary.js';
export { toggleFree, buildRequest, compareFits, replaceCycleFit, type Refitter, type RefitRequest, type FitComparison } from './refit.js';
export { jartCurve, createJartRefitter } from './jart.js';
