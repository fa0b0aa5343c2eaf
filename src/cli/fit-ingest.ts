/** The ingest step of `jartcal fit FILES...` (same flags as `jartcal ingest`). */
import { JartcalError } from '../util/errors.js';
import type { FitDatasetInput } from '../fit/run.js';

export const INGEST_FLAGS = {
  format: { type: 'string' }, 'set-polarity': { type: 'string' }, 'read-voltage': { type: 'string' },
  lenient: { type: 'boolean' }, sheet: { type: 'string' },
} as const;

export async function ingestForFit(_files: string[], _flags: Record<string, unknown>, _datasetPath: string): Promise<FitDatasetInput> {
  throw new JartcalError('fit: ingesting measurement files needs the ingest stage; run `jartcal ingest` first and pass the dataset.json.', { code: 'bad_arguments' });
}
