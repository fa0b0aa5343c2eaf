import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleKey, initialState, splitKeys, visibleRows, type KeyContext, type UiState, type KeyInfo } from '../../src/tui/state.js';
import { paramOrder } from '../../src/tui/ParamTable.js';
import { makeFixture, PARAM_BOUNDS } from '../helpers/inspect-fixture.js';

const fx = makeFixture();
const ctx: KeyContext = { paramNames: (f) => paramOrder(f, PARAM_BOUNDS), popNames: Object.keys(fx.population.parameters), pageSize: 5 };
const press = (s: UiState, input: string, key: KeyInfo = {}) => handleKey(s, input, key, ctx);
const sel = (s: UiState) => `${s.fits.cycles[s.selected].device}#${s.fits.cycles[s.selected].cycle}`;

test('state: starts on the worst fit; j/k and arrows move through the sorted list', () => {
  let s = initialState(fx.fits);
  assert.equal(sel(s), 'D2#3');
  const order = visibleRows(s).map((r) => `${r.device}#${r.cycle}`);
  s = press(s, 'j').state;
  assert.equal(sel(s), order[1]);
  s = press(s, '', { downArrow: true }).state;
  assert.equal(sel(s), order[2]);
  s = press(s, 'k').state;
  assert.equal(sel(s), order[1]);
  s = press(s, 'G').state;
  assert.equal(sel(s), order[order.length - 1]);
  s = press(s, 'j').state; // stays at the end
  assert.equal(sel(s), order[order.length - 1]);
});

test('state: o cycles the sort, b filters bad fits, / searches', () => {
  let s = initialState(fx.fits);
  s = press(s, 'o').state;
  assert.equal(s.sort, 'device');
  assert.deepEqual(
    visibleRows(s)
      .slice(0, 2)
      .map((r) => `${r.device}#${r.cycle}`),
    ['D1#1', 'D1#2'],
  );
  s = press(s, 'b').state;
  assert.deepEqual(
    visibleRows(s).map((r) => `${r.device}#${r.cycle}`),
    ['D2#3'],
  );
  s = press(s, 'b').state;
  s = press(s, '/').state;
  assert.ok(s.searching);
  for (const ch of 'D3#') s = press(s, ch).state;
  assert.ok(visibleRows(s).every((r) => r.device === 'D3'));
  assert.equal(s.fits.cycles[s.selected].device, 'D3', 'selection follows the filter');
  s = press(s, 'q').state; // typed into the search, not quit
  assert.equal(s.search, 'D3#q');
  s = press(s, '', { backspace: true }).state;
  s = press(s, '2').state;
  s = press(s, '', { return: true }).state;
  assert.ok(!s.searching);
  assert.equal(sel(s), 'D3#2');
  const esc = press(press(s, '/').state, '', { escape: true }).state;
  assert.equal(esc.search, '');
});

test('state: Tab cycles panes; f fixes and frees; r asks for a refit; s saves only a finished refit', () => {
  let s = initialState(fx.fits);
  s = press(s, '', { tab: true }).state;
  assert.equal(s.focus, 'params');
  const names = ctx.paramNames(s.fits.cycles[s.selected]);
  s = press(s, 'j').state;
  assert.equal(names[s.paramCursor], 'lnew');
  s = press(s, 'f').state;
  assert.ok(!s.free.includes('lnew'));
  assert.match(s.message, /lnew fixed/);
  assert.equal(press(s, 's').effect, undefined, 'nothing to save before a refit');
  const r = press(s, 'r');
  assert.deepEqual(r.effect, { kind: 'refit', index: s.selected, free: ['rnew', 'Ndiscmin', 'Ndiscmax'] });
  assert.equal(r.state.refit?.status, 'running');
  const result = { ...s.fits.cycles[s.selected], rmsLog10: 0.05 };
  const done: UiState = { ...r.state, refit: { index: s.selected, status: 'done', result } };
  assert.deepEqual(press(done, 's').effect, { kind: 'save', index: s.selected, fit: result });
  const discarded = press(done, '', { escape: true }).state;
  assert.equal(discarded.refit, null);
  assert.deepEqual(discarded.free, s.fits.cycles[s.selected].fitted);
  s = press(press(s, '', { tab: true }).state, '', { tab: true }).state;
  assert.equal(s.focus, 'list');
  s = press(s, '', { tab: true, shift: true }).state;
  assert.equal(s.focus, 'population');
});

test('state: ? opens help, which swallows keys until closed; q quits', () => {
  let s = press(initialState(fx.fits), '?').state;
  assert.ok(s.help);
  assert.equal(press(s, 'j').state.selected, s.selected);
  s = press(s, '', { escape: true }).state;
  assert.ok(!s.help);
  assert.deepEqual(press(s, 'q').effect, { kind: 'quit' });
  assert.equal(press(s, 'r', {}).effect?.kind, 'refit');
});

test('state: keys typed ahead arrive as one chunk and are split into single keys', () => {
  assert.deepEqual(splitKeys('\tjf', {}), [
    ['', { tab: true }],
    ['j', {}],
    ['f', {}],
  ]);
  assert.deepEqual(splitKeys('j', {}), [['j', {}]]);
  assert.deepEqual(splitKeys('\u001B[B', { downArrow: true }), [['\u001B[B', { downArrow: true }]]);
  // typed ahead with other keys: a lone Esc is the escape key, an arrow sequence an arrow key
  assert.deepEqual(splitKeys('f\u001B', {}), [
    ['f', {}],
    ['', { escape: true }],
  ]);
  assert.deepEqual(splitKeys('\u001B[Bj\u001B', {}), [
    ['', { downArrow: true }],
    ['j', {}],
    ['', { escape: true }],
  ]);
  let s = initialState(fx.fits);
  for (const [ch, k] of splitKeys('\tjf', {})) s = press(s, ch, k).state;
  assert.equal(s.focus, 'params');
  assert.ok(!s.free.includes('lnew'), 'Tab, j, f: lnew fixed');
});
