/** dataset.json on disk: atomic write, validated read. */
import { readFileSync } from 'node:fs';
import { JartcalError } from '../util/errors.js';
import { writeJsonAtomic } from './atomic.js';
import { validateDataset, type Dataset } from '../ingest/index.js';

export function writeDataset(path: string, ds: Dataset): void {
  writeJsonAtomic(path, ds);
}

export function readDataset(path: string): Dataset {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch {
    throw new JartcalError('dataset file not found or unreadable.', { code: 'not_found', location: { file: path } });
  }
  let obj: unknown;
  try { obj = JSON.parse(text); } catch (e) {
    throw new JartcalError(`not valid JSON (${e instanceof Error ? e.message : String(e)}).`, { code: 'bad_dataset', location: { file: path } });
  }
  return validateDataset(obj, path);
}
