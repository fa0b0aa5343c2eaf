/**
 * Text → Grid: line splitting, comment lines (kept as metadata), delimiter detection
 * (comma, tab, semicolon, pipe, white space) and CSV parsing through papaparse.
 */
import Papa from 'papaparse';
import type { Cell, Grid } from './types.js';

const COMMENT = /^\s*(#|%|\/\/|;|!|\*)/;

export interface TextGrid extends Grid {
  delimiter: string;
  decimalCommaSeen: boolean;
  commentHeader: string[] | null;
}

export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Parses "key: value", "key = value", "key, value" or "key<TAB>value" into a pair. */
export function keyValue(s: string): [string, string] | null {
  const m = /[:=,\t]/.exec(s.length > 2000 ? s.slice(0, 2000) : s);
  if (!m || m.index === 0 || m.index > 80) return null;
  const key = s.slice(0, m.index).trim();
  if (key === '') return null;
  let val = s.slice(m.index + 1).trim();
  while (val.endsWith(',')) val = val.slice(0, -1).trimEnd();
  return [key, val];
}

function detectDelimiter(lines: string[]): string {
  const sample: string[] = [];
  for (const l of lines) {
    if (l.trim() === '' || COMMENT.test(l)) continue;
    sample.push(l);
  }
  const pick = sample.length > 400 ? [...sample.slice(0, 200), ...sample.slice(-200)] : sample;
  const score = (count: (l: string) => number): { mode: number; frac: number } => {
    const hist = new Map<number, number>();
    for (const l of pick) {
      const c = count(l);
      hist.set(c, (hist.get(c) ?? 0) + 1);
    }
    let mode = 1,
      best = 0;
    for (const [c, n] of hist)
      if (c > 1 && n > best) {
        mode = c;
        best = n;
      }
    return { mode, frac: pick.length ? best / pick.length : 0 };
  };
  const split = (d: string) => (l: string) => l.split(d).length;
  const cands: [string, (l: string) => number][] = [
    ['\t', split('\t')],
    [';', split(';')],
    [',', split(',')],
    ['|', split('|')],
  ];
  for (const [d, f] of cands) {
    const s = score(f);
    if (s.mode >= 2 && s.frac >= 0.6) return d;
  }
  const ws = score((l) => l.trim().split(/\s+/).length);
  if (ws.mode >= 2 && ws.frac >= 0.5) return ' ';
  return ',';
}

export function textToGrid(text: string, file: string): TextGrid {
  const lines = splitLines(text);
  const delimiter = detectDelimiter(lines);
  const meta: Record<string, string> = {};
  const rows: Cell[][] = [];
  const lineNo: number[] = [];
  let commentHeader: string[] | null = null;
  let sawData = false;
  const toCells = (fields: string[]): Cell[] =>
    fields.map((f) => {
      const t = f.trim();
      return t === '' ? null : t;
    });
  let parsed: string[][] | null = null;
  if (delimiter !== ' ') {
    const r = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false, newline: undefined });
    const data = r.data;
    if (data.length > 0 && data[data.length - 1].length === 1 && data[data.length - 1][0] === '' && data.length === lines.length + 1)
      data.pop();
    if (data.length === lines.length) parsed = data;
  }
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k];
    if (COMMENT.test(l)) {
      const body = l.replace(COMMENT, '').trim();
      const kv = keyValue(body);
      if (kv) meta[kv[0]] = kv[1];
      else if (body) meta[`comment@${k + 1}`] = body;
      if (!sawData)
        commentHeader = body
          .split(delimiter === ' ' ? /\s+/ : delimiter)
          .map((s) => s.trim())
          .filter((s) => s !== '');
      continue;
    }
    let fields: string[];
    if (parsed) fields = parsed[k];
    else if (delimiter === ' ') fields = l.trim() === '' ? [] : l.trim().split(/\s+/);
    else fields = Papa.parse<string[]>(l, { delimiter }).data[0] ?? [];
    const cells = toCells(fields);
    if (cells.some((c) => c !== null && /^[+-]?[\d.]/.test(c as string))) sawData = true;
    rows.push(cells);
    lineNo.push(k + 1);
  }
  fixShortHeaders(rows);
  const decimalCommaSeen =
    delimiter !== ','
      ? rows.some((r) => r.some((c) => typeof c === 'string' && /^[+-]?\d+,\d+([eE][+-]?\d+)?$/.test(c)))
      : rows.some((r) => r.some((c) => typeof c === 'string' && /^[+-]?\d+,\d+([eE][+-]?\d+)?$/.test(c)));
  return {
    file,
    rows,
    meta,
    delimiter,
    decimalCommaSeen,
    commentHeader,
    lineOf: (r) => lineNo[r] ?? (lineNo.length ? lineNo[lineNo.length - 1] + 1 : 1),
    loc: (r, c) => ({
      file,
      line: lineNo[r] ?? (lineNo.length ? lineNo[lineNo.length - 1] + 1 : 1),
      ...(c !== undefined ? { column: c + 1 } : {}),
    }),
  };
}

/** A header row with fewer fields than the data (e.g. "Time<TAB>Voltage Current") is re-split on white space. */
function fixShortHeaders(rows: Cell[][]): void {
  const hist = new Map<number, number>();
  for (const r of rows)
    if (r.length > 1 && r.every((c) => c === null || /^[+-]?[\d.]/.test(c as string))) hist.set(r.length, (hist.get(r.length) ?? 0) + 1);
  let mode = 0,
    best = 0;
  for (const [n, k] of hist)
    if (k > best) {
      best = k;
      mode = n;
    }
  if (mode < 2) return;
  const isNum = (c: Cell) => c !== null && /^[+-]?[\d.]/.test(c as string);
  const firstData = rows.findIndex((r) => r.length === mode && r.every((c) => c === null || isNum(c)));
  let k = firstData - 1;
  while (k >= 0 && rows[k].every((c) => c === null)) k--;
  if (k >= 0) {
    const r = rows[k];
    const nonNull = r.filter((c) => c !== null);
    if (nonNull.length === 0 || nonNull.length >= mode || nonNull.some(isNum)) return;
    const split = nonNull.flatMap((c) => (c as string).split(/\s+/));
    if (split.length === mode) rows[k] = split;
  }
}
