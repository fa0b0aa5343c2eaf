/**
 * Inspector details a new user meets first: the start-up screen, the help overlay drawn over the
 * panes, full parameter names and units, the marked selected row, and the bad-fit count in the header.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { InspectApp, type InspectAppProps } from '../../src/tui/App.js';
import { InspectRoot, Startup } from '../../src/tui/Startup.js';
import { HelpOverlay, HELP_LINES } from '../../src/tui/HelpOverlay.js';
import { CycleList } from '../../src/tui/CycleList.js';
import { cycleRows, sortRows } from '../../src/inspect/quality.js';
import { DEFAULT_PARAMS, PARAM_TABLE } from '../../src/model/index.js';
import { displayUnit } from '../../src/model/display.js';
import type { FitsFileView } from '../../src/inspect/schema.js';
import { makeFixture, analyticModel, PARAM_BOUNDS } from '../helpers/inspect-fixture.js';

const fx = makeFixture();
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
async function waitFor(get: () => string | undefined, ok: (f: string) => boolean, ms = 20000): Promise<string> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const f = get() ?? '';
    if (ok(f)) return f;
    await tick(20);
  }
  throw new Error(`timed out; last frame:\n${get()}`);
}
const base = (over: Partial<InspectAppProps> = {}): InspectAppProps => ({
  fits: fx.fits,
  fitsPath: 'fits.json',
  dataset: fx.dataset,
  population: fx.population,
  paramTable: PARAM_BOUNDS,
  model: analyticModel,
  refitter: null,
  save: () => {},
  size: { columns: 150, rows: 44 },
  ...over,
});

test('start-up: a labelled screen names the file and the running step, then the app replaces it', async () => {
  const still = render(<Startup fitsPath="out/example/fits.json" step="reading the files" />).lastFrame()!;
  assert.match(still, /jartcal inspect · starting/);
  assert.match(still, /opening out\/example\/fits\.json/);
  assert.match(still, /reading the files…/);
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const app = render(
    <InspectRoot
      fitsPath="fits.json"
      onError={() => {}}
      load={async (step) => {
        step('loading the model');
        await gate;
        return base();
      }}
    />,
  );
  const f = await waitFor(app.lastFrame, (t) => /loading the model…/.test(t));
  assert.match(f, /opening fits\.json/);
  release();
  await waitFor(app.lastFrame, (t) => /jartcal inspect · fits\.json · 12 cycles/.test(t));
  app.unmount();
});

test('start-up: a failed load is handed to the caller', async () => {
  const errors: unknown[] = [];
  const app = render(
    <InspectRoot
      fitsPath="x.json"
      onError={(e) => errors.push(e)}
      load={async () => {
        throw new Error('x.json: not valid JSON');
      }}
    />,
  );
  await waitFor(
    () => String(errors.length),
    (t) => t === '1',
  );
  assert.match(String(errors[0]), /not valid JSON/);
  app.unmount();
});

test('help: drawn over the panes (header and panes stay visible around it), no line cut at its border', async () => {
  const app = render(<InspectApp {...base()} />);
  app.stdin.write('?');
  const f = await waitFor(app.lastFrame, (t) => /jartcal inspect: keys/.test(t));
  const lines = f.split('\n');
  assert.match(lines[0], /jartcal inspect · fits\.json · 12 cycles/, 'the header is still there');
  assert.match(f, /Cycles 12\/12/, 'the cycle list is still visible beside the overlay');
  assert.match(f, /Parameters/, 'the parameter pane is still visible beside the overlay');
  assert.ok(lines.length <= 44);
  // Every help text appears whole inside the box (wrapped lines joined), nothing truncated with an ellipsis.
  const inside = lines
    .filter((l) => l.includes('║'))
    .map((l) => l.slice(l.indexOf('║') + 1, l.lastIndexOf('║')))
    .join(' ')
    .replace(/\s+/g, ' ');
  for (const [k, d] of HELP_LINES) {
    assert.ok(inside.includes(k.replace(/\s+/g, ' ')), `key ${k}`);
    for (const w of d.split(' ')) assert.ok(inside.includes(w), `word "${w}" of "${d}"`);
  }
  assert.ok(!inside.includes('…'), 'no truncated line');
  app.stdin.write('\u001B');
  await waitFor(app.lastFrame, (t) => !/jartcal inspect: keys/.test(t));
  app.unmount();
  // A narrow box wraps its lines; none of them is wider than the box.
  const narrow = render(<HelpOverlay width={50} />).lastFrame()!;
  for (const l of narrow.split('\n')) assert.ok(l.length <= 50, `line of ${l.length}: ${l}`);
  assert.match(narrow.replace(/[║\s]+/g, ' '), /save the refit into fits\.json \(atomic write\)/);
});

test('parameter table: full names and display units of every JART parameter, the selected row marked', async () => {
  const all = Object.fromEntries(PARAM_TABLE.map((s) => [s.name, DEFAULT_PARAMS[s.name]]));
  const fits: FitsFileView = { ...fx.fits, cycles: fx.fits.cycles.map((c) => ({ ...c, params: { ...all, ...c.params } })) };
  const app = render(<InspectApp {...base({ fits, paramTable: PARAM_TABLE, size: { columns: 160, rows: 50 } })} />);
  app.stdin.write('\t');
  const f = await waitFor(app.lastFrame, (t) => /\[params\]/.test(t) || /›rnew/.test(t));
  for (const s of PARAM_TABLE) {
    const u = displayUnit(s.name).unit;
    const re = new RegExp(`[ ›]${s.name}\\s+${u.replace(/[()^.*+?[\]\\]/g, '\\$&')}\\s`);
    assert.match(f, re, `${s.name} ${u}`);
  }
  assert.match(f, /RseriesTiOx\s+Ω\s+650/);
  assert.match(f, /Ninit\s+1e26 m⁻³\s+0\.008/);
  assert.match(f, /rdet\s+nm\s+45 /, 'lengths in nm');
  assert.equal((f.match(/›/g) ?? []).length, 2, 'the selected cycle and the selected parameter carry a › marker');
  app.unmount();
  // Without colour: the selected cycle row is the one with the marker.
  const rows = sortRows(cycleRows(fx.fits), 'worst');
  const list = render(
    <CycleList
      rows={rows}
      selected={rows[2].index}
      height={20}
      width={40}
      focused
      sort="worst"
      badOnly={false}
      search=""
      searching={false}
      total={rows.length}
    />,
  ).lastFrame()!;
  assert.equal(list.split('\n').filter((l) => l.includes('›')).length, 1);
  assert.match(list, new RegExp(`›${rows[2].device}#${rows[2].cycle}`));
});

test('header: the bad-fit count only when there are bad fits, and how many the filter hides', async () => {
  const one = render(<InspectApp {...base()} />);
  assert.match(one.lastFrame()!.split('\n')[0], /12 cycles · 1 bad · \? help/);
  one.stdin.write('/D1');
  one.stdin.write('\r');
  const hidden = await waitFor(one.lastFrame, (t) => /Cycles 4\/12 · worst · \/D1/.test(t));
  assert.match(hidden.split('\n')[0], /1 bad \(0 in the list\)/);
  one.unmount();
  const good: FitsFileView = { ...fx.fits, cycles: fx.fits.cycles.filter((c) => !(c.device === 'D2' && c.cycle === 3)) };
  const none = render(<InspectApp {...base({ fits: good })} />)
    .lastFrame()!
    .split('\n')[0];
  assert.match(none, /jartcal inspect · fits\.json · 11 cycles · \? help/);
  assert.doesNotMatch(none, /bad/);
});
