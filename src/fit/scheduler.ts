/**
 * Where fit jobs run. The fit driver only sees this small interface, so the local worker pool can
 * be swapped for a distributed queue: a BullMQ-on-Redis backend would `add` one queue job per
 * DeviceJob (payload = the job and its already-checkpointed records, jobId = device id so a resumed
 * run does not enqueue twice), have remote workers call `fitDevice` and report each FitEvent with
 * `job.updateProgress(event)` (or a results queue), and forward those events to `onEvent` from a
 * QueueEvents listener; `close()` closes the queue connections. Ordering and determinism carry
 * over unchanged, because a job's results depend only on (seed, device, cycle) and the records it
 * is given.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fitDevice, type DeviceJob, type FitEvent } from './campaign.js';
import type { FitSettings } from './settings.js';
import type { CycleFit, DeviceFit } from './types.js';

export interface ScheduledJob { job: DeviceJob; done: { device?: DeviceFit; cycles: CycleFit[] } }

export interface FitScheduler {
  readonly workers: number;
  /** Runs every job; `onEvent` receives each record as soon as it exists. Rejects on an internal error. */
  run(jobs: ScheduledJob[], settings: FitSettings, onEvent: (jobIndex: number, e: FitEvent) => void): Promise<void>;
  close(): Promise<void>;
}

function runOne(j: ScheduledJob, settings: FitSettings, emit: (e: FitEvent) => void): void {
  fitDevice(j.job, settings, { device: j.done.device, cycles: new Map(j.done.cycles.map((c) => [c.cycle, c])) }, emit);
}

/** Runs the jobs one after the other in this thread. */
export function createInlineScheduler(): FitScheduler {
  return {
    workers: 1,
    async run(jobs, settings, onEvent) {
      for (let i = 0; i < jobs.length; i++) {
        runOne(jobs[i], settings, (e) => onEvent(i, e));
        await new Promise((r) => setImmediate(r));
      }
    },
    async close() {},
  };
}

/** Worker threads, one job (device) at a time per worker; `workers` defaults to all cores. */
export function createWorkerPool(workers = availableParallelism()): FitScheduler {
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  const url = new URL(ts ? './worker.ts' : './worker.js', here);
  // Compiled (dist/): the worker is plain JS. Under tsx (tests, scripts): the worker thread does not
  // inherit tsx's loader hooks, so a small bootstrap registers them before importing worker.ts.
  const spawnWorker = (): Worker => {
    if (!ts) return new Worker(url);
    const api = import.meta.resolve('tsx/esm/api');
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
    return new Worker(code, { eval: true });
  };
  return {
    workers,
    run(jobs, settings, onEvent) {
      return new Promise<void>((resolve, reject) => {
        let next = 0, running = 0, failed = false;
        const pool: Worker[] = [];
        const finish = (err?: Error) => {
          if (failed) return;
          if (err) failed = true;
          if (err || (next >= jobs.length && running === 0)) {
            void Promise.all(pool.map((w) => w.terminate())).then(() => (err ? reject(err) : resolve()));
          }
        };
        const feed = (w: Worker) => {
          if (failed) return;
          if (next >= jobs.length) { finish(); return; }
          const i = next++;
          running++;
          w.postMessage({ index: i, job: jobs[i], settings });
        };
        const n = Math.max(1, Math.min(workers, jobs.length));
        if (jobs.length === 0) { resolve(); return; }
        for (let k = 0; k < n; k++) {
          const w = spawnWorker();
          pool.push(w);
          w.on('message', (m: { index: number; event?: FitEvent; done?: boolean; error?: string }) => {
            if (m.event) onEvent(m.index, m.event);
            if (m.error) finish(new Error(m.error));
            else if (m.done) { running--; feed(w); }
          });
          w.on('error', (e) => finish(e));
          feed(w);
        }
      });
    },
    async close() {},
  };
}

export { runOne as runScheduledJob };
