/**
 * Simulation output CSV: `t_s,v_V,i_A,ndisc` first (design.md), then `v_cell_V,T_K,compliance,vs_V`
 * and, with v1b var redraws, `r_var_m,l_var_m`. One row per waveform point, numbers in exponent form with
 * 11 significant digits (as Number.prototype.toExponential(10) writes them, to within one unit in the
 * last digit). Written atomically.
 *
 * The digits are written straight into a byte buffer: formatting a hundred thousand numbers through
 * strings took longer than the simulation itself (bench/cli.ts).
 */
import { AtomicFileWriter, writeFileAtomic } from './atomic.js';
import type { SimResult } from '../model/index.js';

const P10 = new Float64Array(660);
for (let i = 0; i < P10.length; i++) P10[i] = Number(`1e${i - 330}`);
/** Four decimal digits as four ASCII bytes in one little-endian word ("0123" → 0x33323130), 0 … 9999. */
const DIGITS4 = new Uint32Array(10000);
for (let i = 0; i < 10000; i++)
  DIGITS4[i] =
    (48 + ((i / 1000) | 0)) | ((48 + (((i / 100) | 0) % 10)) << 8) | ((48 + (((i / 10) | 0) % 10)) << 16) | ((48 + (i % 10)) << 24);
/** Two decimal digits as two ASCII bytes, 0 … 99. */
const DIGITS2 = new Uint16Array(100);
for (let i = 0; i < 100; i++) DIGITS2[i] = (48 + ((i / 10) | 0)) | ((48 + (i % 10)) << 8);
/** The exponent part "e+5", "e-12", "e-300" of exponent e (index e + 330): its first four bytes, the fifth, the length. */
const EXP4 = new Uint32Array(661);
const EXP5 = new Uint8Array(661);
const EXPLEN = new Uint8Array(661);
for (let e = -330; e <= 330; e++) {
  const s = `e${e < 0 ? '-' : '+'}${Math.abs(e)}`;
  let w = 0;
  for (let i = 0; i < 4 && i < s.length; i++) w |= s.charCodeAt(i) << (8 * i);
  EXP4[e + 330] = w >>> 0;
  EXP5[e + 330] = s.length > 4 ? s.charCodeAt(4) : 0;
  EXPLEN[e + 330] = s.length;
}
/** Longest number: "-d.dddddddddde-308" (18 bytes) plus the separator. */
const MAX_NUM = 19;

/** NaN, the infinities and the extremes of the range (never met in a simulation), through the string; x is not negative. */
function putRare(buf: Uint8Array, at: number, x: number): number {
  const s = x === x ? (x === Infinity ? 'Infinity' : x.toExponential(10)) : 'NaN';
  for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
  return at;
}

/**
 * Writes x at `at` in exponent form with 11 significant digits; returns the new position. The digits are
 * those of m = round(x · 10^(10 − e)) with e = floor(log10 x) corrected by one where m leaves
 * [10^10, 10^11) (Math.round written as floor and a comparison, the same integer); stored four bytes
 * at a time through `dv` (the same memory as `buf`, which has room for 4 bytes past any number).
 */
function putNumber(buf: Uint8Array, dv: DataView, at: number, x: number): number {
  if (x < 0) {
    buf[at++] = 45;
    x = -x;
  }
  if (!(x < 1e290) || (x < 1e-290 && x !== 0)) return putRare(buf, at, x);
  let e = 0,
    m = 0,
    y = 0;
  if (x !== 0) {
    e = Math.floor(Math.log10(x));
    y = e >= 10 ? x / P10[e + 320] : x * P10[340 - e];
    m = Math.floor(y);
    if (y - m >= 0.5) m++;
    if (m >= 1e11) {
      e++;
      y = e >= 10 ? x / P10[e + 320] : x * P10[340 - e];
      m = Math.floor(y);
      if (y - m >= 0.5) m++;
    } else if (m < 1e10) {
      e--;
      y = e >= 10 ? x / P10[e + 320] : x * P10[340 - e];
      m = Math.floor(y);
      if (y - m >= 0.5) m++;
    }
    if (m >= 1e11) {
      y = m / 10;
      m = Math.floor(y);
      if (y - m >= 0.5) m++;
      e++;
    }
  }
  // m = d0 · 10^10 + a · 10^6 + b · 10^2 + c
  const d0 = Math.floor(m / 1e10);
  const r = m - d0 * 1e10;
  const a = Math.floor(r / 1e6);
  const r2 = (r - a * 1e6) | 0;
  const b = (r2 / 100) | 0;
  buf[at] = 48 + d0;
  buf[at + 1] = 46;
  dv.setUint32(at + 2, DIGITS4[a], true);
  dv.setUint32(at + 6, DIGITS4[b], true);
  dv.setUint16(at + 10, DIGITS2[r2 - b * 100], true);
  dv.setUint32(at + 12, EXP4[e + 330], true);
  const len = EXPLEN[e + 330];
  if (len > 4) buf[at + 16] = EXP5[e + 330];
  return at + 12 + len;
}

const header = (withVar: boolean): string => 't_s,v_V,i_A,ndisc,v_cell_V,T_K,compliance,vs_V' + (withVar ? ',r_var_m,l_var_m\n' : '\n');
/** Bytes a row may take at most, and a buffer for `rows` rows after `head`. */
const rowBytes = (withVar: boolean): number => (withVar ? 10 : 8) * (MAX_NUM + 1);
const rowBuffer = (head: string, rows: number, withVar: boolean): Uint8Array => new Uint8Array(head.length + rows * rowBytes(withVar) + 8);

/** Writes `head` then rows k0 … k1 − 1 into `buf` from its start; returns the length. */
function putRows(r: SimResult, withVar: boolean, head: string, k0: number, k1: number, buf: Uint8Array): number {
  const { tS, vV, iA, ndisc, vCellV, tempK, complianceActive, vsV, rVarM, lVarM } = r;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = 0;
  for (let i = 0; i < head.length; i++) buf[at++] = head.charCodeAt(i);
  for (let k = k0; k < k1; k++) {
    at = putNumber(buf, dv, at, tS[k]);
    buf[at++] = 44;
    at = putNumber(buf, dv, at, vV[k]);
    buf[at++] = 44;
    at = putNumber(buf, dv, at, iA[k]);
    buf[at++] = 44;
    at = putNumber(buf, dv, at, ndisc[k]);
    buf[at++] = 44;
    at = putNumber(buf, dv, at, vCellV[k]);
    buf[at++] = 44;
    at = putNumber(buf, dv, at, tempK[k]);
    buf[at++] = 44;
    const f = complianceActive[k]; // the compliance flag, 0 or 1
    if (f === 0 || f === 1) buf[at++] = 48 + f;
    else {
      const s = String(f);
      for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    }
    buf[at++] = 44;
    at = putNumber(buf, dv, at, vsV[k]);
    if (withVar) {
      buf[at++] = 44;
      at = putNumber(buf, dv, at, rVarM[k]);
      buf[at++] = 44;
      at = putNumber(buf, dv, at, lVarM[k]);
    }
    buf[at++] = 10;
  }
  return at;
}

/** The CSV as bytes (UTF-8; all ASCII), one buffer sized for the longest numbers. */
function simResultToCsvBytes(r: SimResult, opts: { withVar?: boolean } = {}): Uint8Array {
  const withVar = Boolean(opts.withVar);
  const head = header(withVar);
  const buf = rowBuffer(head, r.tS.length, withVar);
  return buf.subarray(0, putRows(r, withVar, head, 0, r.tS.length, buf));
}

export function simResultToCsv(r: SimResult, opts: { withVar?: boolean } = {}): string {
  return Buffer.from(simResultToCsvBytes(r, opts)).toString('latin1');
}

export function writeSimCsv(path: string, r: SimResult, opts: { withVar?: boolean } = {}): void {
  writeFileAtomic(path, simResultToCsvBytes(r, opts));
}

/**
 * The same file as writeSimCsv, written in pieces of at least 1024 rows through one reused buffer: each
 * piece goes to disk in the background while the next is formatted (the last fsync waits only for the end).
 */
export async function writeSimCsvAsync(path: string, r: SimResult, opts: { withVar?: boolean } = {}): Promise<void> {
  const withVar = Boolean(opts.withVar);
  const n = r.tS.length;
  const rows = Math.max(1024, Math.ceil(n / 8));
  const head = header(withVar);
  const buf = rowBuffer(head, Math.min(rows, n), withVar);
  const out = new AtomicFileWriter(path);
  try {
    for (let k0 = 0; k0 < n || k0 === 0; k0 += rows) {
      const k1 = Math.min(n, k0 + rows);
      out.write(buf.subarray(0, putRows(r, withVar, k0 === 0 ? head : '', k0, k1, buf)));
      if (k1 < n) out.flushInBackground();
    }
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
}
