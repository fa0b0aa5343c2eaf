/**
 * The queue side of a run (the coordinator): validates and enqueues its jobs (job id = the task's
 * id, so enqueueing the same run again after a crash adds nothing twice), follows them through
 * QueueEvents and a periodic check of each pending job's state, and hands progress, results and
 * failures to the caller exactly once per job, then removes the job (a finished job nobody collected
 * expires after a day). A job
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
  queue.on('error', (e: Error) => {
    if (e.message !== lastError) {
      lastError = e.message;
      log(`queue: ${e.message}`);
    }
  });
  // finished jobs stay a day (a week when failed) for a coordinator that missed their event, then Redis drops them
  const jobOpts = (id: string) => ({
    jobId: id,
    attempts,
    backoff: { type: 'exponential', delay: 500 },
    removeOnComplete: { age: 86400 },
    removeOnFail: { age: 7 * 86400 },
  });

  return {
    workers: () => seenWorkers,
    async run(tasks: Task[], h: TaskHandlers) {
      tasks.forEach((t, i) => {
        validateJob(t.data, `job ${i} (${t.id})`);
        if (!/^[A-Za-z0-9_.+-]+$/.test(t.id)) throw new Error(`job id "${t.id}"`);
      });
      if (new Set(tasks.map((t) => t.id)).size !== tasks.length) throw new Error('two jobs share an id');
      try {
        await queue.waitUntilReady();
      } catch (e) {
        throw new JartcalError(`cannot reach the queue at ${conn.label}: ${(e as Error).message}`, { code: 'queue_unreachable' });
      }
      conn.attach((await queue.getBackend().client) as never);
      events ??= new QueueEvents(QUEUE_NAME, { ...qopts, autorun: true });
      events.on('error', (e: Error) => {
        if (e.message !== lastError) {
          lastError = e.message;
          log(`queue: ${e.message}`);
        }
      });
      await events.waitUntilReady();
      const index = new Map(tasks.map((t, i) => [t.id, i]));
      const pending = new Set(tasks.map((t) => t.id));
      const busy = new Set<string>();
      // collected jobs are removed in batches: one burst of commands (one write to the append-only
      // file) per batch instead of one per job
      let toRemove: string[] = [];
      let removing: Promise<unknown> = Promise.resolve();
      const flushRemovals = (): void => {
        if (!toRemove.length) return;
        const ids = toRemove;
        toRemove = [];
        removing = Promise.all([removing, ...ids.map((id) => queue.remove(id).catch(() => undefined))]);
      };
      const removeTimer = setInterval(flushRemovals, 200);
      let fatal: Error | null = null;
      let wake: (() => void) | null = null;
      const poke = () => {
        const w = wake;
        wake = null;
        w?.();
      };

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
          toRemove.push(id);
          poke();
        } finally {
          busy.delete(id);
        }
      };
      const onFailed = ({ jobId }: { jobId: string }) => {
        settle(jobId).catch((e: Error) => {
          fatal ??= e;
          poke();
        });
      };
      // a completion event is final and carries the result: no round trip beyond the job's removal
      const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
        if (!pending.has(jobId) || busy.has(jobId)) return;
        busy.add(jobId);
        Promise.resolve(h.done(index.get(jobId)!, returnvalue)).then(
          () => {
            pending.delete(jobId);
            busy.delete(jobId);
            toRemove.push(jobId); // collected: a later run with the same jobs computes them again
            poke();
          },
          (e: Error) => {
            fatal ??= e;
            poke();
          },
        );
      };
      const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
        const i = index.get(jobId);
        if (i === undefined || !pending.has(jobId) || !h.progress || typeof data !== 'object' || data === null) return;
        Promise.resolve(h.progress(i, data as JobProgress, stored(jobId))).catch((e: Error) =>
          log(`queue: progress of ${jobId}: ${e.message}`),
        );
      };
      events.on('completed', onCompleted as never);
      events.on('failed', onFailed);
      events.on('progress', onProgress as never);
      const reconcile = async (): Promise<void> => {
        // one pipelined round trip: which pending jobs are gone, which have finished (events missed)
        const ids = [...pending].filter((id) => !busy.has(id));
        const client = (await queue.getBackend().client) as unknown as {
          pipeline(): { exists(k: string): unknown; hexists(k: string, f: string): unknown; exec(): Promise<[Error | null, unknown][]> };
        };
        const pipe = client.pipeline();
        for (const id of ids) {
          pipe.exists(queue.toKey(id));
          pipe.hexists(queue.toKey(id), 'finishedOn');
        }
        const res = ids.length ? await pipe.exec() : [];
        const missing: string[] = [];
        for (let k = 0; k < ids.length; k++) {
          const [e1, exists] = res[2 * k],
            [e2, finished] = res[2 * k + 1];
          if (e1 || e2) throw e1 ?? e2;
          if (exists === 0) missing.push(ids[k]);
          else if (finished === 1) await settle(ids[k]);
        }
        if (missing.length) {
          log(
            `queue: ${missing.length} job(s) no longer in Redis (server restarted without its data?): enqueued again from the coordinator's records`,
          );
          await queue.addBulk(
            missing.map((id) => ({ name: tasks[index.get(id)!].data.kind, data: tasks[index.get(id)!].data, opts: jobOpts(id) })),
          );
        }
        seenWorkers = (await queue.getWorkersCount().catch(() => seenWorkers)) || seenWorkers;
      };
      try {
        for (let k = 0; k < tasks.length; k += 500) {
          await queue.addBulk(tasks.slice(k, k + 500).map((t) => ({ name: t.data.kind, data: t.data, opts: jobOpts(t.id) })));
        }
        seenWorkers = await queue.getWorkersCount();
        if (seenWorkers === 0)
          log(
            `queue: ${tasks.length} job(s) enqueued at ${conn.label}; no worker is attached yet (start some with \`jartcal worker --queue ${conn.label}\`)`,
          );
        // completions wake the loop; the state check of every pending job runs once per pollMs
        let checked = Date.now();
        while (pending.size > 0) {
          if (fatal) throw fatal;
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((r) => {
            wake = r;
            timer = setTimeout(r, Math.max(0, pollMs - (Date.now() - checked)));
          });
          clearTimeout(timer);
          if (fatal) throw fatal;
          if (pending.size > 0 && Date.now() - checked >= pollMs) {
            await reconcile();
            checked = Date.now();
          }
        }
      } catch (e) {
        if (e instanceof JartcalError) throw e;
        throw new JartcalError(`queue at ${conn.label}: ${(e as Error).message}`, { code: 'queue_failed' });
      } finally {
        clearInterval(removeTimer);
        flushRemovals();
        await removing;
        events.off('completed', onCompleted as never);
        events.off('failed', onFailed);
        events.off('progress', onProgress as never);
      }
    },
    async close() {
      await events?.close().catch(() => undefined);
      await queue.close().catch(() => undefined);
    },
  };
}
