/**
 * The queue with real parts: a redis-server on a free loopback port, `jartcal worker` processes
 * and the `jartcal fit` / `crossbar sweep` coordinators, all started and stopped here. Skips with a
 * message when no redis-server binary exists (.ci/run installs Debian's).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { resolveFitSettings } from '../../src/fit/index.js';
import { resolveConnection } from '../../src/queue/connection.js';
import { createQueueRunner } from '../../src/queue/coordinator.js';
import { JS_BACKEND, QUEUE_NAME } from '../../src/queue/jobs.js';
import { TOOLKIT_VERSION } from '../../src/version.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { syntheticDataset } from './dataset.js';
import { noRedis, spawnCli, startRedis, until, withoutTiming, type Proc, type RedisServer } from './redis.js';

let redis: RedisServer;
let dir: string;
const procs: Proc[] = [];
const worker = (url: string, extra: string[] = []): Proc => {
  const p = spawnCli(['worker', '--queue', url, '--lock-ms', '2000', ...extra]);
  procs.push(p);
  return p;
};
const stopAll = async (): Promise<void> => {
  await Promise.all(
    procs.splice(0).map(async (p) => {
      if (p.proc.exitCode === null && p.proc.signalCode === null) {
        p.proc.kill('SIGTERM');
        await p.exited;
      }
    }),
  );
};

before(async () => {
  if (noRedis) return;
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'jartcal-queue-'));
});
after(async () => {
  await stopAll();
  if (noRedis) return;
  await redis.close();
  rmSync(dir, { recursive: true, force: true });
});

// device stage on 1 cycle keeps each job a few seconds; 4 devices × 2 cycles
const FIT_ARGS = ['--device-cycles', '1', '--starts', '2'];

test(
  'a campaign through the queue with 2 workers, one SIGKILLed mid-job, equals the local fit: every record once',
  { skip: noRedis, timeout: 600_000 },
  async () => {
    const ds = syntheticDataset(4, 2);
    const dsPath = join(dir, 'ds.json');
    writeFileSync(dsPath, JSON.stringify(ds));
    const url = `${redis.url}/1`;
    const a = worker(url),
      b = worker(url);
    await until(() => /worker on/.test(a.out()) && /worker on/.test(b.out()), 60_000, 'two workers to start');
    const out = join(dir, 'queue-fits.json');
    const fit = spawnCli(['fit', dsPath, '--out', out, '--queue', url, ...FIT_ARGS]);
    procs.push(fit);
    // kill a worker while it holds a job
    await until(() => /\(fit\) started/.test(a.out()), 120_000, 'worker A to take a job');
    a.proc.kill('SIGKILL');
    await a.exited;
    const code = await fit.exited;
    assert.equal(code, 0, fit.out());
    assert.ok(/started/.test(b.out()), b.out());
    const q = JSON.parse(readFileSync(out, 'utf8'));
    // the local pool's fits.json, from the same command without --queue
    const lp = spawnCli(['fit', dsPath, '--out', join(dir, 'local-fits.json'), '--workers', '2', ...FIT_ARGS]);
    procs.push(lp);
    assert.equal(await lp.exited, 0, lp.out());
    const l = JSON.parse(readFileSync(join(dir, 'local-fits.json'), 'utf8'));
    assert.deepEqual(withoutTiming(q), withoutTiming(l));
    assert.equal(q.settings.mode, 'campaign'); // the CLI's default fit
    const keys = q.cycles.map((c: { device: string; cycle: number }) => `${c.device}#${c.cycle}`);
    assert.equal(keys.length, 8);
    assert.equal(new Set(keys).size, 8);
    assert.equal(q.devices.length, 4);
    assert.equal(existsSync(`${out}.checkpoint.jsonl`), false);
    await stopAll();
  },
);

test(
  'a hierarchical fit through the queue: the device fits of each pass are jobs on 2 workers (one SIGKILLed in a pass); same fits.json as the local pool',
  { skip: noRedis, timeout: 600_000 },
  async () => {
    const dsPath = join(dir, 'hier-ds.json');
    writeFileSync(dsPath, JSON.stringify(syntheticDataset(3, 2, 7)));
    const url = `${redis.url}/5`;
    const args = ['--mode', 'hierarchical', '--no-auto', ...FIT_ARGS];
    const a = worker(url),
      b = worker(url);
    await until(() => /worker on/.test(a.out()) && /worker on/.test(b.out()), 60_000, 'two workers to start');
    const out = join(dir, 'hier-queue.json');
    const fit = spawnCli(['fit', dsPath, '--out', out, '--queue', url, ...args]);
    procs.push(fit);
    // worker A dies in a pass's device step: its job is taken again by B
    await until(() => /\(hier\) started/.test(a.out()) || fit.proc.exitCode !== null, 300_000, 'worker A to take a pass job');
    a.proc.kill('SIGKILL');
    await a.exited;
    assert.equal(await fit.exited, 0, fit.out());
    assert.match(b.out(), /\(hier\) started/);
    assert.match(fit.out(), /hierarchical pass 2/);
    const lp = spawnCli(['fit', dsPath, '--out', join(dir, 'hier-local.json'), '--workers', '2', ...args]);
    procs.push(lp);
    assert.equal(await lp.exited, 0, lp.out());
    const q = JSON.parse(readFileSync(out, 'utf8')),
      l = JSON.parse(readFileSync(join(dir, 'hier-local.json'), 'utf8'));
    assert.equal(q.settings.mode, 'hierarchical');
    assert.ok(q.population, 'the population block');
    assert.equal(q.cycles.length, 6);
    assert.deepEqual(withoutTiming(q), withoutTiming(l));
    await stopAll();
  },
);

test(
  'bad input ends failed with its error (not retried); another version is refused; lost Redis data is enqueued again',
  { skip: noRedis, timeout: 300_000 },
  async () => {
    const url = `${redis.url}/2`;
    const conn = resolveConnection({ url, prefix: 'unit' }, () => undefined);
    // a job that skipped the coordinator's validation: the worker's own check ends it failed at once
    const q = new Queue(QUEUE_NAME, { connection: conn.redis as never, prefix: conn.prefix });
    await q.add(
      'fit',
      {
        kind: 'fit',
        toolkitVersion: TOOLKIT_VERSION,
        backend: JS_BACKEND,
        settings: resolveFitSettings(),
        devices: [{ job: { device: 'x', cycles: [{ cycle: 1, vV: [0, 1], iA: [0, 1] }] }, done: { cycles: [] } }],
        prior: null,
      },
      { jobId: 'bad-1', attempts: 5 },
    );
    const w = worker(url, ['--queue-prefix', 'unit']);
    await until(() => /refused, bad data/.test(w.out()), 60_000, 'the worker to refuse the bad job');
    const bad = await q.getJob('bad-1');
    assert.equal(await bad!.getState(), 'failed');
    assert.match(bad!.failedReason, /devices\[0\]\.cycles\[0\].*vV: expected an array of ≥ 3 finite numbers/);
    assert.equal(bad!.attemptsMade, 1);
    await q.close();

    // through the coordinator: a job of another toolkit version is refused and reported as failed
    const logs: string[] = [];
    const runner = createQueueRunner(conn, { pollMs: 300, log: (m) => logs.push(m) });
    const results: unknown[] = [],
      failures: string[] = [];
    await runner.run(
      [
        { id: 'echo-ok', data: { kind: 'echo', toolkitVersion: TOOLKIT_VERSION, backend: JS_BACKEND, value: 42 } },
        { id: 'echo-old', data: { kind: 'echo', toolkitVersion: '0.0.1', backend: JS_BACKEND, value: 1 } },
      ],
      {
        done: (_i, r) => {
          results.push(r);
        },
        failed: (_i, e) => {
          failures.push(e);
        },
      },
    );
    assert.deepEqual(results, [42]);
    assert.equal(failures.length, 1);
    assert.match(failures[0], /refused by a worker: the job was made by jartcal 0\.0\.1/);

    // no worker; the jobs are enqueued, Redis loses everything, a worker comes: the coordinator enqueues again
    await stopAll();
    const got: number[] = [];
    const run = runner.run(
      Array.from({ length: 5 }, (_, k) => ({
        id: `echo-lost-${k}`,
        data: { kind: 'echo' as const, toolkitVersion: TOOLKIT_VERSION, backend: JS_BACKEND, value: k },
      })),
      {
        done: (_i, r) => {
          got.push(r as number);
        },
        failed: (_i, e) => assert.fail(e),
      },
    );
    await new Promise((r) => setTimeout(r, 1000));
    await redis.flush();
    worker(url, ['--queue-prefix', 'unit']);
    await run;
    assert.deepEqual(got.sort(), [0, 1, 2, 3, 4]);
    assert.match(logs.join('\n'), /no longer in Redis .*enqueued again/);
    await runner.close();
    await stopAll();
  },
);

test(
  'Redis stopped and restarted mid-run: workers and coordinator reconnect and the run finishes',
  { skip: noRedis, timeout: 300_000 },
  async () => {
    const url = `${redis.url}/3`;
    const w = worker(url);
    await until(() => /worker on/.test(w.out()), 60_000, 'the worker to start');
    const logs: string[] = [];
    const conn = resolveConnection({ url }, (m) => logs.push(m));
    const runner = createQueueRunner(conn, { pollMs: 300, log: (m) => logs.push(m) });
    const got: number[] = [];
    const run = runner.run(
      Array.from({ length: 20 }, (_, k) => ({
        id: `echo-r-${k}`,
        data: { kind: 'echo' as const, toolkitVersion: TOOLKIT_VERSION, backend: JS_BACKEND, value: k },
      })),
      {
        done: (_i, r) => {
          got.push(r as number);
        },
        failed: (_i, e) => assert.fail(e),
      },
    );
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();
    await run;
    assert.deepEqual(
      got.sort((x, y) => x - y),
      Array.from({ length: 20 }, (_, k) => k),
    );
    assert.match(logs.join('\n'), /connection to .* lost; reconnecting/);
    await until(() => /reconnected|reconnecting/.test(w.out()), 20_000, 'the worker to report the reconnection');
    await runner.close();
    await stopAll();
  },
);

test(
  'crossbar sweep through the queue: runs of 2 configurations × 2 seeds on 2 workers, summary written',
  { skip: noRedis, timeout: 600_000 },
  async () => {
    const url = `${redis.url}/4`;
    worker(url);
    worker(url);
    const out = join(dir, 'sweep');
    const args = [
      'crossbar',
      'sweep',
      join(REPO_ROOT, 'test', 'queue', 'grid.json'),
      '--out',
      out,
      '--epochs',
      '2',
      '--train-samples',
      '300',
      '--test-samples',
      '200',
    ];
    const s = spawnCli([...args, '--queue', url]);
    procs.push(s);
    assert.equal(await s.exited, 0, s.out());
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    assert.match(md, /\| paper-noise-free\+ideal \| 2 \| \d+\.\d\d ± \d+\.\d\d \| 93\.82 \|/);
    assert.match(readFileSync(join(out, 'summary.csv'), 'utf8'), /^paper-noise-free\+softbounds,2,1 2,/m);
    // the same sweep on the local threads gives the same accuracies
    const local = spawnCli([...args, '--out', join(dir, 'sweep-local'), '--workers', '2']);
    procs.push(local);
    assert.equal(await local.exited, 0, local.out());
    const acc = (p: string) =>
      JSON.parse(readFileSync(join(p, 'results.json'), 'utf8')).runs.map((r: { key: string; finalAccuracy: number }) => [
        r.key,
        r.finalAccuracy,
      ]);
    assert.deepEqual(acc(out), acc(join(dir, 'sweep-local')));
    await stopAll();
  },
);
