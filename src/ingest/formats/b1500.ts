/**
 * Keysight B1500 EasyEXPERT CSV: keyword rows (`SetupTitle`, `PrimitiveTest`, `TestParameter`,
 * `MetaData`, `AnalysisSetup`, `Dimension1`, `DataName`, `DataValue`), several runs per file
 * (each `SetupTitle`, or a new `DataName` after data, starts one). Each run becomes a Grid whose
 * header is the DataName row, read by the generic table reader.
 */
import { JartcalError } from '../../util/errors.js';
import type { Cell, Grid, Trace } from '../types.js';
import { splitLines } from '../textgrid.js';
import { gridToTraces } from '../table.js';
import type { FormatReader } from './reader.js';

const KEYWORDS =
  /^\s*"?(SetupTitle|PrimitiveTest|TestParameter|MetaData|AnalysisSetup|Dimension\d|DataName|DataValue|Units|TestRecord)"?\s*,/;

function looksLikeB1500(text: string): boolean {
  const head = text.slice(0, 200000);
  return /^\s*"?DataName"?\s*,/m.test(head) && /^\s*"?DataValue"?\s*,/m.test(head);
}

export interface B1500Run {
  grid: Grid;
  setupTitle: string;
  /** Voltage and current names of the swept (VAR1) channel, from `Channel.Func`/`VName`/`IName`, when the data holds them. */
  sweepColumns?: { v: string; i: string };
}

/** The VAR1 channel's data names: EasyEXPERT lists per channel `Channel.Func` (VAR1, VAR2, CONST, ...), `Channel.VName`, `Channel.IName`. */
function sweepChannel(meta: Record<string, string>, header: string[]): { v: string; i: string } | undefined {
  const list = (k: string) => (meta[k] ?? '').split(',').map((x) => x.trim());
  const func = list('Channel.Func'),
    vn = list('Channel.VName'),
    inn = list('Channel.IName');
  const j = func.findIndex((f) => /^VAR1$/i.test(f));
  if (j < 0) return undefined;
  const has = (n: string | undefined) => n !== undefined && n !== '' && header.some((h) => h.trim().toLowerCase() === n.toLowerCase());
  return has(vn[j]) && has(inn[j]) ? { v: vn[j], i: inn[j] } : undefined;
}

function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '',
    q = false;
  for (const ch of line) {
    if (ch === '"') {
      q = !q;
      continue;
    }
    if (ch === ',' && !q) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur.trim());
  return out;
}

function parseB1500(text: string, file: string): B1500Run[] {
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
      const sweep = sweepChannel(meta, header);
      const allLines = [headerLine, ...lineNo];
      const lastLine = allLines[allLines.length - 1];
      runs.push({
        setupTitle: title,
        ...(sweep ? { sweepColumns: sweep } : {}),
        grid: {
          file,
          rows: allRows,
          meta: { ...meta, ...(title ? { SetupTitle: title } : {}) },
          lineOf: (r) => allLines[r] ?? lastLine + 1,
          loc: (r, c) => ({ file, line: allLines[r] ?? lastLine + 1, ...(c !== undefined ? { column: c + 2 } : {}) }),
        },
      });
    }
    meta = {};
    header = null;
    units = null;
    rows = [];
    lineNo = [];
  };
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (line.trim() === '') continue;
    const f = fields(line);
    const kw = f[0].replace(/^\uFEFF/, '');
    if (!KEYWORDS.test(line) && !/^(SetupTitle|DataName|DataValue)$/.test(kw)) {
      // a foreign line inside a B1500 file: keep as metadata (before data) or as a data row to be refused
      if (header && rows.length > 0) {
        rows.push(f);
        lineNo.push(k + 1);
      } else meta[`line${k + 1}`] = line.trim();
      continue;
    }
    switch (kw) {
      case 'SetupTitle':
        flush();
        title = f.slice(1).join(', ');
        break;
      case 'DataName':
        if (header && rows.length > 0) {
          const t = title;
          flush();
          title = t;
        }
        header = f.slice(1);
        headerLine = k + 1;
        break;
      case 'Units':
        units = f.slice(1);
        break;
      case 'DataValue':
        rows.push(f.slice(1));
        lineNo.push(k + 1);
        break;
      default: {
        const key = kw === 'TestParameter' || kw === 'MetaData' || kw === 'AnalysisSetup' || kw === 'TestRecord' ? (f[1] ?? kw) : kw;
        const val = kw === 'TestParameter' || kw === 'MetaData' || kw === 'AnalysisSetup' || kw === 'TestRecord' ? f.slice(2) : f.slice(1);
        if (key) meta[key] = val.filter((x) => x !== '').join(', ');
      }
    }
  }
  flush();
  return runs;
}

/** Registered reader: a B1500 export, each run read by the generic table reader with its VAR1 channel's columns. */
export const reader: FormatReader = {
  name: 'b1500',
  summary: 'Keysight B1500 EasyEXPERT CSV ("SetupTitle", "TestParameter", "DataName", "DataValue" rows; several runs per file)',
  reads: ['text'],
  detect: (src) => looksLikeB1500(src.text()),
  read(src, { opts, issues }) {
    const traces: Trace[] = [];
    const runs = parseB1500(src.text(), src.file);
    if (runs.length === 0)
      throw new JartcalError('expected a Keysight B1500 EasyEXPERT CSV (rows starting "DataName," and "DataValue,"); none found.', {
        code: 'wrong_format',
        location: { file: src.file },
      });
    for (const run of runs) {
      const dcSeen = run.grid.rows.some((r) => r.some((c) => typeof c === 'string' && /^[+-]?\d+,\d+$/.test(c)));
      // the swept (VAR1) channel's names from the run's TestParameter rows choose the columns, unless given
      const sc = run.sweepColumns;
      const o =
        sc && opts.columns.v === null && opts.columns.i === null ? { ...opts, columns: { ...opts.columns, v: sc.v, i: sc.i } } : opts;
      traces.push(...gridToTraces(run.grid, { opts: o, issues, decimalComma: opts.decimalComma === 'auto' ? dcSeen : opts.decimalComma }));
    }
    return traces;
  },
};
