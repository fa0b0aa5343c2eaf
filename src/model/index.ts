/** JART VCM v1b physics: the public API of the model stage (docs/model.md). */
export {
  PARAM_TABLE,
  PARAM_NAMES,
  V1B_VAR_PARAMS,
  DEFAULT_PARAMS,
  resolveParams,
  paramSpec,
  isParamName,
  type ParamName,
  type ParamSpec,
  type JartParams,
} from './params.js';
export { sweepWaveform, validateWaveform, type Waveform } from './waveform.js';
export { simulate, DEFAULT_SIM, type SimOptions, type SimResult } from './simulate.js';
export { Tangent, TANGENT_PARAMS, type TangentParam } from './tangent.js';
export { Driver as CellDriver, type Circuit } from './circuit.js';
export { operatingPoint, readCurrent, type OperatingPoint } from './operating-point.js';
export type { CycleDraw, CycleEvent, CycleSampler } from './variability.js';
export { createPulseKernel, applyPulseExact, type PulseKernel, type PulseKernelOptions, type PulseDeviceVar } from './pulse-kernel.js';
export { createReadTable, type ReadTable, type ReadTableOptions } from './read-table.js';
