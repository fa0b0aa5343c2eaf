/**
 * Queue jobs are data, never code (their schema: src/schema/job.ts): a fit job is a device group
 * with its fit settings and the records already done; a hier job is one device's step in one pass of
 * a hierarchical fit, with the population prior of the pass; a crossbar job is one run of a sweep (a
 * resolved experiment config with its seed) and the epoch checkpoint to continue from. Each carries the toolkit version and the numeric backend it must run on; the
 * coordinator validates a job before enqueueing it and the worker validates it again and refuses
 * one made for another version or backend.
 */
import { checkDatasetForFit } from '../io/fit-dataset.js';
import { resolveFitSettings, type FitSettings } from '../fit/settings.js';
import type { FitEvent } from '../fit/campaign.js';
import { resolveConfig, type ExperimentConfig } from '../crossbar/experiment/config.js';
import type { EncodedCheckpoint } from '../crossbar/experiment/sweep.js';
import { queueJobSchema, type JobData } from '../schema/job.js';
import { firstProblem } from '../schema/issues.js';
import type { EpochRecord } from '../crossbar/experiment/inSitu.js';
import { JartcalError } from '../util/errors.js';
import { TOOLKIT_VERSION } from '../version.js';

/** The one queue every job goes through (under the connection's key prefix). */
export const QUEUE_NAME = 'jobs';

/** The fit and the in-situ crossbar simulation are plain TypeScript over Float64 arrays. */
export const JS_BACKEND = 'js-float64';

export interface JobHeader {
  toolkitVersion: string;
  backend: string;
}

export type { JobData, FitJobData, HierJobData, CrossbarJobData, EchoJobData } from '../schema/job.js';

export interface FitJobResult {
  events: FitEvent[];
}
export interface CrossbarJobResult {
  records: EpochRecord[];
  backend: string;
}

/** Progress a job reports on the way: fit records, or an epoch of a crossbar run. */
export type JobProgress =
  | { kind: 'records'; events: FitEvent[] }
  | { kind: 'epoch'; epochsDone: number; record: EpochRecord; checkpoint?: EncodedCheckpoint; inData?: boolean };

/** The backend a crossbar config needs: tfjs for the digital baseline, plain TS for in-situ training. */
export function crossbarBackend(config: ExperimentConfig, tfBackend: () => string): string {
  return config.mode === 'digital' ? `tfjs-${tfBackend()}` : JS_BACKEND;
}

const fail = (where: string, what: string): never => {
  throw new JartcalError(`${where}: ${what}`, { code: 'bad_job' });
};
const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** Same JSON up to key order. */
function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    isObj(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/**
 * Checks a job's data against the job schema (src/schema/job.ts), then what the fit and crossbar
 * code check in the files a job comes from (settings that resolve to exactly themselves, each
 * cycle's samples, the experiment config); returns it typed. Throws a JartcalError naming the
 * field; `where` names the job in the message.
 */
export function validateJob(raw: unknown, where: string): JobData {
  const r = queueJobSchema.safeParse(raw, { reportInput: true });
  if (!r.success) fail(where, firstProblem(r.error).message);
  // the job as sent (the schema adds nothing): its content is what the result depends on
  const d = raw as JobData;
  const checkSettings = (settings: unknown) => {
    let resolved: FitSettings;
    try {
      resolved = resolveFitSettings(structuredClone(settings) as never);
    } catch (e) {
      return fail(where, `settings: ${(e as Error).message}`);
    }
    if (canonical(resolved) !== canonical(settings)) fail(where, 'settings: not a resolved settings object (unknown or missing keys)');
  };
  const checkCycles = (devices: { id: string; cycles: unknown[] }[]) => {
    try {
      checkDatasetForFit({ schema: 'jartcal.dataset/1', devices }, where);
    } catch (e) {
      fail(where, (e as Error).message.replace(`${where}: `, ''));
    }
  };
  if (d.kind === 'fit') {
    checkSettings(d.settings);
    checkCycles(d.devices.map((x) => ({ id: x.job.device, cycles: x.job.cycles })));
  } else if (d.kind === 'hier') {
    checkSettings(d.settings);
    checkCycles([{ id: d.step.device.id, cycles: d.step.device.cycles }]);
  } else if (d.kind === 'crossbar') {
    let cfg: ExperimentConfig;
    try {
      cfg = resolveConfig(d.config);
    } catch (e) {
      return fail(where, (e as Error).message);
    }
    if (canonical(cfg) !== canonical(d.config)) fail(where, 'config: not a resolved experiment config');
    if (cfg.mode === 'inference') fail(where, 'config.mode: a sweep job runs in-situ or digital experiments');
  }
  return d;
}

/** Why this installation refuses a job (another toolkit version or numeric backend), or null. */
export function refusal(job: JobHeader, backend: string): string | null {
  if (job.toolkitVersion !== TOOLKIT_VERSION)
    return `the job was made by jartcal ${job.toolkitVersion}, this worker is jartcal ${TOOLKIT_VERSION}`;
  if (job.backend !== backend) return `the job needs the numeric backend ${job.backend}, this worker has ${backend}`;
  return null;
}
