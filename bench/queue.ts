/**
 * Queue overhead: a few thousand trivial jobs (echo) through BullMQ on a local redis-server (a
 * worker with 2 threads, in this process) and through the local worker-thread pool (2 threads),
 * in the same run; the per-job difference is the queue's own cost (target ≤ 5 ms). Needs the
 * redis-server binary (skipped with a message otherwise). BENCH_QUEUE_JOBS changes the count.
 */
import { loadavg } from 'node:os';
import { resolveConnection } from '../src/queue/connection.js';
import { createQueueRunner } from '../src/queue/coordinator.js';
import { createLocalRunner, type Task, type TaskRunner } from '../src/queue/runner.js';
import { startQueueWorker } from '../src/queue/worker.js';
import { JS_BACKEND } from '../src/queue/jobs.js';
import { TOOLKIT_VERSION } from '../src/version.js';
import { noRedis, startRedis } from '../test/queue/redis.js';

async function timeRun(runner: TaskRunner, tasks: Task[]): Promise<{ wall: number; cpu: number }> {
  let sum = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await runner.run(tasks, {
    done: (_i, r) => {
      sum += r as number;
    },
    failed: (_i, e) => {
      throw new Error(e);
    },
  });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  // a task's value is its index in the run: every result once, none lost
  if (sum !== (tasks.length * (tasks.length - 1)) / 2) throw new Error('bench/queue: results lost');
  return { wall, cpu: (c.user + c.system) / 1e6 };
}

export async function run(): Promise<void> {
  console.log('## queue');
  if (noRedis) {
    console.log(`skipped: ${noRedis}`);
    return;
  }
  const n = Number(process.env.BENCH_QUEUE_JOBS ?? 3000);
  const tasks = (tag: string): Task[] =>
    Array.from({ length: n }, (_, k) => ({
      id: `bench-${tag}-${k}`,
      data: { kind: 'echo', toolkitVersion: TOOLKIT_VERSION, backend: JS_BACKEND, value: k },
    }));
  // Redis as docs/distributed.md runs it: append-only file, fsync once a second (Redis's default
  // with AOF); BENCH_REDIS_ARGS="--appendfsync always" measures an fsync per write instead
  const redisArgs = ['--appendfsync', 'everysec', ...(process.env.BENCH_REDIS_ARGS ?? '').split(' ').filter(Boolean)];
  const redis = await startRedis(redisArgs);
  try {
    const conn = resolveConnection({ url: redis.url, prefix: 'bench' });
    const worker = await startQueueWorker(conn, { concurrency: 2, log: () => undefined });
    const local = createLocalRunner(2);
    const queue = createQueueRunner(conn, { log: () => undefined });
    await timeRun(local, tasks('warm').slice(0, 200)); // threads started, code warm
    await timeRun(queue, tasks('warm').slice(0, 200));
    const tl = await timeRun(local, tasks('l'));
    const tq = await timeRun(queue, tasks('q'));
    await worker.close();
    await queue.close();
    await local.close();
    const per = (s: number) => ((1000 * s) / n).toFixed(3);
    console.log(`redis-server ${redisArgs.join(' ')}; load average ${loadavg()[0].toFixed(1)}`);
    console.log(
      `${n} trivial jobs, 2 threads each: local pool ${per(tl.wall)} ms/job (baseline), queue ${per(tq.wall)} ms/job; queue overhead ${per(tq.wall - tl.wall)} ms per job (target ≤ 5 ms)`,
    );
    console.log(
      `CPU of this process (coordinator and worker; redis-server not counted): local pool ${per(tl.cpu)} ms/job, queue ${per(tq.cpu)} ms/job`,
    );
  } finally {
    await redis.close();
  }
}
