/** Fit stage: JART parameters from measured cycles. */
export { type ParamSpace, type SpaceParam } from './space.js';
export { levenbergMarquardtFit, type LmOptions, type LmResult, type ResidualFn, type StopReason } from './lm.js';
export { type Uncertainty } from './uncertainty.js';
export { prepareCycle, DEFAULT_OBJECTIVE, type FitCycleInput, type ObjectiveOptions, type PreparedCycle } from './cycle-data.js';
export { evaluateCycle, type CycleEvaluation } from './objective.js';
export { firstGuess } from './guess.js';
export { hrsVisit, HRS_POSITION, type HrsVisit } from './identify.js';
export { createLayout, fitGroup, groupJacobian, type GroupFit, type GroupLayout } from './group.js';
export { fitDevice, type DeviceJob, type FitEvent } from './campaign.js';
export { fitDataset, type FitDatasetInput, type FitRunResult } from './run.js';
export { createInlineScheduler, createWorkerPool, type FitScheduler, type ScheduledJob } from './scheduler.js';
export { resolveFitSettings, DEFAULT_FIT_PARAMS, V1B_VAR_PARAMS, type FitSettings, type FitOptions } from './settings.js';
export { synthCycle, type SynthOptions } from './synthetic.js';
export { summarizeFits } from './summary.js';
export { FITS_SCHEMA, type FitsFile, type CycleFit, type DeviceFit, type FitFlag } from './types.js';
