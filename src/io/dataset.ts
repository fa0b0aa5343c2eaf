/** dataset.json on disk: atomic write, validated read. */
import { readFileSync } from 'node:fs';
import { JartcalError } from '../util/errors.js';
import { writeFileAtomic } from './atomic.js';
import { validateDataset, type Dataset } from '../ingest/index.js';

/** Indented JSON with every numeric array on one line (a cycle's samples would otherwise take a line each). */
export function datasetToJson(ds: Dataset): string {
  const text = JSON.stringify(ds, null, 1);
  return (
    text.replace(/\[\n\s*(-?[\d.eE+-]+(?:,\n\s*-?[\d.eE+-]+)*)\n\s*\]/g, (_m, body: string) => `[${body.replace(/,\n\s*/g, ',')}]`) + '\n'
  );
}

export function writeDataset(path: string, ds: Dataset): void {
  writeFileAtomic(path, datasetToJson(ds));
}

export function readDataset(path: string): Dataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new JartcalError('dataset file not found or unreadable.', { code: 'not_found', location: { file: path } });
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new JartcalError(`not valid JSON (${e instanceof Error ? e.message : String(e)}).`, {
      code: 'bad_dataset',
      location: { file: path },
    });
  }
  return validateDataset(obj, path);
}
