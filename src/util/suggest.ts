/** "Did you mean": the closest known name to a mistyped one (optimal-string-alignment distance). */

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours, case-insensitive. */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase(),
    t = b.toLowerCase();
  const m = s.length,
    n = t.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
}

/**
 * The known name closest to `given`, when it is close enough to be a typo: at most 1 edit for names up
 * to 4 characters, 2 up to 8, 3 beyond; a known name that starts with `given` (a prefix) also counts.
 * Ties go to the first in `known`. Undefined when nothing is close.
 */
export function closest(given: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const limit = given.length <= 4 ? 1 : given.length <= 8 ? 2 : 3;
  for (const k of known) {
    const dist = editDistance(given, k);
    if (dist < bestD) {
      best = k;
      bestD = dist;
    }
  }
  if (best !== undefined && bestD <= limit) return best;
  const prefixed = known.filter((k) => k.toLowerCase().startsWith(given.toLowerCase()));
  return given.length >= 3 && prefixed.length === 1 ? prefixed[0] : undefined;
}

/** ` (did you mean "X"?)` or an empty string. */
export function didYouMean(given: string, known: readonly string[], quote = (s: string): string => `"${s}"`): string {
  const c = closest(given, known);
  return c === undefined ? '' : ` (did you mean ${quote(c)}?)`;
}
