/**
 * Where fit jobs run. The fit driver only sees this small interface: the inline runner, the local
 * worker-thread pool (here) and the BullMQ-on-Redis queue (src/queue/fitScheduler.ts) are
 * interchangeable. A job is data: a device with its cycles, the records already done (from a
 * checkpoint) and, in a hierarchical fit, the current population prior. Ordering and determinism carry
 * over unchanged, because a job's results depend only on (seed, device, cycle), the prior and the
 * records it is given, and the driver assembles the output in dataset order.
 */
import { spawnModuleThread } from '../util/thread.js';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fitDevice, type DeviceJob, type FitEvent } from './campaign.js';
import type { FitSettings } from './settings.js';
import type { CycleFit, DeviceFit } from './types.js';
import { runHierStep, type HierStepJob, type HierStepResult } from './hier/step.js';

/**
 * One device's fit: its cycles, the records already done, and (hierarchical fit, one outer pass)
 * the population prior its device-level parameters are pulled towards. The prior is opaque here:
 * the hierarchical fit defines it; a fit that cannot use it refuses the job.
 */
export interface ScheduledJob {
  job: DeviceJob;
  done: { device?: DeviceFit; cycles: CycleFit[] };
  prior?: unknown;
}

/** A job that ended failed (its input was refused, or it kept crashing): its devices and the error. */
export interface FailedJob {
  devices: string[];
  error: string;
}

export interface FitScheduler {
  readonly workers: number;
  /**
   * Runs every job; `onEvent` receives each record as soon as it exists (a record may arrive twice
   * when a job is retried: the caller keeps one per key). Resolves with the jobs that ended failed
   * (a distributed backend records them instead of stopping the run); rejects on an internal error.
   */
  run(jobs: ScheduledJob[], settings: FitSettings, onEvent: (jobIndex: number, e: FitEvent) => void): Promise<FailedJob[] | void>;
  /**
   * One pass of a hierarchical fit: each job is one device's step under the current population
   * prior (hier/step.ts); resolves with the results in the jobs' order, rejects when a job failed.
   */
  runHierSteps(jobs: HierStepJob[], settings: FitSettings): Promise<HierStepResult[]>;
  close(): Promise<void>;
}

function runOne(j: ScheduledJob, settings: FitSettings, emit: (e: FitEvent) => void): void {
  if (j.prior !== undefined && j.prior !== null)
    throw new Error(`device ${j.job.device}: this fit has no population prior (hierarchical fit) to apply`);
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
    async runHierSteps(jobs, settings) {
      const out: HierStepResult[] = [];
      for (const j of jobs) {
        out.push(runHierStep(j, settings));
        await new Promise((r) => setImmediate(r));
      }
      return out;
    },
    async close() {},
  };
}

export { spawnModuleThread } from '../util/thread.js';

/**
 * Worker threads, one job (device) at a time per worker; `workers` defaults to all cores. `spawn`
 * replaces the thread factory (tests). The threads are kept between batches (a hierarchical fit
 * sends one batch per EM pass, and a new thread loads the whole fit code again, about a CPU-second
 * each); an idle thread does not keep the process alive, and `close()` ends them. A batch that
 * fails ends the threads it used.
 */
export function createWorkerPool(workers = availableParallelism(), opts: { spawn?: () => Worker } = {}): FitScheduler {
  const spawnWorker = opts.spawn ?? ((): Worker => spawnModuleThread(import.meta.url, './worker.ts'));
  const idle: Worker[] = [];
  const acquire = (): Worker => {
    const w = idle.pop();
    if (w) {
      w.ref();
      return w;
    }
    const n = spawnWorker();
    // a thread that ends while idle is not handed out again
    n.once('exit', () => {
      const i = idle.indexOf(n);
      if (i >= 0) idle.splice(i, 1);
    });
    return n;
  };
  type Reply = { index: number; event?: FitEvent; result?: HierStepResult; done?: boolean; error?: string };
  /**
   * Sends message `msg(i)` for each of `count` jobs to the threads, one job at a time per thread;
   * `onMessage` sees every reply, which ends its job when it says `done` (or `error`).
   */
  const dispatch = (count: number, msg: (i: number) => unknown, onMessage: (m: Reply) => void): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      let next = 0,
        running = 0,
        failed = false,
        settled = false;
      const pool: { w: Worker; off: () => void }[] = [];
      const finish = (err?: Error) => {
        if (failed || settled) return;
        if (err) failed = true;
        if (err || (next >= count && running === 0)) {
          settled = true;
          for (const { off } of pool) off();
          if (err) void Promise.all(pool.map(({ w }) => w.terminate())).then(() => reject(err));
          else {
            for (const { w } of pool) {
              w.unref();
              idle.push(w);
            }
            resolve();
          }
        }
      };
      const feed = (w: Worker) => {
        if (failed) return;
        if (next >= count) {
          finish();
          return;
        }
        const i = next++;
        running++;
        w.postMessage(msg(i));
      };
      const n = Math.max(1, Math.min(workers, count));
      if (count === 0) {
        resolve();
        return;
      }
      for (let k = 0; k < n; k++) {
        const w = acquire();
        const onMsg = (m: Reply) => {
          onMessage(m);
          if (m.error) finish(new Error(m.error));
          else if (m.done) {
            running--;
            feed(w);
          }
        };
        const onError = (e: Error) => finish(e);
        // a thread that ends without an error event (process.exit in a job, a killed isolate) would
        // otherwise leave run() waiting for its job forever; terminate() at the end also exits, so
        // only an exit while the run is still going counts
        const onExit = (code: number) => {
          if (!settled) finish(new Error(`fit worker thread exited (code ${code}) before its job finished`));
        };
        w.on('message', onMsg);
        w.on('error', onError);
        w.on('exit', onExit);
        pool.push({
          w,
          off: () => {
            w.off('message', onMsg);
            w.off('error', onError);
            w.off('exit', onExit);
          },
        });
        feed(w);
      }
    });
  return {
    workers,
    run(jobs, settings, onEvent) {
      return dispatch(
        jobs.length,
        (i) => ({ index: i, job: jobs[i], settings }),
        (m) => {
          if (m.event) onEvent(m.index, m.event);
        },
      );
    },
    async runHierSteps(jobs, settings) {
      const out: HierStepResult[] = new Array<HierStepResult>(jobs.length);
      await dispatch(
        jobs.length,
        (i) => ({ index: i, step: jobs[i], settings }),
        (m) => {
          if (m.result) out[m.index] = m.result;
        },
      );
      return out;
    },
    async close() {
      await Promise.all(idle.splice(0).map((w) => w.terminate()));
    },
  };
}

export { runOne as runScheduledJob };
