/**
 * Display units of the JART parameters: the one unit each parameter is shown in by the report, the
 * inspector and the CLI tables (files keep the SI units of params.ts). `factor` turns the file value
 * into the displayed one: display = factor × file value.
 */
import type { ParamName } from './params.js';

export interface DisplayUnit {
  /** Unit shown in table headers and axis labels ('' for dimensionless). */
  unit: string;
  /** display value = factor × file (SI) value. */
  factor: number;
}

const NM: DisplayUnit = { unit: 'nm', factor: 1e9 };
const N26: DisplayUnit = { unit: '1e26 m⁻³', factor: 1 };
const OHM: DisplayUnit = { unit: 'Ω', factor: 1 };

/** One entry per parameter of PARAM_TABLE (checked by test/model/display.test.ts). */
export const DISPLAY_UNITS: Readonly<Record<ParamName, DisplayUnit>> = Object.freeze({
  eps: { unit: '', factor: 1 },
  epsphib: { unit: '', factor: 1 },
  phiBn0: { unit: 'eV', factor: 1 },
  phin: { unit: 'eV', factor: 1 },
  un: { unit: 'cm²/(V·s)', factor: 1e4 },
  Ndiscmax: N26,
  Ndiscmin: N26,
  Ninit: N26,
  Nplug: N26,
  a: NM,
  ny0: { unit: 'Hz', factor: 1 },
  dWa: { unit: 'eV', factor: 1 },
  Rth0: { unit: 'MK/W', factor: 1e-6 },
  rdet: NM,
  rnew: NM,
  lcell: NM,
  ldet: NM,
  lnew: NM,
  Rtheff_scaling: { unit: '', factor: 1 },
  RseriesTiOx: OHM,
  R0: OHM,
  Rthline: { unit: 'kK/W', factor: 1e-3 },
  alphaline: { unit: '1/K', factor: 1 },
  T0: { unit: 'K', factor: 1 },
});

/** Non-JART quantities that sit in parameter tables (the fit's external series resistance). */
const EXTRA: Readonly<Record<string, DisplayUnit>> = { seriesOhm: OHM };

/** The display unit of a parameter name; unknown names are shown as stored, without a unit. */
export function displayUnit(name: string): DisplayUnit {
  return (DISPLAY_UNITS as Record<string, DisplayUnit>)[name] ?? EXTRA[name] ?? { unit: '', factor: 1 };
}

/** File (SI) value → display value. */
export function toDisplay(name: string, value: number): number {
  return value * displayUnit(name).factor;
}

/** "name (unit)" for headers and axis labels; just the name when dimensionless. */
export function labelWithUnit(name: string): string {
  const u = displayUnit(name).unit;
  return u ? `${name} (${u})` : name;
}

/**
 * A display value with `digits` significant digits, plain notation between 1e-3 and 1e5, else
 * mantissa·e·exponent ("2e13", "-3.5e-4"); never a binary-float tail (0.00027499999999999996).
 */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) {
    const [m, e] = x.toExponential(Math.max(0, digits - 1)).split('e');
    return `${String(Number(m))}e${Number(e)}`;
  }
  return String(Number(x.toPrecision(digits)));
}

/** A parameter's file value formatted in its display unit (number only; the unit goes in the header). */
export function formatParam(name: string, value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined ? 'n/a' : formatNumber(toDisplay(name, value), digits);
}
