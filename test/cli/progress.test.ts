import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../src/cli/progress.js';

function sink(isTTY = false): { stream: NodeJS.WriteStream; lines: string[]; raw: string[] } {
  const lines: string[] = [];
  const raw: string[] = [];
  const stream = {
    isTTY,
    write: (s: string) => {
      raw.push(s);
      lines.push(s.trimEnd());
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, lines, raw };
}

test('progress: the ETA comes from the work done in this run, not from work resumed from a checkpoint', () => {
  let t = 0;
  const { stream, lines } = sink();
  const p = createProgress('run', 100, { stream, minIntervalMs: 0, now: () => t });
  p.resumed(50, '(resumed)');
  assert.match(lines.at(-1)!, /50\/100 50% elapsed 0\.0s eta \? \(resumed\)/, 'no rate yet: the ETA is unknown, not 0');
  t = 10_000;
  p.tick(10);
  // 10 items in 10 s, 40 left: 40 s (counting the 50 resumed items as done in 10 s would say 6.7 s)
  assert.match(lines.at(-1)!, /60\/100 60% elapsed 10\.0s eta 40\.0s/);
});

test('progress: set-up before the first report is not counted against the first items (crossbar: 32 samples after a long set-up)', () => {
  let t = 0;
  const { stream, lines } = sink();
  const p = createProgress('crossbar', 60_000, { stream, minIntervalMs: 0, now: () => t });
  t = 20_000; // 20 s of set-up (MNIST, engines), then the first batch of 32 samples
  p.tick(32);
  assert.match(lines.at(-1)!, /32\/60000 0% elapsed 20\.0s eta \?/, 'one report: no rate yet (the old rule said 10h24m)');
  t = 21_000;
  p.tick(32);
  // 32 samples per second since the first report: 59936 / 32 = 1873 s
  assert.match(lines.at(-1)!, /64\/60000 0% elapsed 21\.0s eta 31m13s/);
  t = 22_000;
  p.tick(64);
  // 96 samples in 2 s since the first report: 59872 / 48 = 1247 s
  assert.match(lines.at(-1)!, /128\/60000 0% elapsed 22\.0s eta 20m47s/);
});

test('progress: the final bar is printed once (done() after the last tick ends the line)', () => {
  let t = 0;
  for (const tty of [false, true]) {
    const { stream, raw } = sink(tty);
    const p = createProgress('fit', 2, { stream, minIntervalMs: 0, now: () => t });
    p.tick(1);
    t = 1000;
    p.tick(1);
    p.done();
    assert.equal(raw.join('').split('2/2 100%').length - 1, 1, `tty ${tty}: ${JSON.stringify(raw)}`);
    assert.ok(raw.join('').endsWith('\n'));
    // a note given to done() is shown
    const q = sink(tty);
    const r = createProgress('fit', 2, { stream: q.stream, minIntervalMs: 0, now: () => t });
    r.tick(2);
    r.done('(3 flagged)');
    assert.match(q.raw.join(''), /2\/2 100% .*\(3 flagged\)/);
  }
});

test('progress: times are rounded to whole seconds before minutes are split off (2m00s, not 1m60s)', () => {
  let t = 0;
  const { stream, lines } = sink();
  const p = createProgress('run', 10, { stream, minIntervalMs: 0, now: () => t });
  t = 119_600;
  p.tick(1);
  assert.match(lines.at(-1)!, /elapsed 2m00s/);
  t = 59_970;
  p.done();
  assert.match(lines.at(-1)!, /elapsed 1m00s/);
  t = 3_600_000 + 61_000;
  p.done();
  assert.match(lines.at(-1)!, /elapsed 1h01m/);
});
