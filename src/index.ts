/** jartcal as a library: each stage's public API. */
export { JartcalError } from './util/errors.js';
export { createRng, type Rng } from './util/rng.js';
export { TOOLKIT_VERSION } from './version.js';
export * as ingest from './ingest/index.js';
export { ingestFiles } from './io/ingest.js';
export { readDataset, writeDataset } from './io/dataset.js';
