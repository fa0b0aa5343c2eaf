/** jartcal as a library: each stage's public API. */
export { JartcalError } from './util/errors.js';
export { createRng, type Rng } from './util/rng.js';
export { TOOLKIT_VERSION } from './version.js';
export {
  readPopulation, samplePopulation, drawCycle, drawCycleParams, sampleTable, estimatePopulation, predictiveProfile,
  exportVerilogA, exportSpice, exportAihwkit, exportCsv, checkValidity, POPULATION_SCHEMA,
  type PopulationFile, type ParameterSpec, type SampledDevice, type CycleVar,
} from './population/index.js';
export { loadPreset, listPresets, readPopulationFile, writePopulationFile } from './io/population.js';
