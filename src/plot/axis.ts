/** Axis scales and "nice" tick positions for linear and log10 axes. */

export interface Scale {
  /** Data value → pixel. */
  map(v: number): number;
  ticks: { value: number; label: string }[];
  log: boolean;
  min: number;
  max: number;
}

/** Extent of finite (and, for log axes, positive) values; falls back to [0, 1] / [1, 10]. */
export function extent(values: Iterable<number>, log: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return log ? [1, 10] : [0, 1];
  if (lo === hi) {
    if (log) return [lo / 2, hi * 2];
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - d, hi + d];
  }
  return [lo, hi];
}

function niceStep(range: number, target: number): number {
  const raw = range / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  return nice * mag;
}

function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) {
    const e = Math.floor(Math.log10(a));
    const m = v / 10 ** e;
    const ms = Number(m.toPrecision(3)).toString();
    return ms === '1' ? `1e${e}` : ms === '-1' ? `-1e${e}` : `${ms}e${e}`;
  }
  return Number(v.toPrecision(4)).toString();
}

export function linearScale(lo: number, hi: number, p0: number, p1: number, nTicks = 6, pad = true): Scale {
  let min = lo;
  let max = hi;
  const step = niceStep(max - min, nTicks);
  if (pad) {
    min = Math.floor(min / step) * step;
    max = Math.ceil(max / step) * step;
  }
  const ticks: Scale['ticks'] = [];
  const first = Math.ceil(min / step - 1e-9) * step;
  for (let v = first; v <= max + step * 1e-9; v += step) {
    const r = Math.abs(v) < step * 1e-9 ? 0 : v;
    ticks.push({ value: r, label: formatTick(r) });
  }
  const k = (p1 - p0) / (max - min);
  return { map: (v) => p0 + (v - min) * k, ticks, log: false, min, max };
}

export function logScale(lo: number, hi: number, p0: number, p1: number): Scale {
  const min = 10 ** Math.floor(Math.log10(lo));
  const max = 10 ** Math.ceil(Math.log10(hi));
  const dec = Math.round(Math.log10(max / min));
  const every = Math.max(1, Math.ceil(dec / 8));
  const ticks: Scale['ticks'] = [];
  for (let e = Math.log10(min); e <= Math.log10(max) + 1e-9; e += every) {
    ticks.push({ value: 10 ** e, label: `1e${Math.round(e)}` });
  }
  const l0 = Math.log10(min);
  const k = (p1 - p0) / (Math.log10(max) - l0);
  return { map: (v) => p0 + (Math.log10(v) - l0) * k, ticks, log: true, min, max };
}
