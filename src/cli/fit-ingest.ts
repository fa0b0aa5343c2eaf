/** The ingest step of `jartcal fit FILES...`: the same flags and reader as `jartcal ingest`. */
import { ingestFiles } from '../io/ingest.js';
import { writeDataset } from '../io/dataset.js';
import { checkDatasetForFit } from '../io/fit-dataset.js';
import { ingestOptionsFromFlags, INGEST_FLAGS as INGEST_CLI_FLAGS } from './ingest.js';
import type { FitDatasetInput } from '../fit/run.js';

export const INGEST_FLAGS = INGEST_CLI_FLAGS;

/** Ingests the files, writes the dataset (atomically) to `datasetPath`, returns it in fit form. */
export function ingestForFit(files: string[], flags: Record<string, string | boolean | string[] | undefined>, datasetPath: string): FitDatasetInput {
  const plain: Record<string, string | boolean | undefined> = {};
  for (const [k, v] of Object.entries(flags)) if (!Array.isArray(v)) plain[k] = v;
  const ds = ingestFiles(files, ingestOptionsFromFlags(plain));
  for (const is of ds.issues ?? []) process.stderr.write(`jartcal: note: ${is.message}\n`);
  writeDataset(datasetPath, ds);
  return checkDatasetForFit(ds, datasetPath);
}
