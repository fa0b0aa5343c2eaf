/**
 * The same measurement read twice: a folder holding the instrument's workbooks and a CSV copy of the same
 * sweeps. Pieces of files in one folder (or a folder and its subfolders) whose (V, I) samples agree to 6 significant digits are one measurement; the copy is left out
 * (the instrument's workbook kept over a text copy, then the file nearer the top of the folder, then the first
 * read) and reported once per pair of files. Pure.
 */
import type { Piece } from './units-split.js';
import type { IngestIssue } from './types.js';

function fingerprint(p: Piece): string {
  const v = p.trace.vV,
    i = p.trace.iA;
  const parts: string[] = [String(p.end - p.start)];
  for (let k = p.start; k < p.end; k++) parts.push(`${v[k].toPrecision(6)},${Math.abs(i[k]).toPrecision(6)}`);
  return parts.join(';');
}

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
function better(a: Piece, b: Piece): boolean {
  const ra = rank(a),
    rb = rank(b);
  for (let k = 0; k < 3; k++) if (ra[k] !== rb[k]) return ra[k] < rb[k];
  return false;
}

/** Pieces with the duplicates of other files left out; one `duplicate_measurement` notice per pair of files. */
export function dropDuplicates(pieces: Piece[], issues: IngestIssue[], minPoints: number): Piece[] {
  const keep = new Map<string, Piece>();
  const dropped = new Set<Piece>();
  const pairs = new Map<string, { copy: string; kept: string; n: number }>();
  for (const p of pieces) {
    if (p.end - p.start < minPoints) continue;
    const fp = fingerprint(p);
    const prev = keep.get(fp);
    if (!prev) {
      keep.set(fp, p);
      continue;
    }
    // a repeated sweep inside one file is a measurement of its own; so are equal numbers in sibling device folders
    if (prev.trace.file === p.trace.file || !nested(folder(prev.trace.file), folder(p.trace.file))) continue;
    const [winner, loser] = better(p, prev) ? [p, prev] : [prev, p];
    keep.set(fp, winner);
    dropped.add(loser);
    const key = `${loser.trace.file}\u0000${winner.trace.file}`;
    const e = pairs.get(key) ?? { copy: loser.trace.file, kept: winner.trace.file, n: 0 };
    e.n++;
    pairs.set(key, e);
  }
  for (const e of pairs.values()) {
    issues.push({
      code: 'duplicate_measurement',
      message: `${e.n} sweep(s) of ${e.copy} repeat ${e.kept} sample for sample: the same measurement read twice; the copy is left out.`,
      location: { file: e.copy },
    });
  }
  return dropped.size ? pieces.filter((p) => !dropped.has(p)) : pieces;
}
