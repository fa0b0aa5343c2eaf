/**
 * Traces → normalised dataset. Per device: SET polarity (given, or from hysteresis and SET/RESET
 * metadata), cycles (cycle column, excursion splitting, halves joined), then per cycle the model
 * convention (SET at negative V), |I| with the sign of V, time base, branches, compliance, features.
 */
import { JartcalError } from '../util/errors.js';
import { TOOLKIT_VERSION } from '../version.js';
import { findExcursions, hysteresisScore, zeroTolerance } from './excursions.js';
import { detectCompliance } from './compliance.js';
import { computeFeatures, labelBranches } from './features.js';
import { fileDevice, parseFileName } from './deviceid.js';
import { cycleFromSheetName } from './k4200.js';
import { joinHalves, splitPiece, type Piece, type Unit } from './units-split.js';
import type { Cycle, Dataset, DeviceRecord, IngestIssue, Polarity, Provenance, ResolvedIngestOptions, TimeSource, Trace } from './types.js';

export const MIN_POINTS = 3;

function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

function piecesOf(traces: Trace[], opts: ResolvedIngestOptions): Piece[] {
  const pieces: Piece[] = [];
  const dataSheets = new Map<string, Set<string>>();
  for (const t of traces) if (t.sheet !== undefined) (dataSheets.get(t.file) ?? dataSheets.set(t.file, new Set()).get(t.file)!).add(t.sheet);
  let order = 0;
  for (const t of traces) {
    const sheetCycle = t.sheet !== undefined ? cycleFromSheetName(t.sheet) : null;
    const multi = (dataSheets.get(t.file)?.size ?? 0) > 1;
    const fn = parseFileName(t.file);
    let base = opts.device ?? t.hints.device ?? fileDevice(t, opts.deviceFrom, multi, sheetCycle !== null);
    let cycleHint = t.hints.cycle ?? (sheetCycle ?? undefined);
    let whole = false;
    if (t.hints.blockIndex !== undefined && opts.device === null) {
      const kind = opts.blocks !== 'auto' ? opts.blocks : t.hints.blockKind ?? 'cycles';
      const label = t.meta['traceLabel'] || String(t.hints.blockIndex + 1);
      if (kind === 'devices' && !t.hints.device) base = `${base}#${label}`;
      if (kind === 'cycles') { const n = Number(label); if (t.meta['traceLabel'] && Number.isInteger(n)) cycleHint = n; whole = true; }
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
      while (e < n && (!t.deviceCol || t.deviceCol[e] === dev) && (!t.cycleCol || t.cycleCol[e] === cyc || (Number.isNaN(cyc!) && Number.isNaN(t.cycleCol[e])))) e++;
      const device = opts.device ?? (dev ? dev : base);
      const hint = cyc !== null && Number.isFinite(cyc) ? cyc : cycleHint;
      pieces.push({ trace: t, start: s, end: e, device, order: order++, wholeCycle: whole || t.cycleCol !== undefined, ...(hint !== undefined ? { cycleHint: hint } : {}) });
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
    const v = p.trace.vV.slice(p.start, p.end), i = p.trace.iA.slice(p.start, p.end);
    const exs = findExcursions(v);
    const floor = Math.max(1e-13, median(i.map(Math.abs).filter((x) => x > 0)) * 1e-4);
    const half = p.trace.hints.half ?? parseFileName(p.trace.file).half;
    const signs = new Set(exs.map((e) => e.sign));
    if (half && signs.size === 1) { const s = [...signs][0]; meta += (half === 'set' ? s : -s); }
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
function detectPolarity(own: Piece[], fileEvidence: Map<string, { meta: number; hyst: number }>): { polarity: Polarity | null; evidence: string } {
  const e = polarityEvidence(own);
  if (e.meta !== 0) return { polarity: e.meta > 0 ? 'positive' : 'negative', evidence: `SET/RESET labels in the files (${e.meta > 0 ? '+' : ''}${e.meta})` };
  let pooled = 0;
  for (const f of new Set(own.map((p) => p.trace.file))) pooled += fileEvidence.get(f)?.hyst ?? 0;
  const h = Math.abs(pooled) >= 0.02 ? pooled : e.hyst;
  const scope = Math.abs(pooled) >= 0.02 ? 'pooled over the devices of its file(s)' : 'this device';
  if (Math.abs(h) >= 0.02) return { polarity: h > 0 ? 'positive' : 'negative', evidence: `hysteresis ${scope}: ${h.toFixed(3)} decades (own ${e.hyst.toFixed(3)}; positive = |I| rises on positive excursions)` };
  return { polarity: null, evidence: `hysteresis too weak to tell (${e.hyst.toFixed(3)} decades)` };
}

interface BuiltTime { tS: number[]; source: TimeSource }

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
          throw new JartcalError(`column "${u.piece.trace.columns.t}": time does not increase (${ts[k - 1]} s then ${ts[k]} s); expected strictly increasing time stamps (or give --time-from sweep-rate --sweep-rate R).`,
            { code: 'bad_time', location: { file: u.piece.trace.file, ...(u.piece.trace.sheet ? { sheet: u.piece.trace.sheet } : {}), line: rows[k] } });
        }
        if (k > u.start) dts.push(ts[k] - ts[k - 1]);
        t.push(offset + ts[k] - t0);
      }
      offset = t[t.length - 1] + (median(dts) || 0);
    }
    return { tS: t, source: 'file' };
  }
  if (opts.sweepRateVps !== null) {
    const steps: number[] = [];
    for (let k = 1; k < v.length; k++) { const d = Math.abs(v[k] - v[k - 1]); if (d > 0) steps.push(d); }
    const dt0 = (median(steps) || 1e-3) / opts.sweepRateVps;
    const t = [0];
    for (let k = 1; k < v.length; k++) { const d = Math.abs(v[k] - v[k - 1]); t.push(t[k - 1] + (d > 0 ? d / opts.sweepRateVps : dt0)); }
    return { tS: t, source: 'sweep-rate' };
  }
  return { tS: v.map((_, k) => k), source: 'index' };
}

function provenanceOf(u: Unit): Provenance {
  const t = u.piece.trace;
  return { file: t.file, ...(t.sheet !== undefined ? { sheet: t.sheet } : {}), rowStart: t.rows[u.start], rowEnd: t.rows[u.end - 1] };
}

function buildCycle(device: string, index: number, units: Unit[], flip: boolean, opts: ResolvedIngestOptions): Cycle {
  const vRaw: number[] = [], iRaw: number[] = [];
  for (const u of units) for (let k = u.start; k < u.end; k++) { vRaw.push(u.piece.trace.vV[k]); iRaw.push(u.piece.trace.iA[k]); }
  const first = units[0];
  if (vRaw.length < MIN_POINTS) {
    const t = first.piece.trace;
    throw new JartcalError(`a sweep needs at least ${MIN_POINTS} points; this one has ${vRaw.length} (column "${t.columns.v}").`,
      { code: 'too_few_points', location: { file: t.file, ...(t.sheet ? { sheet: t.sheet } : {}), line: t.rows[first.start] } });
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
  if (opts.complianceA !== null) { complianceA = opts.complianceA; complianceSource = 'option'; }
  else if (setUnit.piece.trace.hints.complianceA !== undefined) { complianceA = setUnit.piece.trace.hints.complianceA; complianceSource = 'metadata'; }
  else {
    complianceA = detectCompliance(vV, iA, exs, -1);
    if (complianceA !== null) complianceSource = 'plateau';
  }
  const features = computeFeatures(vV, iA, branch, opts.readVoltageV, complianceA);
  const zeros = iRaw.filter((_, k) => Math.abs(vRaw[k]) <= tol).map(Math.abs).filter((x) => x > 0);
  const pos = iRaw.map(Math.abs).filter((x) => x > 0).sort((a, b) => a - b);
  const floor = zeros.length ? median(zeros) : pos.length ? pos[Math.floor(0.01 * (pos.length - 1))] : 1e-12;
  const parts = units.map(provenanceOf);
  const hint = units.find((u) => u.cycleHint !== undefined)?.cycleHint;
  return {
    device, cycle: index, tS: time.tS, timeSource: time.source, vV, iA, complianceA, branch, features,
    provenance: parts[0], ...(parts.length > 1 ? { parts } : {}),
    currentFloorA: Math.max(floor, 1e-15), complianceSource,
    ...(hint !== undefined ? { sourceCycle: hint } : {}),
  };
}

export function assembleDataset(traces: Trace[], opts: ResolvedIngestOptions, files: string[], issues: IngestIssue[], now: Date = new Date()): Dataset {
  const pieces = piecesOf(traces, opts);
  const byDevice = new Map<string, Piece[]>();
  for (const p of pieces) (byDevice.get(p.device) ?? byDevice.set(p.device, []).get(p.device)!).push(p);
  const fileEvidence = new Map<string, { meta: number; hyst: number }>();
  if (opts.setPolarity === 'auto') {
    const byFile = new Map<string, Piece[]>();
    for (const p of pieces) (byFile.get(p.trace.file) ?? byFile.set(p.trace.file, []).get(p.trace.file)!).push(p);
    for (const [f, ps] of byFile) fileEvidence.set(f, polarityEvidence(ps));
  }
  const devices: DeviceRecord[] = [];
  for (const [id, ps] of byDevice) {
    let polarity: Polarity;
    let polaritySource: DeviceRecord['polaritySource'];
    let evidence = '';
    if (opts.setPolarity !== 'auto') { polarity = opts.setPolarity; polaritySource = 'option'; }
    else {
      const d = detectPolarity(ps, fileEvidence);
      if (d.polarity === null) {
        const p = ps[0];
        throw new JartcalError(`device "${id}": cannot tell which voltage polarity SETs the device (${d.evidence}); give --set-polarity positive|negative.`,
          { code: 'polarity_unknown', location: { file: p.trace.file, ...(p.trace.sheet ? { sheet: p.trace.sheet } : {}) } });
      }
      polarity = d.polarity; polaritySource = 'detected'; evidence = d.evidence;
    }
    const setSign: 1 | -1 = polarity === 'positive' ? 1 : -1;
    const units = ps.flatMap((p) => splitPiece(p, setSign));
    const groups = joinHalves(units);
    // cycles in the order of their stated numbers when every cycle has a distinct one
    const hintOf = (g: Unit[]) => g.find((u) => u.cycleHint !== undefined)?.cycleHint;
    const hints = groups.map(hintOf);
    if (hints.every((h) => h !== undefined) && new Set(hints).size === hints.length) groups.sort((a, b) => hintOf(a)! - hintOf(b)!);
    const cycles = groups.map((g, k) => buildCycle(id, k + 1, g, polarity === 'positive', opts));
    const unpaired = groups.filter((g) => g.length === 1 && (g[0].kind === 'set' || g[0].kind === 'reset')).length;
    if (unpaired > 0) issues.push({ code: 'unpaired_half', message: `device "${id}": ${unpaired} SET-only or RESET-only sweep(s) kept as cycles of their own (no matching half).`, location: { file: ps[0].trace.file } });
    const comp = cycles.map((c) => c.complianceA).filter((x): x is number => x !== null);
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(ps[0].trace.meta).slice(0, 200)) metadata[k] = String(v).slice(0, 500);
    metadata['polarityEvidence'] = polaritySource === 'option' ? 'given by option' : evidence;
    metadata['columns'] = JSON.stringify(ps[0].trace.columns);
    if (comp.length && Math.max(...comp) > 1.05 * Math.min(...comp)) { metadata['complianceMinA'] = String(Math.min(...comp)); metadata['complianceMaxA'] = String(Math.max(...comp)); }
    devices.push({ id, setPolarity: polarity, complianceA: comp.length ? median(comp) : null, cycles, metadata, polaritySource });
  }
  return { schema: 'jartcal.dataset/1', toolkitVersion: TOOLKIT_VERSION, createdAt: now.toISOString(), options: opts, devices, issues, files };
}
