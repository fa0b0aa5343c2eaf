/**
 * End to end in a real terminal: the inspector runs in a detached tmux session; the test sends keys
 * and reads the screen (capture-pane). Skipped, with a message, where tmux is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../src/io/atomic.js';
import { makeFixture } from '../helpers/inspect-fixture.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { paramOrder } from '../../src/tui/ParamTable.js';
import { PARAM_TABLE } from '../../src/model/index.js';

const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
const SKIP = hasTmux ? false : 'tmux is not installed (apt-get install tmux): the terminal end-to-end test is skipped';
const SOCK = `jartcal-e2e-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', SOCK, ...args], { encoding: 'utf8' });
const screen = (s: string): string => tmux('capture-pane', '-p', '-t', s).stdout ?? '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitScreen(s: string, ok: RegExp | ((t: string) => boolean), ms = 20_000): Promise<string> {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < ms) {
    last = screen(s);
    if (typeof ok === 'function' ? ok(last) : ok.test(last)) return last;
    await sleep(100);
  }
  throw new Error(`screen never matched ${ok}; last screen:\n${last}`);
}

async function keys(s: string, ...k: string[]): Promise<void> {
  for (const key of k) {
    tmux('send-keys', '-t', s, key);
    await sleep(150);
  }
}

/**
 * The first frame can appear before Ink has put the terminal in raw mode, and keys typed in that
 * moment are lost. Open and close the help overlay, retrying, to know that keys arrive.
 */
async function handshake(s: string): Promise<void> {
  for (let i = 0; i < 10; i++) {
    tmux('send-keys', '-t', s, '?');
    try {
      await waitScreen(s, /jartcal inspect: keys/, 1500);
    } catch {
      continue;
    }
    tmux('send-keys', '-t', s, 'Escape');
    await waitScreen(s, (t) => !/jartcal inspect: keys/.test(t), 5000);
    return;
  }
  throw new Error('the app never reacted to a key');
}

function start(session: string, cmd: string, cols = 150, rows = 45): void {
  const r = tmux(
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    String(cols),
    '-y',
    String(rows),
    '-c',
    REPO_ROOT,
    `env -u CI ${cmd}; echo "EXIT=$?"; sleep 120`,
  );
  assert.equal(r.status, 0, r.stderr);
}

test('tmux: open, find the worst fit, see why, fix a parameter, refit, save, resize, quit', { skip: SKIP, timeout: 80_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-tmux-'));
  const fx = makeFixture(); // analytic test-double curves, matching the e2e app's test-double model and refitter
  writeJsonAtomic(join(dir, 'dataset.json'), fx.dataset);
  writeJsonAtomic(join(dir, 'fits.json'), fx.fits);
  writeJsonAtomic(join(dir, 'population.json'), fx.population);
  const s = 'app';
  try {
    start(s, `${process.execPath} --import tsx test/tui/e2e-app.tsx ${join(dir, 'fits.json')}`);
    let t = await waitScreen(s, /Cycles 12\/12/);
    assert.match(t, /›D2#3\s+0\.497 ✗ rnew@max/, 'the worst fit is on top and selected');
    assert.match(t, /rnew sits at its upper bound/);
    assert.match(t, /largest misfit on the/);
    await handshake(s);
    await keys(s, 'b');
    t = await waitScreen(s, /Cycles 1\/12 · worst · bad only/);
    await keys(s, 'Tab', 'j', 'f');
    t = await waitScreen(s, /lnew fixed for the next refit/);
    await keys(s, 'r');
    t = await waitScreen(s, /refit RMS 0\.497 → 0\.\d+ dec/);
    await keys(s, 's');
    t = await waitScreen(s, /saved D2#3 to /);
    const saved = JSON.parse(readFileSync(join(dir, 'fits.json'), 'utf8'));
    const c = saved.cycles.find((x: { device: string; cycle: number }) => x.device === 'D2' && x.cycle === 3);
    assert.ok(c.rmsLog10 < 0.497 && c.converged && c.flags.length === 0);
    assert.ok(!c.fitted.includes('lnew'));
    assert.equal(c.params.lnew, fx.fits.cycles.find((x) => x.device === 'D2' && x.cycle === 3)!.params.lnew);
    tmux('resize-window', '-t', s, '-x', '100', '-y', '32');
    t = await waitScreen(
      s,
      (x) =>
        /Cycles/.test(x) &&
        x.split('\n').some((l) => /^└.*┘$/.test(l.trimEnd()) && l.trimEnd().length <= 100) &&
        !x.split('\n').some((l) => l.trimEnd().length > 100),
    );
    await keys(s, 'q');
    t = await waitScreen(s, /EXIT=0/);
  } finally {
    tmux('kill-server');
  }
});

test(
  'tmux: `jartcal inspect fits.json` with the real model and fit: free dWa, fix three, refit, save, quit',
  { skip: SKIP, timeout: 80_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jartcal-tmux-cli-'));
    for (const f of ['dataset.json', 'fits.json', 'population.json']) copyFileSync(join(REPO_ROOT, 'fixtures', 'inspect', f), join(dir, f));
    const fits = JSON.parse(readFileSync(join(dir, 'fits.json'), 'utf8'));
    const bad = fits.cycles.find((x: { device: string; cycle: number }) => x.device === 'D2' && x.cycle === 3);
    const order = paramOrder(bad, PARAM_TABLE);
    const s = 'cli';
    try {
      start(s, `${process.execPath} --import tsx test/tui/cli-entry.ts inspect ${join(dir, 'fits.json')}`, 140, 40);
      let t = await waitScreen(s, /jartcal inspect · .*fits\.json/);
      assert.match(t, /›D2#3\s+1\.\d{3} ✗/);
      assert.match(t, /rnew\s+nm\s/, 'the model parameter table gives units');
      assert.match(t, /rnew sits at its upper bound/);
      await handshake(s);
      await keys(s, 'Tab', 'Tab');
      await waitScreen(s, /Population · 4 parameters/);
      await keys(s, 'Tab', 'Tab'); // list → parameters
      // Fix lnew, Ndiscmin, Ndiscmax; free dWa (the story: V_SET is off and rnew is stuck at its bound).
      let at = 0;
      for (const name of ['lnew', 'Ndiscmin', 'Ndiscmax', 'dWa']) {
        const k = order.indexOf(name);
        await keys(s, ...Array(k - at).fill('j'), 'f');
        at = k;
        await waitScreen(s, new RegExp(`${name} (fixed|freed) for the next refit`));
      }
      await keys(s, 'r');
      t = await waitScreen(s, /refit RMS 1\.\d{3} → 0\.0\d\d dec/, 40_000);
      await keys(s, 's');
      await waitScreen(s, /saved D2#3 to /);
      const saved = JSON.parse(readFileSync(join(dir, 'fits.json'), 'utf8')).cycles.find(
        (x: { device: string; cycle: number }) => x.device === 'D2' && x.cycle === 3,
      );
      assert.deepEqual([...saved.fitted].sort(), ['dWa', 'rnew']);
      assert.ok(saved.rmsLog10 < 0.05, `refit RMS ${saved.rmsLog10}`);
      assert.equal(saved.params.lnew, bad.params.lnew);
      await keys(s, 'q');
      await waitScreen(s, /EXIT=0/);
    } finally {
      tmux('kill-server');
    }
  },
);
