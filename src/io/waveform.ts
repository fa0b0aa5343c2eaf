/**
 * Waveform CSV files: columns `t_s,v_V` (header row), piecewise linear, time strictly increasing.
 * A plain reader (no CSV library): waveforms are numbers separated by commas, and reading them is part
 * of the time `jartcal simulate` takes (bench/cli.ts). The common layout (header `t_s,v_V[,...]`, plain
 * decimal numbers, no quotes) is read straight from the file's bytes; any other file, and any file with an
 * error, goes through the general line reader, which gives the same numbers and names the line and column
 * of an error. A quoted field is read without its quotes.
 */
import { readFileBytes } from './json.js';
import { JartcalError } from '../util/errors.js';
import type { Waveform } from '../model/index.js';
/** The fields of one line (split at commas; a field in double quotes may hold commas, "" is a quote). */
function fields(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let cur = '',
    q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else q = false;
      } else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Parses waveform CSV text or bytes (UTF-8); errors name `file`, the line and the column. */
export function parseWaveformCsv(text: string | Uint8Array, file: string): Waveform {
  if (typeof text !== 'string') {
    const buf = Buffer.isBuffer(text) ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
    return parseWaveformBytes(buf) ?? parseWaveformText(buf.toString('utf8'), file);
  }
  return parseWaveformText(text, file);
}

/** The general reader: line by line, through strings. */
function parseWaveformText(text: string, file: string): Waveform {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  let end = lines.length;
  while (end > 0 && lines[end - 1].replace(/[\r,]/g, '').trim() === '') end--;
  if (end === 0)
    throw new JartcalError('empty waveform file; expected a header "t_s,v_V" and data rows', { code: 'bad_waveform', location: { file } });
  const header = fields(lines[0].replace(/\r$/, '')).map((h) => h.trim());
  const it = header.indexOf('t_s');
  const iv = header.indexOf('v_V');
  if (it < 0 || iv < 0) {
    throw new JartcalError(`missing column ${it < 0 ? '"t_s"' : '"v_V"'} in the header (found: ${header.join(',')}); expected "t_s,v_V"`, {
      code: 'bad_waveform',
      location: { file, line: 1 },
    });
  }
  const n = end - 1;
  if (n < 2) throw new JartcalError(`a waveform needs at least 2 points, found ${n}`, { code: 'bad_waveform', location: { file } });
  const tS = new Float64Array(n);
  const vV = new Float64Array(n);
  const simple = it === 0 && iv === 1;
  const noQuotes = text.indexOf('"') < 0; // then no line needs the field splitter
  for (let k = 0; k < n; k++) {
    let line = lines[k + 1];
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    let t: number, v: number;
    const c1 = simple ? line.indexOf(',') : -1;
    if (c1 > 0 && (noQuotes || line.indexOf('"') < 0)) {
      // the common layout t_s,v_V[,...]: two numbers, no quotes
      const c2 = line.indexOf(',', c1 + 1);
      t = cell(line.slice(0, c1));
      v = cell(c2 < 0 ? line.slice(c1 + 1) : line.slice(c1 + 1, c2));
    } else {
      const row = fields(line);
      t = cell(row[it]);
      v = cell(row[iv]);
    }
    if (!Number.isFinite(t) || !Number.isFinite(v)) {
      const row = fields(line);
      if (!Number.isFinite(t)) bad(row[it], 't_s', it, k + 2, file);
      bad(row[iv], 'v_V', iv, k + 2, file);
    }
    tS[k] = t;
    vV[k] = v;
    if (k > 0 && !(t > tS[k - 1])) {
      throw new JartcalError(`time must increase strictly: t_s = ${t} after ${tS[k - 1]}`, {
        code: 'bad_waveform',
        location: { file, line: k + 2, column: it + 1 },
      });
    }
  }
  return { tS, vV };
}

/** A cell as a number; NaN when empty or not a number. */
function cell(s: string | undefined): number {
  if (s === undefined) return NaN;
  const x = Number(s);
  return x === 0 && s.trim() === '' ? NaN : x;
}

function bad(c: string | undefined, name: string, col: number, line: number, file: string): never {
  throw new JartcalError(`${name} must be a finite number, got ${c === undefined ? 'nothing (missing column)' : JSON.stringify(c)}`, {
    code: 'bad_waveform',
    location: { file, line, column: col + 1 },
  });
}

export function readWaveformCsv(path: string): Waveform {
  return parseWaveformCsv(readFileBytes(path, 'waveform file'), path);
}

// ---- the byte reader of the common layout ----

/** 10^0 … 10^22, exact as doubles. */
const EXACT_P10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Digits accumulate exactly below this (then ×10 + 9 stays ≤ 2^53). */
const ACC_MAX = (2 ** 53 - 9) / 10;

/** Node's Buffer#latin1Slice (what toString('latin1', s, e) calls, without its argument checks). */
type LatinSlice = Buffer & { latin1Slice(start: number, end: number): string };

/** What `readNumber` leaves: the value and the position after it (fields, not a returned object: no boxing). */
const at = { x: 0, pos: 0 };

/**
 * Reads a plain decimal number ([+-]digits[.digits][(e|E)[+-]digits]) at `pos`, exactly as Number()
 * reads it: the value is correctly rounded when the significant digits fit in 2^53 and the power of ten
 * is at most 22 (one exact operation, Clinger's fast path); other numbers go through Number() on their
 * text. Returns false (leaving the caller to the general reader) for anything else.
 */
function readNumber(b: Buffer, pos: number, end: number): boolean {
  const start = pos;
  let neg = false;
  let c = pos < end ? b[pos] : 0;
  if (c === 45 || c === 43) {
    neg = c === 45;
    c = ++pos < end ? b[pos] : 0;
  }
  let d = 0,
    digits = 0,
    scale = 0,
    exact = true;
  while (c >= 48 && c <= 57) {
    if (d < ACC_MAX) d = d * 10 + (c - 48);
    else exact = false;
    digits++;
    c = ++pos < end ? b[pos] : 0;
  }
  if (c === 46) {
    c = ++pos < end ? b[pos] : 0;
    while (c >= 48 && c <= 57) {
      if (d < ACC_MAX) {
        d = d * 10 + (c - 48);
        scale--;
      } else exact = false;
      digits++;
      c = ++pos < end ? b[pos] : 0;
    }
  }
  if (digits === 0) return false;
  if (c === 101 || c === 69) {
    c = ++pos < end ? b[pos] : 0;
    let eneg = false;
    if (c === 45 || c === 43) {
      eneg = c === 45;
      c = ++pos < end ? b[pos] : 0;
    }
    let e = 0,
      ed = 0;
    while (c >= 48 && c <= 57) {
      if (e < 1e6) e = e * 10 + (c - 48);
      ed++;
      c = ++pos < end ? b[pos] : 0;
    }
    if (ed === 0) return false;
    scale += eneg ? -e : e;
  }
  let x: number;
  if (!exact || scale > 22 || scale < -22) {
    x = Number((b as LatinSlice).latin1Slice(start, pos));
    if (!Number.isFinite(x)) return false;
  } else {
    x = scale >= 0 ? d * EXACT_P10[scale] : d / EXACT_P10[-scale];
    if (neg) x = -x;
  }
  at.x = x;
  at.pos = pos;
  return true;
}

const isBlank = (c: number): boolean => c === 10 || c === 13 || c === 44 || c === 32 || c === 9 || c === 11 || c === 12;

/**
 * The common layout, read from bytes: a header starting `t_s,v_V`, then one `t,v[,...]` line each.
 * Null when the file is anything else or has an error: the general reader then reads it (and names
 * the error), so both give the same result on every file.
 */
function parseWaveformBytes(b: Buffer): Waveform | null {
  let pos = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  // the header: exactly t_s then v_V as its first two fields
  const H = [116, 95, 115, 44, 118, 95, 86]; // "t_s,v_V"
  for (let i = 0; i < H.length; i++) if (b[pos + i] !== H[i]) return null;
  pos += H.length;
  if (b[pos] === 13) pos++;
  if (b[pos] === 44) while (pos < b.length && b[pos] !== 10) if (b[pos++] === 34) return null; // more columns, no quotes
  if (b[pos++] !== 10) return null;
  // trailing blank lines (only commas and white space) are not rows
  let end = b.length;
  while (end > pos && isBlank(b[end - 1])) end--;
  let n = 1;
  for (let i = pos; i < end; i++) if (b[i] === 10) n++;
  if (end <= pos || n < 2) return null;
  const tS = new Float64Array(n);
  const vV = new Float64Array(n);
  let prev = -Infinity;
  for (let k = 0; k < n; k++) {
    if (!readNumber(b, pos, end)) return null;
    const t = at.x;
    pos = at.pos;
    if (b[pos] !== 44 || !(t > prev)) return null;
    if (!readNumber(b, pos + 1, end)) return null;
    tS[k] = prev = t;
    vV[k] = at.x;
    pos = at.pos;
    // the end of the line: \n, \r\n, or more columns (ignored)
    let c = pos < end ? b[pos] : 10;
    if (c === 13) c = ++pos < end ? b[pos] : 10;
    if (c === 44) {
      while (pos < end && b[pos] !== 10) pos++;
      c = 10;
    }
    if (c !== 10) return null;
    pos++;
  }
  return { tS, vV };
}
