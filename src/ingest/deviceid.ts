/** Device ids and cycle numbers from file names when the files do not state them. */
import type { Trace } from './types.js';

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}
/** A folder named for one half of the cycle: "SET", "reset", "Set#1" (KITE test folder), "RESET sweeps". */
const HALF_DIR = /^(set|reset)(?=$|[#_\-\s.])/i;
function dirs(path: string): string[] {
  return path.split(/[\\/]/).slice(0, -1).filter((x) => x !== '' && x !== '.');
}
/** The folder holding the file, passing over folders that only say SET or RESET. */
function dirName(path: string): string {
  const ds = dirs(path);
  for (let k = ds.length - 1; k >= 0; k--) if (!HALF_DIR.test(ds[k])) return ds[k];
  return ds.length ? ds[ds.length - 1] : '.';
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
  if (m) { cycle = Number(m[1]); d = d.slice(0, m.index) + d.slice(m.index + m[0].length); }
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
  // "device07/cycle3.csv": the name is only a cycle (or half) label, the folder names the device
  if (d === '' && (cycle !== undefined || half !== undefined || (ee && ee[2] === ''))) d = dirName(path);
  return { device: d || stem, ...(cycle !== undefined ? { cycle } : {}), ...(half ? { half } : {}) };
}

export function fileDevice(trace: Trace, from: 'auto' | 'file' | 'dir', multiSheet: boolean, sheetIsCycle: boolean): string {
  const base = from === 'dir' ? dirName(trace.file) : parseFileName(trace.file).device;
  if (trace.sheet !== undefined && multiSheet && !sheetIsCycle) return `${base}:${trace.sheet}`;
  return base;
}
