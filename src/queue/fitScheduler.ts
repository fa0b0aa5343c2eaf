/**
 * The fit scheduler on the queue: one queue job per device (a group of one), and in a hierarchical
 * fit one job per device and outer pass (its step under the population prior the job carries; the
 * population update between passes runs in the coordinator, hier/step.ts). Records reach `onEvent` once per
 * key, whether they come as progress or in a job's result, retried or not; the fit driver
 * assembles them in dataset order, so the output does not depend on the workers or their order.
 */
import { createHash } from 'node:crypto';
import type { FailedJob, FitScheduler, ScheduledJob } from '../fit/scheduler.js';
import type { FitEvent } from '../fit/campaign.js';
import type { FitSettings } from '../fit/settings.js';
import { TOOLKIT_VERSION } from '../version.js';
import { JS_BACKEND, type FitJobData, type FitJobResult, type HierJobData } from './jobs.js';
import type { HierStepJob, HierStepResult } from '../fit/hier/step.js';
import { JartcalError } from '../util/errors.js';
import type { Task, TaskRunner } from './runner.js';

/** A short stable key of a run (its settings and data): job ids of the same run are the same. */
export function runKey(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

export function createQueueScheduler(runner: TaskRunner): FitScheduler {
  return {
    get workers() {
      return runner.workers();
    },
    async run(jobs: ScheduledJob[], settings: FitSettings, onEvent: (jobIndex: number, e: FitEvent) => void): Promise<FailedJob[]> {
      const seen = new Set<string>();
      const tasks: Task[] = jobs.map((j) => {
        if (j.prior !== undefined && j.prior !== null)
          throw new Error(`device ${j.job.device}: a population prior travels in the hierarchical fit's own jobs, not in a device fit`);
        const data: FitJobData = {
          kind: 'fit',
          toolkitVersion: TOOLKIT_VERSION,
          backend: JS_BACKEND,
          settings,
          devices: [{ job: j.job, done: { ...(j.done.device ? { device: j.done.device } : {}), cycles: [...j.done.cycles] } }],
          prior: null,
        };
        return { id: `fit-${runKey(settings, j.job, null)}`, data };
      });
      const deliver = (i: number, e: FitEvent): void => {
        const key = e.kind === 'device' ? `d\u0000${e.device.device}` : `c\u0000${e.fit.device}\u0000${e.fit.cycle}`;
        if (seen.has(key)) return;
        seen.add(key);
        // what a re-enqueued job starts from: everything received so far
        const d = (tasks[i].data as FitJobData).devices[0].done;
        if (e.kind === 'device') d.device = e.device;
        else d.cycles.push(e.fit);
        onEvent(i, e);
      };
      const failed: FailedJob[] = [];
      await runner.run(tasks, {
        progress: (i, p) => {
          if (p.kind === 'records') for (const e of p.events) deliver(i, e);
        },
        done: (i, result) => {
          for (const e of (result as FitJobResult).events) deliver(i, e);
        },
        failed: (i, error) => {
          failed.push({ devices: [jobs[i].job.device], error });
        },
      });
      return failed;
    },
    async runHierSteps(steps: HierStepJob[], settings: FitSettings): Promise<HierStepResult[]> {
      const tasks: Task[] = steps.map((step) => {
        const data: HierJobData = { kind: 'hier', toolkitVersion: TOOLKIT_VERSION, backend: JS_BACKEND, settings, step };
        // the id is the step's content: the same pass of the same fit (a coordinator started again) finds its jobs
        return { id: `hier-${step.step}-${runKey(settings, step)}`, data };
      });
      const out = new Array<HierStepResult | undefined>(steps.length);
      const failed: string[] = [];
      await runner.run(tasks, {
        done: (i, result) => {
          out[i] = result as HierStepResult;
        },
        failed: (i, error) => {
          failed.push(`device ${steps[i].device.id}: ${error}`);
        },
      });
      if (failed.length)
        throw new JartcalError(`fit: the hierarchical fit's ${steps[0].step} step failed on the queue (${failed.join('; ')})`, {
          code: 'queue_failed',
        });
      return out as HierStepResult[];
    },
    close: () => runner.close(),
  };
}
