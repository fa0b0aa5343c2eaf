/**
 * Registered reader: Keithley 2450/2460/2461 (Touchscreen SourceMeter, KickStart I-V) reading-buffer CSV, as
 * saved by `:TRACe:SAVE` / `buffer.save()` or exported from KickStart: a header row naming the buffer elements
 * (`Index`, `Reading`, `Unit`, ..., `Source`, `Source Unit`, `Source Status`, `Relative Time` or
 * `Time`/`Date`/`Fractional Seconds`), then one row per reading, the units written per row as words ("Amp DC",
 * "Volt DC"). A voltage sweep is sourced, the current measured: `Source` is V, `Reading` is I, `Relative Time` is
 * seconds since the first reading. The buffer does not state the current limit: compliance comes from the data.
 */
import { JartcalError } from '../../util/errors.js';
import { cellText } from '../cells.js';
import { gridToTraces } from '../table.js';
import type { Cell, Grid } from '../types.js';
import type { FormatReader } from './reader.js';

interface BufferColumns {
  header: number;
  reading: number;
  unit: number;
  source: number;
  sourceUnit: number;
  time: number;
}

function findColumns(rows: Cell[][]): BufferColumns | null {
  for (let r = 0; r < Math.min(rows.length, 60); r++) {
    const cells = rows[r].map((c) => cellText(c).trim().toLowerCase());
    const at = (name: string) => cells.indexOf(name);
    const reading = at('reading'),
      source = at('source');
    if (reading < 0 || source < 0) continue;
    return { header: r, reading, unit: at('unit'), source, sourceUnit: at('source unit'), time: at('relative time') };
  }
  return null;
}

/** "Amp DC" → A, "Volt DC" → V (the 2450 writes the function's unit as words). */
function unitWord(s: string): 'A' | 'V' | null {
  if (/^(amp|amps|a)(\s+dc)?$/i.test(s.trim())) return 'A';
  if (/^(volt|volts|v)(\s+dc)?$/i.test(s.trim())) return 'V';
  return null;
}

export const reader: FormatReader = {
  name: 'k2450',
  summary:
    'Keithley 2450/2460/2461 reading-buffer CSV (front-panel save or KickStart I-V export): "Reading", "Unit", "Source", "Source Unit", "Relative Time" columns',
  reads: ['text'],
  detect(src) {
    const c = findColumns(src.grid().rows);
    return c !== null && c.unit >= 0 && c.sourceUnit >= 0;
  },
  read(src, { opts, issues }) {
    const g = src.grid();
    const c = findColumns(g.rows);
    if (!c)
      throw new JartcalError('expected a Keithley 2450-family buffer header row naming "Reading" and "Source" columns; none found.', {
        code: 'wrong_format',
        location: { file: src.file },
      });
    const first = g.rows.slice(c.header + 1).find((r) => r.some((x) => cellText(x) !== ''));
    const ru = first && c.unit >= 0 ? unitWord(cellText(first[c.unit] ?? null)) : 'A';
    const su = first && c.sourceUnit >= 0 ? unitWord(cellText(first[c.sourceUnit] ?? null)) : 'V';
    if (ru !== 'A' || su !== 'V') {
      throw new JartcalError(
        `the buffer holds readings in "${first ? cellText(first[c.unit] ?? null) : '?'}" sourced in "${first ? cellText(first[c.sourceUnit] ?? null) : '?'}"; expected a voltage sweep (Source Unit "Volt DC") measuring current (Unit "Amp DC").`,
        { code: 'wrong_format', location: g.loc(c.header + 1) },
      );
    }
    // the same rows, columns renamed to what they are; locations point at the original cells
    const cols = [c.source, c.reading, ...(c.time >= 0 ? [c.time] : [])];
    const header: Cell[] = ['Voltage (V)', 'Current (A)', ...(c.time >= 0 ? ['Time (s)'] : [])];
    const rows: Cell[][] = [
      header,
      ...g.rows.slice(c.header + 1).map((r) =>
        cols.map((k) => {
          const x = r[k] ?? null;
          return typeof x === 'string' ? x.replace(/(\d)\s*s$/, '$1') : x;
        }),
      ),
    ];
    const meta: Record<string, string> = { ...g.meta, instrument: 'Keithley 2450-family reading buffer' };
    for (let r = 0; r < c.header; r++) {
      const cells = g.rows[r].map(cellText).filter((x) => x !== '');
      if (cells.length >= 2) meta[cells[0]] = cells.slice(1).join(', ');
      else if (cells.length === 1) meta[`label:${cells[0]}`] = cells[0];
    }
    const grid: Grid = {
      file: g.file,
      rows,
      meta,
      lineOf: (r) => g.lineOf(r + c.header),
      loc: (r, k) => g.loc(r + c.header, k === undefined ? undefined : cols[k]),
    };
    return gridToTraces(grid, { opts, issues, decimalComma: opts.decimalComma === 'auto' ? g.decimalCommaSeen : opts.decimalComma });
  },
};
