/** dataset.json on disk: atomic write, validated read. */
import { writeFileAtomic } from './atomic.js';
import { readJsonFormat } from './json.js';
import type { Dataset } from '../ingest/index.js';
import { datasetSchema, type DatasetData } from '../schema/dataset.js';

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

/** Reads dataset.json through its one schema (src/schema/dataset.ts); problems name the file, line, column and JSON path. */
export function readDataset(path: string): DatasetData {
  return readJsonFormat(path, datasetSchema, 'bad_dataset');
}
