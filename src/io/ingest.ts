/** File-system side of ingest: read files (directories expand to their data files), parse, assemble. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { JartcalError, isJartcalError } from '../util/errors.js';
import {
  assembleDataset,
  parseFileBytes,
  resolveIngestOptions,
  type Dataset,
  type IngestIssue,
  type IngestOptions,
  type Trace,
} from '../ingest/index.js';

const DATA_EXT = /\.(csv|tsv|txt|dat|xlsx|xls|xlsm)$/i;

/** The data files `paths` name (directories expanded), in reading order. */
export function expandInputs(paths: string[]): string[] {
  return expandWithOrigin(paths).map((x) => x.path);
}

/** Files to read; `fromDir` marks those found by expanding a directory (not named by the user). */
export function expandWithOrigin(paths: string[], fromDir = false): { path: string; fromDir: boolean }[] {
  const out: { path: string; fromDir: boolean }[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new JartcalError('file not found.', { code: 'not_found', location: { file: p } });
    }
    if (st.isDirectory()) {
      const names = readdirSync(p)
        .filter((n) => !n.startsWith('.'))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      const sub = names.map((n) => join(p, n)).filter((q) => statSync(q).isDirectory() || DATA_EXT.test(q));
      out.push(...expandWithOrigin(sub, true));
    } else out.push({ path: p, fromDir });
  }
  return out;
}

/** Ingests measurement files into one dataset (library entry point; `jartcal fit FILES...` reuses it). */
export function ingestFiles(paths: string[], options: IngestOptions = {}): Dataset {
  const opts = resolveIngestOptions(options);
  if (paths.length === 0) throw new JartcalError('ingest: no input files given.', { code: 'bad_arguments' });
  const found = expandWithOrigin(paths);
  const files = found.map((x) => x.path);
  if (files.length === 0)
    throw new JartcalError(`ingest: no data files (csv, tsv, txt, dat, xlsx, xls) under ${paths.join(', ')}.`, { code: 'bad_arguments' });
  const issues: IngestIssue[] = [];
  const traces: Trace[] = [];
  for (const { path: f, fromDir } of found) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(f);
    } catch (e) {
      throw new JartcalError(`cannot read the file (${e instanceof Error ? e.message : String(e)}).`, {
        code: 'unreadable',
        location: { file: f },
      });
    }
    try {
      traces.push(...parseFileBytes(bytes, f, opts, issues).traces);
    } catch (e) {
      // a file found in a folder that holds no V/I table at all (notes, summaries) is skipped and reported;
      // a file the user named, or a table with bad rows, is refused
      if (fromDir && isJartcalError(e) && ['missing_columns', 'missing_current_column', 'empty_file'].includes(e.code)) {
        issues.push({ code: 'skipped_file', message: `not a V/I table, skipped: ${e.message}`, location: { file: f } });
        continue;
      }
      throw e;
    }
  }
  if (traces.length === 0) throw new JartcalError(`ingest: no voltage/current table in ${paths.join(', ')}.`, { code: 'missing_columns' });
  return assembleDataset(traces, opts, files, issues);
}
