/** Crossbar stage: public API (core → mapping → array → device + periphery; train; experiment). */
export { AnalogLayer } from './core/analogLayer.js';
export { Tile } from './core/tile.js';
export { FastRng } from './core/fastRng.js';
export type { DeviceArray, VarSpec } from './device/types.js';
export { JartArray } from './device/jartArray.js';
export { SoftBoundsArray } from './device/softBounds.js';
export { IdealArray } from './device/ideal.js';
export { FitEulerEngine, TabulatedEngine, PAPER_PULSES, type PulseEngine } from './device/jartEngine.js';
export { fitCurrentA, fitCoeffs, eulerPulse } from './device/aihwkitFit.js';
export { DifferentialPairArray, ScaledArray } from './mapping/mapping.js';
export { analogMatVec, matVec, AIHWKIT_FORWARD, AIHWKIT_BACKWARD, PERFECT_IO, type IOParams } from './periphery/io.js';
export { solveWireIterative, solveWireDirect } from './array/wire.js';
export { pulseUpdate, AIHWKIT_UPDATE, type UpdateParams } from './train/pulseUpdate.js';
export { AnalogMLP } from './train/mlp.js';
export { writeVerify, openLoop } from './program/writeVerify.js';
export { resolveConfig, DEFAULT_CONFIG, type ExperimentConfig } from './experiment/config.js';
export { runInSituRepeat, buildNetwork, type EpochRecord } from './experiment/inSitu.js';
