/**
 * Numbers for people: a value with an SI prefix and its unit ("250 µA", "0.8337 V", "101.1 kΩ"),
 * percentages, parameter values in their display unit, and the predictive check's sweep as settings.
 */
import { formatNumber } from '../model/display.js';

const PREFIX: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
  [1e-12, 'p'],
  [1e-15, 'f'],
];

/** x in `unit` with an SI prefix and `digits` significant digits; trailing zeros dropped. Volts below 1 V stay in V. */
export function fmtUnit(x: number | null | undefined, unit: string, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  if (x === 0) return `0 ${unit}`;
  const a = Math.abs(x);
  // Voltages of a sweep read best in V (0.8337 V), other quantities with a prefix (250 µA, 101.1 kΩ).
  const [f, p] = unit === 'V' && a >= 1e-3 ? [1, ''] : (PREFIX.find(([f]) => a >= f * 0.9995) ?? PREFIX[PREFIX.length - 1]);
  return `${Number((x / f).toPrecision(digits))} ${p}${unit}`;
}

export function fmtPct(fraction: number, digits = 1): string {
  return Number.isFinite(fraction) ? `${(100 * fraction).toFixed(digits)} %` : 'n/a';
}

/** Signed relative difference as a percentage ("+8 %", "−71 %"). */
export function fmtRelDiff(r: number): string {
  if (!Number.isFinite(r)) return 'n/a';
  const v = Math.round(100 * r);
  return `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v)} %`;
}

export const fmtG = (x: number, digits = 4): string => formatNumber(x, digits);

/** A statistic name with its unit in parentheses ("median HRS (Ohm)") → name and unit ('Ω'). */
export function splitStatistic(s: string): { name: string; unit: string } {
  const m = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(s);
  if (!m) return { name: s, unit: '' };
  return { name: m[1], unit: m[2] === 'Ohm' ? 'Ω' : m[2] };
}

/** A value of a named statistic: CVs and spreads of logs as they are (dimensionless), values with units through fmtUnit. */
export function fmtStatistic(statistic: string, x: number): string {
  const { unit } = splitStatistic(statistic);
  if (/^CV of/.test(statistic)) return fmtPct(x);
  return unit ? fmtUnit(x, unit) : fmtG(x);
}

/** The predictive check's sweep ({vSetV, vResetV, stepV, rateVps, ...}) as readable settings. */
export function sweepProse(sweep: Record<string, unknown>): string {
  const n = (k: string): number | undefined =>
    typeof sweep[k] === 'number' && Number.isFinite(sweep[k]) ? (sweep[k] as number) : undefined;
  const parts: string[] = [];
  const vs = n('vSetV');
  const vr = n('vResetV');
  if (vs !== undefined || vr !== undefined)
    parts.push(`triangular sweep to ${fmtUnit(vs, 'V', 3)} (SET) and ${fmtUnit(vr, 'V', 3)} (RESET)`);
  if (n('stepV') !== undefined)
    parts.push(`step ${Math.abs(n('stepV')!) < 1 ? `${fmtG(n('stepV')! * 1e3, 3)} mV` : fmtUnit(n('stepV'), 'V', 3)}`);
  if (n('rateVps') !== undefined)
    parts.push(
      `${fmtG(n('rateVps')!, 3)} V/s${typeof sweep.rateSource === 'string' ? ` (rate from the ${sweep.rateSource === 'data' ? 'measured data' : sweep.rateSource})` : ''}`,
    );
  if (n('readVoltageV') !== undefined) parts.push(`read at ${fmtUnit(n('readVoltageV'), 'V', 3)}`);
  if (n('complianceA') !== undefined) parts.push(`compliance ${fmtUnit(n('complianceA'), 'A', 3)}`);
  else if ('complianceA' in sweep) parts.push('no compliance');
  if (n('seriesOhm') !== undefined) parts.push(`series resistance ${fmtUnit(n('seriesOhm'), 'Ω', 3)}`);
  const known = new Set(['vSetV', 'vResetV', 'stepV', 'rateVps', 'rateSource', 'readVoltageV', 'complianceA', 'seriesOhm']);
  for (const [k, v] of Object.entries(sweep))
    if (!known.has(k) && (typeof v === 'number' || typeof v === 'string')) parts.push(`${k} ${typeof v === 'number' ? fmtG(v) : v}`);
  return parts.join(', ');
}
