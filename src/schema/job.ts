/**
 * Queue jobs (`--queue`, docs/distributed.md): the JSON a coordinator puts on the BullMQ queue and a
 * `jartcal worker` takes. Data only, never code. The schema fixes the envelope and every field's
 * shape; what the fit and crossbar code check themselves (the settings resolve to exactly
 * themselves, each cycle's samples, the experiment config) is checked after it by
 * src/queue/jobs.ts `validateJob`, with the same rules as the files the job came from.
 */
import { z } from 'zod';
import type { DeviceJob } from '../fit/campaign.js';
import type { FitCycleInput } from '../fit/cycle-data.js';
import type { HierOptions } from '../fit/hier/em.js';
import type { FitSettings } from '../fit/settings.js';
import type { CycleFit, DeviceFit } from '../fit/types.js';
import type { EncodedCheckpoint } from '../crossbar/experiment/sweep.js';
import type { ExperimentConfig } from './experiment.js';
import { unknownKeyError } from './common.js';

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
/** An object the code that owns it checks further (typed here, its fields checked after the schema). */
const objectOf = <T>(what: string) => z.custom<T>(isObj, { error: what });

const header = {
  toolkitVersion: z
    .string()
    .min(1, { error: 'a non-empty string' })
    .describe('the jartcal version that made the job: a worker of another version refuses it'),
  backend: z
    .string()
    .min(1, { error: 'a non-empty string' })
    .describe(
      'the numeric backend it must run on: `js-float64` (fits, in-situ training), `tfjs-tensorflow` or `tfjs-wasm` (digital baseline)',
    ),
};

const settings = objectOf<FitSettings>('the resolved fit settings (an object)').describe(
  'the resolved fit settings, as fits.json `settings` holds them (every key, nothing else)',
);
const cycleInput = objectOf<FitCycleInput>('a measured cycle (an object)').describe(
  'a measured cycle as in dataset.json (checked by the dataset rules: ≥ 3 finite samples, …)',
);
const b64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'float64 values as base64' })
  .describe('little-endian float64 values, base64');
const b64Rows = z.array(b64).describe('a matrix: one base64 row per row');

const echoJob = z
  .strictObject(
    { kind: z.literal('echo'), ...header, value: z.number().describe('returned as the result') },
    unknownKeyError(['kind', 'toolkitVersion', 'backend', 'value']),
  )
  .describe('`echo`: a trivial job (the queue benchmark)');

const fitJob = z
  .strictObject(
    {
      kind: z.literal('fit'),
      ...header,
      settings,
      devices: z
        .array(
          z.strictObject(
            {
              job: z
                .strictObject(
                  {
                    device: z.string().min(1, { error: 'a device id' }).describe('device id'),
                    cycles: z.array(cycleInput).min(1, { error: 'a non-empty array of cycles' }),
                    start: objectOf<NonNullable<DeviceJob['start']>>('start values (an object)')
                      .optional()
                      .describe('start values instead of the first guess (the fit structure search)'),
                  },
                  unknownKeyError(['device', 'cycles', 'start']),
                )
                .describe('the device and its cycles'),
              done: z
                .strictObject(
                  {
                    device: objectOf<DeviceFit>('a device record').optional().describe('its device record, when done'),
                    cycles: z.array(objectOf<CycleFit>('a cycle record')).describe('its cycle records already done'),
                  },
                  unknownKeyError(['device', 'cycles']),
                )
                .describe('records already done (a checkpoint, or what a lost job sent): kept, not refitted'),
            },
            unknownKeyError(['job', 'done']),
          ),
        )
        .min(1, { error: 'a non-empty array' })
        .describe('the device group, fitted one after the other'),
      prior: z.null().describe('null: a campaign fit has no population prior (a hierarchical pass is a `hier` job)'),
    },
    unknownKeyError(['kind', 'toolkitVersion', 'backend', 'settings', 'devices', 'prior']),
  )
  .describe('`fit`: a device group of a fit campaign; result `{events}`: its records');

const wireState = z
  .strictObject({
    v: b64.describe('device-level values (u space)'),
    theta: z.array(b64).describe('per cycle: its cycle-level values (u space)'),
    scalars: b64.describe('residual scale, evaluations, last move, starts, data cost, data count'),
    lmConverged: z.boolean(),
    lmStop: z.string(),
    a: b64.describe("posterior mean of the device's cycle-level mean"),
    covA: b64Rows,
    covThetaA: z.array(b64Rows),
    cov: b64Rows.describe('posterior covariance of [v, θ₁…θ_C]'),
    prec: b64Rows.describe('posterior precision'),
    numShift: b64.describe("the simulation's numerical error's first-order shift"),
    infoC: z.array(b64Rows).describe("per cycle: the data's information"),
    profiles: b64.describe('profile-likelihood interval ends, as triples (coordinate, low, high) in u'),
  })
  .describe("the device's state between passes");

const wirePopulation = z
  .strictObject({
    mV: b64.describe('population mean of the device-level parameters'),
    omV: b64Rows.describe('their covariance'),
    varMV: b64Rows.nullable().describe('uncertainty of mV (null: not estimated)'),
    mA: b64.describe('population mean of the cycle-level parameters'),
    omD: b64Rows.describe('device-to-device covariance of the cycle-level means'),
    omC: b64Rows.describe('cycle-to-cycle covariance within a device'),
  })
  .describe('the population prior of the pass');

const hierStep = z
  .strictObject({
    step: z
      .enum(['init', 'estep', 'refresh', 'posterior'])
      .describe('start scale / E-step and posterior / posterior only (the estimate kept) / posterior under the final population'),
    device: z.strictObject({
      id: z.string().min(1, { error: 'a device id' }),
      cycles: z.array(cycleInput).min(1, { error: 'a non-empty array of cycles' }),
      startRms: z.array(z.number().nullable()).describe("per cycle: rms (log10) of the device's start fit (null: none)"),
    }),
    state: wireState,
    pop: wirePopulation.nullable().describe('null only for the `init` step'),
    options: objectOf<HierOptions>('the hierarchical fit options (an object)')
      .refine((o) => Object.values(o).every((x) => typeof x === 'number' || typeof x === 'boolean'), {
        error: 'numbers and booleans only',
      })
      .describe('options of the EM (src/fit/hier/em.ts HierOptions)'),
    firstPass: z.boolean(),
    poor: z.boolean().describe('the device fits well above the campaign noise (more starts)'),
    donors: z
      .array(z.strictObject({ v: b64, a: b64, theta: z.array(b64).optional().describe("each of the donor's cycles' values") }))
      .describe("well-fitted devices' values: starts of a poor device"),
    above: z.boolean().describe("the device fits above the campaign's typical noise (compensating and own-median starts)"),
  })
  .refine((s) => s.state.theta.length === s.device.cycles.length && s.device.startRms.length === s.device.cycles.length, {
    error: 'state.theta and device.startRms: one entry per cycle',
  })
  .refine((s) => s.step === 'init' || s.pop !== null, { error: 'pop: an estep or posterior step needs the population prior' });

const hierJob = z
  .strictObject(
    { kind: z.literal('hier'), ...header, settings, step: hierStep },
    unknownKeyError(['kind', 'toolkitVersion', 'backend', 'settings', 'step']),
  )
  .describe("`hier`: one device's step in one pass of a hierarchical fit (src/fit/hier/step.ts); result: its state");

const resumeShape = z.looseObject({
  epochsDone: z.int(),
  records: z.array(z.unknown()),
  state: z.array(z.array(z.string())),
  rng: z.array(z.number()),
});
const crossbarJob = z
  .strictObject(
    {
      kind: z.literal('crossbar'),
      ...header,
      key: z.string().min(1, { error: 'a non-empty string' }).describe('the run in its sweep: CONFIGURATION/seed-S'),
      config: objectOf<ExperimentConfig>('a resolved experiment config (an object)').describe(
        'the resolved experiment config with its seed (checked by the experiment rules)',
      ),
      resume: z
        .custom<EncodedCheckpoint>((x) => resumeShape.safeParse(x).success, { error: 'null or an epoch checkpoint' })
        .nullable()
        .describe("null, or the run's last epoch checkpoint (a sweep checkpoint's `checkpoint`)"),
    },
    unknownKeyError(['kind', 'toolkitVersion', 'backend', 'key', 'config', 'resume']),
  )
  .describe('`crossbar`: one run of a sweep; result `{records, backend}`');

export const queueJobSchema = z
  .discriminatedUnion('kind', [fitJob, hierJob, crossbarJob, echoJob], { error: '"fit", "hier", "crossbar" or "echo"' })
  .describe('a queue job (one of the kinds below by `kind`), with the version and backend it needs');

export type JobData = z.output<typeof queueJobSchema>;
export type FitJobData = z.output<typeof fitJob>;
export type HierJobData = z.output<typeof hierJob>;
export type CrossbarJobData = z.output<typeof crossbarJob>;
export type EchoJobData = z.output<typeof echoJob>;
/** The sub-schemas, for the format reference. */
export const queueJobKinds = { fitJob, hierJob, crossbarJob, echoJob };
