/** Device ids and cycle numbers from file names when the files do not state them. */
import type { Trace } from './types.js';

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}
function dirName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts.length > 1 ? parts[parts.length - 2] : '.';
}

const CYCLE_TOKEN = /(?:^|[_\-\s.])(?:cycle|cyc|loop|sweep|run)[_\-\s#]?(\d+)(?=$|[_\-\s.])/i;
const HALF_TOKEN = /(?:^|[_\-\s.])(set|reset)(?=$|[_\-\s.])/i;

/** "dev07_cycle3.csv" → {device: "dev07", cycle: 3}; "set_10cycles.xlsx" → {device: "10cycles"}. */
export function parseFileName(path: string): { device: string; cycle?: number; half?: 'set' | 'reset' } {
  const stem = baseName(path).replace(/\.[A-Za-z0-9]{1,5}$/, '');
  let d = stem;
  let cycle: number | undefined;
  let half: 'set' | 'reset' | undefined;
  const m = CYCLE_TOKEN.exec(d);
  if (m) { cycle = Number(m[1]); d = d.slice(0, m.index) + d.slice(m.index + m[0].length); }
  const h = HALF_TOKEN.exec(d);
  if (h) { half = h[1].toLowerCase() as 'set' | 'reset'; d = d.slice(0, h.index) + d.slice(h.index + h[0].length); }
  d = d.replace(/^[_\-\s.]+|[_\-\s.]+$/g, '');
  // "device07/cycle3.csv": the name is only a cycle (or half) label, the folder names the device
  if (d === '' && (cycle !== undefined || half !== undefined)) d = dirName(path);
  return { device: d || stem, ...(cycle !== undefined ? { cycle } : {}), ...(half ? { half } : {}) };
}

export function fileDevice(trace: Trace, from: 'auto' | 'file' | 'dir', multiSheet: boolean, sheetIsCycle: boolean): string {
  const base = from === 'dir' ? dirName(trace.file) : parseFileName(trace.file).device;
  if (trace.sheet !== undefined && multiSheet && !sheetIsCycle) return `${base}:${trace.sheet}`;
  return base;
}
