/**
 * Hints from metadata: compliance (KITE "Compliance" of the sweeping SMU, EasyEXPERT
 * `...Compliance`, or "Icc"/"compliance" lines), device id, cycle number, SET/RESET half.
 */
import type { Half, TraceHints } from './types.js';

function firstNumber(s: string): number | null {
  const m = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(s);
  if (!m) return null;
  let x = Number(m[0]);
  const after = s.slice(m.index + m[0].length).trim();
  const u = /^(mA|uA|µA|μA|nA|pA|A)\b/.exec(after);
  if (u) x = Number((x * ({ mA: 1e-3, uA: 1e-6, 'µA': 1e-6, 'μA': 1e-6, nA: 1e-9, pA: 1e-12, A: 1 } as Record<string, number>)[u[1]]).toPrecision(15));
  return Number.isFinite(x) ? x : null;
}

export function complianceFromMeta(meta: Record<string, string>): number | null {
  const keys = Object.keys(meta);
  const order = [/primary\.compliance/i, /var1.*compliance|compliance.*var1/i, /^compliance$/i, /(current|i)[ ._-]?compliance|compliance[ ._-]?(current|i)\b/i, /^i_?cc$|^icc\b|^icomp|^i_?comp(liance)?$/i, /compliance/i];
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
    if (m) { const x = firstNumber(m[1]); if (x !== null && x > 0) return x; }
  }
  return null;
}

export function hintsFromMeta(meta: Record<string, string>): TraceHints {
  const h: TraceHints = {};
  const c = complianceFromMeta(meta);
  if (c !== null) h.complianceA = c;
  for (const [k, v] of Object.entries(meta)) {
    const key = k.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (!h.device && /^(deviceid|device|devicename|dut|cellid|testrecorddeviceid|deviceidentifier)$/.test(key) && v.trim()) h.device = v.trim();
    if (h.cycle === undefined && /^(count|cycle|cycleno|cyclenumber|repeatcount|testrecordcount|iteration)$/.test(key)) {
      const n = Number(v.trim());
      if (Number.isInteger(n) && n >= 0) h.cycle = n;
    }
    const mk = /^cycle\s*#?\s*(\d+)$/i.exec(k.trim());
    if (mk && h.cycle === undefined) h.cycle = Number(mk[1]);
    if (k.startsWith('label')) {
      const m = /^cycle\s*#?\s*(\d+)\b/i.exec(v.trim());
      if (m && h.cycle === undefined) h.cycle = Number(m[1]);
    }
    if (!h.half && /^(setuptitle|testname|test|primitivetest|sweep)$/.test(key)) {
      const half = halfFromText(v);
      if (half) h.half = half;
    }
  }
  return h;
}

export function halfFromText(s: string): Half | null {
  if (/(^|[^a-z])reset([^a-z]|$)/i.test(s)) return 'reset';
  if (/(^|[^a-z])set([^a-z]|$)/i.test(s)) return 'set';
  return null;
}
