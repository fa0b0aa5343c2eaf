/**
 * The inspector's state and key handling as a pure function: (state, key) → new state plus an effect
 * for the app to run (quit, refit, save). Ink wiring lives in App.tsx; this file is tested directly.
 */
import { cycleRows, filterRows, sortRows, SORT_KEYS, type CycleRow, type SortKey } from '../inspect/quality.js';
import type { CycleFitView, FitsFileView } from '../inspect/schema.js';
import { toggleFree } from '../inspect/refit.js';

export type Pane = 'list' | 'params' | 'population';
const PANES: readonly Pane[] = ['list', 'params', 'population'];

export interface RefitState {
  index: number;
  status: 'running' | 'done' | 'error';
  result?: CycleFitView;
  error?: string;
}

export interface UiState {
  fits: FitsFileView;
  focus: Pane;
  help: boolean;
  sort: SortKey;
  badOnly: boolean;
  search: string;
  searching: boolean;
  /** Index into fits.cycles of the selected cycle (stable across sorting and filtering). */
  selected: number;
  paramCursor: number;
  popCursor: number;
  /** Free parameters of the pending refit of the selected cycle (starts as the fit's `fitted`). */
  free: string[];
  refit: RefitState | null;
  message: string;
}

export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
}

export type Effect =
  | { kind: 'quit' }
  | { kind: 'refit'; index: number; free: string[] }
  | { kind: 'cancel' }
  | { kind: 'save'; index: number; fit: CycleFitView };

export interface KeyContext {
  paramNames: (fit: CycleFitView) => string[];
  popNames: string[];
  pageSize: number;
}

export function initialState(fits: FitsFileView): UiState {
  const s: UiState = {
    fits,
    focus: 'list',
    help: false,
    sort: 'worst',
    badOnly: false,
    search: '',
    searching: false,
    selected: 0,
    paramCursor: 0,
    popCursor: 0,
    free: [],
    refit: null,
    message: '',
  };
  const rows = visibleRows(s);
  return select(s, rows.length ? rows[0].index : 0);
}

export function visibleRows(s: UiState): CycleRow[] {
  return filterRows(sortRows(cycleRows(s.fits), s.sort), { badOnly: s.badOnly, search: s.search });
}

function select(s: UiState, index: number): UiState {
  if (index === s.selected && s.free.length) return s;
  const fit = s.fits.cycles[index];
  return {
    ...s,
    selected: index,
    free: fit ? fit.fitted.slice() : [],
    paramCursor: 0,
    refit: s.refit && s.refit.index === index ? s.refit : null,
  };
}

/** Keeps the selection on a visible row (the first one when the selected cycle is filtered out). */
function reselect(s: UiState): UiState {
  const rows = visibleRows(s);
  if (rows.length === 0 || rows.some((r) => r.index === s.selected)) return s;
  return select(s, rows[0].index);
}

function move<T>(list: readonly T[], cur: number, delta: number): number {
  if (list.length === 0) return 0;
  return Math.max(0, Math.min(list.length - 1, cur + delta));
}

function delta(input: string, key: KeyInfo, page: number): number {
  if (key.upArrow || input === 'k') return -1;
  if (key.downArrow || input === 'j') return 1;
  if (key.pageUp) return -page;
  if (key.pageDown) return page;
  if (input === 'g') return -1e9;
  if (input === 'G') return 1e9;
  return 0;
}

export function handleKey(s0: UiState, input: string, key: KeyInfo, ctx: KeyContext): { state: UiState; effect?: Effect } {
  const s = { ...s0, message: s0.refit?.status === 'running' ? s0.message : '' };
  if (s.searching) {
    if (key.escape) return { state: reselect({ ...s, searching: false, search: '' }) };
    if (key.return) return { state: reselect({ ...s, searching: false }) };
    if (key.backspace || key.delete) return { state: reselect({ ...s, search: s.search.slice(0, -1) }) };
    if (input && !key.ctrl && !key.tab && !key.upArrow && !key.downArrow) return { state: reselect({ ...s, search: s.search + input }) };
    return { state: s };
  }
  if (s.help) {
    if (input === '?' || key.escape || input === 'q' || key.return) return { state: { ...s, help: false } };
    return { state: s };
  }
  if (input === 'q' || (key.ctrl && input === 'c')) return { state: s, effect: { kind: 'quit' } };
  if (input === '?') return { state: { ...s, help: true } };
  if (key.tab) {
    const i = PANES.indexOf(s.focus);
    return { state: { ...s, focus: PANES[(i + (key.shift ? PANES.length - 1 : 1)) % PANES.length] } };
  }
  if (input === '/') return { state: { ...s, searching: true, focus: 'list' } };
  if (input === 'b')
    return { state: reselect({ ...s, badOnly: !s.badOnly, message: s.badOnly ? 'showing all fits' : 'showing bad fits only' }) };
  if (input === 'o') {
    const sort = SORT_KEYS[(SORT_KEYS.indexOf(s.sort) + 1) % SORT_KEYS.length];
    return { state: { ...s, sort, message: `sorted by ${sort}` } };
  }
  const fit = s.fits.cycles[s.selected];
  if (input === 'r') {
    if (!fit) return { state: s };
    if (s.refit?.status === 'running') return { state: { ...s, message: 'a refit is already running' } };
    if (s.free.length === 0) return { state: { ...s, message: 'no free parameter: free one with f (Tab to the parameter table)' } };
    return {
      state: {
        ...s,
        refit: { index: s.selected, status: 'running' },
        message: `refitting ${fit.device}#${fit.cycle} with ${s.free.join(', ')} free… (Esc cancels)`,
      },
      effect: { kind: 'refit', index: s.selected, free: s.free.slice() },
    };
  }
  if (input === 's' && s.refit?.status === 'done' && s.refit.result && s.refit.index === s.selected) {
    return { state: s, effect: { kind: 'save', index: s.refit.index, fit: s.refit.result } };
  }
  if (key.escape && s.refit?.status === 'running') return { state: { ...s, message: 'cancelling the refit…' }, effect: { kind: 'cancel' } };
  if (key.escape || input === 'u') {
    if (s.refit && s.refit.status !== 'running')
      return { state: { ...s, refit: null, free: fit ? fit.fitted.slice() : [], message: 'refit discarded' } };
    if (s.focus !== 'list') return { state: { ...s, focus: 'list' } };
    return { state: s };
  }
  const d = delta(input, key, ctx.pageSize);
  if (s.focus === 'list') {
    if (key.return) return { state: { ...s, focus: 'params' } };
    if (input === 'f' || input === ' ')
      return { state: { ...s, message: 'to fix or free a parameter, go to the parameter table (Tab or Enter) and press f there' } };
    if (d !== 0) {
      const rows = visibleRows(s);
      const cur = Math.max(
        0,
        rows.findIndex((r) => r.index === s.selected),
      );
      const next = rows[move(rows, cur, d)];
      return { state: next ? select(s, next.index) : s };
    }
  } else if (s.focus === 'params' && fit) {
    const names = ctx.paramNames(fit);
    if (d !== 0) return { state: { ...s, paramCursor: move(names, s.paramCursor, d) } };
    if (input === 'f' || input === ' ' || key.return) {
      const name = names[s.paramCursor];
      if (!name) return { state: s };
      const free = toggleFree(s.free, name);
      return { state: { ...s, free, message: `${name} ${free.includes(name) ? 'freed' : 'fixed'} for the next refit (r)` } };
    }
  } else if (s.focus === 'population') {
    if (d !== 0) return { state: { ...s, popCursor: move(ctx.popNames, s.popCursor, d) } };
  }
  return { state: s };
}

/**
 * Ink delivers keys typed ahead (fast typing, a busy machine, a paste) as one string: "\tjf", "f\u001B".
 * Splits such a chunk into single keys so that each one is handled: arrow sequences become arrow keys,
 * a lone Esc becomes the escape key.
 */
// An escape sequence: ESC [ params final, or ESC O final (built from a string so lint accepts the ESC).
const ESC_SEQ = new RegExp('^' + String.fromCharCode(27) + '(\\[[0-9;]*[A-Za-z~]|O[A-Za-z])');

export function splitKeys(input: string, key: KeyInfo): [string, KeyInfo][] {
  if (input.length <= 1) return [[input, key]];
  // A chunk that is exactly one escape sequence was already parsed by Ink: keep its key flags.
  {
    const m = ESC_SEQ.exec(input);
    if (m && m[0].length === input.length) return [[input, key]];
  }
  const out: [string, KeyInfo][] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === '\u001B') {
      const m = ESC_SEQ.exec(input.slice(i));
      if (m) {
        const fin = m[1][m[1].length - 1];
        const arrows: Record<string, KeyInfo> = {
          A: { upArrow: true },
          B: { downArrow: true },
          C: { rightArrow: true },
          D: { leftArrow: true },
        };
        out.push(['', arrows[fin] ?? {}]);
        i += m[0].length;
        continue;
      }
      out.push(['', { escape: true }]); // a lone Esc typed ahead with other keys
      i++;
      continue;
    }
    if (c === '\t') out.push(['', { tab: true }]);
    else if (c === '\r' || c === '\n') out.push(['', { return: true }]);
    else if (c === '\u007F' || c === '\b') out.push(['', { backspace: true }]);
    else out.push([c, {}]);
    i++;
  }
  return out;
}
