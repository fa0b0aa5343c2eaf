/**
 * A pool of worker threads running jobs (src/queue/thread.ts), one at a time per thread, so a
 * CPU-bound job never blocks the event loop of the process that holds it (a queue worker must
 * keep renewing its job locks while it computes). A thread that dies mid-job fails that job and is
 * replaced.
 */
import type { Worker } from 'node:worker_threads';
import { spawnModuleThread } from '../fit/scheduler.js';
import type { JobData, JobProgress } from './jobs.js';

export interface ThreadPool {
  run(job: JobData, onProgress: (p: JobProgress) => void): Promise<unknown>;
  close(): Promise<void>;
}

interface Slot {
  w: Worker;
  busy: boolean;
  current?: { id: number; resolve(v: unknown): void; reject(e: Error): void; onProgress(p: JobProgress): void };
}

export function createThreadPool(size: number): ThreadPool {
  const slots: Slot[] = [];
  const waiting: (() => void)[] = [];
  let nextId = 1,
    closed = false;
  const spawn = (): Slot => {
    const slot: Slot = { w: spawnModuleThread(import.meta.url, './thread.ts'), busy: false };
    slot.w.on('message', (m: { id: number; progress?: JobProgress; result?: unknown; error?: string }) => {
      const c = slot.current;
      if (!c || c.id !== m.id) return;
      if (m.progress) {
        c.onProgress(m.progress);
        return;
      }
      slot.current = undefined;
      if (m.error !== undefined) c.reject(new Error(m.error));
      else c.resolve(m.result);
    });
    const died = (why: string) => {
      const c = slot.current;
      slot.current = undefined;
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      if (c) c.reject(new Error(why));
      waiting.shift()?.();
    };
    slot.w.on('error', (e) => died(`job thread failed: ${e.message}`));
    slot.w.on('exit', (code) => {
      if (!closed) died(`job thread exited (code ${code}) during its job`);
    });
    slots.push(slot);
    return slot;
  };
  const acquire = async (): Promise<Slot> => {
    for (;;) {
      const free = slots.find((s) => !s.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      if (slots.length < size) {
        const s = spawn();
        s.busy = true;
        return s;
      }
      await new Promise<void>((r) => waiting.push(r));
    }
  };
  return {
    async run(job, onProgress) {
      const slot = await acquire();
      try {
        return await new Promise<unknown>((resolve, reject) => {
          const id = nextId++;
          slot.current = { id, resolve, reject, onProgress };
          slot.w.postMessage({ id, job });
        });
      } finally {
        slot.busy = false;
        waiting.shift()?.();
      }
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.w.terminate()));
      slots.length = 0;
    },
  };
}
