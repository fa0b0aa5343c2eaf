/**
 * The integration variable. N is integrated in a window-adapted logarithmic coordinate that turns
 * the stiff approach to the bounds into a smooth, linear-in-time decay:
 *   SET   (V < 0): y = ln((Nmax/N)^10 − 1),  N = Nmax·exp(−softplus(y)/10)
 *   RESET (V > 0): y = ln((N/Nmin)^10 − 1),  N = Nmin·exp(+softplus(y)/10)
 * In both, dy/dt = −10·R(N)/N with R the unwindowed hopping rate (spec §5.4): the window
 * F_lim = 1 − (N/Nmax)^10 (resp. 1 − (Nmin/N)^10) is absorbed exactly. Far from the bounds
 * y ≈ ∓10 ln N + const, i.e. the ln N integration of spec §12; d ln N/dy = ∓σ(y)/10.
 */

/** softplus(y) = ln(1 + e^y) without overflow. */
function softplus(y: number): number {
  return y > 30 ? y + Math.log1p(Math.exp(-y)) : Math.log1p(Math.exp(y));
}

/** logistic σ(y) = e^y / (1 + e^y). */
export function logistic(y: number): number {
  return y >= 0 ? 1 / (1 + Math.exp(-y)) : Math.exp(y) / (1 + Math.exp(y));
}

/** ln(e^z − 1) for z > 0. */
function lnExpm1(z: number): number {
  return z > 30 ? z + Math.log1p(-Math.exp(-z)) : Math.log(Math.expm1(z));
}

/** y from N (N strictly inside the moving side of the bound; else ±∞). */
export function toY(nDisc: number, setPol: boolean, nMin: number, nMax: number): number {
  const z = setPol ? 10 * Math.log(nMax / nDisc) : 10 * Math.log(nDisc / nMin);
  if (!(z > 0)) return -Infinity;
  return lnExpm1(z);
}

export function fromY(y: number, setPol: boolean, nMin: number, nMax: number): number {
  if (y === -Infinity) return setPol ? nMax : nMin;
  const s = softplus(y) / 10;
  return setPol ? nMax * Math.exp(-s) : nMin * Math.exp(s);
}
