/** Number formatting for the inspector's tables (display units: lengths in nm). */
export interface ParamBounds { name: string; unit: string; min: number; max: number }

export function displayScale(unit: string): { factor: number; unit: string } {
  return unit === 'm' ? { factor: 1e9, unit: 'nm' } : { factor: 1, unit };
}

export function fmtNum(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(Math.max(0, digits - 2)).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(Number(x.toPrecision(digits)));
}

export function fmtParam(x: number | null | undefined, unit: string, digits = 4): string {
  const s = displayScale(unit);
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
