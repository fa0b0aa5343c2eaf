/**
 * Pieces → cycle units. A piece is a stretch of one trace belonging to one device (split by a
 * device column, then by a cycle column). A piece without a cycle column is split at the start of
 * each complete excursion of the same type as the one that opened the current cycle, once the
 * cycle holds both a SET and a RESET excursion. Units holding only one polarity are halves.
 */
import { findExcursions, type Excursion } from './excursions.js';
import type { Half, Trace } from './types.js';

export interface Piece {
  trace: Trace;
  start: number;
  end: number;
  device: string;
  cycleHint?: number;
  order: number;
  wholeCycle: boolean;
}
export interface Unit {
  piece: Piece;
  start: number;
  end: number;
  kind: 'full' | Half | 'none';
  cycleHint?: number;
}

export function splitPiece(p: Piece, setSign: 1 | -1): Unit[] {
  const v = p.trace.vV.slice(p.start, p.end);
  const exs = findExcursions(v);
  const kindOf = (list: Excursion[]): Unit['kind'] => {
    const s = list.some((e) => e.sign === setSign),
      r = list.some((e) => e.sign !== setSign);
    return s && r ? 'full' : s ? 'set' : r ? 'reset' : 'none';
  };
  if (p.wholeCycle || exs.length <= 1) {
    return [{ piece: p, start: p.start, end: p.end, kind: kindOf(exs), ...(p.cycleHint !== undefined ? { cycleHint: p.cycleHint } : {}) }];
  }
  const groups: Excursion[][] = [];
  let cur: Excursion[] = [];
  for (const ex of exs) {
    if (cur.length > 0) {
      const firstType = cur[0].sign;
      const both = cur.some((e) => e.sign === setSign) && cur.some((e) => e.sign !== setSign);
      if (ex.sign === firstType && both && ex.startsAtZero && (ex.endsAtZero || cur[0].startsAtZero)) {
        groups.push(cur);
        cur = [];
      }
    }
    cur.push(ex);
  }
  if (cur.length) groups.push(cur);
  // halves-only pieces: every complete excursion is its own half
  if (groups.length === 1 && kindOf(groups[0]) !== 'full' && exs.length > 1) {
    groups.length = 0;
    for (const ex of exs) groups.push([ex]);
  }
  const units: Unit[] = [];
  for (let g = 0; g < groups.length; g++) {
    const s = g === 0 ? 0 : groups[g][0].start;
    const e = g === groups.length - 1 ? v.length : groups[g + 1][0].start;
    units.push({ piece: p, start: p.start + s, end: p.start + e, kind: kindOf(groups[g]) });
  }
  if (units.length === 1 && p.cycleHint !== undefined) units[0].cycleHint = p.cycleHint;
  return units;
}

/** Joins SET and RESET halves of one device into cycles: by equal cycle number when every half has one, else in order. */
export function joinHalves(units: Unit[]): Unit[][] {
  const halves = units.filter((u) => u.kind === 'set' || u.kind === 'reset');
  const out: Unit[][] = [];
  const byHint = halves.length > 0 && halves.every((u) => u.cycleHint !== undefined);
  if (byHint) {
    const map = new Map<number, Unit[]>();
    for (const u of halves) {
      const list = map.get(u.cycleHint!) ?? [];
      list.push(u);
      map.set(u.cycleHint!, list);
    }
    const done = new Set<Unit>();
    for (const u of units) {
      if (u.kind === 'full' || u.kind === 'none') {
        out.push([u]);
        continue;
      }
      if (done.has(u)) continue;
      const list = map.get(u.cycleHint!)!;
      const s = list.find((x) => x.kind === 'set' && !done.has(x));
      const r = list.find((x) => x.kind === 'reset' && !done.has(x));
      const group = [s, r].filter((x): x is Unit => x !== undefined);
      if (!group.includes(u)) group.unshift(u);
      group.forEach((x) => done.add(x));
      out.push(group);
    }
    return out;
  }
  let pending: Unit | null = null;
  for (const u of units) {
    if (u.kind === 'full' || u.kind === 'none') {
      if (pending) {
        out.push([pending]);
        pending = null;
      }
      out.push([u]);
      continue;
    }
    if (pending && pending.kind !== u.kind) {
      out.push([pending, u]);
      pending = null;
      continue;
    }
    if (pending) out.push([pending]);
    pending = u;
  }
  if (pending) out.push([pending]);
  return out;
}
