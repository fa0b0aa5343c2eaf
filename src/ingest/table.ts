/**
 * Grid → Traces. Finds each table (a header row naming voltage and current, then data rows), reads
 * its numbers with units, keeps the rows above a header as metadata, treats label rows ("Cycle 1",
 * "BIAS 2") and padding ("--") as segment breaks, and refuses (or, leniently, drops and reports)
 * any other non-numeric, non-finite or incomplete row.
 */
import { JartcalError } from '../util/errors.js';
import { cellText, parseCell } from './cells.js';
import { findLayout, type BlockLayout, type Layout } from './header.js';
import { keyValue } from './textgrid.js';
import { declaredUnitScale, splitHeaderUnit, unitScale } from './units.js';
import type { Cell, Grid, IngestIssue, ResolvedIngestOptions, Trace } from './types.js';

export interface TableContext {
  opts: ResolvedIngestOptions;
  decimalComma: boolean;
  issues: IngestIssue[];
}

const PADDING = /^(--+|—|\.\.\.)$/;
const LABEL = /^(cycle|bias|run|sweep|segment|set|reset|step|block|device|test|loop|forming|read)\b/i;
const SECTION = /^(=+|-{3,}|\[.+\]|settings|test settings|setup|metadata|formulas|analysis|end of data)$/i;

export function gridToTraces(grid: Grid, ctx: TableContext): Trace[] {
  const traces: Trace[] = [];
  let from = 0;
  let pendingMeta: Record<string, string> = {};
  const dc = ctx.decimalComma;
  while (from < grid.rows.length) {
    const { layout, vOnly } = findLayout(grid, from, ctx.opts, dc);
    if (!layout) {
      if (traces.length === 0) {
        if (vOnly) {
          throw new JartcalError(
            `found a voltage column "${cellText(grid.rows[vOnly.row][vOnly.col])}" but no current column; expected a header such as "Current (A)", "I", "AI", "IF", "I1" or "I [mA]" (or give --i-col).`,
            { code: 'missing_current_column', location: grid.loc(vOnly.row) },
          );
        }
        throw new JartcalError(
          'no header row naming a voltage and a current column (e.g. "Voltage (V)", "V", "AV", "VF" and "Current (A)", "I", "AI", "IF"); give --v-col and --i-col to choose columns.',
          { code: 'missing_columns', location: { file: grid.file, ...(grid.sheet ? { sheet: grid.sheet } : {}) } },
        );
      }
      break;
    }
    for (let r = from; r < layout.headerRow; r++) collectMeta(grid.rows[r], pendingMeta);
    const { traces: ts, endRow } = readTable(grid, layout, pendingMeta, ctx);
    traces.push(...ts);
    pendingMeta = {};
    from = Math.max(endRow, layout.dataRow);
  }
  return traces;
}

function collectMeta(row: Cell[] | undefined, meta: Record<string, string>): void {
  if (!row) return;
  const cells = row.map(cellText).filter((s) => s !== '');
  if (cells.length === 0) return;
  if (cells.length === 1) {
    const kv = keyValue(cells[0]);
    if (kv && kv[1] !== '') meta[kv[0]] = kv[1];
    else meta[`label:${cells[0]}`] = cells[0];
    return;
  }
  if (!(cells[0] in meta)) meta[cells[0]] = cells.slice(1).join(', ');
}

function blockMeta(grid: Grid, layout: Layout, b: BlockLayout): Record<string, string> {
  const meta: Record<string, string> = {};
  for (let r = 0; r < layout.headerRow; r++) {
    const row = grid.rows[r] ?? [];
    const cells: string[] = [];
    for (let c = b.c0; c < b.c1; c++) cells.push(cellText(row[c] ?? null));
    const nz = cells.filter((s) => s !== '' && !PADDING.test(s));
    if (nz.length === 0) continue;
    if (nz.length === 1) meta[`label:${nz[0]}`] = nz[0];
    else meta[nz[0]] = nz.slice(1).join(', ');
  }
  return meta;
}

interface ColUnit {
  scale: number;
  cellUnit: string | null;
  cellUnitAt: string | null;
}

function colScale(header: string, kind: 'A' | 'V' | 's', override: string | null, grid: Grid, row: number, col: number): number {
  if (override !== null) return declaredUnitScale(override, kind)!;
  const { unit } = splitHeaderUnit(header);
  if (unit === null) return 1;
  const s = declaredUnitScale(unit, kind);
  if (s === null) {
    throw new JartcalError(
      `column "${header}": unit "${unit}" is not a ${kind === 'A' ? 'current' : kind === 'V' ? 'voltage' : 'time'} unit; give --${kind === 'A' ? 'i' : kind === 'V' ? 'v' : 't'}-unit.`,
      { code: 'bad_unit', location: grid.loc(row, col) },
    );
  }
  return s;
}

function readTable(grid: Grid, layout: Layout, gridMeta: Record<string, string>, ctx: TableContext): { traces: Trace[]; endRow: number } {
  const { opts } = ctx;
  const dc = ctx.decimalComma;
  const hr = layout.headerRow;
  unitsRow(grid, layout);
  const hdr = (c: number | undefined) => (c === undefined ? '' : (layout.headers[c] ?? `column ${c + 1}`));
  // where the table ends: a section marker, or trailing text rows never followed by data
  let end = grid.rows.length;
  for (let r = layout.dataRow; r < grid.rows.length; r++) {
    const first = cellText((grid.rows[r] ?? []).find((c) => c !== null && cellText(c) !== '') ?? null);
    if (first && SECTION.test(first)) {
      end = r;
      break;
    }
    if (r > layout.dataRow && sameHeader(grid.rows[r], grid.rows[hr])) {
      end = r;
      break;
    }
  }
  const dataLike = (r: number) =>
    layout.blocks.some((b) => [b.v, b.i, b.t].every((c) => c === undefined || parseCell(grid.rows[r]?.[c] ?? null, dc).kind === 'number'));
  let lastData = -1;
  for (let r = end - 1; r >= layout.dataRow; r--)
    if (dataLike(r)) {
      lastData = r;
      break;
    }
  const trailingStart = lastData + 1;
  const traces: Trace[] = [];
  for (const [k, b] of layout.blocks.entries()) {
    // a time column whose header unit is no time unit ("Time(T)") is a label, not a clock we can scale: not read
    if (b.t !== undefined && opts.units.t === null) {
      const tu = splitHeaderUnit(hdr(b.t)).unit;
      if (tu !== null && declaredUnitScale(tu, 's') === null) {
        ctx.issues.push({
          code: 'time_column_ignored',
          message: `column "${hdr(b.t)}": "${tu}" is not a time unit; the column is not read (give --t-unit to use it).`,
          location: grid.loc(hr, b.t),
        });
        delete b.t;
      }
    }
    const vScale = colScale(hdr(b.v), 'V', opts.units.v, grid, hr, b.v);
    const iScale =
      (layout.kind === 'shared-v' && opts.units.i === null) || b.iLog ? 1 : colScale(hdr(b.i), 'A', opts.units.i, grid, hr, b.i);
    const tScale = b.t !== undefined ? colScale(hdr(b.t), 's', opts.units.t, grid, hr, b.t) : 1;
    const units: Record<number, ColUnit> = {};
    const tr: Trace = {
      file: grid.file,
      ...(grid.sheet !== undefined ? { sheet: grid.sheet } : {}),
      vV: [],
      iA: [],
      rows: [],
      breaks: [],
      meta: { ...grid.meta, ...gridMeta, ...(layout.blocks.length > 1 ? blockMeta(grid, layout, b) : {}) },
      hints: {},
      columns: {
        v: hdr(b.v),
        i: layout.kind === 'shared-v' ? (b.label ?? hdr(b.i)) : hdr(b.i),
        ...(b.t !== undefined ? { t: hdr(b.t) } : {}),
      },
    };
    if (b.t !== undefined) tr.tS = [];
    if (b.cycle !== undefined) {
      tr.cycleCol = [];
      tr.columns.cycle = hdr(b.cycle);
    }
    if (b.device !== undefined) {
      tr.deviceCol = [];
      tr.columns.device = hdr(b.device);
    }
    if (b.iAbs) tr.meta['currentColumnIsAbsolute'] = 'true';
    if (b.iLog) tr.meta['currentColumnIsLog10'] = 'true';
    if (layout.kind === 'shared-v') {
      tr.hints.blockKind = layout.groupKind;
      tr.hints.blockIndex = k;
      tr.meta['traceLabel'] = b.label ?? '';
    }
    if (layout.kind === 'blocks') tr.hints.blockIndex = k;
    if (/generated/i.test(hdr(b.t))) tr.hints.timeGenerated = true;
    let pendingBreak = false;
    for (let r = layout.dataRow; r < end; r++) {
      const row = grid.rows[r] ?? [];
      const used = [b.v, b.i, b.t, b.cycle, b.device].filter((c): c is number => c !== undefined);
      const texts = used.map((c) => cellText(row[c] ?? null));
      if (texts.every((s) => s === '' || PADDING.test(s))) {
        pendingBreak = tr.vV.length > 0;
        continue;
      }
      const vt = texts[0];
      if (
        r >= trailingStart &&
        /^[A-Za-z]{2}[A-Za-z0-9 _./()#:-]*$/.test(cellText(row.find((c) => c !== null && cellText(c) !== '') ?? null))
      ) {
        collectMeta(row, tr.meta);
        continue;
      }
      if (LABEL.test(vt) && parseCell(row[b.i] ?? null, dc).kind !== 'number') {
        tr.meta[`label@${grid.lineOf(r)}`] = texts.filter((s) => s && !PADDING.test(s)).join(' ');
        pendingBreak = tr.vV.length > 0;
        continue;
      }
      const vals: number[] = [];
      let problem: { col: number; msg: string } | null = null;
      for (const [role, c, scale, kind] of [
        ['voltage', b.v, vScale, 'V'],
        ['current', b.i, iScale, 'A'],
        ['time', b.t, tScale, 's'],
      ] as const) {
        if (c === undefined) continue;
        const p = parseCell(row[c] ?? null, dc);
        if (p.kind === 'number') {
          let s: number = scale;
          if (p.unit !== null) {
            const u = units[c] ?? (units[c] = { scale, cellUnit: p.unit, cellUnitAt: `line ${grid.lineOf(r)}` });
            if (u.cellUnit !== p.unit) {
              problem = {
                col: c,
                msg: `mixed units in column "${hdr(c)}": "${p.unit}" here but "${u.cellUnit}" at ${u.cellUnitAt}; expected one unit per column`,
              };
              break;
            }
            const cs = declaredUnitScale(p.unit, kind);
            if (cs === null) {
              problem = { col: c, msg: `column "${hdr(c)}": unit "${p.unit}" is not a ${role} unit` };
              break;
            }
            s = cs;
          } else if (units[c]?.cellUnit) {
            problem = {
              col: c,
              msg: `mixed units in column "${hdr(c)}": no unit here but "${units[c].cellUnit}" at ${units[c].cellUnitAt}; expected one unit per column`,
            };
            break;
          }
          const x = kind === 'A' && b.iLog ? 10 ** p.value : s === 1 ? p.value : Number((p.value * s).toPrecision(15));
          if (!Number.isFinite(x)) {
            problem = { col: c, msg: `column "${hdr(c)}": the ${role} is not finite` };
            break;
          }
          vals.push(x);
        } else if (p.kind === 'empty') {
          problem = { col: c, msg: `column "${hdr(c)}": the ${role} is missing (empty cell or truncated row); expected a number` };
          break;
        } else {
          const text = p.kind === 'bad' ? p.text : p.text;
          const why = p.kind === 'bad' ? p.why : 'not a number';
          problem = { col: c, msg: `column "${hdr(c)}": expected a ${role} as a finite number, got "${text.slice(0, 40)}" (${why})` };
          break;
        }
      }
      if (problem) {
        const loc = grid.loc(r, problem.col);
        if (!opts.lenient)
          throw new JartcalError(`${problem.msg}. (--lenient drops such rows and reports each one.)`, { code: 'bad_row', location: loc });
        ctx.issues.push({ code: 'dropped_row', message: problem.msg, location: loc });
        continue;
      }
      if (pendingBreak) {
        tr.breaks.push(tr.vV.length);
        pendingBreak = false;
      }
      tr.vV.push(vals[0]);
      tr.iA.push(vals[1]);
      if (tr.tS) tr.tS.push(vals[2]);
      if (tr.cycleCol) {
        const p = parseCell(row[b.cycle!] ?? null, dc);
        const m = /(\d+)\s*$/.exec(cellText(row[b.cycle!] ?? null));
        tr.cycleCol.push(p.kind === 'number' ? p.value : m ? Number(m[1]) : NaN);
      }
      if (tr.deviceCol) tr.deviceCol.push(cellText(row[b.device!] ?? null));
      tr.rows.push(grid.lineOf(r));
    }
    if (tr.vV.length > 0) traces.push(tr);
  }
  if (layout.skipped.length)
    ctx.issues.push({
      code: 'skipped_columns',
      message: `columns not read (averages/fits/statistics, not single measurements): ${layout.skipped.slice(0, 20).join(', ')}${layout.skipped.length > 20 ? ', ...' : ''}`,
      location: grid.loc(layout.headerRow),
    });
  return { traces, endRow: end };
}

function sameHeader(a: Cell[] | undefined, b: Cell[] | undefined): boolean {
  if (!a || !b) return false;
  const ta = a.map(cellText).filter((s) => s !== ''),
    tb = b.map(cellText).filter((s) => s !== '');
  return ta.length >= 2 && ta.length === tb.length && ta.every((s, k) => s === tb[k]);
}

/** A row of units right below the header ("V, A, s") is folded into the header texts ("AV (V)"). */
function unitsRow(grid: Grid, layout: Layout): void {
  const row = grid.rows[layout.dataRow];
  if (!row) return;
  const used = layout.blocks.flatMap((b) => [b.v, b.i, b.t]).filter((c): c is number => c !== undefined);
  const isUnit = (c: number) => {
    const t = cellText(row[c] ?? null);
    return t !== '' && (unitScale(t, 'A') !== null || unitScale(t, 'V') !== null || unitScale(t, 's') !== null);
  };
  if (used.length === 0 || !used.every(isUnit)) return;
  layout.headers = layout.headers.map((h, c) => {
    const u = cellText(row[c] ?? null);
    return u && isUnit(c) && splitHeaderUnit(h).unit === null ? `${h} (${u})` : h;
  });
  layout.dataRow += 1;
}
