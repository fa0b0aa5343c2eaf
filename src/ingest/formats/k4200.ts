/**
 * Keithley 4200 (KITE / Clarius) specifics: the Settings sheet or section (per-cycle blocks
 * "Cycle N", "Test Name", an instrument table whose "Compliance" row holds each SMU's limit, the
 * sweeping SMU marked by "Forcing Function: Voltage Sweep") and data sheet names ("Cycle10", "Run2").
 */
import { cellText } from '../cells.js';
import { halfFromText, isFormingText, parseRecordTime } from '../metadata.js';
import { gridToTraces } from '../table.js';
import { sheetLabel } from '../deviceid.js';
import { readDataSheets } from './workbook-grid.js';
import type { FormatReader } from './reader.js';
import type { Cell, Half, Trace } from '../types.js';

export interface KiteRunSettings {
  testName?: string;
  complianceA?: number;
  half?: Half;
  stopV?: number;
  stepV?: number;
  /** "Last Executed" of the block: when the run was recorded. */
  recordTime?: string;
  /** The block labels itself a cycle ("Cycle 5"), not only a run ("Run 113"). */
  cycleLabel?: number;
}
/** Blocks keyed "run:N" / "cycle:N" by their header, and the first (latest) block. */
export interface KiteSettings {
  byLabel: Map<string, KiteRunSettings>;
  latest: KiteRunSettings | null;
}

function looksLikeKiteSettings(rows: Cell[][]): boolean {
  let hits = 0;
  for (const row of rows.length > 20000 ? rows.slice(0, 20000) : rows) {
    const k = cellText(row?.[0] ?? null);
    if (/^(KTEI Version|Test Name|Forcing Function|Operation Mode|Compliance|Dual Sweep Mode|Measure I|Range I)$/i.test(k)) hits++;
  }
  return hits >= 3;
}

function parseKiteSettings(rows: Cell[][]): KiteSettings {
  const byLabel = new Map<string, KiteRunSettings>();
  let latest: KiteRunSettings | null = null;
  let cur: KiteRunSettings = {};
  let curKey: string | null = null;
  let sweepCol = 1;
  const commit = () => {
    if (Object.keys(cur).length === 0) return;
    if (curKey !== null) byLabel.set(curKey, cur);
    if (!latest) latest = cur;
  };
  for (const row of rows) {
    const k = cellText(row?.[0] ?? null);
    if (/^={3,}$/.test(k)) continue;
    const m = /^(cycle|run|append)\s*#?\s*(\d+)$/i.exec(k);
    if (m) {
      commit();
      cur = {};
      sweepCol = 1;
      const kind = m[1].toLowerCase() === 'cycle' ? 'cycle' : 'run';
      curKey = `${kind}:${Number(m[2])}`;
      if (kind === 'cycle') cur.cycleLabel = Number(m[2]);
      continue;
    }
    const vals = (row ?? []).slice(1).map(cellText);
    if (/^test name$/i.test(k)) {
      cur.testName = vals[0];
      const h = halfFromText(vals[0] ?? '');
      if (h) cur.half = h;
    } else if (/^(forcing function|operation mode)$/i.test(k)) {
      const j = vals.findIndex((v) => /sweep/i.test(v));
      sweepCol = j >= 0 ? j + 1 : 1;
    } else if (/^compliance$/i.test(k)) {
      const x = Number(cellText(row?.[sweepCol] ?? null));
      if (Number.isFinite(x) && x > 0) cur.complianceA = x;
    } else if (/^last executed$/i.test(k) && vals[0] && (parseRecordTime(vals[0]) !== null || parseRecordTime(vals[0], true) !== null))
      cur.recordTime = vals[0];
    else if (/^stop$/i.test(k)) {
      const x = Number(cellText(row?.[sweepCol] ?? null));
      if (Number.isFinite(x)) cur.stopV = x;
    } else if (/^step$/i.test(k)) {
      const x = Number(cellText(row?.[sweepCol] ?? null));
      if (Number.isFinite(x)) cur.stepV = x;
    }
  }
  commit();
  return { byLabel, latest };
}

/** The settings block of a data sheet: by its label ("Run113" → block "Run 113", "Cycle10" → "Cycle 10"), else by number, else the latest. */
function settingsOf(kite: KiteSettings, sheet: string | undefined): KiteRunSettings | null {
  const l = sheet !== undefined ? sheetLabel(sheet) : null;
  if (l) {
    const own = kite.byLabel.get(`${l.kind}:${l.n}`) ?? kite.byLabel.get(`${l.kind === 'cycle' ? 'run' : 'cycle'}:${l.n}`);
    if (own) return own;
  }
  return kite.latest;
}

function settingsOwn(kite: KiteSettings, sheet: string): boolean {
  const l = sheetLabel(sheet);
  return l !== null && (kite.byLabel.has(`${l.kind}:${l.n}`) || kite.byLabel.has(`${l.kind === 'cycle' ? 'run' : 'cycle'}:${l.n}`));
}

/** Hints of the data traces from the settings: compliance of the sweeping SMU, SET/RESET test name, record time, cycle label. */
function applyKite(traces: Trace[], kite: KiteSettings): void {
  for (const t of traces) {
    const s = settingsOf(kite, t.sheet);
    if (!s) continue;
    if (s.complianceA !== undefined) t.hints.complianceA = s.complianceA;
    if (s.half && !t.hints.half) t.hints.half = s.half;
    if (s.testName) t.meta['Test Name'] = s.testName;
    if (s.testName && isFormingText(s.testName)) t.hints.forming = true;
    // the record time of the sheet's own block only (the latest block is the fallback for sheets without one)
    const own = t.sheet !== undefined && settingsOwn(kite, t.sheet);
    if (own && s.recordTime && t.hints.recordTime === undefined) t.hints.recordTime = s.recordTime;
    // the cycle label of the sheet's own block (never of the latest block, the fallback for sheets with no block)
    if (s.cycleLabel !== undefined && t.hints.cycle === undefined && t.sheet !== undefined && sheetLabel(t.sheet)?.n === s.cycleLabel)
      t.hints.cycle = s.cycleLabel;
  }
}

/**
 * Registered reader: Keithley 4200A (KITE / Clarius) exports: workbooks with a "Settings" sheet beside the
 * data sheets ("Run113", "Cycle10", "Data", "Calc"), and CSV runs with terminal columns (AV/AI) or a settings section.
 */
export const reader: FormatReader = {
  name: 'k4200',
  summary:
    'Keithley 4200A KITE/Clarius: xlsx/xls with a Settings sheet (per-run compliance, test name, Last Executed), or CSV runs (AV/AI columns, settings section)',
  reads: ['text', 'workbook'],
  detect(src) {
    if (src.kind !== 'text') return src.workbook().sheets.some((g) => looksLikeKiteSettings(g.rows));
    const rows = src.grid().rows;
    if (looksLikeKiteSettings(rows)) return true;
    // ITM terminal columns: a header row naming AV (or BV) and AI (or BI)
    for (const row of rows.slice(0, 200)) {
      const cells = row.map((c) => cellText(c).toUpperCase());
      if (cells.some((c) => c === 'AV' || c === 'BV') && cells.some((c) => c === 'AI' || c === 'BI')) return true;
    }
    return false;
  },
  read(src, ctx) {
    if (src.kind !== 'text') {
      const settings = src.workbook().sheets.filter((g) => looksLikeKiteSettings(g.rows));
      const traces = readDataSheets(src, ctx, (g) => settings.includes(g));
      if (settings.length) applyKite(traces, parseKiteSettings(settings[settings.length - 1].rows));
      return traces;
    }
    const grid = src.grid();
    const dc = ctx.opts.decimalComma === 'auto' ? grid.decimalCommaSeen : ctx.opts.decimalComma;
    const traces = gridToTraces(grid, { opts: ctx.opts, issues: ctx.issues, decimalComma: dc });
    if (looksLikeKiteSettings(grid.rows)) applyKite(traces, parseKiteSettings(grid.rows));
    return traces;
  },
};
