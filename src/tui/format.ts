/** Number formatting for the inspector's tables: each parameter in its display unit (src/model/display.ts). */
import { displayUnit, formatNumber } from '../model/display.js';

export interface ParamBounds {
  name: string;
  unit: string;
  min: number;
  max: number;
}

/** The display unit of a parameter (by name): factor from the file's SI value, and the unit shown. */
export function displayScale(name: string): { factor: number; unit: string } {
  return displayUnit(name);
}

export function fmtNum(x: number | null | undefined, digits = 4): string {
  return formatNumber(x, digits);
}

/** A parameter's file value in its display unit (`name` picks the unit). */
export function fmtParam(x: number | null | undefined, name: string, digits = 4): string {
  const s = displayScale(name);
  return x === null || x === undefined ? 'n/a' : fmtNum(x * s.factor, digits);
}

/** Where a value sits against its bounds: 'min', 'max' (within 0.1 % of the range or relative) or null. */
export function atBound(x: number, b: ParamBounds | undefined): 'min' | 'max' | null {
  if (!b || !Number.isFinite(x)) return null;
  const tol = Math.max(1e-3 * Math.abs(b.max - b.min) * 1e-3, 1e-3 * Math.abs(x));
  if (Math.abs(x - b.min) <= tol) return 'min';
  if (Math.abs(x - b.max) <= tol) return 'max';
  return null;
}
