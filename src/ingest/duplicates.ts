/**
 * The same measurement read twice: a folder holding the instrument's workbooks and a text copy of the same
 * sweeps (`derived/…_long.csv`). Copies are rarely exact: a spreadsheet export rounds, writes 0.0 where the
 * instrument logged a current at its floor, and may cut the sweeps into cycles or SET/RESET segments
 * differently. So sweeps are compared as curves: a piece of one file is a copy when (nearly) all its samples
 * lie on stretches of pieces of another file (in the same folder, or one folder holding the other) with the
 * same voltages and currents within a relative tolerance; samples at the current floor or exactly zero in
 * either file neither confirm nor refute. Candidates come from an index of short voltage windows (coarse), and
 * only they are compared sample by sample. The copy is left out (the instrument's workbook kept over a text
 * copy, then the file nearer the top of the folder, then the first read) and reported once per pair of files.
 * Two devices measured with the same protocol share voltages but not currents, so they are never merged.
 * Pure.
 */
import type { Piece } from './units-split.js';
import type { IngestIssue } from './types.js';

/** Voltage window length of the index (samples). */
const W = 4;
/** Voltage grid of the index keys (V); the comparison itself uses `vTol`. */
const V_GRID = 1e-4;
/** Currents agree within this relative difference (a copy rounded to 4 significant digits still agrees). */
const DUPLICATE_REL_TOL = 2e-3;
/** Samples below this fraction of the piece's largest |I| are at the current floor: they do not count. */
const FLOOR_FRACTION = 1e-5;
/** Share of a piece's samples that must lie on the other file's curves. */
const COVER = 0.98;
/** Share of a piece's samples that must be informative (above the floor in both files) and agree. */
const INFORMATIVE = 0.5;

function folder(f: string): string {
  return f.split(/[\\/]/).slice(0, -1).join('/');
}
/** One folder holds the other (or they are the same): a copy beside or below the instrument's files. */
function nested(a: string, b: string): boolean {
  const inside = (x: string, y: string) => x === y || y === '' || x.startsWith(`${y}/`);
  return inside(a, b) || inside(b, a);
}

function rank(p: Piece): [number, number, number] {
  const f = p.trace.file;
  return [/\.(xlsx|xls|xlsm)$/i.test(f) ? 0 : 1, f.split(/[\\/]/).length, p.order];
}
function compareRank(a: Piece, b: Piece): number {
  const ra = rank(a),
    rb = rank(b);
  for (let k = 0; k < 3; k++) if (ra[k] !== rb[k]) return ra[k] - rb[k];
  return 0;
}

function windowKey(v: number[], at: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < W; k++) h = Math.imul(h ^ Math.round(v[at + k] / V_GRID), 0x01000193);
  return h >>> 0;
}

interface Run {
  len: number;
  informative: number;
  kept: Piece;
}

/** The longest stretch from `b[at]` on that agrees sample by sample with some indexed piece of another file. */
function longestRun(
  p: Piece,
  at: number,
  index: Map<number, number[]>,
  kept: Piece[],
  keptDir: string[],
  vTol: number,
  floor: number,
  dir: string,
): Run | null {
  const list = index.get(windowKey(p.trace.vV, at));
  if (!list) return null;
  const bv = p.trace.vV,
    bi = p.trace.iA;
  let best: Run | null = null;
  for (let c = 0; c < list.length; c += 2) {
    const q = kept[list[c]];
    if (q.trace.file === p.trace.file || !nested(keptDir[list[c]], dir)) continue;
    const av = q.trace.vV,
      ai = q.trace.iA;
    let a = list[c + 1],
      b = at,
      informative = 0;
    while (b < p.end && a < q.end) {
      if (Math.abs(av[a] - bv[b]) > vTol) break;
      const x = Math.abs(ai[a]),
        y = Math.abs(bi[b]);
      if (x >= floor && y >= floor) {
        if (Math.abs(x - y) > DUPLICATE_REL_TOL * Math.max(x, y)) break;
        informative++;
      }
      a++;
      b++;
    }
    const len = b - at;
    if (len >= W && informative > 0 && (!best || len > best.len)) {
      best = { len, informative, kept: q };
      if (b === p.end) break; // the rest of the piece: nothing longer to find
    }
  }
  return best;
}

/** The file whose curves hold (nearly) all of `p`, or null when `p` is a measurement of its own. */
function coveredBy(p: Piece, index: Map<number, number[]>, kept: Piece[], keptDir: string[]): Piece | null {
  const n = p.end - p.start;
  const v = p.trace.vV,
    i = p.trace.iA;
  let vMax = 0,
    iMax = 0;
  for (let k = p.start; k < p.end; k++) {
    vMax = Math.max(vMax, Math.abs(v[k]));
    iMax = Math.max(iMax, Math.abs(i[k]));
  }
  if (iMax === 0) return null;
  const vTol = Math.max(1e-6, 1e-4 * vMax);
  const floor = FLOOR_FRACTION * iMax;
  const dir = folder(p.trace.file);
  const allowed = Math.floor((1 - COVER) * n);
  const votes = new Map<Piece, number>();
  let k = p.start,
    uncovered = 0,
    informative = 0;
  while (k < p.end) {
    // the last few samples are anchored on a window that overlaps the stretch already covered
    const at = Math.min(k, p.end - W);
    const run = longestRun(p, at, index, kept, keptDir, vTol, floor, dir);
    if (run && at + run.len > k) {
      informative += run.informative;
      votes.set(run.kept, (votes.get(run.kept) ?? 0) + run.len);
      k = at + run.len;
    } else {
      if (++uncovered > allowed) return null;
      k++;
    }
  }
  if (informative < INFORMATIVE * n) return null;
  let best: Piece | null = null;
  for (const [q, c] of votes) if (!best || c > votes.get(best)!) best = q;
  return best;
}

/** Pieces with the copies of other files' sweeps left out; one `duplicate_measurement` notice per pair of files. */
export function dropDuplicates(pieces: Piece[], issues: IngestIssue[], minPoints: number): Piece[] {
  if (new Set(pieces.map((p) => p.trace.file)).size < 2) return pieces;
  const index = new Map<number, number[]>();
  const kept: Piece[] = [];
  const keptDir: string[] = [];
  const dropped = new Set<Piece>();
  const pairs = new Map<string, { copy: string; kept: string; n: number }>();
  // best-ranked files first: a copy is always compared with the files it may repeat
  for (const p of [...pieces].sort(compareRank)) {
    if (p.end - p.start < Math.max(minPoints, W)) continue;
    const q = coveredBy(p, index, kept, keptDir);
    if (q) {
      dropped.add(p);
      const key = `${p.trace.file}\u0000${q.trace.file}`;
      const e = pairs.get(key) ?? { copy: p.trace.file, kept: q.trace.file, n: 0 };
      e.n++;
      pairs.set(key, e);
      continue;
    }
    const id = kept.push(p) - 1;
    keptDir.push(folder(p.trace.file));
    for (let a = p.start; a + W <= p.end; a++) {
      const key = windowKey(p.trace.vV, a);
      const list = index.get(key);
      if (list) list.push(id, a);
      else index.set(key, [id, a]);
    }
  }
  for (const e of pairs.values()) {
    issues.push({
      code: 'duplicate_measurement',
      message:
        `${e.n} sweep(s) of ${e.copy} repeat ${e.kept} (the same voltages, currents within ${DUPLICATE_REL_TOL * 100} % ` +
        'above the current floor): the same measurement read twice; the copy is left out.',
      location: { file: e.copy },
    });
  }
  return dropped.size ? pieces.filter((p) => !dropped.has(p)) : pieces;
}
