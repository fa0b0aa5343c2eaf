/**
 * Workbook bytes (xlsx or xls, through SheetJS) → one Grid per sheet, and the data sheets of a workbook
 * read as tables (shared by the workbook readers). Pure: no file system.
 */
import * as XLSX from '@e965/xlsx';
import { JartcalError, isJartcalError } from '../../util/errors.js';
import type { Cell, Grid, Trace } from '../types.js';
import { gridToTraces } from '../table.js';
import type { ReadContext, SourceFile } from './reader.js';

/** `damaged`: sheets listed in the workbook whose content could not be read at all (no cell, no dimension). */
export interface WorkbookGrids {
  sheets: Grid[];
  names: string[];
  damaged: Set<string>;
}

export function readWorkbook(bytes: Uint8Array, file: string): WorkbookGrids {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, { type: 'buffer', cellFormula: false, cellHTML: false, cellStyles: false, cellDates: false });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new JartcalError(`not a readable Excel workbook (the reader said "${why.replace(/"/g, "'")}"); expected an xlsx or xls file.`, {
      code: 'bad_workbook',
      location: { file },
    });
  }
  const sheets: Grid[] = [];
  const damaged = new Set<string>();
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    // a sheet the reader could make nothing of (a blank sheet saved by Excel still has a dimension, "A1")
    if (!ws || (ws['!ref'] === undefined && Object.keys(ws).every((k) => k[0] === '!'))) {
      damaged.add(name);
      continue;
    }
    sheets.push(sheetToGrid(ws, name, file));
  }
  return { sheets, names: wb.SheetNames.slice(), damaged };
}

function sheetToGrid(ws: XLSX.WorkSheet, sheet: string, file: string): Grid {
  const rows: Cell[][] = [];
  let r0 = Infinity;
  for (const key of Object.keys(ws)) {
    if (key[0] === '!') continue;
    const addr = XLSX.utils.decode_cell(key);
    if (addr.r < r0) r0 = addr.r;
  }
  if (!Number.isFinite(r0)) r0 = 0;
  for (const key of Object.keys(ws)) {
    if (key[0] === '!') continue;
    const cell = ws[key] as XLSX.CellObject;
    const addr = XLSX.utils.decode_cell(key);
    let v: Cell = null;
    if (cell.t === 'n') v = typeof cell.v === 'number' ? cell.v : Number(cell.v);
    else if (cell.t === 's' || cell.t === ('str' as string)) v = String(cell.v ?? '');
    else if (cell.t === 'b') v = cell.v ? 'TRUE' : 'FALSE';
    else if (cell.t === 'e') v = cell.w ?? '#ERROR';
    else if (cell.t === 'd') v = cell.v instanceof Date ? cell.v.toISOString() : String(cell.v);
    if (typeof v === 'string' && v.trim() === '') v = null;
    const rr = addr.r - r0;
    while (rows.length <= rr) rows.push([]);
    const row = rows[rr];
    while (row.length < addr.c) row.push(null);
    row[addr.c] = v;
  }
  for (const row of rows) for (let c = 0; c < row.length; c++) if (row[c] === undefined) row[c] = null;
  return {
    file,
    sheet,
    rows,
    meta: {},
    lineOf: (r) => r + r0 + 1,
    loc: (r, c) => ({ file, sheet, ...(c !== undefined ? { cell: XLSX.utils.encode_cell({ r: r + r0, c }) } : { line: r + r0 + 1 }) }),
  };
}

/**
 * The data sheets of a workbook (all, or the one chosen with --sheet) read as tables. `aside` marks sheets that
 * are not data (a settings sheet); sheets with no V/I table are skipped and reported when none was chosen.
 */
export function readDataSheets(src: SourceFile, { opts, issues }: ReadContext, aside: (g: Grid) => boolean = () => false): Trace[] {
  const file = src.file;
  const wb = src.workbook();
  let sheets: Grid[] = wb.sheets;
  if (opts.sheet !== null) {
    const s = opts.sheet;
    const byName = wb.sheets.find((g) => g.sheet === String(s));
    const idx = typeof s === 'number' ? s : /^\d+$/.test(String(s)) ? Number(s) : -1;
    const chosen = byName ?? (idx >= 0 ? wb.sheets[idx] : undefined);
    if (!chosen)
      throw new JartcalError(`no sheet "${s}"; the workbook has ${wb.names.map((n, k) => `${k}: "${n}"`).join(', ')}.`, {
        code: 'no_sheet',
        location: { file },
      });
    sheets = [chosen];
  }
  const traces: Trace[] = [];
  const chosen = opts.sheet === null ? [...wb.damaged] : [...wb.damaged].filter((n) => n === String(opts.sheet));
  for (const name of chosen) {
    const msg = `sheet "${name}" could not be read (damaged or unreadable worksheet: no cell and no dimension)`;
    if (!opts.lenient || opts.sheet !== null)
      throw new JartcalError(`${msg}; expected a worksheet (give --lenient to read the other sheets).`, {
        code: 'bad_sheet',
        location: { file, sheet: name },
      });
    issues.push({ code: 'skipped_bad_sheet', message: `${msg}: left out.`, location: { file, sheet: name } });
  }
  for (const g of sheets) {
    if (aside(g)) continue;
    try {
      traces.push(...gridToTraces(g, { opts, issues, decimalComma: opts.decimalComma === true }));
    } catch (e) {
      if (opts.sheet === null && isJartcalError(e) && (e.code === 'missing_columns' || e.code === 'missing_current_column')) {
        issues.push({
          code: 'skipped_sheet',
          message: `sheet "${g.sheet}": no voltage/current table, skipped.`,
          location: { file, sheet: g.sheet },
        });
        continue;
      }
      // a damaged data sheet among good ones: under --lenient the rest of the workbook is read, the sheet reported
      if (opts.lenient && opts.sheet === null && isJartcalError(e)) {
        issues.push({
          code: 'skipped_bad_sheet',
          message: `sheet "${g.sheet}" could not be read and was left out: ${e.message}`,
          location: { file, sheet: g.sheet },
        });
        continue;
      }
      throw e;
    }
  }
  if (traces.length === 0) {
    throw new JartcalError(
      `no sheet holds a voltage/current table (sheets: ${wb.names.map((n) => `"${n}"`).join(', ')}); expected a header row such as "Voltage (V)", "Current (A)".`,
      { code: 'missing_columns', location: { file } },
    );
  }
  return traces;
}
