import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { InspectApp } from '../../src/tui/App.js';
import { CycleList } from '../../src/tui/CycleList.js';
import { CycleDetail } from '../../src/tui/CycleDetail.js';
import { ParamTable, paramOrder } from '../../src/tui/ParamTable.js';
import { PopulationView } from '../../src/tui/PopulationView.js';
import { HelpOverlay } from '../../src/tui/HelpOverlay.js';
import { cycleRows, sortRows } from '../../src/inspect/quality.js';
import type { FitsFileView } from '../../src/inspect/schema.js';
import { makeFixture, analyticModel, analyticRefitter, PARAM_BOUNDS } from '../helpers/inspect-fixture.js';

const fx = makeFixture();
const bounds = new Map(PARAM_BOUNDS.map((b) => [b.name, b]));
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
const braille = (s: string) => Array.from(s).filter((c) => c.charCodeAt(0) > 0x2800 && c.charCodeAt(0) <= 0x28ff).length;
const KEYS = { down: '\u001B[B', up: '\u001B[A', tab: '\t', enter: '\r', esc: '\u001B' };

// Apps still mounted when a test ends (e.g. after a failed wait) are unmounted, so that a pending refit
// or its seconds counter cannot keep the test process alive.
const mounted: { unmount: () => void }[] = [];
afterEach(() => {
  for (const a of mounted.splice(0)) {
    try {
      a.unmount();
    } catch {
      /* already unmounted */
    }
  }
});
function mount(el: Parameters<typeof render>[0]): ReturnType<typeof render> {
  const app = render(el);
  mounted.push(app);
  return app;
}

// Generous: the waits only take long when the machine is loaded, and a frame that never comes fails anyway.
async function waitFor(get: () => string | undefined, re: RegExp | ((f: string) => boolean), ms = 20000): Promise<string> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const f = get() ?? '';
    if (typeof re === 'function' ? re(f) : re.test(f)) return f;
    await tick(20);
  }
  throw new Error(`timed out waiting for ${re}; last frame:\n${get()}`);
}

test('view: cycle list shows RMS, flags and the filter state', () => {
  const rows = sortRows(cycleRows(fx.fits), 'worst');
  const f = render(
    <CycleList
      rows={rows}
      selected={rows[0].index}
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
  assert.match(f, /Cycles 12\/12 · worst/);
  assert.match(f, /›D2#3\s+0\.497 ✗ rnew@max no-conv/);
  assert.equal((f.match(/D\d#\d/g) ?? []).length, 12);
  const g = render(
    <CycleList
      rows={rows.slice(0, 1)}
      selected={rows[0].index}
      height={20}
      width={40}
      focused={false}
      sort="worst"
      badOnly
      search="D2"
      searching
      total={rows.length}
    />,
  ).lastFrame()!;
  assert.match(g, /Cycles 1\/12 · worst · bad only/);
  assert.match(g, /search: D2/);
});

test('view: cycle detail draws the I-V plot with both branches, model and compliance, and the residuals', () => {
  const d = fx.dataset.devices[0].cycles[0]; // D1 has a compliance
  const fit = fx.fits.cycles.find((c) => c.device === 'D1' && c.cycle === 1)!;
  const f = render(<CycleDetail fit={fit} data={d} modelA={analyticModel(fit.params, d)} width={90} height={36} />).lastFrame()!;
  assert.match(f, /D1 cycle 1 · RMS 0\.0\d\d dec · converged/);
  assert.match(f, /good fit/);
  assert.match(f, /● SET ● RESET ─ model/);
  assert.match(f, /compliance 600 µA/);
  assert.match(f, /residual log10\|I\| \(meas − model\) · SET out 0\.0\d+/);
  assert.match(f, /1e-4/);
  assert.ok(braille(f) > 150, `plot dots drawn: ${braille(f)}`);
  const none = render(<CycleDetail fit={fit} data={null} modelA={null} width={90} height={30} />).lastFrame()!;
  assert.match(none, /measured data not found/);
});

test('view: parameter table shows values, standard errors, bounds and at-bound parameters', () => {
  const fit = fx.fits.cycles.find((c) => c.device === 'D2' && c.cycle === 3)!;
  const names = paramOrder(fit, PARAM_BOUNDS);
  assert.deepEqual(names.slice(0, 4), ['rnew', 'lnew', 'Ndiscmin', 'Ndiscmax']);
  const f = render(
    <ParamTable
      fit={fit}
      names={names}
      bounds={bounds}
      free={['rnew', 'Ndiscmin', 'Ndiscmax']}
      cursor={1}
      width={70}
      height={14}
      focused
    />,
  ).lastFrame()!;
  assert.match(f, / rnew\s+nm\s+100\s+40 \[5,100\]\s+free @max/);
  assert.match(f, /›lnew\s+nm\s+0\.4\d*\s+0\.16\d* \[0\.1,5\]\s+fixed\*/, 'the cursor row is marked by › (not only by colour)');
  assert.match(f, / dWa\s+eV\s+1\.2\s+\[0\.8,1\.5\]\s+fixed/);
  assert.match(f, / RseriesTiOx Ω\s+650 /);
  assert.match(f, / Ndiscmax\s+1e26 m⁻³\s+22\.26/);
  assert.equal((f.match(/›/g) ?? []).length, 1, 'one marked row');
  const dev = render(
    <ParamTable
      fit={fit}
      names={paramOrder(fit, PARAM_BOUNDS, { params: { dWa: 1.2 }, stderr: { dWa: 0.01 } })}
      bounds={bounds}
      free={fit.fitted}
      cursor={0}
      device={{ params: { dWa: 1.2 }, stderr: { dWa: 0.01 } }}
      width={70}
      height={14}
      focused={false}
    />,
  ).lastFrame()!;
  assert.match(
    dev,
    /Ndiscmax\s+1e26 m⁻³.*\n.*dWa\s+eV\s+1\.2\s+0\.01 \[0\.8,1\.5\]\s+device/,
    'device-level parameters follow the cycle ones, with their stderr',
  );
  const after = render(
    <ParamTable
      fit={fit}
      names={names}
      bounds={bounds}
      free={['rnew']}
      cursor={0}
      result={{ ...fit, rmsLog10: 0.05, params: { ...fit.params, rnew: 45e-9 } }}
      width={70}
      height={14}
      focused
    />,
  ).lastFrame()!;
  assert.match(after, /refit RMS 0\.497 → 0\.050 dec/);
  assert.match(after, /rnew\s+nm\s+100\s+45/);
  assert.match(after, /s save to fits\.json/);
  assert.doesNotMatch(f, /seriesOhm/, 'no circuit line without a circuit');
  // the measurement circuit's series resistance: fitted at device level (stderr from the device)
  const withR = { ...fit, circuit: { seriesOhm: 113000 } };
  const rs = render(
    <ParamTable
      fit={withR}
      names={names}
      bounds={bounds}
      free={fit.fitted}
      cursor={0}
      device={{ params: {}, stderr: {}, circuit: { seriesOhm: 113000 }, circuitStderr: { seriesOhm: 9800 } }}
      width={70}
      height={14}
      focused={false}
    />,
  ).lastFrame()!;
  assert.match(rs, /seriesOhm\s+Ω\s+1\.13e5\s+9800 \(circuit\)\s+fitted/);
  const fixedR = render(
    <ParamTable fit={withR} names={names} bounds={bounds} free={fit.fitted} cursor={0} width={70} height={14} focused={false} />,
  ).lastFrame()!;
  assert.match(fixedR, /seriesOhm\s+Ω\s+1\.13e5\s+\(circuit\)\s+fixed/);
});

test('view: population pane lists parameters and draws the histogram with the fitted law', () => {
  const f = render(
    <PopulationView
      population={fx.population}
      fits={fx.fits}
      names={Object.keys(fx.population.parameters)}
      cursor={1}
      bounds={bounds}
      width={100}
      height={30}
      focused
    />,
  ).lastFrame()!;
  assert.match(f, /rnew\s+lognormal\s+center\s+45/);
  assert.match(f, /Ndiscmin\s+trunclognormal/);
  const wide = render(
    <PopulationView
      population={{
        ...fx.population,
        parameters: {
          ...fx.population.parameters,
          rnew: {
            family: 'normal',
            d2d: { center: 45e-9, spread: 1.2e-9, spreadKind: 'absolute' },
            c2c: { spread: 0.03, spreadKind: 'relative' },
          },
        },
      }}
      fits={fx.fits}
      names={['rnew']}
      cursor={0}
      bounds={bounds}
      width={140}
      height={30}
      focused
    />,
  ).lastFrame()!;
  assert.match(wide, /rnew\s+normal\s+center\s+45 nm\s+d2d 1\.2 nm {2}c2c 0\.03 relative/, 'absolute spreads in the display unit');
  assert.match(f, /lnew \(nm\) fitted values over 12 cycles \(log axis\)/);
  assert.match(f, /›lnew\s+lognormal/, 'the selected parameter is marked');
  assert.ok(braille(f) > 20);
  const none = render(
    <PopulationView population={null} fits={fx.fits} names={[]} cursor={0} bounds={bounds} width={100} height={20} focused />,
  ).lastFrame()!;
  assert.match(none, /no population file/);
});

test('view: help overlay lists every key', () => {
  const f = render(<HelpOverlay width={100} />).lastFrame()!;
  for (const k of ['j/k', 'Tab', 'Enter', '/', 'f or Space', 'r', 's', '?', 'q']) assert.ok(f.includes(k), k);
});

test('app: from the keyboard, find the worst fit, see why, fix a parameter, refit and save', async () => {
  const saved: FitsFileView[] = [];
  const app = mount(
    <InspectApp
      fits={fx.fits}
      fitsPath="fits.json"
      dataset={fx.dataset}
      population={fx.population}
      paramTable={PARAM_BOUNDS}
      model={analyticModel}
      refitter={analyticRefitter}
      save={(f) => {
        saved.push(f);
      }}
      size={{ columns: 150, rows: 44 }}
    />,
  );
  let f = app.lastFrame()!;
  assert.match(f, /›D2#3 +0\.497/, 'the worst fit is selected first');
  assert.match(f, /rnew sits at its upper bound/);
  assert.match(f, /largest misfit on the/);
  app.stdin.write('?');
  await waitFor(app.lastFrame, /jartcal inspect: keys/);
  app.stdin.write(KEYS.esc);
  await waitFor(app.lastFrame, (t) => !/jartcal inspect: keys/.test(t));
  app.stdin.write('\rjf'); // typed ahead in one chunk: Enter (to the parameter table), j (to lnew), f (fix it)
  f = await waitFor(app.lastFrame, /lnew fixed for the next refit/);
  assert.match(f, /lnew\s+nm.*fixed\*/);
  app.stdin.write('r');
  f = await waitFor(app.lastFrame, /refit RMS 0\.497 → 0\.\d+ dec/);
  assert.match(f, /before refit/);
  app.stdin.write('s');
  f = await waitFor(app.lastFrame, /saved D2#3 to fits\.json/);
  assert.equal(saved.length, 1);
  const c = saved[0].cycles.find((x) => x.device === 'D2' && x.cycle === 3)!;
  const old = fx.fits.cycles.find((x) => x.device === 'D2' && x.cycle === 3)!;
  assert.ok(c.rmsLog10 < old.rmsLog10, `${c.rmsLog10} < ${old.rmsLog10}`);
  assert.equal(c.params.lnew, old.params.lnew, 'the fixed parameter kept its value');
  assert.ok(!c.fitted.includes('lnew'));
  assert.equal(saved[0].cycles.length, fx.fits.cycles.length);
  assert.doesNotMatch(f, /›D2#3 +0\.497/, 'the list shows the new RMS');
  app.unmount();
});

test('app: follows a size change and shows the population pane on Tab', async () => {
  const props = {
    fits: fx.fits,
    fitsPath: 'fits.json',
    dataset: fx.dataset,
    population: fx.population,
    paramTable: PARAM_BOUNDS,
    model: analyticModel,
    refitter: null,
    save: () => {},
  };
  const app = mount(<InspectApp {...props} size={{ columns: 150, rows: 40 }} />);
  const wide = app.lastFrame()!.split('\n');
  assert.ok(Math.max(...wide.map((l) => l.length)) > 120);
  app.rerender(<InspectApp {...props} size={{ columns: 90, rows: 30 }} />);
  const narrow = (await waitFor(app.lastFrame, (f) => Math.max(...f.split('\n').map((l) => l.length)) <= 90)).split('\n');
  assert.ok(Math.max(...narrow.map((l) => l.length)) <= 90, `narrow width ${Math.max(...narrow.map((l) => l.length))}`);
  assert.ok(narrow.length <= 30);
  app.rerender(<InspectApp {...props} size={{ columns: 80, rows: 24 }} />);
  const small = (await waitFor(app.lastFrame, (f) => Math.max(...f.split('\n').map((l) => l.length)) <= 80)).split('\n');
  assert.ok(small.length <= 24, `80×24: ${small.length} rows`);
  assert.match(small.join('\n'), /D2 cycle 3 · RMS 0\.497 dec/, 'the title stays visible on a small terminal');
  assert.match(small.join('\n'), /Parameters/);
  app.stdin.write(KEYS.tab);
  await tick();
  app.stdin.write(KEYS.tab);
  const f = await waitFor(app.lastFrame, /Population · 4 parameters/);
  assert.match(f, /population \(d2d ⊕ c2c\)/);
  app.stdin.write('r');
  await waitFor(app.lastFrame, /refit unavailable/);
  app.unmount();
});

test('app: Esc cancels a running refit (the refitter sees the abort)', async () => {
  let aborted = false;
  let called = false;
  const slow = {
    refit: (_req: unknown, signal?: AbortSignal) => {
      called = true;
      return new Promise<never>((_, reject) =>
        signal?.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('cancelled'));
        }),
      );
    },
  };
  const app = mount(
    <InspectApp
      fits={fx.fits}
      fitsPath="fits.json"
      dataset={fx.dataset}
      population={null}
      paramTable={PARAM_BOUNDS}
      model={analyticModel}
      refitter={slow}
      save={() => {}}
      size={{ columns: 150, rows: 40 }}
    />,
  );
  app.stdin.write('r');
  await waitFor(app.lastFrame, /refitting D2#3 with rnew, lnew, Ndiscmin, Ndiscmax free… \(Esc cancels\) \d+ s/);
  app.stdin.write('f'); // in the list: a hint, no crash while running
  await waitFor(() => (called ? 'called' : ''), /called/); // the refitter is at work (the app starts it after a first frame)
  app.stdin.write(KEYS.esc);
  await waitFor(app.lastFrame, /refit cancelled/);
  assert.ok(aborted);
  app.unmount();
});

test('app: an Esc right after r cancels the refit before the refitter starts', async () => {
  let called = false;
  const never = {
    refit: () => {
      called = true;
      return new Promise<never>(() => {});
    },
  };
  const app = mount(
    <InspectApp
      fits={fx.fits}
      fitsPath="fits.json"
      dataset={fx.dataset}
      population={null}
      paramTable={PARAM_BOUNDS}
      model={analyticModel}
      refitter={never}
      save={() => {}}
      size={{ columns: 150, rows: 40 }}
    />,
  );
  app.stdin.write('r');
  app.stdin.write(KEYS.esc);
  await waitFor(app.lastFrame, /refit cancelled/);
  assert.equal(called, false);
});
