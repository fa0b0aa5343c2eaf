/**
 * Pulses for a full swing (N 0.06 ↔ 1.9897, the paper's window and pulses) of aihwkit-jart devices of radius
 * 31.5 … 58.5 nm under four states of the paper-era fork's thermal resistance: scaled with 1/r² in both
 * polarities (its final code), in neither (its code before 2022-10-24), and in one polarity only (states the
 * uncommitted code between them might have had). Diagnostic for docs/crossbar.md; cap 1,000,000 pulses.
 *
 *   node --import tsx scripts/studies/crossbar-rth-states.ts
 */
import { eulerPulse, fitCoeffs } from '../../src/crossbar/device/aihwkitFit.js';

const kS = fitCoeffs(-0.342),
  kR = fitCoeffs(0.7065);
const nLo = 0.06,
  nHi = 1.9897452127440085,
  cap = 1e6;
function swing(set: boolean, r: number, area: boolean): number {
  let n = set ? nLo : nHi,
    p = 0;
  while (p < cap) {
    let m = eulerPulse(set ? kS : kR, n, r, 0.4e-9, 0.008, 20, 100, 1e-8, area);
    if (!(m === m)) m = set ? 20 : 0.008; // overflow: a full switch (aihwkit's NaN fallback)
    n = m;
    p++;
    if (set ? n >= nHi : n <= nLo) break;
  }
  return p;
}
const states: [string, boolean, boolean][] = [
  ['both (final)', true, true],
  ['neither (before 10-24)', false, false],
  ['SET only', true, false],
  ['RESET only', false, true],
];
console.log('r (nm) | ' + states.map((s) => `${s[0]}: SET / RESET`).join(' | '));
for (const rn of [31.5, 36, 40.5, 45, 49.5, 54, 58.5]) {
  console.log(`${rn} | ` + states.map(([, a, b]) => `${swing(true, rn * 1e-9, a)} / ${swing(false, rn * 1e-9, b)}`).join(' | '));
}
