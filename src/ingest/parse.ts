/**
 * One file's bytes → traces, by content: a workbook (xlsx/xls: every data sheet, or the chosen
 * one; a KITE "Settings" sheet is read for compliance and SET/RESET names), a B1500 EasyEXPERT
 * CSV, or a generic/K4200 text table. Pure: the caller reads the file.
 */
import { JartcalError, isJartcalError } from '../util/errors.js';
import { sniffKind, decodeText } from './decode.js';
import { textToGrid } from './textgrid.js';
import { looksLikeB1500, parseB1500 } from './b1500.js';
import { gridToTraces, type TableContext } from './table.js';
import { readWorkbook } from './workbook.js';
import { cycleFromSheetName, looksLikeKiteSettings, parseKiteSettings, type KiteSettings } from './k4200.js';
import { hintsFromMeta } from './metadata.js';
import type { Grid, IngestIssue, ResolvedIngestOptions, Trace } from './types.js';

export interface ParsedFile { traces: Trace[]; format: 'xlsx' | 'xls' | 'b1500' | 'k4200' | 'csv' }

function ctxFor(opts: ResolvedIngestOptions, issues: IngestIssue[], dcSeen: boolean): TableContext {
  const decimalComma = opts.decimalComma === 'auto' ? dcSeen : opts.decimalComma;
  return { opts, decimalComma, issues };
}

function applyHints(traces: Trace[], kite: KiteSettings | null): void {
  for (const t of traces) {
    const h = hintsFromMeta(t.meta);
    t.hints = { ...h, ...t.hints };
    if (t.sheet !== undefined && t.hints.cycle === undefined) {
      const c = cycleFromSheetName(t.sheet);
      if (c !== null) t.hints.cycle = c;
    }
    if (kite) {
      const s = (t.hints.cycle !== undefined ? kite.byCycle.get(t.hints.cycle) : undefined) ?? kite.latest;
      if (s?.complianceA !== undefined) t.hints.complianceA = s.complianceA;
      if (s?.half && !t.hints.half) t.hints.half = s.half;
      if (s?.testName) t.meta['Test Name'] = s.testName;
    }
  }
  // side-by-side blocks of one table: devices or cycles?
  const groups = new Map<string, Trace[]>();
  for (const t of traces) if (t.hints.blockIndex !== undefined && t.hints.blockKind === undefined) {
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

function fromText(text: string, file: string, opts: ResolvedIngestOptions, issues: IngestIssue[]): ParsedFile {
  const isB = looksLikeB1500(text);
  if (opts.format === 'b1500' && !isB) {
    throw new JartcalError('expected a Keysight B1500 EasyEXPERT CSV (rows starting "DataName," and "DataValue,"); none found.', { code: 'wrong_format', location: { file } });
  }
  if (opts.format === 'xlsx') throw new JartcalError('expected an Excel workbook (xlsx/xls), found text.', { code: 'wrong_format', location: { file } });
  if (isB && opts.format !== 'csv' && opts.format !== 'k4200') {
    const runs = parseB1500(text, file);
    const traces: Trace[] = [];
    for (const run of runs) {
      const dcSeen = run.grid.rows.some((r) => r.some((c) => typeof c === 'string' && /^[+-]?\d+,\d+$/.test(c)));
      const ts = gridToTraces(run.grid, ctxFor(opts, issues, dcSeen));
      traces.push(...ts);
    }
    applyHints(traces, null);
    return { traces, format: 'b1500' };
  }
  const grid = textToGrid(text, file);
  const traces = gridToTraces(grid, ctxFor(opts, issues, grid.decimalCommaSeen));
  const kite = looksLikeKiteSettings(grid.rows) ? parseKiteSettings(grid.rows) : null;
  applyHints(traces, kite);
  const k4200 = kite !== null || traces.some((t) => /^(AV|BV)$/i.test(t.columns.v) && /^(AI|BI)$/i.test(t.columns.i));
  if (opts.format === 'k4200' && !k4200) issues.push({ code: 'format_note', message: 'read as a Keithley 4200 CSV on request; no KITE settings or AV/AI columns were found.', location: { file } });
  return { traces, format: k4200 ? 'k4200' : 'csv' };
}

function fromWorkbook(bytes: Uint8Array, file: string, kind: 'xlsx' | 'xls', opts: ResolvedIngestOptions, issues: IngestIssue[]): ParsedFile {
  if (opts.format === 'b1500' || opts.format === 'csv') {
    throw new JartcalError(`expected a ${opts.format === 'b1500' ? 'B1500 EasyEXPERT CSV' : 'CSV text'} file, found an Excel workbook (use --format auto or xlsx).`, { code: 'wrong_format', location: { file } });
  }
  const wb = readWorkbook(bytes, file);
  let sheets: Grid[] = wb.sheets;
  if (opts.sheet !== null) {
    const s = opts.sheet;
    const byName = wb.sheets.find((g) => g.sheet === String(s));
    const idx = typeof s === 'number' ? s : /^\d+$/.test(String(s)) ? Number(s) : -1;
    const chosen = byName ?? (idx >= 0 ? wb.sheets[idx] : undefined);
    if (!chosen) throw new JartcalError(`no sheet "${s}"; the workbook has ${wb.names.map((n, k) => `${k}: "${n}"`).join(', ')}.`, { code: 'no_sheet', location: { file } });
    sheets = [chosen];
  }
  let kite: KiteSettings | null = null;
  const traces: Trace[] = [];
  for (const g of sheets) {
    if (looksLikeKiteSettings(g.rows)) { kite = parseKiteSettings(g.rows); continue; }
    try {
      traces.push(...gridToTraces(g, ctxFor(opts, issues, false)));
    } catch (e) {
      if (opts.sheet === null && isJartcalError(e) && (e.code === 'missing_columns' || e.code === 'missing_current_column')) {
        issues.push({ code: 'skipped_sheet', message: `sheet "${g.sheet}": no voltage/current table, skipped.`, location: { file, sheet: g.sheet } });
        continue;
      }
      throw e;
    }
  }
  if (traces.length === 0) {
    throw new JartcalError(`no sheet holds a voltage/current table (sheets: ${wb.names.map((n) => `"${n}"`).join(', ')}); expected a header row such as "Voltage (V)", "Current (A)".`, { code: 'missing_columns', location: { file } });
  }
  applyHints(traces, kite);
  return { traces, format: kite ? 'k4200' : kind };
}

/** Reads one file's content into traces. `issues` collects dropped rows (lenient) and notes. */
export function parseFileBytes(bytes: Uint8Array, file: string, opts: ResolvedIngestOptions, issues: IngestIssue[]): ParsedFile {
  const kind = bytes.length === 0 ? 'text' : sniffKind(bytes);
  if (kind === 'xlsx' || kind === 'xls') return fromWorkbook(bytes, file, kind, opts, issues);
  const text = decodeText(bytes, file);
  return fromText(text, file, opts, issues);
}
