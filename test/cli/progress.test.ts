import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../src/cli/progress.js';

function sink(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => { lines.push(s.trimEnd()); return true; } } as unknown as NodeJS.WriteStream;
  return { stream, lines };
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
  const q = createProgress('fresh', 100, { stream, minIntervalMs: 0, now: () => t });
  t = 15_000;
  q.tick(25);
  assert.match(lines.at(-1)!, /25\/100 25% elapsed 5\.0s eta 15\.0s/);
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
