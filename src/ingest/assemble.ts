/**
 * Traces → normalised dataset. Per device: SET polarity (given, or from hysteresis and SET/RESET
 * metadata), cycles (cycle column, excursion splitting, halves joined), then per cycle the model
 * convention (SET at negative V), |I| with the sign of V, time base, branches, compliance, features.
 */
import { JartcalError } from '../util/errors.js';
import { TOOLKIT_VERSION } from '../version.js';
import { findExcursions, hysteresisScore, zeroTolerance } from './excursions.js';
import { detectComplianceWithEvidence } from './compliance.js';
import { computeFeatures, labelBranches } from '../features/index.js';
import { deviceIds, parseFileName, sheetLabel } from './deviceid.js';
import { recordTimesMs } from './metadata.js';
import { joinHalves, splitPiece, type Piece, type Unit } from './units-split.js';
import {
  DATASET_SCHEMA,
  type Cycle,
  type ComplianceEvidence,
  type CyclePairing,
  type Dataset,
  type DeviceRecord,
  type IngestIssue,
  type Polarity,
  type Provenance,
  type ResolvedIngestOptions,
  type TestRecord,
  type TimeSource,
  type Trace,
} from './types.js';
import { dropDuplicates } from './duplicates.js';
import {
  MIN_POINTS,
  checkRunTimes,
  formingVoltage,
  isFixedBias,
  isPulseTrain,
  locOf,
  resistanceAt,
  roleFromNames,
  sequenceRoles,
  testKey,
  testRecord,
} from './sequence.js';
import { median } from '../util/stats.js';

export { MIN_POINTS };

/**
 * Row e starts a new record of the same trace: the time column falls back to (near) where this piece
 * started, at the voltage the piece started with (runs appended in one table, each with its own clock).
 * Any other fall of the time is left to the time check, which refuses it.
 */
function timeRestarts(t: Trace, s: number, e: number, useTime: boolean): boolean {
  if (!useTime || !t.tS || e - s < MIN_POINTS) return false;
  const ts = t.tS;
  if (!(ts[e] < ts[e - 1])) return false;
  const span = ts[e - 1] - ts[s];
  const tol = zeroTolerance(t.vV.slice(s, e));
  return ts[e] <= ts[s] + 0.05 * span && Math.abs(t.vV[e] - t.vV[s]) <= Math.max(tol, 1e-9);
}

function piecesOf(traces: Trace[], opts: ResolvedIngestOptions): Piece[] {
  const useTime = opts.timeFrom !== 'sweep-rate';
  const pieces: Piece[] = [];
  const ids = opts.device === null ? deviceIds(traces, opts) : null;
  let order = 0;
  for (const t of traces) {
    const label = t.sheet !== undefined ? sheetLabel(t.sheet) : null;
    const fn = parseFileName(t.file);
    let base = opts.device ?? t.hints.device ?? ids!.get(t)!;
    let cycleHint = t.hints.cycle ?? (label?.kind === 'cycle' ? label.n : undefined);
    let whole = label !== null;
    if (t.hints.blockIndex !== undefined && opts.device === null) {
      const kind = opts.blocks !== 'auto' ? opts.blocks : (t.hints.blockKind ?? 'cycles');
      const label = t.meta['traceLabel'] || String(t.hints.blockIndex + 1);
      if (kind === 'devices' && !t.hints.device) base = `${base}#${label}`;
      if (kind === 'cycles') {
        const n = Number(label);
        if (t.meta['traceLabel'] && Number.isInteger(n)) cycleHint = n;
        whole = true;
      }
    }
    if (cycleHint === undefined && fn.cycle !== undefined) cycleHint = fn.cycle;
    if (cycleHint !== undefined) whole = true;
    // split by device column, then by cycle column
    const n = t.vV.length;
    let s = 0;
    while (s < n) {
      let e = s + 1;
      const dev = t.deviceCol ? t.deviceCol[s] : null;
      const cyc = t.cycleCol ? t.cycleCol[s] : null;
      while (
        e < n &&
        (!t.deviceCol || t.deviceCol[e] === dev) &&
        (!t.cycleCol || t.cycleCol[e] === cyc || (Number.isNaN(cyc!) && Number.isNaN(t.cycleCol[e]))) &&
        !timeRestarts(t, s, e, useTime)
      )
        e++;
      const device = opts.device ?? (dev ? dev : base);
      const hint = cyc !== null && Number.isFinite(cyc) ? cyc : cycleHint;
      pieces.push({
        trace: t,
        start: s,
        end: e,
        device,
        order: order++,
        wholeCycle: whole || t.cycleCol !== undefined,
        ...(hint !== undefined ? { cycleHint: hint } : {}),
      });
      s = e;
    }
  }
  return pieces;
}

/** Polarity evidence of pieces: explicit SET/RESET labels (count) and hysteresis (decades, signed by excursion polarity). */
function polarityEvidence(pieces: Piece[]): { meta: number; hyst: number } {
  let meta = 0;
  let hyst = 0;
  for (const p of pieces) {
    const v = p.trace.vV.slice(p.start, p.end),
      i = p.trace.iA.slice(p.start, p.end);
    const exs = findExcursions(v);
    const floor = Math.max(1e-13, median(i.map(Math.abs).filter((x) => x > 0)) * 1e-4);
    const half = p.trace.hints.half ?? parseFileName(p.trace.file).half;
    const signs = new Set(exs.map((e) => e.sign));
    if (half && signs.size === 1) {
      const s = [...signs][0];
      meta += half === 'set' ? s : -s;
    }
    for (const ex of exs) {
      const sc = hysteresisScore(v, i, ex, floor);
      if (Number.isFinite(sc)) hyst += ex.sign * Math.max(-3, Math.min(3, sc));
    }
  }
  return { meta, hyst };
}

/**
 * SET polarity of one device: explicit SET/RESET labels first; else the hysteresis of all devices
 * measured in the same file(s) pooled (one protocol per file: a device that failed to switch
 * cannot flip the convention), else of the device alone.
 */
function detectPolarity(
  own: Piece[],
  fileEvidence: Map<string, { meta: number; hyst: number }>,
): { polarity: Polarity | null; evidence: string } {
  const e = polarityEvidence(own);
  if (e.meta !== 0)
    return {
      polarity: e.meta > 0 ? 'positive' : 'negative',
      evidence: `SET/RESET labels in the files (${e.meta > 0 ? '+' : ''}${e.meta})`,
    };
  let pooled = 0;
  for (const f of new Set(own.map((p) => p.trace.file))) pooled += fileEvidence.get(f)?.hyst ?? 0;
  const h = Math.abs(pooled) >= 0.02 ? pooled : e.hyst;
  const scope = Math.abs(pooled) >= 0.02 ? 'pooled over the devices of its file(s)' : 'this device';
  if (Math.abs(h) >= 0.02)
    return {
      polarity: h > 0 ? 'positive' : 'negative',
      evidence: `hysteresis ${scope}: ${h.toFixed(3)} decades (own ${e.hyst.toFixed(3)}; positive = |I| rises on positive excursions)`,
    };
  return { polarity: null, evidence: `hysteresis too weak to tell (${e.hyst.toFixed(3)} decades)` };
}

interface BuiltTime {
  tS: number[];
  source: TimeSource;
  rate?: number;
  rateSource?: 'option' | 'stated';
}

function buildTime(units: Unit[], v: number[], opts: ResolvedIngestOptions): BuiltTime {
  const allHaveTime = units.every((u) => u.piece.trace.tS !== undefined);
  const useFile = allHaveTime && opts.timeFrom !== 'sweep-rate';
  if (useFile) {
    const t: number[] = [];
    let offset = 0;
    for (const u of units) {
      const ts = u.piece.trace.tS!;
      const t0 = ts[u.start];
      const dts: number[] = [];
      for (let k = u.start; k < u.end; k++) {
        if (k > u.start && !(ts[k] > ts[k - 1])) {
          const rows = u.piece.trace.rows;
          throw new JartcalError(
            `column "${u.piece.trace.columns.t}": time does not increase (${ts[k - 1]} s then ${ts[k]} s); expected strictly increasing time stamps (or give --time-from sweep-rate --sweep-rate R).`,
            {
              code: 'bad_time',
              location: { file: u.piece.trace.file, ...(u.piece.trace.sheet ? { sheet: u.piece.trace.sheet } : {}), line: rows[k] },
            },
          );
        }
        if (k > u.start) dts.push(ts[k] - ts[k - 1]);
        t.push(offset + ts[k] - t0);
      }
      offset = t[t.length - 1] + (median(dts) || 0);
    }
    return { tS: t, source: 'file' };
  }
  const stated = units.map((u) => u.piece.trace.hints.sweepRate).find((x) => x !== undefined);
  const rate = opts.sweepRateVps ?? stated?.value ?? null;
  if (rate !== null) {
    const steps: number[] = [];
    for (let k = 1; k < v.length; k++) {
      const d = Math.abs(v[k] - v[k - 1]);
      if (d > 0) steps.push(d);
    }
    const dt0 = (median(steps) || 1e-3) / rate;
    const t = [0];
    for (let k = 1; k < v.length; k++) {
      const d = Math.abs(v[k] - v[k - 1]);
      t.push(t[k - 1] + (d > 0 ? d / rate : dt0));
    }
    return { tS: t, source: 'sweep-rate', rate, rateSource: opts.sweepRateVps !== null ? 'option' : 'stated' };
  }
  return { tS: v.map((_, k) => k), source: 'index' };
}

function provenanceOf(u: Unit): Provenance {
  const t = u.piece.trace;
  return { file: t.file, ...(t.sheet !== undefined ? { sheet: t.sheet } : {}), rowStart: t.rows[u.start], rowEnd: t.rows[u.end - 1] };
}

function buildCycle(device: string, index: number, units: Unit[], flip: boolean, opts: ResolvedIngestOptions): Cycle {
  const vRaw: number[] = [],
    iRaw: number[] = [];
  for (const u of units)
    for (let k = u.start; k < u.end; k++) {
      vRaw.push(u.piece.trace.vV[k]);
      iRaw.push(u.piece.trace.iA[k]);
    }
  const first = units[0];
  if (vRaw.length < MIN_POINTS) {
    const t = first.piece.trace;
    throw new JartcalError(`a sweep needs at least ${MIN_POINTS} points; this one has ${vRaw.length} (column "${t.columns.v}").`, {
      code: 'too_few_points',
      location: { file: t.file, ...(t.sheet ? { sheet: t.sheet } : {}), line: t.rows[first.start] },
    });
  }
  const vV = vRaw.map((x) => (flip ? -x : x));
  const tol = zeroTolerance(vV);
  const iA = vV.map((x, k) => (Math.abs(x) <= 0 ? 0 : Math.sign(x) * Math.abs(iRaw[k])));
  const exs = findExcursions(vV);
  const branch = labelBranches(vV, exs);
  const time = buildTime(units, vRaw, opts);
  const setUnit = units.find((u) => u.kind === 'set' || u.kind === 'full') ?? first;
  let complianceA: number | null = null;
  let complianceSource: Cycle['complianceSource'] = 'none';
  let complianceEvidence: ComplianceEvidence | undefined;
  if (opts.complianceA !== null) {
    complianceA = opts.complianceA;
    complianceSource = 'option';
  } else if (setUnit.piece.trace.hints.complianceA !== undefined) {
    complianceA = setUnit.piece.trace.hints.complianceA;
    complianceSource = 'metadata';
  } else if (setUnit.piece.trace.hints.complianceOff)
    complianceSource = 'off'; // stated: no plateau guess overrides it
  else {
    const found = detectComplianceWithEvidence(vV, iA, exs, -1);
    if (found) {
      complianceA = found.valueA;
      complianceSource = 'plateau';
      complianceEvidence = found.evidence;
    }
  }
  const features = computeFeatures(vV, iA, branch, opts.readVoltageV, complianceA);
  const zeros = iRaw
    .filter((_, k) => Math.abs(vRaw[k]) <= tol)
    .map(Math.abs)
    .filter((x) => x > 0);
  const pos = iRaw
    .map(Math.abs)
    .filter((x) => x > 0)
    .sort((a, b) => a - b);
  // Resolution estimate: the median zero-bias reading, but never above a tenth of the currents the cycle
  // itself resolved (its 1st percentile of |I|). At 0 V a conducting cell reads the source's offset over
  // its resistance (a mA-range cell at 100 Ω: 0.04–1.2 µA), which is no floor: uncapped, that median hid
  // the nA HRS branch of such a cell's first cycle.
  const p1 = pos.length ? pos[Math.floor(0.01 * (pos.length - 1))] : 1e-12;
  const floor = zeros.length ? Math.min(median(zeros), 0.1 * p1) : p1;
  const parts = units.map(provenanceOf);
  const hint = units.find((u) => u.cycleHint !== undefined)?.cycleHint;
  return {
    device,
    cycle: index,
    tS: time.tS,
    timeSource: time.source,
    vV,
    iA,
    complianceA,
    branch,
    features,
    provenance: parts[0],
    ...(parts.length > 1 ? { parts } : {}),
    currentFloorA: Math.max(floor, 1e-15),
    complianceSource,
    ...(complianceEvidence ? { complianceEvidence } : {}),
    ...(time.source === 'file' && units.some((u) => u.piece.trace.hints.timeGenerated) ? { timeGenerated: true } : {}),
    ...(hint !== undefined ? { sourceCycle: hint } : {}),
    ...(time.rate !== undefined ? { sweepRateVps: time.rate, sweepRateSource: time.rateSource } : {}),
  };
}

export function assembleDataset(
  traces: Trace[],
  opts: ResolvedIngestOptions,
  files: string[],
  issues: IngestIssue[],
  now: Date = new Date(),
): Dataset {
  // read/sampling runs between the sweeps (EasyEXPERT "Resistance" records, KITE reads) and pulse trains never pose as a
  // SET or RESET half; a campaign of nothing but fixed-bias runs or pulse trains is refused
  const fixed = traces.filter(isFixedBias);
  const pulses = traces.filter((t) => !isFixedBias(t) && isPulseTrain(t));
  if (fixed.length + pulses.length > 0 && fixed.length + pulses.length === traces.length) {
    const t = fixed[0] ?? pulses[0];
    throw new JartcalError(
      fixed.length
        ? `the voltage column "${t.columns.v}" holds one fixed value (${t.vV[0]} V) in every run: a read or sampling measurement, not an I-V sweep.`
        : `the voltage column "${t.columns.v}" jumps between levels (pulses and reads), not a quasi-static I-V sweep.`,
      { code: 'not_a_sweep', location: { ...locOf(t), line: t.rows[0] } },
    );
  }
  for (const t of fixed) {
    issues.push({
      code: 'skipped_fixed_bias',
      message: `a run at a fixed ${t.vV[0]} V (${t.vV.length} points, a read or sampling run, not a sweep) skipped.`,
      location: { ...locOf(t), line: t.rows[0] },
    });
  }
  for (const t of pulses) {
    issues.push({
      code: 'skipped_pulse_train',
      message: `a pulse train (${t.vV.length} points jumping between voltage levels, not a quasi-static sweep) skipped.`,
      location: { ...locOf(t), line: t.rows[0] },
    });
  }
  if (pulses.length) traces = traces.filter((t) => !pulses.includes(t));
  const allPieces = dropDuplicates(piecesOf(traces, opts), issues, MIN_POINTS);
  const byDevice = new Map<string, Piece[]>();
  for (const p of allPieces) (byDevice.get(p.device) ?? byDevice.set(p.device, []).get(p.device)!).push(p);
  const nonCycle = sequenceRoles(byDevice, opts.readVoltageV);
  for (const [p, r] of nonCycle)
    if (r.role !== 'other')
      issues.push({
        code: `skipped_${r.role.replace('-', '_')}`,
        message: `device "${p.device}": ${r.reason}; reported as a ${r.role} test, not a switching cycle.`,
        location: { ...locOf(p.trace), line: p.trace.rows[p.start] },
      });
  const cyclePieces = allPieces.filter((p) => !nonCycle.has(p));
  if (cyclePieces.length === 0 && allPieces.length > 0) {
    const t = allPieces[0]?.trace ?? traces[0];
    throw new JartcalError('no switching sweep left once leakage checks, forming and fixed-bias reads are set aside.', {
      code: 'no_cycles',
      location: locOf(t),
    });
  }
  const fileEvidence = new Map<string, { meta: number; hyst: number }>();
  if (opts.setPolarity === 'auto') {
    const byFile = new Map<string, Piece[]>();
    for (const p of cyclePieces) (byFile.get(p.trace.file) ?? byFile.set(p.trace.file, []).get(p.trace.file)!).push(p);
    for (const [f, ps] of byFile) fileEvidence.set(f, polarityEvidence(ps));
  }
  const devices: DeviceRecord[] = [];
  for (const [id, every] of byDevice) {
    // acquisition order: runs that state when they were recorded are taken in that order (files are listed by name, not by time)
    const times = every.every((p) => p.trace.hints.recordTime !== undefined)
      ? recordTimesMs(every.map((p) => p.trace.hints.recordTime!))
      : null;
    const at = times ? new Map(every.map((p, k) => [p, times[k]])) : null;
    if (at) {
      checkRunTimes(every, at, opts, issues);
      every.sort((a, b) => at.get(a)! - at.get(b)! || a.order - b.order);
    }
    const ps = every.filter((p) => !nonCycle.has(p));
    if (ps.length === 0) continue;
    let polarity: Polarity;
    let polaritySource: DeviceRecord['polaritySource'];
    let evidence = '';
    // what the file says wins over a guess from the data; the guess is still recorded with its evidence
    const stated = ps.map((p) => p.trace.hints.setPolarity).filter((x) => x !== undefined);
    if (opts.setPolarity !== 'auto') {
      polarity = opts.setPolarity;
      polaritySource = 'option';
    } else if (stated.length) {
      const other = ps.find((p) => p.trace.hints.setPolarity && p.trace.hints.setPolarity.value !== stated[0].value);
      if (other) {
        const first = ps.find((p) => p.trace.hints.setPolarity)!;
        throw new JartcalError(
          `device "${id}": the files state opposite SET polarities ("${stated[0].text}" in ${first.trace.file}, "${other.trace.hints.setPolarity!.text}" in ${other.trace.file}); expected one polarity per device (or give --set-polarity positive|negative).`,
          { code: 'polarity_conflict', location: locOf(other.trace) },
        );
      }
      polarity = stated[0].value;
      polaritySource = 'stated';
      const d = detectPolarity(ps, fileEvidence);
      const where = ps.find((p) => p.trace.hints.setPolarity)!.trace;
      evidence = `stated in ${where.file}${where.sheet ? `, sheet "${where.sheet}"` : ''} ("${stated[0].text}")`;
      if (d.polarity !== null && d.polarity !== polarity) {
        evidence += `; the data suggest ${d.polarity} (${d.evidence}), not applied`;
        issues.push({
          code: 'polarity_disagrees',
          message: `device "${id}": the file states SET at ${polarity} V ("${stated[0].text}"); the data suggest ${d.polarity} (${d.evidence}); the statement is used.`,
          location: locOf(where),
        });
      } else if (d.polarity !== null) evidence += `; the data agree (${d.evidence})`;
    } else {
      const d = detectPolarity(ps, fileEvidence);
      if (d.polarity === null) {
        const p = ps[0];
        throw new JartcalError(
          `device "${id}": cannot tell which voltage polarity SETs the device (${d.evidence}); give --set-polarity positive|negative.`,
          { code: 'polarity_unknown', location: locOf(p.trace) },
        );
      }
      polarity = d.polarity;
      polaritySource = 'detected';
      evidence = d.evidence;
    }
    const setSign: 1 | -1 = polarity === 'positive' ? 1 : -1;
    let units = ps.flatMap((p) => splitPiece(p, setSign));
    // a RESET half before the first SET half, after forming or so named, is the first RESET: it closes no cycle
    const firstReset: Piece[] = [];
    const halves = units.filter((u) => u.kind === 'set' || u.kind === 'reset');
    const firstHalf = halves[0];
    if (firstHalf && firstHalf.kind === 'reset' && firstHalf.piece.end - firstHalf.piece.start === firstHalf.end - firstHalf.start) {
      const nSet = halves.filter((u) => u.kind === 'set').length,
        nReset = halves.length - nSet;
      const formed = every.some((p) => nonCycle.get(p)?.role === 'forming');
      const named = roleFromNames(firstHalf.piece) === 'first-reset';
      const byHint = halves.every((u) => u.cycleHint !== undefined);
      // halves paired by cycle numbers: a first RESET only when no SET half carries its number (or it is so named)
      const partner = byHint && halves.some((u) => u.kind === 'set' && u.cycleHint === firstHalf.cycleHint);
      if (named || (!partner && (formed || nReset === nSet + 1))) {
        firstReset.push(firstHalf.piece);
        nonCycle.set(firstHalf.piece, {
          role: 'first-reset',
          reason: `the first RESET${named ? ' (so named)' : formed ? ' after forming' : ''}, before any SET: it closes no cycle`,
        });
        issues.push({
          code: 'skipped_first_reset',
          message: `device "${id}": the first RESET sweep (before any SET) is reported as the first-reset test, not a cycle.`,
          location: { ...locOf(firstHalf.piece.trace), line: firstHalf.piece.trace.rows[firstHalf.piece.start] },
        });
        units = units.filter((u) => u !== firstHalf);
      }
    }
    // halves pair within their own test only (a SET of one endurance block never closes with a RESET of another)
    const byTest = new Map<string, Unit[]>();
    for (const u of units) {
      const k = testKey(u.piece);
      (byTest.get(k) ?? byTest.set(k, []).get(k)!).push(u);
    }
    const groups: Unit[][] = [];
    const how = new Map<Unit[], CyclePairing['by']>();
    for (const us of byTest.values()) {
      const hs = us.filter((u) => u.kind === 'set' || u.kind === 'reset');
      const labelled = hs.length > 0 && hs.every((u) => u.cycleHint !== undefined);
      for (const g of joinHalves(us)) {
        groups.push(g);
        how.set(
          g,
          g.length === 1
            ? g[0].kind === 'set' || g[0].kind === 'reset'
              ? 'unpaired'
              : 'whole'
            : labelled
              ? 'cycle-label'
              : at
                ? 'time'
                : 'order',
        );
      }
    }
    // cycles in the order of their stated numbers when every cycle has a distinct one, else in acquisition order
    const hintOf = (g: Unit[]) => g.find((u) => u.cycleHint !== undefined)?.cycleHint;
    const hints = groups.map(hintOf);
    const pos = new Map(units.map((u, k) => [u, k]));
    if (hints.every((h) => h !== undefined) && new Set(hints).size === hints.length) groups.sort((a, b) => hintOf(a)! - hintOf(b)!);
    else groups.sort((a, b) => pos.get(a[0])! - pos.get(b[0])!);
    const cycles = groups.map((g, k) => buildCycle(id, k + 1, g, polarity === 'positive', opts));
    const pairing: CyclePairing[] = groups.map((g, k) => {
      const pr = (u: Unit | undefined) => (u ? provenanceOf(u) : undefined);
      const s = g.find((u) => u.kind === 'set'),
        r = g.find((u) => u.kind === 'reset');
      return {
        cycle: k + 1,
        ...(s ? { set: pr(s) } : {}),
        ...(r ? { reset: pr(r) } : {}),
        ...(!s && !r ? { whole: pr(g[0]) } : {}),
        by: how.get(g)!,
      };
    });
    const unpaired = pairing.filter((x) => x.by === 'unpaired');
    for (const u of unpaired) {
      const pv = (u.set ?? u.reset)!;
      issues.push({
        code: 'unpaired_half',
        message: `device "${id}": a ${u.set ? 'SET' : 'RESET'}-only sweep with no partner in its test, kept as half-cycle ${u.cycle} (its features still used).`,
        location: { file: pv.file, ...(pv.sheet ? { sheet: pv.sheet } : {}), line: pv.rowStart },
      });
    }
    const comp = cycles.map((c) => c.complianceA).filter((x): x is number => x !== null);
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(ps[0].trace.meta).slice(0, 200)) metadata[k] = String(v).slice(0, 500);
    metadata['polarityEvidence'] = polaritySource === 'option' ? 'given by option' : evidence;
    const rateStated = ps.map((p) => p.trace.hints.sweepRate).find((x) => x !== undefined);
    if (rateStated) metadata['sweepRateStated'] = rateStated.text;
    metadata['columns'] = JSON.stringify(ps[0].trace.columns);
    const cmin = comp.reduce((a, b) => Math.min(a, b), Infinity),
      cmax = comp.reduce((a, b) => Math.max(a, b), 0);
    if (comp.length && cmax > 1.05 * cmin) {
      metadata['complianceMinA'] = String(cmin);
      metadata['complianceMaxA'] = String(cmax);
    }
    // the sequence: every test of the device with its role; forming voltage and pristine resistance from the non-cycle tests
    const used = new Set(groups.flat().map((u) => u.piece));
    const tests: TestRecord[] = every.map((p) => {
      const nc = nonCycle.get(p);
      return nc
        ? testRecord(p, nc.role, false, nc.reason)
        : testRecord(p, 'endurance', used.has(p), used.has(p) ? 'switching sweeps, paired into cycles' : 'no cycle made');
    });
    const formingP = every.find((p) => nonCycle.get(p)?.role === 'forming');
    const leakP = every.find((p) => nonCycle.get(p)?.role === 'leakage');
    const formingV = formingP ? formingVoltage(formingP) : null;
    const pristineOhm = leakP ? resistanceAt(leakP, opts.readVoltageV) : formingP ? resistanceAt(formingP, opts.readVoltageV) : null;
    devices.push({
      id,
      setPolarity: polarity,
      complianceA: comp.length ? median(comp) : null,
      cycles,
      metadata,
      polaritySource,
      tests,
      formingV,
      pristineOhm,
      pairing,
    });
  }
  return { schema: DATASET_SCHEMA, toolkitVersion: TOOLKIT_VERSION, createdAt: now.toISOString(), options: opts, devices, issues, files };
}
