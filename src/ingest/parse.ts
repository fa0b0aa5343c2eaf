/**
 * One file's bytes → traces: the file is sniffed (text or workbook), the first registered reader that
 * recognises it (formats/index.ts), or the one `--format` names, reads it; then the hints every format shares
 * (metadata lines, sheet labels, side-by-side blocks) are applied. Pure: the caller reads the file.
 */
import { JartcalError } from '../util/errors.js';
import { sniffKind, decodeText } from './decode.js';
import { textToGrid, type TextGrid } from './textgrid.js';
import { readWorkbook, type WorkbookGrids } from './formats/workbook-grid.js';
import { READERS, FORMAT_NAMES, type FormatReader, type SourceFile } from './formats/index.js';
import { hintsFromMeta } from './metadata.js';
import { sheetLabel } from './deviceid.js';
import type { IngestIssue, ResolvedIngestOptions, Trace } from './types.js';

export interface ParsedFile {
  traces: Trace[];
  format: string;
}

function applyHints(traces: Trace[]): void {
  for (const t of traces) {
    const h = hintsFromMeta(t.meta);
    t.hints = { ...h, ...t.hints };
    if (t.sheet !== undefined && t.hints.cycle === undefined) {
      const l = sheetLabel(t.sheet);
      if (l?.kind === 'cycle') t.hints.cycle = l.n;
      else if (l) t.hints.run = l.n;
    }
  }
  // side-by-side blocks of one table: devices or cycles?
  const groups = new Map<string, Trace[]>();
  for (const t of traces)
    if (t.hints.blockIndex !== undefined && t.hints.blockKind === undefined) {
      const key = `${t.file}|${t.sheet ?? ''}|${t.columns.v}`;
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(t);
    }
  for (const g of groups.values()) {
    const devs = new Set(g.map((t) => t.hints.device ?? ''));
    const cycles = g.map((t) => t.hints.cycle);
    let kind: 'devices' | 'cycles';
    if (devs.size > 1) kind = 'devices';
    else if (cycles.every((c) => c !== undefined) && new Set(cycles).size === g.length) kind = 'cycles';
    else if (cycles.every((c) => c !== undefined) && new Set(cycles).size === 1) kind = 'devices';
    else kind = /device|dev|dut|cell/i.test(`${g[0].sheet ?? ''} ${g[0].file.split(/[\\/]/).pop()}`) ? 'devices' : 'cycles';
    for (const t of g) t.hints.blockKind = kind;
  }
}

function sourceOf(bytes: Uint8Array, file: string): SourceFile {
  const kind = bytes.length === 0 ? 'text' : sniffKind(bytes);
  let text: string | undefined, grid: TextGrid | undefined, wb: WorkbookGrids | undefined;
  return {
    file,
    kind,
    text: () => (text ??= decodeText(bytes, file)),
    grid() {
      return (grid ??= textToGrid((text ??= decodeText(bytes, file)), file));
    },
    workbook: () => (wb ??= readWorkbook(bytes, file)),
  };
}

function readerFor(src: SourceFile, format: string, issues: IngestIssue[]): FormatReader {
  const want = src.kind === 'text' ? 'text' : 'workbook';
  if (format === 'auto') {
    const r = READERS.find((x) => x.reads.includes(want) && x.detect(src));
    if (!r)
      throw new JartcalError(`no reader recognises this ${want}; formats: ${FORMAT_NAMES.join(', ')}.`, {
        code: 'wrong_format',
        location: { file: src.file },
      });
    return r;
  }
  const r = READERS.find((x) => x.name === format);
  if (!r) throw new JartcalError(`ingest: --format expects auto|${FORMAT_NAMES.join('|')}, got "${format}".`, { code: 'bad_arguments' });
  if (!r.reads.includes(want)) {
    throw new JartcalError(
      `--format ${format} reads ${r.reads.join(' or ')} files (${r.summary}); this file is ${want === 'text' ? 'text' : 'an Excel workbook'} (use --format auto).`,
      { code: 'wrong_format', location: { file: src.file } },
    );
  }
  if (!r.detect(src))
    issues.push({
      code: 'format_note',
      message: `read as ${format} on request, although its signature was not found (${r.summary}).`,
      location: { file: src.file },
    });
  return r;
}

/** Reads one file's content into traces. `issues` collects dropped rows (lenient) and notes. */
export function parseFileBytes(bytes: Uint8Array, file: string, opts: ResolvedIngestOptions, issues: IngestIssue[]): ParsedFile {
  const src = sourceOf(bytes, file);
  if (src.kind === 'text') src.text(); // empty and binary files are refused before any reader looks at them
  const reader = readerFor(src, opts.format, issues);
  const traces = reader.read(src, { opts, issues });
  applyHints(traces);
  return { traces, format: reader.name };
}
