/**
 * A queue worker: takes fit, crossbar and echo jobs from the queue and runs them in worker threads
 * (`concurrency` at a time), so its event loop stays free to renew the job locks. A job whose data
 * does not validate, or that was made for another toolkit version or numeric backend, ends failed
 * at once (UnrecoverableError: not retried). A job that throws is retried a bounded number of times
 * (its `attempts`); a worker killed mid-job leaves its lock to expire, and the job is taken again by
 * another worker (stalled-job detection), at most `maxStalledCount` times before it ends failed.
 * Crossbar runs store their epoch checkpoint in the job's data, so a run taken again continues
 * from its last epoch. `close()` finishes the jobs in hand and takes no new one.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { JartcalError } from '../util/errors.js';
import type { QueueConnection } from './connection.js';
import { createThreadPool } from './threads.js';
import {
  crossbarBackend,
  JS_BACKEND,
  QUEUE_NAME,
  refusal,
  validateJob,
  type CrossbarJobData,
  type JobData,
  type JobProgress,
} from './jobs.js';

export interface QueueWorkerOptions {
  concurrency?: number;
  /** Job lock, ms: a killed worker's job is taken again after about this long (default 30000). */
  lockMs?: number;
  /** Times a job may lose its worker (stalled) before it ends failed (default 2). */
  maxStalled?: number;
  log?: (msg: string) => void;
}

export interface QueueWorker {
  close(): Promise<void>;
  readonly closed: Promise<void>;
}

export async function startQueueWorker(conn: QueueConnection, o: QueueWorkerOptions = {}): Promise<QueueWorker> {
  const log = o.log ?? ((m: string) => process.stderr.write(m + '\n'));
  const concurrency = o.concurrency ?? 1;
  const pool = createThreadPool(concurrency);
  let tfName: string | null = null;
  const backendFor = async (job: JobData): Promise<string> => {
    if (job.kind !== 'crossbar' || job.config.mode !== 'digital') return JS_BACKEND;
    if (!tfName) {
      const { initTf } = await import('../crossbar/train/tf.js');
      tfName = await initTf();
    }
    const name = tfName;
    return crossbarBackend(job.config, () => name);
  };
  const process_ = async (job: Job): Promise<unknown> => {
    let data: JobData;
    try {
      data = validateJob(job.data, `job ${job.id}`);
    } catch (e) {
      log(`job ${job.id}: refused, bad data: ${(e as Error).message}`);
      throw new UnrecoverableError((e as Error).message);
    }
    const why = refusal(data, await backendFor(data));
    if (why) {
      log(`job ${job.id}: refused: ${why}`);
      throw new UnrecoverableError(`refused by a worker: ${why}`);
    }
    const t0 = performance.now();
    if (data.kind !== 'echo')
      log(
        `job ${job.id} (${data.kind}${data.kind === 'crossbar' ? ` ${data.key}${data.resume ? `, from epoch ${data.resume.epochsDone}` : ''}` : ''}) started`,
      );
    let chain: Promise<unknown> = Promise.resolve();
    const onProgress = (p: JobProgress): void => {
      // keep the job's own updates in order; a failed update (connection lost) only loses progress
      if (p.kind === 'epoch' && p.checkpoint) {
        const cp = p.checkpoint;
        chain = chain
          .then(async () => {
            await job.updateData({ ...(job.data as CrossbarJobData), resume: cp });
            await job.updateProgress({ ...p, checkpoint: undefined, inData: true });
          })
          .catch((e: Error) => log(`job ${job.id}: could not store its checkpoint: ${e.message}`));
      } else {
        chain = chain.then(() => job.updateProgress(p)).catch(() => undefined);
      }
    };
    try {
      const result = await pool.run(data, onProgress);
      await chain;
      if (data.kind !== 'echo') log(`job ${job.id} (${data.kind}) done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return result;
    } catch (e) {
      await chain;
      const msg = (e as Error).message;
      // input the job's own computation rejects (JartcalError in the thread) will not improve on a retry
      if (/^(config |grid |job |devices\[)/.test(msg) || e instanceof JartcalError) throw new UnrecoverableError(msg);
      log(`job ${job.id}: failed (attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1}): ${msg}`);
      throw e;
    }
  };
  const worker = new Worker(QUEUE_NAME, process_, {
    connection: conn.redis as never,
    prefix: conn.prefix,
    concurrency,
    lockDuration: o.lockMs ?? 30000,
    stalledInterval: Math.max(1000, Math.round((o.lockMs ?? 30000) / 2)),
    maxStalledCount: o.maxStalled ?? 2,
    autorun: true,
  });
  let lastError = '';
  worker.on('error', (e) => {
    if (e.message !== lastError) {
      lastError = e.message;
      log(`queue: ${e.message}`);
    }
  });
  conn.attach((await worker.getBackend().client) as never);
  await worker.waitUntilReady();
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  let closing: Promise<void> | null = null;
  return {
    closed,
    close() {
      closing ??= (async () => {
        await worker.close();
        await pool.close();
        resolveClosed();
      })();
      return closing;
    },
  };
}
