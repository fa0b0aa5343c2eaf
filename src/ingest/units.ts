/**
 * Units: SI prefixes for A, V and s, as written in headers ("I [mA]", "Current (µA)", "V_mV") and cells ("12 uA"),
 * from a fast table; a unit the table does not know ("millivolts", "nanoamperes", "MV") is asked of mathjs
 * (`declaredUnitScale`, loaded on first use only: a file whose units the table knows never loads it).
 */
import { unitScaleMathjs } from '../util/units-mathjs.js';

const PREFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e-3, u: 1e-6, µ: 1e-6, μ: 1e-6, n: 1e-9, p: 1e-12, f: 1e-15 };

/** Scale factor of `unit` to the SI base unit `kind` (A, V or s), or null if it is not such a unit. */
export function unitScale(unit: string, kind: 'A' | 'V' | 's'): number | null {
  let u = unit
    .trim()
    .replace(/^[[(]|[\])]$/g, '')
    .trim();
  if (kind === 's') {
    const lower = u.toLowerCase();
    if (['s', 'sec', 'secs', 'second', 'seconds'].includes(lower)) return 1;
    if (['ms', 'msec'].includes(lower)) return 1e-3;
    if (['us', 'µs', 'μs', 'usec'].includes(lower)) return 1e-6;
    if (lower === 'ns') return 1e-9;
    if (['min', 'mins', 'minute', 'minutes'].includes(lower)) return 60;
    if (['h', 'hr', 'hrs', 'hour', 'hours'].includes(lower)) return 3600;
    return null;
  }
  if (kind === 'A' && /^amps?$/i.test(u)) return 1;
  if (kind === 'V' && /^volts?$/i.test(u)) return 1;
  if (u.length === 0 || u.length > 2) return null;
  const base = u[u.length - 1];
  if (base !== kind && !(kind === 'A' && base === 'a' && u.length === 1) && !(kind === 'V' && base === 'v' && u.length === 1)) return null;
  u = u.slice(0, -1);
  const f = PREFIX[u];
  return f === undefined ? null : f;
}

/**
 * Scale factor of a unit a file or an option declares for a column of quantity `kind`: the fast table, else mathjs
 * (spelled-out and other prefixed units). Null when neither knows it as a unit of that quantity.
 */
export function declaredUnitScale(unit: string, kind: 'A' | 'V' | 's'): number | null {
  const fast = unitScale(unit, kind);
  if (fast !== null) return fast;
  // only a unit-shaped word goes to mathjs (loading it takes seconds): a spelled-out unit, or a prefix and the symbol
  const u = unit
    .trim()
    .replace(/^[[(]|[\])]$/g, '')
    .trim();
  return SPELLED_UNIT.test(u) || new RegExp(`^[A-Za-zµμ]{1,2}${kind}$`).test(u) ? unitScaleMathjs(u, kind) : null;
}

/**
 * A bracketed header word shaped like a spelled-out unit (any prefix, then ampere, volt, second, ohm, minute or hour,
 * singular or plural): read as the column's unit, its scale then asked of mathjs. A cheap test of shape, so that a
 * header such as "Current (Drain)" is not taken for a unit and mathjs is not loaded for every bracket.
 */
const SPELLED_UNIT = /^[a-zµμ]*(amps?|amperes?|volts?|seconds?|secs?|ohms?|minutes?|hours?)$/i;

/**
 * Splits a header into its name and unit: "Current (mA)" → {name: "Current", unit: "mA"},
 * "I [uA]" → "uA", "V_mV" → "mV", "time_s" → "s". `unit` is null when none is written.
 */
export function splitHeaderUnit(header: string): { name: string; unit: string | null } {
  const h = header.trim();
  if (h.length > 120) return { name: h, unit: null };
  const br = /^(.*?)[\s_]*[[(]\s*([^\])]*?)\s*[\])]\s*$/.exec(h);
  if (br && (isUnitLike(br[2]) || /^[A-Za-zµμΩ%]{1,4}$/.test(br[2]) || SPELLED_UNIT.test(br[2])) && br[1].trim() !== '')
    return { name: br[1].trim(), unit: br[2] };
  const suf = /^(.*?[A-Za-z0-9])[_\s/]+([a-zA-Zµμ]{1,3})$/.exec(h);
  if (suf && isUnitLike(suf[2]) && suf[1].length > 0) return { name: suf[1], unit: suf[2] };
  return { name: h, unit: null };
}

function isUnitLike(u: string): boolean {
  return (
    unitScale(u, 'A') !== null || unitScale(u, 'V') !== null || unitScale(u, 's') !== null || /^(ohm|Ω|ohms|kohm|a\.?u\.?)$/i.test(u.trim())
  );
}
