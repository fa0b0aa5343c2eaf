/** Numbers for people: SI prefixes and sensible digits (the files keep full precision). */

const PREFIXES: [number, string][] = [
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

/** `x` in `unit` with an SI prefix and `digits` significant digits, trailing zeros dropped: 2.75e-4 A → "275 µA". */
export function formatSi(x: number, unit: string, digits = 4): string {
  if (!Number.isFinite(x)) return `n/a`;
  if (x === 0) return `0 ${unit}`;
  const a = Math.abs(x);
  let [scale, prefix] = PREFIXES[PREFIXES.length - 1];
  for (const [s, p] of PREFIXES)
    if (a >= s * (1 - 5e-16)) {
      scale = s;
      prefix = p;
      break;
    }
  let m = Number((x / scale).toPrecision(digits));
  // rounding may carry into the next prefix (999.96 µ → 1000 µ → 1 m)
  if (Math.abs(m) >= 1000 && scale < 1e9) {
    const i = PREFIXES.findIndex(([s]) => s === scale);
    [scale, prefix] = PREFIXES[i - 1];
    m = Number((x / scale).toPrecision(digits));
  }
  return `${String(m)} ${prefix}${unit}`;
}
