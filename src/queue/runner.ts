/**
 * Running a list of jobs and collecting their results, on the local thread pool or on the queue.
 * The caller (the coordinator: `jartcal fit`, `jartcal crossbar sweep`) gets each job's progress,
 * result or failure through handlers and alone writes outputs; it may update a task's data as
 * progress arrives (records done, the last checkpoint), and that data is what the queue runner
 * enqueues again when the job has disappeared from Redis.
 */
import { availableParallelism } from 'node:os';
import { createThreadPool } from './threads.js';
import type { JobData, JobProgress } from './jobs.js';

export interface Task {
  id: string;
  data: JobData;
}

export interface TaskHandlers {
  /** `stored()` reads the job's data as the queue holds it now (a crossbar run's checkpoint); null locally. */
  progress?(index: number, p: JobProgress, stored: () => Promise<JobData | null>): void | Promise<void>;
  done(index: number, result: unknown): void | Promise<void>;
  failed(index: number, error: string): void | Promise<void>;
}

export interface TaskRunner {
  /** Resolves when every task is done or failed; rejects when the runner itself fails (queue lost). */
  run(tasks: Task[], h: TaskHandlers): Promise<void>;
  /** Threads of the local pool, or the workers attached to the queue when last looked. */
  workers(): number;
  close(): Promise<void>;
}

/** The local worker-thread pool (the default). */
export function createLocalRunner(threads = availableParallelism()): TaskRunner {
  const pool = createThreadPool(threads);
  return {
    workers: () => threads,
    async run(tasks, h) {
      await Promise.all(
        tasks.map(async (t, i) => {
          let result: unknown;
          try {
            result = await pool.run(t.data, (p) => {
              void h.progress?.(i, p, async () => null);
            });
          } catch (e) {
            await h.failed(i, (e as Error).message);
            return;
          }
          await h.done(i, result);
        }),
      );
    },
    close: () => pool.close(),
  };
}
