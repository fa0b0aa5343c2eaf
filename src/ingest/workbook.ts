/** Workbook bytes (xlsx or xls, through the `xlsx` package) → one Grid per sheet. Pure: no file system. */
import * as XLSX from 'xlsx';
import { JartcalError } from '../util/errors.js';
import type { Cell, Grid } from './types.js';

export interface WorkbookGrids { sheets: Grid[]; names: string[] }

export function readWorkbook(bytes: Uint8Array, file: string): WorkbookGrids {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, { type: 'buffer', cellFormula: false, cellHTML: false, cellStyles: false, cellDates: false });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new JartcalError(`not a readable Excel workbook (the reader said "${why.replace(/"/g, "'")}"); expected an xlsx or xls file.`, { code: 'bad_workbook', location: { file } });
  }
  const sheets: Grid[] = [];
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (!ws) continue;
    sheets.push(sheetToGrid(ws, name, file));
  }
  return { sheets, names: wb.SheetNames.slice() };
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
    else if (cell.t === 's' || cell.t === 'str' as string) v = String(cell.v ?? '');
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
    file, sheet, rows, meta: {},
    lineOf: (r) => r + r0 + 1,
    loc: (r, c) => ({ file, sheet, ...(c !== undefined ? { cell: XLSX.utils.encode_cell({ r: r + r0, c }) } : { line: r + r0 + 1 }) }),
  };
}
