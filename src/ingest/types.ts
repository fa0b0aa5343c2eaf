/**
 * Types of the ingest stage: the raw grid read from a file, the traces found in it, and the
 * normalised dataset (`jartcal.dataset/1`, CONTRACTS §2) it produces.
 */
import type { ErrorLocation } from '../util/errors.js';

/** One cell as read: a number (workbooks), a string (text files, text cells) or empty. */
export type Cell = string | number | null;

/** A rectangular-ish table of cells with a way to name each cell's location in its source. */
export interface Grid {
  file: string;
  sheet?: string;
  rows: Cell[][];
  /** Source line (text) or row number (sheet) of rows[r], 1-based. */
  lineOf(r: number): number;
  /** ErrorLocation of cell (r, c). */
  loc(r: number, c?: number): ErrorLocation;
  /** Comment and metadata lines collected while reading (key → value). */
  meta: Record<string, string>;
}

export type Half = 'set' | 'reset';

/** A contiguous series of (V, I[, t]) samples read from one table or run, before cycle splitting. */
export interface Trace {
  file: string;
  sheet?: string;
  vV: number[];
  /** Current as read (signed or absolute), already scaled to A. */
  iA: number[];
  tS?: number[];
  /** Per-sample cycle number from a cycle column. */
  cycleCol?: number[];
  /** Per-sample device id from a device column. */
  deviceCol?: string[];
  /** Source line/row number of each sample (1-based). */
  rows: number[];
  /** Sample indices before which a label row or block boundary separated the data. */
  breaks: number[];
  meta: Record<string, string>;
  hints: TraceHints;
  columns: { v: string; i: string; t?: string; cycle?: string; device?: string };
}

export interface TraceHints {
  device?: string;
  cycle?: number;
  half?: Half;
  complianceA?: number;
  /** True when the time column was synthesised by the instrument software, not measured. */
  timeGenerated?: boolean;
  /** 'devices' | 'cycles': what side-by-side blocks of one sheet stand for. */
  blockKind?: 'devices' | 'cycles';
  blockIndex?: number;
  /** When the run was recorded (metadata such as EasyEXPERT `TestRecord.RecordTime`, KITE `Last Executed`); orders runs of a device. */
  recordTime?: string;
  /** The run is an electroforming sweep (file name, setup title or test name says so): not a switching cycle. */
  forming?: boolean;
  /** Run number of the sheet ("Run113"): orders runs within a workbook; not a cycle number. */
  run?: number;
  /** The file states that no current compliance was set ("compliance off"). */
  complianceOff?: boolean;
  /** The file states the sign of V that SETs the device ("SET polarity: negative"), with the words it used. */
  setPolarity?: { value: Polarity; text: string };
  /** The file states the sweep rate (V/s), with the words it used. */
  sweepRate?: { value: number; text: string };
}

/** A problem that did not stop the ingest (only under --lenient, or informative notes). */
export interface IngestIssue {
  code: string;
  message: string;
  location?: ErrorLocation;
}

export type Polarity = 'positive' | 'negative';
export type TimeSource = 'file' | 'sweep-rate' | 'index';

export interface CycleFeatures {
  vSetV: number | null;
  vResetV: number | null;
  readVoltageV: number;
  hrsOhm: number | null;
  lrsOhm: number | null;
  onOff: number | null;
  resetPeakA: number | null;
  complianceHit: boolean;
}

export interface Provenance {
  file: string;
  sheet?: string;
  rowStart: number;
  rowEnd: number;
}

export interface Cycle {
  device: string;
  cycle: number;
  tS: number[];
  timeSource: TimeSource;
  vV: number[];
  iA: number[];
  complianceA: number | null;
  branch: number[];
  features: CycleFeatures;
  provenance: Provenance;
  /** All source parts when the cycle was joined from SET and RESET halves (first one = provenance). */
  parts?: Provenance[];
  currentFloorA?: number;
  /** True when (part of) the time column was synthesised by the instrument software, not measured ("Time (generated)"). */
  timeGenerated?: boolean;
  /** Where complianceA came from ('off': the file states no compliance was set). */
  complianceSource?: 'metadata' | 'plateau' | 'option' | 'off' | 'none';
  /** How a compliance read from the data was found (complianceSource 'plateau' only). */
  complianceEvidence?: ComplianceEvidence;
  /** Cycle label found in the file (sheet name, Count, cycle column), when it differs from `cycle`. */
  sourceCycle?: number;
  /** Sweep rate (V/s) the time base was rebuilt from (timeSource 'sweep-rate'), and where it came from. */
  sweepRateVps?: number;
  sweepRateSource?: 'option' | 'stated';
}

export interface DeviceRecord {
  id: string;
  setPolarity: Polarity;
  complianceA: number | null;
  cycles: Cycle[];
  metadata: Record<string, string>;
  /** How setPolarity was decided: given by option, stated in the file (wins over the data), or detected from the data. */
  polaritySource?: 'detected' | 'option' | 'stated';
  // ── added in jartcal.dataset/2 (test sequences) ──
  /** Every test (file or sheet run) read for this device, in acquisition order, with its role and whether it made cycles. */
  tests?: TestRecord[];
  /** Applied voltage (file's sign convention) at which the electroforming sweep switched; null when no forming test was found. */
  formingV?: number | null;
  /** Resistance before forming (|V|/|I| near the read voltage on the leakage check, else on the forming sweep's start). */
  pristineOhm?: number | null;
  /** Which halves made each cycle, and how they were matched. */
  pairing?: CyclePairing[];
}

// ── jartcal.dataset/2 additions ──
export const DATASET_SCHEMA = 'jartcal.dataset/2';
/** Schemas a reader of dataset.json accepts (/1 files lack the /2 additions, all optional). */
export const DATASET_SCHEMAS_READ = ['jartcal.dataset/1', 'jartcal.dataset/2'] as const;

export type TestRole = 'leakage' | 'forming' | 'first-reset' | 'endurance' | 'other';

export interface TestRecord {
  role: TestRole;
  file: string;
  sheet?: string;
  /** When the test ran (ISO 8601, from the file or its settings), when stated. */
  startTime?: string;
  /** True when its sweeps made (part of) the device's cycles. */
  used: boolean;
  /** Why it has this role, or why it was left out. */
  reason: string;
}

export interface CyclePairing {
  cycle: number;
  /** The SET and RESET halves (or the one whole sweep) that made the cycle. */
  set?: Provenance;
  reset?: Provenance;
  whole?: Provenance;
  /** 'cycle-label': equal cycle numbers; 'time': acquisition order (time stamps); 'order': file/run order; 'whole': one sweep held the cycle; 'unpaired': a half with no partner, kept as a half-cycle. */
  by: 'cycle-label' | 'time' | 'order' | 'whole' | 'unpaired';
}

export interface ComplianceEvidence {
  /** 'smu-plateau': samples flat within 0.05 % at a round setting; 'saturating-set': a SET branch that stops rising. */
  method: 'smu-plateau' | 'saturating-set';
  confidence: 'high' | 'medium';
  detail: string;
}

export interface Dataset {
  schema: typeof DATASET_SCHEMA;
  toolkitVersion: string;
  createdAt: string;
  options: ResolvedIngestOptions;
  devices: DeviceRecord[];
  /** Dropped rows (under --lenient), skipped sheets and other notes. */
  issues: IngestIssue[];
  /** Input files, in the order given. */
  files: string[];
}

/** 'auto' or the name of a registered reader (formats/index.ts `FORMAT_NAMES`). */
export type FormatName = string;

export interface IngestOptions {
  format?: FormatName;
  setPolarity?: Polarity | 'auto';
  readVoltageV?: number;
  sweepRateVps?: number;
  /** Ignore a time column and rebuild time from sweepRateVps. */
  timeFrom?: 'auto' | 'file' | 'sweep-rate';
  lenient?: boolean;
  /** Sheet name or 0-based index (workbooks); all data sheets when absent. */
  sheet?: string | number;
  vColumn?: string;
  iColumn?: string;
  tColumn?: string;
  cycleColumn?: string;
  deviceColumn?: string;
  vUnit?: string;
  iUnit?: string;
  tUnit?: string;
  /** Forces all data into one device with this id. */
  device?: string;
  /** How device ids are derived when the file states none. */
  deviceFrom?: 'auto' | 'file' | 'dir';
  /** What side-by-side column blocks stand for. */
  blocks?: 'auto' | 'devices' | 'cycles';
  complianceA?: number;
  decimalComma?: boolean | 'auto';
}

export interface ResolvedIngestOptions {
  format: FormatName;
  setPolarity: Polarity | 'auto';
  readVoltageV: number;
  sweepRateVps: number | null;
  timeFrom: 'auto' | 'file' | 'sweep-rate';
  lenient: boolean;
  sheet: string | number | null;
  columns: { v: string | null; i: string | null; t: string | null; cycle: string | null; device: string | null };
  units: { v: string | null; i: string | null; t: string | null };
  device: string | null;
  deviceFrom: 'auto' | 'file' | 'dir';
  blocks: 'auto' | 'devices' | 'cycles';
  complianceA: number | null;
  decimalComma: boolean | 'auto';
}
