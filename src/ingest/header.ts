/** Header row detection and column layout (single table, side-by-side blocks, shared voltage column). */
import type { Cell, Grid, ResolvedIngestOptions } from './types.js';
import { cellText, parseCell } from './cells.js';
import { classifyHeader, groupLabelKind, headerKey, isDerivedHeader, partnerCurrentKeys, type Role, type RoleMatch } from './columns.js';

export interface BlockLayout {
  v: number;
  i: number;
  t?: number;
  cycle?: number;
  device?: number;
  /** Columns [c0, c1) the block spans (for its metadata above the header). */
  c0: number;
  c1: number;
  /** Id of this column from a sub-header row (shared-voltage layout). */
  label?: string;
  iAbs?: boolean;
  /** The current column holds log10|I|. */
  iLog?: boolean;
}

export interface Layout {
  headerRow: number;
  /** First data row. */
  dataRow: number;
  blocks: BlockLayout[];
  kind: 'single' | 'blocks' | 'shared-v';
  groupKind?: 'cycles' | 'devices';
  skipped: string[];
  headers: string[];
}

/** Column chosen by an override: a header name (case-insensitive, unit ignored) or a 1-based index. */
function overrideCol(header: Cell[], spec: string | null): number | null {
  if (spec === null) return null;
  if (/^#?\d+$/.test(spec.trim())) return Number(spec.trim().replace('#', '')) - 1;
  const want = spec.trim().toLowerCase();
  for (let c = 0; c < header.length; c++) if (cellText(header[c]).toLowerCase() === want) return c;
  const key = headerKey(spec);
  for (let c = 0; c < header.length; c++) if (key !== '' && headerKey(cellText(header[c])) === key) return c;
  return -1;
}

function rolesOf(header: Cell[]): (RoleMatch | null)[] {
  return header.map((h) => (typeof h === 'string' ? classifyHeader(h) : null));
}

function best(roles: ReturnType<typeof rolesOf>, role: Role, from = 0, to = Infinity): number {
  let bc = -1,
    br = Infinity;
  for (let c = from; c < Math.min(to, roles.length); c++) {
    const m = roles[c];
    if (m && m.role === role && m.rank < br) {
      br = m.rank;
      bc = c;
    }
  }
  return bc;
}

function numericBelow(grid: Grid, r: number, c: number, dc: boolean): boolean {
  for (let k = r + 1, seen = 0; k < grid.rows.length && seen < 4; k++) {
    const cell = grid.rows[k]?.[c] ?? null;
    if (cell === null) continue;
    seen++;
    if (parseCell(cell, dc).kind === 'number') return true;
  }
  return false;
}

/** The numbers below row r in column c (first 200 rows) are not all equal. */
function varies(grid: Grid, r: number, c: number, dc: boolean): boolean {
  let first: number | null = null;
  for (let k = r + 1; k < Math.min(grid.rows.length, r + 201); k++) {
    const p = parseCell(grid.rows[k]?.[c] ?? null, dc);
    if (p.kind !== 'number') continue;
    if (first === null) first = p.value;
    else if (p.value !== first) return true;
  }
  return false;
}

export interface HeaderSearch {
  layout: Layout | null;
  vOnly: { row: number; col: number } | null;
}

/** Finds the next table header at or after row `from`. */
export function findLayout(grid: Grid, from: number, opts: ResolvedIngestOptions, dc: boolean): HeaderSearch {
  let vOnly: { row: number; col: number } | null = null;
  const byIndex = opts.columns.v !== null && /^#?\d+$/.test(opts.columns.v) && opts.columns.i !== null && /^#?\d+$/.test(opts.columns.i);
  for (let r = from; r < grid.rows.length; r++) {
    const row = grid.rows[r] ?? [];
    if (byIndex) {
      const v = overrideCol(row, opts.columns.v)!,
        i = overrideCol(row, opts.columns.i)!;
      if (parseCell(row[v] ?? null, dc).kind === 'number' && parseCell(row[i] ?? null, dc).kind === 'number') {
        const hdr = r > from ? (grid.rows[r - 1] ?? []) : [];
        const hasHdr = r > from && hdr.some((c) => typeof c === 'string' && parseCell(c, dc).kind === 'text');
        const block: BlockLayout = { v, i, c0: 0, c1: row.length };
        const t = overrideCol(hdr, opts.columns.t);
        if (t !== null && t >= 0) block.t = t;
        return {
          layout: { headerRow: hasHdr ? r - 1 : r, dataRow: r, blocks: [block], kind: 'single', skipped: [], headers: hdr.map(cellText) },
          vOnly,
        };
      }
      continue;
    }
    const texts = row.filter((c) => typeof c === 'string' && parseCell(c, dc).kind === 'text').length;
    if (texts < 1) continue;
    const roles = rolesOf(row);
    const vo = overrideCol(row, opts.columns.v),
      io = overrideCol(row, opts.columns.i);
    let vCol = vo !== null && vo >= 0 ? vo : vo === -1 ? -1 : best(roles, 'v');
    if (vCol < 0 || !numericBelow(grid, r, vCol, dc)) continue;
    // a constant voltage column (grounded terminal, gate bias) is not the sweep when another voltage column varies
    if (vo === null && !varies(grid, r, vCol, dc)) {
      const alt = best(
        roles.map((m, c) => (m?.role === 'v' && c !== vCol && varies(grid, r, c, dc) ? m : null)),
        'v',
      );
      if (alt >= 0) vCol = alt;
    }
    let iCol = io !== null && io >= 0 ? io : io === -1 ? -1 : best(roles, 'i');
    // the current measured on the same channel/terminal as the voltage ("V2" → "I2", "AnodeV" → "AnodeI")
    if (io === null) {
      const keys = partnerCurrentKeys(cellText(row[vCol]));
      const partner = roles.findIndex(
        (m, c) => m?.role === 'i' && keys.includes(headerKey(cellText(row[c]))) && numericBelow(grid, r, c, dc),
      );
      if (partner >= 0) iCol = partner;
    }
    if (iCol >= 0 && !numericBelow(grid, r, iCol, dc)) iCol = -1;
    const headers = row.map(cellText);
    if (iCol < 0) {
      const shared = sharedVoltage(grid, r, vCol, headers, dc);
      if (shared) return { layout: shared, vOnly };
      if (!vOnly) vOnly = { row: r, col: vCol };
      continue;
    }
    const layout = blocksLayout(grid, r, headers, roles, vCol, iCol, opts, dc);
    return { layout, vOnly };
  }
  return { layout: null, vOnly };
}

function blocksLayout(
  grid: Grid,
  r: number,
  headers: string[],
  roles: ReturnType<typeof rolesOf>,
  vCol: number,
  iCol: number,
  opts: ResolvedIngestOptions,
  dc: boolean,
): Layout {
  // repeated blocks: the same voltage header again, or with a repeat suffix ("AV_2", "AV (2)", "AV#2", "AV.1")
  const repeatBase = (h: string) => headerKey(h.trim().replace(/(\s*[_#.]\s*\d+|\s*\(\d+\))$/, ''));
  const vKey = repeatBase(headers[vCol]);
  const vCols: number[] = [];
  if (opts.columns.v === null && opts.columns.i === null) {
    for (let c = 0; c < headers.length; c++)
      if (repeatBase(headers[c]) === vKey && roles[c]?.role === 'v' && numericBelow(grid, r, c, dc)) vCols.push(c);
    if (!vCols.includes(vCol)) vCols.length = 0;
  }
  const pick = (role: Role, spec: string | null, from: number, to: number): number | undefined => {
    const o = overrideCol(grid.rows[r], spec);
    if (o !== null) return o >= 0 ? o : undefined;
    const b = best(roles, role, from, to);
    return b >= 0 ? b : undefined;
  };
  if (vCols.length >= 2) {
    const w = vCols[1] - vCols[0];
    const regular = w > 1 && vCols.every((c, k) => c === vCols[0] + k * w);
    if (regular) {
      const first = headers.findIndex((h) => h !== '');
      const off = Math.max(0, Math.min(vCols[0] - first, w - 1));
      const blocks: BlockLayout[] = [];
      for (const v of vCols) {
        const c0 = v - off,
          c1 = c0 + w;
        const i = best(roles, 'i', c0, c1);
        if (i < 0) continue;
        const b: BlockLayout = { v, i, c0, c1, iAbs: roles[i]?.abs };
        const t = best(roles, 't', c0, c1);
        if (t >= 0) b.t = t;
        blocks.push(b);
      }
      if (blocks.length >= 2) return { headerRow: r, dataRow: r + 1, blocks, kind: 'blocks', skipped: [], headers };
    }
  }
  const b: BlockLayout = { v: vCol, i: iCol, c0: 0, c1: headers.length, iAbs: roles[iCol]?.abs, iLog: roles[iCol]?.log10 };
  const t = pick('t', opts.columns.t, 0, headers.length);
  if (t !== undefined) b.t = t;
  const cy = pick('cycle', opts.columns.cycle, 0, headers.length);
  if (cy !== undefined) b.cycle = cy;
  const dv = pick('device', opts.columns.device, 0, headers.length);
  if (dv !== undefined) b.device = dv;
  return { headerRow: r, dataRow: r + 1, blocks: [b], kind: 'single', skipped: [], headers };
}

/** One voltage column and trace columns under a group label ("Experiment #" over blank headers). */
function sharedVoltage(grid: Grid, r: number, vCol: number, headers: string[], dc: boolean): Layout | null {
  let group: 'cycles' | 'devices' | null = null;
  let groupKind: 'cycles' | 'devices' | undefined;
  const cols: number[] = [];
  const skipped: string[] = [];
  const width = Math.max(headers.length, ...grid.rows.slice(r, r + 5).map((x) => x?.length ?? 0));
  for (let c = 0; c < width; c++) {
    if (c === vCol) continue;
    const h = headers[c] ?? '';
    const g = h ? groupLabelKind(h) : null;
    if (h && g) {
      group = g;
      groupKind = groupKind ?? g;
    } else if (h) group = null;
    if (!numericBelow(grid, r, c, dc)) continue;
    if (h && isDerivedHeader(h)) {
      skipped.push(h);
      continue;
    }
    if (group) cols.push(c);
  }
  if (cols.length === 0) return null;
  const sub = grid.rows[r + 1] ?? [];
  const hasSub = parseCell(sub[vCol] ?? null, dc).kind === 'empty' && cols.every((c) => sub[c] !== null && sub[c] !== undefined);
  const blocks = cols.map((c) => ({
    v: vCol,
    i: c,
    c0: c,
    c1: c + 1,
    label: hasSub ? cellText(sub[c]) : `${headers[c] || 'col'}${c + 1}`,
  }));
  return { headerRow: r, dataRow: hasSub ? r + 2 : r + 1, blocks, kind: 'shared-v', groupKind, skipped, headers };
}
