import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeSweep, sweepMarkdown, type SweepRun } from '../../src/crossbar/experiment/sweep.js';

const run = (configuration: string, seed: number) =>
  ({
    key: `${configuration}/seed-${seed}`,
    configuration,
    seed,
    paperAccuracy: 90,
    config: { training: { epochs: 1, trainSamples: 6000 } },
  }) as unknown as SweepRun;

test('a sweep summary names the runs that ended at chance (one class predicted, loss at ln 10)', () => {
  const runs = [run('nf', 1), run('nf', 2), run('d2d', 1), run('d2d', 2), run('late', 1)];
  // the reduced paper grid's figures: noise-free stopped on its plateau (11.35 %, epoch loss 2.37); the d2d
  // runs learned (45–53 %); 'late' left the plateau within its epoch (epoch-mean loss still 2.2, 35 %)
  const finals = new Map([
    ['nf/seed-1', 11.35],
    ['nf/seed-2', 11.35],
    ['d2d/seed-1', 46.5],
    ['d2d/seed-2', 52.1],
    ['late/seed-1', 35],
  ]);
  const losses = new Map([
    ['nf/seed-1', 2.366],
    ['nf/seed-2', 2.41],
    ['d2d/seed-1', 1.7],
    ['d2d/seed-2', 1.6],
    ['late/seed-1', 2.2],
  ]);
  const rows = summarizeSweep(runs, finals, losses);
  assert.deepEqual(
    rows.map((r) => [r.configuration, r.atChance]),
    [
      ['nf', 2],
      ['d2d', 0],
      ['late', 0],
    ],
  );
  const md = sweepMarkdown('t', rows);
  assert.match(md, /^- nf: 2 of 2 runs ended at chance .*predicts one class/m);
  assert.doesNotMatch(md, /^- d2d:/m);
  // without losses nothing is claimed
  assert.equal(summarizeSweep(runs, finals)[0].atChance, 0);
  assert.doesNotMatch(sweepMarkdown('t', summarizeSweep(runs, finals)), /at chance/);
});
