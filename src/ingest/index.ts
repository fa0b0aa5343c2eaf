/** The ingest stage: instrument exports → normalised `jartcal.dataset/2`. Pure (no file system). */
export type {
  Cell,
  Grid,
  Trace,
  TraceHints,
  Dataset,
  DeviceRecord,
  Cycle,
  CycleFeatures,
  Provenance,
  IngestIssue,
  IngestOptions,
  ResolvedIngestOptions,
  Polarity,
  TimeSource,
  FormatName,
  TestRole,
  TestRecord,
  CyclePairing,
  ComplianceEvidence,
} from './types.js';
export { DATASET_SCHEMA, DATASET_SCHEMAS_READ } from './types.js';
export { resolveIngestOptions, DEFAULT_READ_VOLTAGE_V } from './options.js';
export { parseFileBytes, type ParsedFile } from './parse.js';
export { READERS, FORMAT_NAMES, type FormatReader, type SourceFile, type ReadContext } from './formats/index.js';
export { assembleDataset, MIN_POINTS } from './assemble.js';
export { computeFeatures, labelBranches } from '../features/index.js';
export { findExcursions, hysteresisScore } from './excursions.js';
export { detectCompliance } from './compliance.js';
export { validateDataset, summarizeDataset, formatSummaryTable, type DatasetSummary } from './dataset.js';
export { unitScale, splitHeaderUnit } from './units.js';
export { classifyHeader } from './columns.js';
