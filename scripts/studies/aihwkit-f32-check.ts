/**
 * Single-precision check of the aihwkit-jart pulse (docs/crossbar.md, d2d rdisc 30 %): the paper-era
 * aihwkit code evaluates the JART update in float (T = float; N accumulated in double, NaN falling to the
 * pulse's N bound through its MIN/MAX macros). Re-types that update with Math.fround on every float
 * assignment and compares single 1 µs pulses with our double-precision eulerPulse over radii 31.5–58.5 nm
 * and start states 0.008–19. Usage: node --import tsx scripts/studies/aihwkit-f32-check.ts
 */
import { eulerPulse, fitCoeffs, JART_FIT_PARAMS as P } from '../../src/crossbar/device/aihwkitFit.js';
const f = Math.fround;
const KB = 8.61860174781523e-5,
  ZVO = 2,
  E = 1.602e-19;
const NMIN_REF = 0.008,
  J0 = 1.054,
  K0 = 1.0526;
// aihwkit update_once in float32 for T quantities, N in double (as the paper-era code)
function aihwPulse(vV: number, n0: number, r: number, nMin: number, nMax: number): number {
  const k = fitCoeffs(vV);
  const set = vV < 0;
  const A = f(Math.PI * r * r);
  const origA = f(Math.PI * P.rdet * P.rdet);
  const rthNeg = f(P.Rth0 * origA),
    rthPos = f(P.Rth0 * P.Rtheff_scaling * origA);
  const vSer = f(P.R0 * P.alphaline * P.R0 * P.Rthline),
    vDisk = f(ZVO * E * P.un * 1e26);
  const gco = f((ZVO * P.a) / (P.dWa * Math.PI)),
    any0 = f(P.a * P.ny0);
  const alpha = f(k.alpha),
    beta = f(k.beta),
    c = f(k.c),
    d = f(k.d),
    ff = f(k.f),
    g = f(k.g),
    h = f(k.h);
  const dt = f(1e-8);
  let N = n0;
  const maxB = nMax,
    minB = nMin;
  if (set ? !(N < maxB) : !(N > minB)) return N;
  for (let i = 0; i < 100; i++) {
    let I: number, gam: number, Tr: number;
    if (set) {
      I = f(-alpha - beta / Math.pow(1 + Math.pow(c / N, d), ff));
      const Eion = f(I / (vDisk * A * N));
      gam = f(gco * Eion);
      const Vo = f(vV - I * (P.RseriesTiOx + P.R0 + vSer * I * I));
      Tr = f(P.T0 + (I * Vo * rthNeg) / A);
    } else {
      I = f(g / Math.pow(1 + h * Math.pow(N / NMIN_REF, -J0), 1 / K0));
      const Vo = f(vV - I * (P.RseriesTiOx + P.R0 + vSer * I * I));
      gam = f((gco * Vo) / P.lcell);
      Tr = f(P.T0 + (I * Vo * rthPos) / A);
    }
    const mean = f(P.dWa * (Math.sqrt(1 - gam * gam) + gam * Math.asin(gam)));
    const diff = f(P.dWa * ((gam * Math.PI) / 2));
    const den = f(KB * Tr);
    const cv = f((P.Nplug + N) / 2);
    const F = f(set ? 1 - Math.pow(N / nMax, 10) : 1 - Math.pow(nMin / N, 10));
    const dNdt = f(-(cv * any0 * F * (Math.exp(-(mean - diff) / den) - Math.exp(-(mean + diff) / den))) / P.ldet);
    N = N + f(dNdt * dt);
  }
  // MIN/MAX macros: a NaN falls to the bound
  return set ? (N < maxB ? N : maxB) : N > minB ? N : minB;
}
function ours(vV: number, n0: number, r: number, nMin: number, nMax: number): number {
  const n = eulerPulse(fitCoeffs(vV), n0, r, P.ldet, nMin, nMax, 100, 1e-8);
  return vV < 0 ? (n < nMax ? n : nMax) : n > nMin ? n : nMin;
}
let worst = 0,
  nBoundDiff = 0,
  total = 0;
for (const r of [31.5e-9, 33e-9, 36e-9, 40.5e-9, 45e-9, 58.5e-9]) {
  const rows: string[] = [];
  for (const n0 of [0.008, 0.02, 0.06, 0.2, 0.342, 1, 2, 5, 10, 19])
    for (const v of [-0.342, 0.7065]) {
      const a = aihwPulse(v, n0, r, 0.008, 20),
        b = ours(v, n0, r, 0.008, 20);
      const rel = Math.abs(a - b) / Math.max(Math.abs(a), 1e-12);
      total++;
      if (rel > 1e-3) nBoundDiff++;
      worst = Math.max(worst, rel);
      if (rel > 1e-3) rows.push(`  N0 ${n0} V ${v}: f32 ${a.toPrecision(5)} f64 ${b.toPrecision(5)}`);
    }
  console.log(`r ${(r * 1e9).toFixed(1)} nm: ${rows.length} of 20 pulses differ by > 0.1 %`);
  rows.forEach((x) => console.log(x));
}
console.log('pulses', total, 'differing', nBoundDiff, 'worst rel', worst.toExponential(2));
