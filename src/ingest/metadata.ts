/**
 * Hints from metadata: compliance (KITE "Compliance" of the sweeping SMU, EasyEXPERT
 * `...Compliance`, or "Icc"/"compliance" lines), device id, cycle number, SET/RESET half.
 */
import type { Half, Polarity, TraceHints } from './types.js';

function firstNumber(s: string): number | null {
  const m = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(s);
  if (!m) return null;
  let x = Number(m[0]);
  const after = s.slice(m.index + m[0].length).trim();
  const u = /^(mA|uA|µA|μA|nA|pA|A)\b/.exec(after);
  if (u)
    x = Number(
      (x * ({ mA: 1e-3, uA: 1e-6, µA: 1e-6, μA: 1e-6, nA: 1e-9, pA: 1e-12, A: 1 } as Record<string, number>)[u[1]]).toPrecision(15),
    );
  return Number.isFinite(x) ? x : null;
}

function complianceFromMeta(meta: Record<string, string>): number | null {
  const keys = Object.keys(meta);
  const order = [
    /primary\.compliance/i,
    /var1.*compliance|compliance.*var1/i,
    /^compliance$/i,
    /(current|i)[ ._-]?compliance|compliance[ ._-]?(current|i)\b/i,
    /^i_?cc$|^icc\b|^icomp|^i_?comp(liance)?$/i,
    /compliance/i,
  ];
  for (const re of order) {
    for (const k of keys) {
      if (!re.test(k) || /voltage|v_?comp|vcomp/i.test(k)) continue;
      const x = firstNumber(meta[k]);
      if (x !== null && x > 0) return x;
    }
  }
  for (const k of keys) {
    if (!k.startsWith('comment@') && !k.startsWith('label')) continue;
    const m = /(?:compliance|icc|i_cc)\s*[:=]?\s*([^,;]+)/i.exec(meta[k]);
    if (m) {
      const x = firstNumber(m[1]);
      if (x !== null && x > 0) return x;
    }
  }
  return null;
}

const SLASH_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?\s*(AM|PM)?$/i;

/** Record times of one device: month first (EasyEXPERT, KITE) unless some stamp can only be day first ("29/11/2026"). Null if any is unreadable. */
export function recordTimesMs(stamps: string[]): number[] | null {
  const dayFirst = stamps.some((x) => {
    const m = SLASH_TIME.exec(x.trim());
    return m !== null && Number(m[1]) > 12;
  });
  const out = stamps.map((x) => parseRecordTime(x, dayFirst));
  return out.every((x): x is number => x !== null) ? out : null;
}

/** A record time stamp: "11/29/2026 10:20:00" (EasyEXPERT, KITE, month first, optional AM/PM) or ISO "2026-11-29 10:20:00". Ms, for ordering only. */
export function parseRecordTime(s: string, dayFirst = false): number | null {
  const t = s.trim();
  let m = SLASH_TIME.exec(t);
  if (m) {
    let hh = Number(m[4]);
    if (m[7]) hh = (hh % 12) + (/pm/i.test(m[7]) ? 12 : 0);
    const [mo, da] = dayFirst ? [Number(m[2]), Number(m[1])] : [Number(m[1]), Number(m[2])];
    if (mo < 1 || mo > 12 || da < 1 || da > 31) return null;
    return Date.UTC(Number(m[3]), mo - 1, da, hh, Number(m[5])) + 1000 * Number(m[6] ?? 0);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?/.exec(t);
  if (m) return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) + 1000 * Number(m[6] ?? 0);
  return null;
}

/** "compliance off", "Compliance: none", "current compliance disabled": the file states no current limit was set. */
const COMPLIANCE_OFF = /(?<![a-z])compliance\W{0,3}(?:is\s+)?(?:off|none|disabled|not\s+set)\b/i;
/** A power or voltage compliance ("PowerCompliance, OFF") says nothing of the current limit. */
const OTHER_LIMIT = /(power|voltage|v)[ ._-]?compliance/i;
function complianceOffInMeta(meta: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(meta)) {
    if (OTHER_LIMIT.test(k)) continue;
    const text = `${k}: ${v}`;
    if (OTHER_LIMIT.test(text)) continue;
    if (COMPLIANCE_OFF.test(text) || (/compliance/i.test(k) && /^(off|none|disabled)\b/i.test(v.trim()))) return true;
  }
  return false;
}

/** A statement and where in the header it stands ("key: value", as written). */
export interface Stated<T> {
  value: T;
  text: string;
}

const POLARITY_KEY = /^(set[ ._-]?polarity|polarity[ ._-]?of[ ._-]?set|set[ ._-]?voltage[ ._-]?polarity|set[ ._-]?sign)$/i;
const POLARITY_LINE = /\bset[ ._-]?(?:polarity|sign)\s*[:=]?\s*([^,;]+)/i;
function polarityWord(s: string): Polarity | null {
  const t = s.trim().toLowerCase();
  if (/^(positive|pos|\+|\+v|\+ve|plus)\b/.test(t) || /^\+/.test(t)) return 'positive';
  if (/^(negative|neg|-|-v|-ve|minus)\b/.test(t) || /^[-−]/.test(t)) return 'negative';
  return null;
}
/** "SET polarity: negative", "set_polarity = +", a comment line "# SET polarity: positive": the sign of V that SETs the device. */
function polarityFromMeta(meta: Record<string, string>): Stated<Polarity> | null {
  for (const [k, v] of Object.entries(meta)) {
    const key = k.trim();
    if (POLARITY_KEY.test(key)) {
      const p = polarityWord(v);
      if (p) return { value: p, text: `${key}: ${v.trim()}` };
    }
    if (key.startsWith('comment@') || key.startsWith('label') || key.startsWith('line')) {
      const m = POLARITY_LINE.exec(v);
      const p = m ? polarityWord(m[1]) : null;
      if (p) return { value: p, text: v.trim() };
    }
  }
  return null;
}

const RATE_KEY = /^(sweep|ramp|scan)[ ._-]?rate(\s*\(([^)]*)\))?$/i;
const RATE_LINE =
  /\b(?:sweep|ramp|scan)[ ._-]?rate\s*(?:\(([^)]*)\))?\s*[:=]?\s*([+]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zµμ]*\s*\/\s*[a-z]+)?/i;
function rateValue(x: number, unit: string | undefined): number | null {
  const u = (unit ?? 'V/s').replace(/\s+/g, '').replace(/[µμ]/g, 'u');
  const scale: Record<string, number> = { 'V/s': 1, 'mV/s': 1e-3, 'uV/s': 1e-6, 'V/ms': 1e3, 'mV/ms': 1, 'kV/s': 1e3 };
  const f = scale[u] ?? scale[Object.keys(scale).find((k) => k.toLowerCase() === u.toLowerCase()) ?? ''];
  if (f === undefined || !(x > 0) || !Number.isFinite(x)) return null;
  return Number((x * f).toPrecision(12));
}
/** "Sweep rate: 0.5 V/s", "Ramp Rate (mV/s), 100", a comment "# scan rate = 1 V/s": the voltage sweep rate in V/s. */
function sweepRateFromMeta(meta: Record<string, string>): Stated<number> | null {
  for (const [k, v] of Object.entries(meta)) {
    const key = k.trim();
    const mk = RATE_KEY.exec(key);
    if (mk) {
      const m = /^\s*([+]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zµμ]*\s*\/\s*[a-z]+)?/i.exec(v);
      const r = m ? rateValue(Number(m[1]), m[2] ?? mk[3]) : null;
      if (r !== null) return { value: r, text: `${key}: ${v.trim()}` };
    }
    if (key.startsWith('comment@') || key.startsWith('label') || key.startsWith('line')) {
      const m = RATE_LINE.exec(v);
      const r = m ? rateValue(Number(m[2]), m[3] ?? m[1]) : null;
      if (r !== null) return { value: r, text: v.trim() };
    }
  }
  return null;
}

export function hintsFromMeta(meta: Record<string, string>): TraceHints {
  const h: TraceHints = {};
  const pol = polarityFromMeta(meta);
  if (pol) h.setPolarity = pol;
  const rate = sweepRateFromMeta(meta);
  if (rate) h.sweepRate = rate;
  // a statement that compliance was off wins over any number near it ("off (100 mA range limit)" is a range, not a limit)
  if (complianceOffInMeta(meta)) h.complianceOff = true;
  const c = h.complianceOff ? null : complianceFromMeta(meta);
  if (c !== null) h.complianceA = c;
  for (const [k, v] of Object.entries(meta)) {
    const key = k.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (
      !h.device &&
      /^(deviceid|device|devicename|dut|cellid|testrecorddeviceid|testrecordtesttarget|testtarget|deviceidentifier)$/.test(key) &&
      v.trim()
    )
      h.device = v.trim();
    if (h.cycle === undefined && /^(count|cycle|cycleno|cyclenumber|repeatcount|testrecordcount|iteration)$/.test(key)) {
      const n = Number(v.trim());
      if (Number.isInteger(n) && n >= 0) h.cycle = n;
    }
    if (h.recordTime === undefined && /^(testrecordrecordtime|recordtime|lastexecuted|measurementtime|starttime)$/.test(key)) {
      if (parseRecordTime(v) !== null || parseRecordTime(v, true) !== null) h.recordTime = v.trim();
    }
    const mk = /^cycle\s*#?\s*(\d+)$/i.exec(k.trim());
    if (mk && h.cycle === undefined) h.cycle = Number(mk[1]);
    if (k.startsWith('label')) {
      const m = /^cycle\s*#?\s*(\d+)\b/i.exec(v.trim());
      if (m && h.cycle === undefined) h.cycle = Number(m[1]);
    }
    if (/^(setuptitle|testname|test|sweep)$/.test(key) && isFormingText(v)) h.forming = true;
    if (!h.half && /^(setuptitle|testname|test|primitivetest|sweep)$/.test(key)) {
      const half = halfFromText(v);
      if (half) h.half = half;
    }
  }
  return h;
}

/** "Forming", "electroforming", "Form#1@1", "FORM_3V": an electroforming run. */
export function isFormingText(s: string): boolean {
  return /(^|[^a-z])(electro)?form(ing)?([^a-z]|$)/i.test(s);
}

export function halfFromText(s: string): Half | null {
  if (/(^|[^a-z])reset([^a-z]|$)/i.test(s)) return 'reset';
  if (/(^|[^a-z])set([^a-z]|$)/i.test(s)) return 'set';
  return null;
}
