/** Waveform CSV files: columns `t_s,v_V` (header row), piecewise linear, time strictly increasing. */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { JartcalError } from '../util/errors.js';
import type { Waveform } from '../model/index.js';

/** Parses waveform CSV text; errors name `file`, the line and the column. */
export function parseWaveformCsv(text: string, file: string): Waveform {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: false, delimiter: ',' });
  const rows = parsed.data;
  while (rows.length && rows[rows.length - 1].every((c) => c.trim() === '')) rows.pop();
  if (rows.length === 0) throw new JartcalError('empty waveform file; expected a header "t_s,v_V" and data rows', { code: 'bad_waveform', location: { file } });
  const header = rows[0].map((h) => h.trim());
  const it = header.indexOf('t_s');
  const iv = header.indexOf('v_V');
  if (it < 0 || iv < 0) {
    throw new JartcalError(`missing column ${it < 0 ? '"t_s"' : '"v_V"'} in the header (found: ${header.join(',')}); expected "t_s,v_V"`,
      { code: 'bad_waveform', location: { file, line: 1 } });
  }
  const n = rows.length - 1;
  if (n < 2) throw new JartcalError(`a waveform needs at least 2 points, found ${n}`, { code: 'bad_waveform', location: { file } });
  const tS = new Float64Array(n);
  const vV = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const row = rows[k + 1];
    const line = k + 2;
    for (const [col, name, arr] of [[it, 't_s', tS], [iv, 'v_V', vV]] as const) {
      const cell = row[col];
      const s = cell === undefined ? '' : cell.trim();
      const x = s === '' ? NaN : Number(s);
      if (!Number.isFinite(x)) {
        throw new JartcalError(`${name} must be a finite number, got ${cell === undefined ? 'nothing (missing column)' : JSON.stringify(cell)}`,
          { code: 'bad_waveform', location: { file, line, column: col + 1 } });
      }
      arr[k] = x;
    }
    if (k > 0 && !(tS[k] > tS[k - 1])) {
      throw new JartcalError(`time must increase strictly: t_s = ${tS[k]} after ${tS[k - 1]}`,
        { code: 'bad_waveform', location: { file, line, column: it + 1 } });
    }
  }
  return { tS, vV };
}

export function readWaveformCsv(path: string): Waveform {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new JartcalError('cannot read the waveform file', { code: 'file_not_found', location: { file: path } });
  }
  return parseWaveformCsv(text, path);
}
