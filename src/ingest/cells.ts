/** Number parsing for one cell: quoted numbers, decimal commas, unit suffixes, and clear refusals. */
import { unitScale } from './units.js';
import type { Cell } from './types.js';

export type CellValue =
  | { kind: 'number'; value: number; unit: string | null }
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'bad'; text: string; why: string };

/** SMUs write 9.9E37-class values for overflow or "not a number" (Keithley 9.91E37): never a current. */
const OVERFLOW = 9.9e37;
const NUM = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NUM_COMMA = /^[+-]?\d+,\d*(?:[eE][+-]?\d+)?$/;
const NONFINITE = /^[+-]?(?:nan|inf|infinity|1\.#inf|1\.#ind|-?1\.#qnan)$/i;
const WITH_UNIT = /^([+-]?(?:\d+[.,]?\d*|[.,]\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Zµμ]{1,2})$/;

/** Parses a cell. `decimalComma` allows "1,5" as 1.5. */
export function parseCell(c: Cell, decimalComma: boolean): CellValue {
  if (c === null || c === undefined) return { kind: 'empty' };
  if (typeof c === 'number') {
    if (!Number.isFinite(c)) return { kind: 'bad', text: String(c), why: 'a non-finite number' };
    if (Math.abs(c) >= OVERFLOW) return { kind: 'bad', text: String(c), why: 'an instrument overflow marker, not a reading' };
    return { kind: 'number', value: c, unit: null };
  }
  let s = String(c).trim();
  if (s.length >= 2 && ((s[0] === '"' && s[s.length - 1] === '"') || (s[0] === "'" && s[s.length - 1] === "'"))) s = s.slice(1, -1).trim();
  if (s === '') return { kind: 'empty' };
  s = s.replace(/\u2212/g, '-');
  if (NUM.test(s)) {
    const x = Number(s);
    if (Math.abs(x) >= OVERFLOW)
      return { kind: 'bad', text: s, why: Number.isFinite(x) ? 'an instrument overflow marker, not a reading' : 'a non-finite value' };
    return { kind: 'number', value: x, unit: null };
  }
  if (decimalComma && NUM_COMMA.test(s)) return { kind: 'number', value: Number(s.replace(',', '.')), unit: null };
  if (NONFINITE.test(s)) return { kind: 'bad', text: s, why: 'a non-finite value' };
  const m = WITH_UNIT.exec(s);
  if (m) {
    const num = m[1].includes(',') ? (decimalComma ? m[1].replace(',', '.') : null) : m[1];
    if (num !== null && (unitScale(m[2], 'A') !== null || unitScale(m[2], 'V') !== null || unitScale(m[2], 's') !== null)) {
      return { kind: 'number', value: Number(num), unit: m[2] };
    }
  }
  if (/^[+-]?[\d.,]+(?:[eE][+-]?[\d]*)?/.test(s) || /^#/.test(s)) return { kind: 'bad', text: s, why: 'not a number' };
  return { kind: 'text', text: s };
}

export function cellText(c: Cell): string {
  if (c === null || c === undefined) return '';
  return String(c).trim();
}
