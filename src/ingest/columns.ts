/**
 * Column roles from header text. A header is reduced to a key (lower case, unit and punctuation
 * removed) and matched against the common spellings of instrument exports. Lower rank = preferred.
 */
import { splitHeaderUnit } from './units.js';

export type Role = 'v' | 'i' | 't' | 'cycle' | 'device';

export interface RoleMatch {
  role: Role;
  rank: number;
  abs?: boolean;
  log10?: boolean;
}

export function headerKey(h: string): string {
  const { name } = splitHeaderUnit(h);
  return name
    .toLowerCase()
    .replace(/\[\d+\]/g, '')
    .replace(/[^a-z0-9@#]/g, '')
    .replace(/(.)#+$/, '$1');
}

const V_EXACT: Record<string, number> = {
  v: 0,
  voltage: 0,
  volt: 0,
  volts: 0,
  vf: 0,
  vforce: 0,
  vsweep: 0,
  vapplied: 0,
  appliedvoltage: 0,
  av: 0,
  bv: 1,
  cv: 2,
  dv: 2,
  vtop: 0,
  vbias: 0,
  bias: 1,
  vprog: 1,
  vsource: 0,
  sourcevoltage: 0,
  vs: 2,
  vin: 1,
  vcell: 1,
  vmeas: 3,
  vm: 3,
  measuredvoltage: 3,
  smuv: 0,
  smu1v: 0,
  smu2v: 1,
  smu3v: 1,
  smu4v: 1,
  vd: 2,
  vdd: 3,
  vtopelectrode: 0,
  vte: 1,
  voltagev: 0,
};
const I_EXACT: Record<string, number> = {
  i: 0,
  current: 0,
  currents: 0,
  curr: 0,
  if: 0,
  imeas: 0,
  im: 1,
  measuredcurrent: 0,
  ai: 0,
  bi: 1,
  ci: 2,
  di: 2,
  itop: 0,
  icell: 0,
  smui: 0,
  smu1i: 0,
  smu2i: 1,
  smu3i: 1,
  smu4i: 1,
  is: 2,
  iout: 1,
  currenta: 0,
  id: 4,
  idrain: 3,
  it: 2,
  ite: 1,
};
const I_ABS: Record<string, number> = { absi: 6, iabs: 6, abscurrent: 6, absolutecurrent: 6, currentabs: 6, ii: 7 };
const T_EXACT: Record<string, number> = {
  t: 1,
  time: 0,
  times: 0,
  timegenerated: 1,
  '@time': 0,
  timestamp: 2,
  elapsed: 1,
  elapsedtime: 0,
  smu1time: 0,
  smutime: 0,
  smu2time: 1,
  reltime: 1,
  relativetime: 1,
  tstamp: 2,
  times_: 0,
};
const CYCLE_EXACT: Record<string, number> = {
  cycle: 0,
  cycles: 0,
  cycleno: 0,
  cyclenumber: 0,
  cycleindex: 0,
  cyc: 1,
  loop: 1,
  loopno: 1,
  sweepno: 1,
  sweepnumber: 1,
  sweepindex: 1,
  iteration: 2,
  repeat: 2,
  repetition: 2,
  count: 3,
  experiment: 2,
  run: 3,
  runno: 2,
  '#cycle': 0,
  cycle_: 0,
};
const DEVICE_EXACT: Record<string, number> = {
  device: 0,
  devices: 0,
  deviceid: 0,
  dev: 1,
  devid: 1,
  cell: 1,
  cellid: 1,
  site: 2,
  die: 3,
  dut: 1,
  sample: 3,
  pad: 2,
};

const TERMINAL_RANK: Record<string, number> = {
  anode: 0,
  top: 0,
  te: 0,
  terminal: 1,
  row: 1,
  bl: 1,
  drain: 2,
  cathode: 3,
  bottom: 3,
  be: 3,
  col: 3,
  column: 3,
  sl: 3,
  source: 4,
  wl: 4,
  gate: 5,
};

/** The role a header names, if any. */
export function classifyHeader(h: string): RoleMatch | null {
  const raw = h.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (/^log(10)?(abs)?(i|current|absi|abscurrent)(a)?$/.test(raw)) return { role: 'i', rank: 8, abs: true, log10: true };
  const key = headerKey(h);
  if (key === '') return null;
  if (key in V_EXACT) return { role: 'v', rank: V_EXACT[key] };
  if (key in I_ABS) return { role: 'i', rank: I_ABS[key], abs: true };
  if (key in I_EXACT) return { role: 'i', rank: I_EXACT[key] };
  if (key in T_EXACT) return { role: 't', rank: T_EXACT[key] };
  if (key in CYCLE_EXACT) return { role: 'cycle', rank: CYCLE_EXACT[key] };
  if (key in DEVICE_EXACT) return { role: 'device', rank: DEVICE_EXACT[key] };
  // terminal-named columns as Keithley 4200 ITMs name them (<terminal>V, <terminal>I: AnodeV, DrainI,
  // TEV) and the reverse spelling (V_anode, Irow): the swept top/anode terminal preferred
  const term =
    /^(?:(v|i)(anode|cathode|top|bottom|te|be|row|col|column|bl|sl|wl|drain|source|gate|terminal[a-d]?)\d?|(anode|cathode|top|bottom|te|be|row|col|column|bl|sl|wl|drain|source|gate|terminal[a-d]?)\d?(v|i))$/.exec(
      key,
    );
  if (term) {
    const name = term[2] ?? term[3];
    const vi = (term[1] ?? term[4]) as 'v' | 'i';
    return { role: vi, rank: TERMINAL_RANK[name.startsWith('terminal') ? 'terminal' : name] ?? 2 };
  }
  // numbered channel names: V1, I2, Vtop1, SMU1.V, Voltage1 ...
  if (/^(v|voltage|vf|vforce)\d{1,2}$/.test(key)) return { role: 'v', rank: 1 };
  if (/^(i|current|if|imeas)\d{1,2}$/.test(key)) return { role: 'i', rank: 1 };
  if (/^(t|time)\d{1,2}$/.test(key)) return { role: 't', rank: 2 };
  if (/^(av|ai)\d{1,2}$/.test(key)) return { role: key[1] === 'v' ? 'v' : 'i', rank: 0 };
  if (/^smu\d?(v|voltage)$/.test(key)) return { role: 'v', rank: 1 };
  if (/^smu\d?(i|current)$/.test(key)) return { role: 'i', rank: 1 };
  if (/^smu\d?(t|time)$/.test(key)) return { role: 't', rank: 1 };
  if (/^(ch|channel)\d{0,2}(t|time)$/.test(key)) return { role: 't', rank: 1 };
  if (/^abs(olute)?(i|current)\d*$/.test(key)) return { role: 'i', rank: 6, abs: true };
  if (/^(voltage|volt)(applied|forced|source|top)?$/.test(key)) return { role: 'v', rank: 0 };
  if (/^v_?(smu|ch|app|applied|a)\d?$/.test(key)) return { role: 'v', rank: 1 };
  if (/^i_?(smu|ch|a)\d?$/.test(key)) return { role: 'i', rank: 1 };
  if (/^log(10)?(abs)?(i|current|absi|abscurrent)$/.test(key)) return { role: 'i', rank: 8, abs: true, log10: true };
  if (/^(ch|smu|channel)\d*(voltage|volt)$/.test(key) || /^[a-z]{0,6}\d?voltage$/.test(key)) return { role: 'v', rank: 2 };
  if (/^(ch|smu|channel)\d*current$/.test(key) || (/^[a-z]{0,6}\d?current$/.test(key) && !/^(abs|log|avg|mean)/.test(key)))
    return { role: 'i', rank: 2 };
  if (/^(current)(measured|meas|top)?$/.test(key)) return { role: 'i', rank: 0 };
  if (/^time(s|sec|stamp)?$/.test(key)) return { role: 't', rank: 1 };
  return null;
}

/** Headers of columns that are averages, fits or statistics, never a single measured trace. */
export function isDerivedHeader(h: string): boolean {
  return /(average|avg|mean|median|std|stdev|sigma|fit|model|sim(ulated)?)\b|_(avg|mean)|average_/i.test(h.trim());
}

/** A header that labels a group of trace columns (merged-cell style): "Experiment #", "Cycle", "Device". */
export function groupLabelKind(h: string): 'cycles' | 'devices' | null {
  const s = h.trim().toLowerCase();
  if (/^(experiment|exp|cycle|cycles|run|sweep|loop|measurement|curve|trace|current)s?\b/.test(s)) return 'cycles';
  if (/^(device|devices|cell|cells|dut|site|pad)s?\b/.test(s)) return 'devices';
  return null;
}

/** Header keys of the current column that belongs to a voltage column ("V2" → "I2", "AnodeV" → "AnodeI", "CH2 Voltage" → "CH2 Current"). */
export function partnerCurrentKeys(vHeader: string): string[] {
  const k = headerKey(vHeader);
  const out = new Set<string>();
  if (k.endsWith('voltage')) out.add(k.slice(0, -7) + 'current');
  if (k.startsWith('voltage')) out.add('current' + k.slice(7));
  if (k.endsWith('v')) out.add(k.slice(0, -1) + 'i');
  if (k.startsWith('v')) out.add('i' + k.slice(1));
  const m = /^(.*?)v(\d+)$/.exec(k);
  if (m) out.add(`${m[1]}i${m[2]}`);
  out.delete(k);
  return [...out];
}
