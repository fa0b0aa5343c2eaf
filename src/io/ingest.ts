/** File-system side of ingest: read files (directories expand to their data files), parse, assemble. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { JartcalError } from '../util/errors.js';
import { assembleDataset, parseFileBytes, resolveIngestOptions, type Dataset, type IngestIssue, type IngestOptions, type Trace } from '../ingest/index.js';

const DATA_EXT = /\.(csv|tsv|txt|dat|xlsx|xls|xlsm)$/i;

export function expandInputs(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try { st = statSync(p); } catch {
      throw new JartcalError('file not found.', { code: 'not_found', location: { file: p } });
    }
    if (st.isDirectory()) {
      const names = readdirSync(p).filter((n) => !n.startsWith('.')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      const sub = names.map((n) => join(p, n)).filter((q) => statSync(q).isDirectory() || DATA_EXT.test(q));
      out.push(...expandInputs(sub));
    } else out.push(p);
  }
  return out;
}

/** Ingests measurement files into one dataset (library entry point; `jartcal fit FILES...` reuses it). */
export function ingestFiles(paths: string[], options: IngestOptions = {}): Dataset {
  const opts = resolveIngestOptions(options);
  if (paths.length === 0) throw new JartcalError('ingest: no input files given.', { code: 'bad_arguments' });
  const files = expandInputs(paths);
  if (files.length === 0) throw new JartcalError(`ingest: no data files (csv, tsv, txt, dat, xlsx, xls) under ${paths.join(', ')}.`, { code: 'bad_arguments' });
  const issues: IngestIssue[] = [];
  const traces: Trace[] = [];
  for (const f of files) {
    let bytes: Uint8Array;
    try { bytes = readFileSync(f); } catch (e) {
      throw new JartcalError(`cannot read the file (${e instanceof Error ? e.message : String(e)}).`, { code: 'unreadable', location: { file: f } });
    }
    traces.push(...parseFileBytes(bytes, f, opts, issues).traces);
  }
  return assembleDataset(traces, opts, files, issues);
}
