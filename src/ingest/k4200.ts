/**
 * Keithley 4200 (KITE / Clarius) specifics: the Settings sheet or section (per-cycle blocks
 * "Cycle N", "Test Name", an instrument table whose "Compliance" row holds each SMU's limit, the
 * sweeping SMU marked by "Forcing Function: Voltage Sweep") and data sheet names ("Cycle10", "Run2").
 */
import { cellText } from './cells.js';
import { halfFromText } from './metadata.js';
import type { Cell, Half } from './types.js';

export interface KiteRunSettings { testName?: string; complianceA?: number; half?: Half; stopV?: number; stepV?: number }
export interface KiteSettings { byCycle: Map<number, KiteRunSettings>; latest: KiteRunSettings | null }

export function looksLikeKiteSettings(rows: Cell[][]): boolean {
  let hits = 0;
  for (const row of rows.length > 20000 ? rows.slice(0, 20000) : rows) {
    const k = cellText(row?.[0] ?? null);
    if (/^(KTEI Version|Test Name|Forcing Function|Compliance|Dual Sweep Mode|Measure I|Range I)$/i.test(k)) hits++;
  }
  return hits >= 3;
}

export function parseKiteSettings(rows: Cell[][]): KiteSettings {
  const byCycle = new Map<number, KiteRunSettings>();
  let latest: KiteRunSettings | null = null;
  let cur: KiteRunSettings = {};
  let curCycle: number | null = null;
  let sweepCol = 1;
  const commit = () => {
    if (Object.keys(cur).length === 0) return;
    if (curCycle !== null) byCycle.set(curCycle, cur);
    if (!latest) latest = cur;
  };
  for (const row of rows) {
    const k = cellText(row?.[0] ?? null);
    if (/^={3,}$/.test(k)) continue;
    const m = /^(?:cycle|run)\s*#?\s*(\d+)$/i.exec(k);
    if (m) { commit(); cur = {}; curCycle = Number(m[1]); sweepCol = 1; continue; }
    const vals = (row ?? []).slice(1).map(cellText);
    if (/^test name$/i.test(k)) { cur.testName = vals[0]; const h = halfFromText(vals[0] ?? ''); if (h) cur.half = h; }
    else if (/^forcing function$/i.test(k)) { const j = vals.findIndex((v) => /sweep/i.test(v)); sweepCol = j >= 0 ? j + 1 : 1; }
    else if (/^compliance$/i.test(k)) { const x = Number(cellText(row?.[sweepCol] ?? null)); if (Number.isFinite(x) && x > 0) cur.complianceA = x; }
    else if (/^stop$/i.test(k)) { const x = Number(cellText(row?.[sweepCol] ?? null)); if (Number.isFinite(x)) cur.stopV = x; }
    else if (/^step$/i.test(k)) { const x = Number(cellText(row?.[sweepCol] ?? null)); if (Number.isFinite(x)) cur.stepV = x; }
  }
  commit();
  return { byCycle, latest };
}

/** Cycle number from a data sheet name: "Cycle10" → 10, "Run 2" → 2. */
export function cycleFromSheetName(name: string): number | null {
  const m = /^(?:cycle|run|sweep|append|data)\s*[#_-]?\s*(\d+)$/i.exec(name.trim());
  return m ? Number(m[1]) : null;
}
