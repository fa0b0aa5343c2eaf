/** The ingest step of `jartcal fit FILES...`: the same flags and reader as `jartcal ingest`. */
import { ingestFiles } from '../io/ingest.js';
import { writeDataset } from '../io/dataset.js';
import { checkDatasetForFit } from '../io/fit-dataset.js';
import { INGEST_FLAGS as INGEST_CLI_FLAGS } from './ingest.js';
import type { FitDatasetInput } from '../fit/run.js';
import type { IngestOptions } from '../ingest/index.js';

export const INGEST_FLAGS = INGEST_CLI_FLAGS;

/** Ingests the files, writes the dataset (atomically) to `datasetPath`, returns it in fit form. */
export function ingestForFit(files: string[], options: IngestOptions, datasetPath: string): FitDatasetInput {
  const ds = ingestFiles(files, options);
  for (const is of ds.issues ?? []) process.stderr.write(`jartcal: note: ${is.message}\n`);
  writeDataset(datasetPath, ds);
  return checkDatasetForFit(ds, datasetPath);
}
