/**
 * Test sequences: the role of each run of a device (leakage check, electroforming, first RESET, endurance,
 * other), from the data first and the names where they help, and the device metadata the non-cycle tests
 * give (forming voltage, pristine resistance). Pure.
 */
import { findExcursions, hysteresisScore } from './excursions.js';
import { deviceFolder, isFormingFile } from './deviceid.js';
import type { Piece } from './units-split.js';
import { JartcalError } from '../util/errors.js';
import { median } from '../util/stats.js';
import { recordTimesMs } from './metadata.js';
import type { IngestIssue, ResolvedIngestOptions, TestRecord, TestRole, Trace } from './types.js';

/** The fewest samples a sweep may have. */
export const MIN_POINTS = 3;

/** A trace whose voltage never changes (a read or sampling run at a fixed bias) is no sweep. */
export function isFixedBias(t: Trace): boolean {
  return t.vV.length >= MIN_POINTS && t.vV.every((v) => v === t.vV[0]);
}

/**
 * A trace whose voltage jumps back and forth between levels (pulses with reads between them) is no quasi-static
 * sweep: at least 30 % of its steps reverse the one before, both spanning a tenth of its voltage range or more
 * (a sweep reverses a few times per cycle; measurement noise on a swept voltage is far below a tenth of the range).
 */
export function isPulseTrain(t: Trace): boolean {
  const v = t.vV,
    n = v.length;
  if (n < 16) return false;
  let min = Infinity,
    max = -Infinity;
  for (const x of v) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const big = 0.1 * (max - min);
  if (!(big > 0)) return false;
  let reversals = 0;
  for (let k = 2; k < n; k++) {
    const a = v[k - 1] - v[k - 2],
      b = v[k] - v[k - 1];
    if (a * b < 0 && Math.abs(a) >= big && Math.abs(b) >= big) reversals++;
  }
  return reversals >= 0.3 * (n - 1);
}

function base(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).replace(/\.[A-Za-z0-9]{1,5}$/, '');
}
const LEAK_NAME = /(^|[^a-z])(leak(age)?|pristine|read[ _-]?check|i[ _-]?v[ _-]?check)([^a-z]|$)/i;
const FIRST_RESET_NAME = /(^|[^a-z])(first|initial|1st)[ _-]?reset([^a-z]|$)/i;

/** What the names (file, sheet, test name) say the run is, when they say it. */
export function roleFromNames(p: Piece): TestRole | null {
  const t = p.trace;
  const text = `${base(t.file)} ${t.sheet ?? ''} ${t.meta['Test Name'] ?? ''}`;
  if (t.hints.forming || isFormingFile(t.file)) return 'forming';
  if (LEAK_NAME.test(text)) return 'leakage';
  if (FIRST_RESET_NAME.test(text)) return 'first-reset';
  return null;
}

function peakAbsV(p: Piece): number {
  let m = 0;
  for (let k = p.start; k < p.end; k++) m = Math.max(m, Math.abs(p.trace.vV[k]));
  return m;
}

/** Hysteresis of a piece in decades (max over its excursions): a switching sweep shows ≥ 0.3. */
function switching(p: Piece): number {
  const v = p.trace.vV.slice(p.start, p.end),
    i = p.trace.iA.slice(p.start, p.end);
  const pos = i.map(Math.abs).filter((x) => x > 0);
  const floor = Math.max(1e-13, (pos.length ? median(pos) : 0) * 1e-4);
  let h = 0;
  for (const ex of findExcursions(v)) {
    const s = hysteresisScore(v, i, ex, floor);
    if (Number.isFinite(s)) h = Math.max(h, Math.abs(s));
  }
  return h;
}

/** A small sweep touching both polarities (or named a leakage check) that does not switch, well below the device's other sweeps. */
function isLeakageCheck(p: Piece, othersPeakV: number, named: boolean): boolean {
  const v = p.trace.vV.slice(p.start, p.end);
  const peak = peakAbsV(p);
  const min = Math.min(...v),
    max = Math.max(...v);
  const symmetric = min < 0 && max > 0 && Math.min(-min, max) >= 0.5 * Math.max(-min, max);
  const small = othersPeakV > 0 && peak <= 0.4 * othersPeakV;
  if (!(named ? small || othersPeakV === 0 : small && symmetric)) return false;
  return switching(p) < 0.3;
}

/** Applied voltage where the forming sweep switched: the first sample reaching half its largest |I| (a current limit or an abrupt rise). */
export function formingVoltage(p: Piece): number | null {
  let imax = 0;
  for (let k = p.start; k < p.end; k++) imax = Math.max(imax, Math.abs(p.trace.iA[k]));
  if (!(imax > 0)) return null;
  for (let k = p.start; k < p.end; k++) if (Math.abs(p.trace.iA[k]) >= 0.5 * imax) return p.trace.vV[k];
  return null;
}

/** |V|/|I| at the sample nearest |V| = readV (before any switching: the first excursion's outgoing half). */
export function resistanceAt(p: Piece, readV: number): number | null {
  const v = p.trace.vV,
    i = p.trace.iA;
  let best = -1,
    bestD = Infinity;
  for (let k = p.start; k < p.end; k++) {
    if (v[k] === 0 || i[k] === 0) continue;
    const d = Math.abs(Math.abs(v[k]) - readV);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
    if (k > p.start && Math.abs(v[k]) < Math.abs(v[k - 1])) break; // first outgoing half only
  }
  return best >= 0 ? Math.abs(v[best] / i[best]) : null;
}

/**
 * The test a run belongs to: its folder (passing over SET/RESET folders) and its file name without the SET/RESET,
 * cycle and run tokens ("03 endurance set" and "03 endurance reset" are one test; "04 endurance set" another).
 */
export function testKey(p: Piece): string {
  const f = p.trace.file;
  let stem = base(f).replace(/\s*\[[^\]]*\]\s*$/, '');
  stem = stem
    .replace(/(^|[_\-\s.])(set|reset)([_\-\s#]?\d+)?(?=$|[_\-\s.])/gi, '$1')
    .replace(/(^|[_\-\s.])(cycle|cyc|loop|sweep|run)[_\-\s#]?\d+(?=$|[_\-\s.])/gi, '$1');
  return `${deviceFolder(f)}|${stem
    .replace(/[_\-\s.]+/g, ' ')
    .trim()
    .toLowerCase()}`;
}

/** Roles of every device's runs: what is not an endurance sweep is kept out of the cycles (a device of nothing but "forming" runs keeps them). */
export function sequenceRoles(byDevice: Map<string, Piece[]>, readV: number): Map<Piece, { role: TestRole; reason: string }> {
  const nonCycle = new Map<Piece, { role: TestRole; reason: string }>();
  for (const ps of byDevice.values()) {
    const sweeps = ps.filter((p) => !isFixedBias(p.trace));
    for (const p of ps)
      if (isFixedBias(p.trace)) nonCycle.set(p, { role: 'other', reason: `a read at a fixed ${p.trace.vV[p.start]} V, not a sweep` });
    const named = new Map(sweeps.map((p) => [p, roleFromNames(p)]));
    const forming = sweeps.filter((p) => named.get(p) === 'forming');
    if (forming.length < sweeps.length)
      for (const p of forming) nonCycle.set(p, { role: 'forming', reason: 'an electroforming sweep (so named)' });
    const rest = sweeps.filter((p) => !nonCycle.has(p));
    const peaks = rest.map(peakAbsV);
    const sorted = [...peaks].sort((x, y) => x - y);
    for (const [k, p] of rest.entries()) {
      // the median peak |V| of the device's other sweeps
      const others = sorted.slice();
      others.splice(others.indexOf(peaks[k]), 1);
      const ref = others.length ? median(others) : 0;
      if (isLeakageCheck(p, ref, named.get(p) === 'leakage') && rest.length > 1) {
        nonCycle.set(p, {
          role: 'leakage',
          reason: `a ${peakAbsV(p).toPrecision(2)} V check without switching (the device's sweeps reach ${ref.toPrecision(2)} V)${named.get(p) === 'leakage' ? ', so named' : ''}`,
        });
      }
    }
    // electroforming from the data when no name says so: the device's first sweep, from a pristine resistance
    if (forming.length === 0) {
      const left = sweeps.filter((p) => !nonCycle.has(p));
      const ms = left.every((p) => p.trace.hints.recordTime !== undefined)
        ? recordTimesMs(left.map((p) => p.trace.hints.recordTime!))
        : null;
      if (ms) {
        const at = new Map(left.map((p, k) => [p, ms[k]]));
        left.sort((a, b) => at.get(a)! - at.get(b)! || a.order - b.order);
      }
      const f = left.length >= 3 ? formingFromData(left[0], left.slice(1), readV) : null;
      if (f) nonCycle.set(left[0], { role: 'forming', reason: f });
    }
  }
  return nonCycle;
}

/**
 * The device's first sweep is an electroforming when it switches (|I| jumps above its own starting resistance line)
 * at a |V| beyond 1.2 × the peak |V| the later sweeps reach, from a resistance at the read voltage at least 10 × the
 * highest the later sweeps start from (a pristine cell). The reason (with its evidence), or null.
 */
export function formingFromData(p: Piece, later: Piece[], readV: number): string | null {
  const vf = formingVoltage(p);
  const r0 = resistanceAt(p, readV);
  if (vf === null || r0 === null) return null;
  const ref = median(later.map(peakAbsV));
  if (!(Math.abs(vf) > 1.2 * ref)) return null;
  let imax = 0;
  for (let k = p.start; k < p.end; k++) imax = Math.max(imax, Math.abs(p.trace.iA[k]));
  if (!(imax >= (10 * Math.abs(vf)) / r0)) return null;
  const rLater = later.map((q) => resistanceAt(q, readV)).filter((x): x is number => x !== null);
  const rMax = rLater.length ? Math.max(...rLater) : Infinity;
  if (!(r0 >= 10 * rMax)) return null;
  return (
    `the first sweep switches at ${vf.toPrecision(3)} V, beyond the ${ref.toPrecision(2)} V the later sweeps reach, ` +
    `from ${r0.toPrecision(2)} Ω at ${readV} V (later sweeps start at ≤ ${rMax.toPrecision(2)} Ω): an electroforming sweep`
  );
}

export function locOf(t: Trace): { file: string; sheet?: string } {
  return { file: t.file, ...(t.sheet !== undefined ? { sheet: t.sheet } : {}) };
}

export function testRecord(p: Piece, role: TestRole, used: boolean, reason: string): TestRecord {
  const t = p.trace;
  const ms = t.hints.recordTime !== undefined ? recordTimesMs([t.hints.recordTime]) : null;
  return { role, ...locOf(t), ...(ms ? { startTime: new Date(ms[0]).toISOString() } : {}), used, reason };
}

/** Runs of one file ordered by their run numbers must be ordered by their time stamps too. */
export function checkRunTimes(ps: Piece[], times: Map<Piece, number>, opts: ResolvedIngestOptions, issues: IngestIssue[]): void {
  const byFile = new Map<string, Piece[]>();
  for (const p of ps)
    if (p.trace.hints.run !== undefined) (byFile.get(p.trace.file) ?? byFile.set(p.trace.file, []).get(p.trace.file)!).push(p);
  for (const [file, list] of byFile) {
    list.sort((a, b) => a.trace.hints.run! - b.trace.hints.run!);
    for (let k = 1; k < list.length; k++) {
      const a = list[k - 1],
        b = list[k];
      if (times.get(b)! >= times.get(a)!) continue;
      const msg = `sheet "${b.trace.sheet}" (run ${b.trace.hints.run}) is stamped ${b.trace.hints.recordTime}, before sheet "${a.trace.sheet}" (run ${a.trace.hints.run}, ${a.trace.hints.recordTime}); expected run numbers and time stamps in the same order`;
      if (!opts.lenient)
        throw new JartcalError(`${msg} (give --lenient to order these runs by their time stamps).`, {
          code: 'time_order',
          location: { file, ...(b.trace.sheet ? { sheet: b.trace.sheet } : {}) },
        });
      issues.push({
        code: 'time_order',
        message: `${msg}; ordered by the time stamps.`,
        location: { file, ...(b.trace.sheet ? { sheet: b.trace.sheet } : {}) },
      });
      return;
    }
  }
}
