/**
 * Simulation output CSV: `t_s,v_V,i_A,ndisc` first (design.md), then `v_cell_V,T_K,compliance,vs_V`
 * and, with v1b var redraws, `r_var_m,l_var_m`. One row per waveform point, numbers in exponent form with
 * 11 significant digits (as Number.prototype.toExponential(10) writes them, to within one unit in the
 * last digit). Written atomically.
 *
 * The digits are written straight into a byte buffer: formatting a hundred thousand numbers through
 * strings took longer than the simulation itself (bench/cli.ts).
 */
import { writeFileAtomic } from './atomic.js';
import type { SimResult } from '../model/index.js';

const P10 = new Float64Array(660);
for (let i = 0; i < P10.length; i++) P10[i] = Number(`1e${i - 330}`);
const pow10 = (e: number): number => P10[e + 330];
const DIG = 11; // significant digits
/** "00" … "99" as character codes, two per number */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}
const TEN_D = 1e10; // 10^(DIG-1)
/** Longest number: "-d.dddddddddde-308" (18 bytes) plus the separator. */
const MAX_NUM = 19;

/** Writes x (finite or not) at `at` in `buf` in exponent form; returns the new position. */
function putNumber(buf: Uint8Array, at: number, x: number): number {
  const ax = x < 0 ? -x : x;
  if (!(ax < 1e290) || (ax < 1e-290 && ax !== 0)) {
    // NaN, infinities and the extremes of the range (never met in a simulation): through the string
    const s = x === x && ax !== Infinity ? x.toExponential(10) : x === x ? (x > 0 ? 'Infinity' : '-Infinity') : 'NaN';
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    return at;
  }
  if (x < 0) {
    buf[at++] = 45;
    x = -x;
  }
  let e = 0,
    m = 0;
  if (x !== 0) {
    e = Math.floor(Math.log10(x));
    m = Math.round(e >= 10 ? x / pow10(e - 10) : x * pow10(10 - e));
    if (m >= 10 * TEN_D) {
      e++;
      m = Math.round(e >= 10 ? x / pow10(e - 10) : x * pow10(10 - e));
    } else if (m < TEN_D) {
      e--;
      m = Math.round(e >= 10 ? x / pow10(e - 10) : x * pow10(10 - e));
    }
    if (m >= 10 * TEN_D) {
      m = Math.round(m / 10);
      e++;
    }
  }
  // the DIG = 11 digits of m: the first, then two int32 halves of 5 digits each, two digits at a time
  const hi = Math.floor(m / 1e5); // 6 digits
  let lo = (m - hi * 1e5) | 0; // 5 digits
  let h = (hi % 100000) | 0;
  buf[at] = 48 + ((hi / 100000) | 0);
  buf[at + 1] = 46;
  // h: digits 2..6, lo: digits 7..11
  let p = at + 12;
  let d = lo % 100;
  lo = (lo / 100) | 0;
  buf[--p] = PAIRS[2 * d + 1];
  buf[--p] = PAIRS[2 * d];
  d = lo % 100;
  lo = (lo / 100) | 0;
  buf[--p] = PAIRS[2 * d + 1];
  buf[--p] = PAIRS[2 * d];
  buf[--p] = 48 + lo;
  d = h % 100;
  h = (h / 100) | 0;
  buf[--p] = PAIRS[2 * d + 1];
  buf[--p] = PAIRS[2 * d];
  d = h % 100;
  h = (h / 100) | 0;
  buf[--p] = PAIRS[2 * d + 1];
  buf[--p] = PAIRS[2 * d];
  buf[--p] = 48 + h;
  at += DIG + 1;
  buf[at++] = 101;
  if (e < 0) {
    buf[at++] = 45;
    e = -e;
  } else buf[at++] = 43;
  if (e >= 100) {
    buf[at++] = 48 + Math.floor(e / 100);
    e %= 100;
    buf[at++] = 48 + Math.floor(e / 10);
    buf[at++] = 48 + (e % 10);
  } else if (e >= 10) {
    buf[at++] = 48 + Math.floor(e / 10);
    buf[at++] = 48 + (e % 10);
  } else buf[at++] = 48 + e;
  return at;
}

/** The CSV as bytes (UTF-8; all ASCII). */
function simResultToCsvBytes(r: SimResult, opts: { withVar?: boolean } = {}): Uint8Array {
  const withVar = Boolean(opts.withVar);
  const head = 't_s,v_V,i_A,ndisc,v_cell_V,T_K,compliance,vs_V' + (withVar ? ',r_var_m,l_var_m\n' : '\n');
  const { tS, vV, iA, ndisc, vCellV, tempK, complianceActive, vsV, rVarM, lVarM } = r;
  const n = tS.length;
  const cols: ArrayLike<number>[] = withVar
    ? [tS, vV, iA, ndisc, vCellV, tempK, complianceActive, vsV, rVarM, lVarM]
    : [tS, vV, iA, ndisc, vCellV, tempK, complianceActive, vsV];
  const buf = new Uint8Array(head.length + n * cols.length * (MAX_NUM + 1) + 1);
  let at = 0;
  for (let i = 0; i < head.length; i++) buf[at++] = head.charCodeAt(i);
  for (let k = 0; k < n; k++) {
    for (let c = 0; c < cols.length; c++) {
      if (c > 0) buf[at++] = 44;
      const x = cols[c][k];
      if (c === 6) {
        const s = String(x);
        for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
      } // the compliance flag, 0 or 1
      else at = putNumber(buf, at, x);
    }
    buf[at++] = 10;
  }
  return buf.subarray(0, at);
}

export function simResultToCsv(r: SimResult, opts: { withVar?: boolean } = {}): string {
  return Buffer.from(simResultToCsvBytes(r, opts)).toString('latin1');
}

export function writeSimCsv(path: string, r: SimResult, opts: { withVar?: boolean } = {}): void {
  writeFileAtomic(path, simResultToCsvBytes(r, opts));
}
