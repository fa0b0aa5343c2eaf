/** Device ids and cycle numbers from file names when the files do not state them. */
import { JartcalError } from '../util/errors.js';
import type { ResolvedIngestOptions, Trace } from './types.js';

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}
/** A folder named for one half of the cycle: "SET", "reset", "Set#1" (KITE test folder), "RESET sweeps". */
const HALF_DIR = /^(set|reset)(?=$|[#_\-\s.])/i;
function dirs(path: string): string[] {
  return path
    .split(/[\\/]/)
    .slice(0, -1)
    .filter((x) => x !== '' && x !== '.');
}
/** The folder holding the file, passing over folders that only say SET or RESET. */
function dirName(path: string): string {
  const ds = dirs(path);
  for (let k = ds.length - 1; k >= 0; k--) if (!HALF_DIR.test(ds[k])) return ds[k];
  return ds.length ? ds[ds.length - 1] : '.';
}
/** The folder path holding the file, without trailing folders that only say SET or RESET: the device's folder. */
export function deviceFolder(path: string): string {
  const ds = dirs(path);
  let n = ds.length;
  while (n > 0 && HALF_DIR.test(ds[n - 1])) n--;
  return ds.slice(0, n).join('/');
}
/** SET/RESET from the nearest of up to three enclosing folders ("SET/dev1.csv", "Reset#1/Site@1/Run3/data.xls"). */
function halfFromDirs(path: string): 'set' | 'reset' | undefined {
  const ds = dirs(path);
  for (let k = ds.length - 1; k >= Math.max(0, ds.length - 3); k--) {
    const m = HALF_DIR.exec(ds[k]);
    if (m) return m[1].toLowerCase() as 'set' | 'reset';
  }
  return undefined;
}

const CYCLE_TOKEN = /(?:^|[_\-\s.])(?:cycle|cyc|loop|sweep|run)[_\-\s#]?(\d+)(?=$|[_\-\s.])/i;
const HALF_TOKEN = /(?:^|[_\-\s.])(set|reset)(?:[_\-\s#]?(\d+))?(?=$|[_\-\s.])/i;
/** Keysight EasyEXPERT export names: "<SetupTitle> [<TestTarget>(<record>) ; <date time>]". */
const EASYEXPERT = /^(.*?)\s*\[\s*([^\]()]*?)\s*\((\d+)\)\s*;[^\]]*\]$/;

/** "dev07_cycle3.csv" → {device: "dev07", cycle: 3}; "set_10cycles.xlsx" → {device: "10cycles"}. */
/** "D3_forming.csv", "D3-electroforming", "form_D3": an electroforming sweep. */
const FORMING_TOKEN = /(?:^|[_\-\s.])(?:electro)?form(?:ing)?(?=$|[_\-\s.\d])/i;
export function isFormingFile(path: string): boolean {
  return FORMING_TOKEN.test(baseName(path).replace(/\.[A-Za-z0-9]{1,5}$/, ''));
}

/** What is left of a test step's file name once the half and forming tokens are gone: a step number and role words. */
const STEP_ONLY = /^(?:[\d\s_\-.#]|leak(?:age)?|pristine|check|read|endurance|cycling|first|initial|1st|test|step|sweeps?|i-?v)*$/i;

const ROLE_WORD = /(^|[^a-z])(leak(age)?|pristine|check|endurance|cycling)([^a-z]|$)/i;

export function parseFileName(path: string): { device: string; cycle?: number; half?: 'set' | 'reset' } {
  let stem = baseName(path).replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const ee = EASYEXPERT.exec(stem);
  // the test target names the device; the setup title may say SET or RESET; the record number is not a cycle
  // (no target: the setup title alone names no device, the folder does)
  if (ee) stem = (ee[2] !== '' ? `${ee[2]}_${ee[1]}` : ee[1]).replace(/[_\s]*(?:I_?V[_\s]*Sweep|Sweep)$/i, '');
  let d = stem;
  let cycle: number | undefined;
  let half: 'set' | 'reset' | undefined;
  const m = CYCLE_TOKEN.exec(d);
  if (m) {
    cycle = Number(m[1]);
    d = d.slice(0, m.index) + d.slice(m.index + m[0].length);
  }
  const fm = FORMING_TOKEN.exec(d);
  if (fm) d = d.slice(0, fm.index) + d.slice(fm.index + fm[0].length);
  const h = HALF_TOKEN.exec(d);
  if (h) {
    half = h[1].toLowerCase() as 'set' | 'reset';
    // "dev3_SET_2", "dev3_reset2": the number after the half names the cycle
    if (h[2] !== undefined && cycle === undefined) cycle = Number(h[2]);
    d = d.slice(0, h.index) + d.slice(h.index + h[0].length);
  }
  if (!half) half = halfFromDirs(path);
  d = d.replace(/^[_\-\s.]+|[_\-\s.]+$/g, '');
  // "03 endurance set.xlsx", "01 leakage.xlsx", "02 forming.xlsx": a test step's name (step number and role words only) names no device
  const stepOnly = STEP_ONLY.test(d) && (d !== stem || ROLE_WORD.test(d));
  if (stepOnly) d = '';
  // "device07/cycle3.csv": the name is only a cycle (or half) label, the folder names the device
  if (d === '' && (cycle !== undefined || half !== undefined || fm || stepOnly || (ee && ee[2] === ''))) d = dirName(path);
  return { device: d || stem, ...(cycle !== undefined ? { cycle } : {}), ...(half ? { half } : {}) };
}

function fileDevice(trace: Trace, from: 'auto' | 'file' | 'dir', multiSheet: boolean, sheetIsCycle: boolean): string {
  const base = from === 'dir' ? dirName(trace.file) : parseFileName(trace.file).device;
  if (trace.sheet !== undefined && multiSheet && !sheetIsCycle) return `${base}:${trace.sheet}`;
  return base;
}

/** The label of a data sheet: "Cycle10" → {cycle 10}; "Run113", "Append 2", "Sweep3", "Data4" → {run 113}: a run number orders runs, it names no cycle. */
export function sheetLabel(name: string): { kind: 'cycle' | 'run'; n: number } | null {
  const m = /^(cycle|run|sweep|append|data)\s*[#_-]?\s*(\d+)$/i.exec(name.trim());
  if (!m) return null;
  return { kind: m[1].toLowerCase() === 'cycle' ? 'cycle' : 'run', n: Number(m[2]) };
}

/** Device ids of traces from their names (or folders); the same file name in two device folders takes the folders' names; two folders of one name are an error. */
export function deviceIds(traces: Trace[], opts: ResolvedIngestOptions): Map<Trace, string> {
  const dataSheets = new Map<string, Set<string>>();
  for (const t of traces)
    if (t.sheet !== undefined) (dataSheets.get(t.file) ?? dataSheets.set(t.file, new Set()).get(t.file)!).add(t.sheet);
  const idOf = (t: Trace, from: 'auto' | 'file' | 'dir') =>
    fileDevice(t, from, (dataSheets.get(t.file)?.size ?? 0) > 1, t.sheet !== undefined && sheetLabel(t.sheet) !== null);
  const ids = new Map<Trace, string>();
  for (const t of traces) ids.set(t, idOf(t, opts.deviceFrom));
  if (opts.deviceFrom === 'auto') {
    const folders = new Map<string, Set<string>>();
    for (const t of traces)
      if (!t.hints.device) (folders.get(ids.get(t)!) ?? folders.set(ids.get(t)!, new Set()).get(ids.get(t)!)!).add(deviceFolder(t.file));
    for (const t of traces) if (!t.hints.device && (folders.get(ids.get(t)!)?.size ?? 0) > 1) ids.set(t, idOf(t, 'dir'));
  }
  // ids named after a folder must name one folder
  const byId = new Map<string, Trace>();
  for (const t of traces) {
    const id = ids.get(t)!,
      folder = deviceFolder(t.file);
    if (t.hints.device || id.split(':')[0] !== folder.split('/').pop()) continue;
    const prev = byId.get(id);
    if (prev && deviceFolder(prev.file) !== folder) {
      throw new JartcalError(
        `two folders give the same device id "${id}": ${prev.file} and ${t.file}; rename one folder, or give --device-from file, or ingest them separately.`,
        { code: 'device_id_clash', location: { file: t.file } },
      );
    }
    byId.set(id, t);
  }
  return ids;
}
