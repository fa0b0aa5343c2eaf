/** jartcal as a library: each stage's public API. */
export { JartcalError } from './util/errors.js';
export { createRng, type Rng } from './util/rng.js';
export { TOOLKIT_VERSION } from './version.js';
export {
  AnalogLayer, AnalogMLP, Tile, FastRng, JartArray, SoftBoundsArray, IdealArray, DifferentialPairArray, ScaledArray,
  FitEulerEngine, TabulatedEngine, PAPER_PULSES, analogMatVec, matVec, AIHWKIT_FORWARD, AIHWKIT_BACKWARD, PERFECT_IO,
  pulseUpdate, AIHWKIT_UPDATE, writeVerify, openLoop, solveWireIterative, solveWireDirect, resolveConfig, DEFAULT_CONFIG,
  runInSituRepeat, buildNetwork, fitCurrentA, fitCoeffs, eulerPulse,
  type DeviceArray, type VarSpec, type IOParams, type UpdateParams, type ExperimentConfig, type PulseEngine, type EpochRecord,
} from './crossbar/index.js';
export * from './model/index.js';
export { readParamFile, writeParamFile, parseParamFile, MODEL_ID } from './io/params.js';
export { readWaveformCsv, parseWaveformCsv } from './io/waveform.js';
export { writeSimCsv, simResultToCsv } from './io/simcsv.js';
export {
  fitDataset, fitDevice, resolveFitSettings, createInlineScheduler, createWorkerPool, prepareCycle, evaluateCycle, synthCycle,
  levenbergMarquardtFit, FITS_SCHEMA, DEFAULT_FIT_PARAMS, V1B_VAR_PARAMS,
  type FitsFile, type CycleFit, type DeviceFit, type FitFlag, type FitSettings, type FitOptions, type FitScheduler, type FitCycleInput,
} from './fit/index.js';
export { readFits, writeFits } from './io/fits.js';
export {
  validateFits, validateDataset, validatePopulation, summarizeFits as summarizeFitsFile, formatSummary as formatFitsSummary,
  cycleRows, sortRows, filterRows, isBadFit, diagnose, residualsLog10, rmsByBranch, flagProse,
  toggleFree, buildRequest, compareFits, replaceCycleFit, jartCurve, createJartRefitter,
  type Refitter, type RefitRequest, type CurveModel, type FitsFileView, type CycleFitView, type DatasetView, type PopulationView, type FitsSummary,
} from './inspect/index.js';
export { buildReport, type Report, type ReportInput } from './report/index.js';
export { loadInspectInputs, writeReportDir, saveFits } from './io/inspect-files.js';
export * as ingest from './ingest/index.js';
export { ingestFiles } from './io/ingest.js';
export { readDataset, writeDataset } from './io/dataset.js';
export {
  readPopulation, samplePopulation, drawCycle, drawCycleParams, sampleTable, estimatePopulation, predictiveProfile,
  exportVerilogA, exportSpice, exportAihwkit, exportCsv, checkValidity, POPULATION_SCHEMA,
  type PopulationFile, type ParameterSpec, type SampledDevice, type CycleVar,
} from './population/index.js';
export { loadPreset, listPresets, readPopulationFile, writePopulationFile } from './io/population.js';
