/**
 * The queue side of a run (the coordinator): validates and enqueues its jobs (job id = the task's
 * id, so enqueueing the same run again after a crash adds nothing twice), follows them through
 * QueueEvents and a periodic check of each pending job's state, hands progress, results and
 * failures to the caller exactly once per job, and removes each finished job from Redis. A job
 * that is no longer in Redis (the server restarted without its data) is enqueued again from the
 * task's data, which the caller keeps current from the progress it receives.
 */
import { Queue, QueueEvents } from 'bullmq';
import { JartcalError } from '../util/errors.js';
import type { QueueConnection } from './connection.js';
import { QUEUE_NAME, validateJob, type JobData, type JobProgress } from './jobs.js';
import type { Task, TaskHandlers, TaskRunner } from './runner.js';

export interface QueueRunnerOptions {
  /** Tries of a job that throws or whose worker dies (default 3). */
  attempts?: number;
  /** Interval of the state check of pending jobs, ms (default 2000). */
  pollMs?: number;
  log?: (msg: string) => void;
}

export function createQueueRunner(conn: QueueConnection, o: QueueRunnerOptions = {}): TaskRunner {
  const log = o.log ?? ((m: string) => process.stderr.write(m + '\n'));
  const attempts = o.attempts ?? 3;
  const pollMs = o.pollMs ?? 2000;
  const qopts = { connection: conn.redis as never, prefix: conn.prefix };
  const queue = new Queue(QUEUE_NAME, qopts);
  let events: QueueEvents | null = null;
  let seenWorkers = 0;
  let lastError = '';
  queue.on('error', (e: Error) => { if (e.message !== lastError) { lastError = e.message; log(`queue: ${e.message}`); } });
  const jobOpts = (id: string) => ({ jobId: id, attempts, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: false, removeOnFail: false });

  return {
    workers: () => seenWorkers,
    async run(tasks: Task[], h: TaskHandlers) {
      tasks.forEach((t, i) => { validateJob(t.data, `job ${i} (${t.id})`); if (!/^[A-Za-z0-9_.+-]+$/.test(t.id)) throw new Error(`job id "${t.id}"`); });
      if (new Set(tasks.map((t) => t.id)).size !== tasks.length) throw new Error('two jobs share an id');
      try { await queue.waitUntilReady(); } catch (e) {
        throw new JartcalError(`cannot reach the queue at ${conn.label}: ${(e as Error).message}`, { code: 'queue_unreachable' });
      }
      conn.attach((await queue.getBackend().client) as never);
      events ??= new QueueEvents(QUEUE_NAME, { ...qopts, autorun: true });
      events.on('error', (e: Error) => { if (e.message !== lastError) { lastError = e.message; log(`queue: ${e.message}`); } });
      await events.waitUntilReady();
      const index = new Map(tasks.map((t, i) => [t.id, i]));
      const pending = new Set(tasks.map((t) => t.id));
      const busy = new Set<string>();
      let fatal: Error | null = null;
      let wake: (() => void) | null = null;
      const poke = () => { const w = wake; wake = null; w?.(); };

      const stored = (id: string) => async (): Promise<JobData | null> => {
        const j = await queue.getJob(id);
        return j ? (j.data as JobData) : null;
      };
      const settle = async (id: string): Promise<void> => {
        if (!pending.has(id) || busy.has(id)) return;
        busy.add(id);
        try {
          const job = await queue.getJob(id);
          if (!job) return;
          const state = await job.getState();
          const i = index.get(id)!;
          if (state === 'completed') await h.done(i, job.returnvalue);
          else if (state === 'failed') await h.failed(i, job.failedReason || 'failed');
          else return;
          pending.delete(id);
          await job.remove().catch(() => undefined);
          poke();
        } finally { busy.delete(id); }
      };
      const onDone = ({ jobId }: { jobId: string }) => { settle(jobId).catch((e: Error) => { fatal ??= e; poke(); }); };
      const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
        const i = index.get(jobId);
        if (i === undefined || !pending.has(jobId) || !h.progress || typeof data !== 'object' || data === null) return;
        Promise.resolve(h.progress(i, data as JobProgress, stored(jobId))).catch((e: Error) => log(`queue: progress of ${jobId}: ${e.message}`));
      };
      events.on('completed', onDone);
      events.on('failed', onDone);
      events.on('progress', onProgress as never);
      const reconcile = async (): Promise<void> => {
        const ids = [...pending].filter((id) => !busy.has(id));
        const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
        const missing: string[] = [];
        for (let k = 0; k < ids.length; k++) {
          if (states[k] === 'completed' || states[k] === 'failed') await settle(ids[k]);
          else if (states[k] === 'unknown') missing.push(ids[k]);
        }
        if (missing.length) {
          log(`queue: ${missing.length} job(s) no longer in Redis (server restarted without its data?): enqueued again from the coordinator's records`);
          await queue.addBulk(missing.map((id) => ({ name: tasks[index.get(id)!].data.kind, data: tasks[index.get(id)!].data, opts: jobOpts(id) })));
        }
        seenWorkers = (await queue.getWorkersCount().catch(() => seenWorkers)) || seenWorkers;
      };
      try {
        for (let k = 0; k < tasks.length; k += 500) {
          await queue.addBulk(tasks.slice(k, k + 500).map((t) => ({ name: t.data.kind, data: t.data, opts: jobOpts(t.id) })));
        }
        seenWorkers = await queue.getWorkersCount();
        if (seenWorkers === 0) log(`queue: ${tasks.length} job(s) enqueued at ${conn.label}; no worker is attached yet (start some with \`jartcal worker --queue ${conn.label}\`)`);
        while (pending.size > 0) {
          if (fatal) throw fatal;
          await new Promise<void>((r) => { wake = r; setTimeout(r, pollMs); });
          if (fatal) throw fatal;
          await reconcile();
        }
      } catch (e) {
        if (e instanceof JartcalError) throw e;
        throw new JartcalError(`queue at ${conn.label}: ${(e as Error).message}`, { code: 'queue_failed' });
      } finally {
        events.off('completed', onDone);
        events.off('failed', onDone);
        events.off('progress', onProgress as never);
      }
    },
    async close() {
      await events?.close().catch(() => undefined);
      await queue.close().catch(() => undefined);
    },
  };
}
