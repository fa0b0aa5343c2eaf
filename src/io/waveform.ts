/**
 * Waveform CSV files: columns `t_s,v_V` (header row), piecewise linear, time strictly increasing.
 * A plain reader, line by line (no CSV library): waveforms are numbers separated by commas, and reading
 * them is a small part of `jartcal simulate` (bench/cli.ts). A quoted field is read without its quotes.
 */
import { readTextFile } from './json.js';
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

/** Parses waveform CSV text; errors name `file`, the line and the column. */
export function parseWaveformCsv(text: string, file: string): Waveform {
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
  return parseWaveformCsv(readTextFile(path, 'waveform file'), path);
}
