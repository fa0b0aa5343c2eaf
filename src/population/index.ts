/** Population stage: fits → device populations (d2d/c2c decomposition, copula), sampling, exporters. */
export {
  POPULATION_SCHEMA,
  type RefinementRecord,
  type RefineTerm,
  type PopulationFile,
  type ParameterSpec,
  type Family,
  type SpreadKind,
  type D2dSpec,
  type C2cSpec,
} from './types.js';
export { readPopulation } from './schema.js';
export {
  samplePopulation,
  drawCycle,
  drawCycleParams,
  cycleSampler,
  sampleTable,
  varyingParams,
  type SampledDevice,
  type CycleVar,
  type SampleRow,
} from './sample.js';
export { estimatePopulation, resolveEstimateOptions, type EstimateOptions, type ResolvedEstimateOptions } from './estimate.js';
export { validateFits, mergeFits, type FitsIn, type CycleFitIn } from './fits.js';
export { fitRandomEffects, fitRandomEffectsCi, remlDeviance, type ReGroup, type ReFit } from './reml.js';
export { repairCorrelation, betweenCovariance, selectionCorrectedCovariance } from './correlation.js';
export { relativeSd, sdInFamilySpace, d2dFromZ, c2cDraw } from './marginal.js';
export { exportVerilogA, exportSpice, exportAihwkit, aihwkitArgs, formatCardNumber, exportCsv, VA_VAR_NAME, vaValue } from './export.js';
export { checkValidity } from './validity.js';
export { PARAM_NAMES, V1B_VAR, type ParamName } from './params.js';
export {
  featureStats,
  featureStatsWithin,
  compareProfiles,
  predictiveFeatures,
  sweepFeatures,
  type FeatureStats,
  type ProfileRow,
  type CycleFeaturesIn,
} from './profile.js';
export {
  predictiveProfile,
  simulateDeviceCycles,
  simulateDeviceSweeps,
  simulateProtocolCycles,
  replayMeasured,
  replayProfile,
  levelRows,
  labelBeyondModel,
  levelSamples,
  withinSamplingError,
  type CycleProtocol,
  type ReplayPlan,
  type ReplayProfile,
  type LevelRow,
  type LevelSamples,
  type SimulatedCycle,
  type SweepConditions,
  type VariabilityProfile,
  type PpcOptions,
} from './ppc.js';
export {
  validateDataset,
  measuredFeatures,
  measuredGroups,
  deviceProtocols,
  cycleProtocols,
  measuredNoiseLog10,
  cycleProtocol,
  sweepConditions,
  type DatasetIn,
} from './dataset.js';
export {
  refinePopulation,
  applyTerms,
  allTerms,
  defaultReplay,
  SIMULATED_SE_RATIO,
  defaultTerms,
  simulateGroups,
  type RefineOptions,
  type RefineResult,
} from './refine.js';
export { featureMoments, momentDiscrepancy, type Moments, type MomentName, type MomentRow } from './moments.js';
