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
