/**
 * Queue jobs are data, never code: a fit job is a device group with its fit settings, the records
 * already done and an optional population prior (one outer pass of a hierarchical fit); a crossbar
 * job is one run of a sweep (a resolved experiment config with its seed) and the epoch checkpoint
 * to continue from. Each carries the toolkit version and the numeric backend it must run on; the
 * coordinator validates a job before enqueueing it and the worker validates it again and refuses
 * one made for another version or backend.
 */
import { checkDatasetForFit } from '../io/fit-dataset.js';
import { resolveFitSettings, type FitSettings } from '../fit/settings.js';
import type { ScheduledJob } from '../fit/scheduler.js';
import type { FitEvent } from '../fit/campaign.js';
import type { HierStepJob } from '../fit/hier/step.js';
import { resolveConfig, type ExperimentConfig } from '../crossbar/experiment/config.js';
import type { EncodedCheckpoint } from '../crossbar/experiment/sweep.js';
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

export interface FitJobData extends JobHeader {
  kind: 'fit';
  settings: FitSettings;
  /** The device group: each device with its cycles and the records already done. */
  devices: { job: ScheduledJob['job']; done: ScheduledJob['done'] }[];
  /** Hierarchical fit: the current population prior of the device-level parameters (null: none). */
  prior: unknown;
}
export interface FitJobResult {
  events: FitEvent[];
}

export interface CrossbarJobData extends JobHeader {
  kind: 'crossbar';
  /** The run's key in its sweep ("configuration/seed-S"). */
  key: string;
  config: ExperimentConfig;
  resume: EncodedCheckpoint | null;
}
export interface CrossbarJobResult {
  records: EpochRecord[];
  backend: string;
}

/** One device's step of one pass of a hierarchical fit (src/fit/hier/step.ts), under the population prior it carries. */
export interface HierJobData extends JobHeader {
  kind: 'hier';
  settings: FitSettings;
  step: HierStepJob;
}

/** A trivial job (benchmarks of the queue's own overhead): returns its value. */
export interface EchoJobData extends JobHeader {
  kind: 'echo';
  value: number;
}

export type JobData = FitJobData | HierJobData | CrossbarJobData | EchoJobData;

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
 * Checks a job's data and returns it typed; throws a JartcalError naming the field. `where` names
 * the job in the message.
 */
export function validateJob(raw: unknown, where: string): JobData {
  if (!isObj(raw)) fail(where, 'expected a job object');
  const d = raw as Record<string, unknown>;
  if (typeof d.toolkitVersion !== 'string' || !d.toolkitVersion) fail(where, 'toolkitVersion: expected a string');
  if (typeof d.backend !== 'string' || !d.backend) fail(where, 'backend: expected a string');
  if (d.kind === 'echo') {
    if (typeof d.value !== 'number') fail(where, 'value: expected a number');
    return d as unknown as EchoJobData;
  }
  const checkSettings = () => {
    if (!isObj(d.settings)) fail(where, 'settings: expected the resolved fit settings');
    let resolved: FitSettings;
    try {
      resolved = resolveFitSettings(structuredClone(d.settings) as never);
    } catch (e) {
      return fail(where, `settings: ${(e as Error).message}`);
    }
    if (canonical(resolved) !== canonical(d.settings)) fail(where, 'settings: not a resolved settings object (unknown or missing keys)');
  };
  const checkCycles = (devices: { id: unknown; cycles: unknown }[]) => {
    try {
      checkDatasetForFit({ schema: 'jartcal.dataset/1', devices }, where);
    } catch (e) {
      fail(where, (e as Error).message.replace(`${where}: `, ''));
    }
  };
  if (d.kind === 'hier') {
    checkSettings();
    const st = d.step as Record<string, unknown>;
    if (!isObj(st)) fail(where, 'step: expected a hierarchical-fit step');
    if (!['init', 'estep', 'posterior'].includes(st.step as string)) fail(where, 'step.step: expected "init", "estep" or "posterior"');
    const dev = st.device as Record<string, unknown>;
    if (!isObj(dev) || typeof dev.id !== 'string' || !Array.isArray(dev.cycles) || !Array.isArray(dev.startRms))
      fail(where, 'step.device: expected {id, cycles, startRms}');
    if (
      (dev.startRms as unknown[]).length !== (dev.cycles as unknown[]).length ||
      !(dev.startRms as unknown[]).every((x) => x === null || typeof x === 'number')
    )
      fail(where, 'step.device.startRms: expected a number or null per cycle');
    checkCycles([{ id: dev.id, cycles: dev.cycles }]);
    const isB64 = (x: unknown) => typeof x === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(x);
    const isB64s = (x: unknown, depth: number): boolean =>
      depth === 0 ? isB64(x) : Array.isArray(x) && x.every((y) => isB64s(y, depth - 1));
    const state = st.state as Record<string, unknown>;
    const stateShape: [string, number][] = [
      ['v', 0],
      ['theta', 1],
      ['scalars', 0],
      ['a', 0],
      ['covA', 1],
      ['covThetaA', 2],
      ['cov', 1],
      ['prec', 1],
      ['numShift', 0],
      ['infoC', 2],
    ];
    if (!isObj(state) || typeof state.lmConverged !== 'boolean' || typeof state.lmStop !== 'string')
      fail(where, 'step.state: expected a device state');
    for (const [k, depth] of stateShape) if (!isB64s(state[k], depth)) fail(where, `step.state.${k}: expected float64 data (base64)`);
    if ((state.theta as unknown[]).length !== (dev.cycles as unknown[]).length)
      fail(where, 'step.state.theta: expected one entry per cycle');
    if (st.pop !== null) {
      const pop = st.pop as Record<string, unknown>;
      if (!isObj(pop)) fail(where, 'step.pop: expected null or a population');
      for (const [k, depth] of [
        ['mV', 0],
        ['omV', 1],
        ['mA', 0],
        ['omD', 1],
        ['omC', 1],
      ] as const)
        if (!isB64s(pop[k], depth)) fail(where, `step.pop.${k}: expected float64 data (base64)`);
      if (pop.varMV !== null && !isB64s(pop.varMV, 1)) fail(where, 'step.pop.varMV: expected null or float64 rows (base64)');
    } else if (st.step !== 'init') fail(where, `step.pop: a ${st.step as string} step needs the population prior`);
    if (!isObj(st.options) || !Object.values(st.options).every((x) => typeof x === 'number' || typeof x === 'boolean'))
      fail(where, 'step.options: expected the hierarchical fit options');
    if (typeof st.firstPass !== 'boolean' || typeof st.poor !== 'boolean') fail(where, 'step.firstPass, step.poor: expected booleans');
    if (!Array.isArray(st.donors) || !st.donors.every((x: unknown) => isObj(x) && isB64(x.v) && isB64(x.a)))
      fail(where, 'step.donors: expected [{v, a}] (base64)');
    return d as unknown as HierJobData;
  }
  if (d.kind === 'fit') {
    checkSettings();
    if (!Array.isArray(d.devices) || d.devices.length === 0) fail(where, 'devices: expected a non-empty array');
    const devices = d.devices as unknown[];
    devices.forEach((x, i) => {
      if (!isObj(x) || !isObj(x.job) || !isObj(x.done)) fail(where, `devices[${i}]: expected {job, done}`);
      const done = (x as { done: Record<string, unknown> }).done;
      if (!Array.isArray(done.cycles)) fail(where, `devices[${i}].done.cycles: expected an array`);
      if (done.device !== undefined && !isObj(done.device)) fail(where, `devices[${i}].done.device: expected a device record`);
    });
    checkCycles(
      devices.map((x) => {
        const j = (x as { job: { device: unknown; cycles: unknown } }).job;
        return { id: j.device, cycles: j.cycles };
      }),
    );
    return d as unknown as FitJobData;
  }
  if (d.kind === 'crossbar') {
    if (typeof d.key !== 'string' || !d.key) fail(where, 'key: expected a string');
    let cfg: ExperimentConfig;
    try {
      cfg = resolveConfig(d.config);
    } catch (e) {
      return fail(where, (e as Error).message);
    }
    if (canonical(cfg) !== canonical(d.config)) fail(where, 'config: not a resolved experiment config');
    if (cfg.mode === 'inference') fail(where, 'config.mode: a sweep job runs in-situ or digital experiments');
    if (d.resume !== null) {
      const r = d.resume as Record<string, unknown>;
      if (!isObj(r) || !Number.isInteger(r.epochsDone) || !Array.isArray(r.records) || !Array.isArray(r.state) || !Array.isArray(r.rng))
        fail(where, 'resume: expected null or an epoch checkpoint');
    }
    return d as unknown as CrossbarJobData;
  }
  return fail(where, `kind: expected "fit", "hier", "crossbar" or "echo", got ${JSON.stringify(d.kind)}`);
}

/** Why this installation refuses a job (another toolkit version or numeric backend), or null. */
export function refusal(job: JobHeader, backend: string): string | null {
  if (job.toolkitVersion !== TOOLKIT_VERSION)
    return `the job was made by jartcal ${job.toolkitVersion}, this worker is jartcal ${TOOLKIT_VERSION}`;
  if (job.backend !== backend) return `the job needs the numeric backend ${job.backend}, this worker has ${backend}`;
  return null;
}
