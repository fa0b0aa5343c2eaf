/**
 * Keysight B1500 EasyEXPERT CSV: keyword rows (`SetupTitle`, `PrimitiveTest`, `TestParameter`,
 * `MetaData`, `AnalysisSetup`, `Dimension1`, `DataName`, `DataValue`), several runs per file
 * (each `SetupTitle`, or a new `DataName` after data, starts one). Each run becomes a Grid whose
 * header is the DataName row, read by the generic table reader.
 */
import type { Cell, Grid } from './types.js';
import { splitLines } from './textgrid.js';

const KEYWORDS = /^\s*"?(SetupTitle|PrimitiveTest|TestParameter|MetaData|AnalysisSetup|Dimension\d|DataName|DataValue|Units|TestRecord)"?\s*,/;

export function looksLikeB1500(text: string): boolean {
  const head = text.slice(0, 200000);
  return /^\s*"?DataName"?\s*,/m.test(head) && /^\s*"?DataValue"?\s*,/m.test(head);
}

export interface B1500Run { grid: Grid; setupTitle: string }

function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '', q = false;
  for (const ch of line) {
    if (ch === '"') { q = !q; continue; }
    if (ch === ',' && !q) { out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur.trim());
  return out;
}

export function parseB1500(text: string, file: string): B1500Run[] {
  const lines = splitLines(text);
  const runs: B1500Run[] = [];
  let meta: Record<string, string> = {};
  let header: string[] | null = null;
  let units: string[] | null = null;
  let rows: Cell[][] = [];
  let lineNo: number[] = [];
  let headerLine = 0;
  let title = '';
  const flush = () => {
    if (header) {
      const hdr = header.map((h, k) => (units && units[k] ? `${h} (${units[k]})` : h));
      const allRows: Cell[][] = [hdr, ...rows];
      const allLines = [headerLine, ...lineNo];
      const lastLine = allLines[allLines.length - 1];
      runs.push({
        setupTitle: title,
        grid: {
          file, rows: allRows, meta: { ...meta, ...(title ? { SetupTitle: title } : {}) },
          lineOf: (r) => allLines[r] ?? lastLine + 1,
          loc: (r, c) => ({ file, line: allLines[r] ?? lastLine + 1, ...(c !== undefined ? { column: c + 2 } : {}) }),
        },
      });
    }
    meta = {}; header = null; units = null; rows = []; lineNo = [];
  };
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (line.trim() === '') continue;
    const f = fields(line);
    const kw = f[0].replace(/^\uFEFF/, '');
    if (!KEYWORDS.test(line) && !/^(SetupTitle|DataName|DataValue)$/.test(kw)) {
      // a foreign line inside a B1500 file: keep as metadata (before data) or as a data row to be refused
      if (header && rows.length > 0) { rows.push(f); lineNo.push(k + 1); } else meta[`line${k + 1}`] = line.trim();
      continue;
    }
    switch (kw) {
      case 'SetupTitle':
        flush(); title = f.slice(1).join(', '); break;
      case 'DataName':
        if (header && rows.length > 0) { const t = title; flush(); title = t; }
        header = f.slice(1); headerLine = k + 1; break;
      case 'Units':
        units = f.slice(1); break;
      case 'DataValue':
        rows.push(f.slice(1)); lineNo.push(k + 1); break;
      default: {
        const key = kw === 'TestParameter' || kw === 'MetaData' || kw === 'AnalysisSetup' || kw === 'TestRecord' ? f[1] ?? kw : kw;
        const val = kw === 'TestParameter' || kw === 'MetaData' || kw === 'AnalysisSetup' || kw === 'TestRecord' ? f.slice(2) : f.slice(1);
        if (key) meta[key] = val.filter((x) => x !== '').join(', ');
      }
    }
  }
  flush();
  return runs;
}
