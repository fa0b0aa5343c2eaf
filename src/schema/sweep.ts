/** `jartcal crossbar sweep`: the grid it reads (`jartcal.crossbar-grid/1`) and the files it writes in its folder. */
import { z } from 'zod';
import { unknownKeyError } from './common.js';
import { epochRecordSchema } from './checkpoint.js';

export const GRID_SCHEMA = 'jartcal.crossbar-grid/1';
export const SWEEP_STATE_SCHEMA = 'jartcal.crossbar-sweep-state/1';
export const SWEEP_CHECKPOINT_SCHEMA = 'jartcal.crossbar-sweep-checkpoint/1';
export const SWEEP_SUMMARY_SCHEMA = 'jartcal.crossbar-sweep/1';

const distinct = (xs: unknown[]): boolean => new Set(xs).size === xs.length;

export const gridSchema = z
  .strictObject(
    {
      schema: z.literal(GRID_SCHEMA).describe(`\`"${GRID_SCHEMA}"\``),
      name: z.string().min(1, { error: 'a non-empty string' }).describe('the grid name (summary titles)'),
      experiments: z
        .array(z.string().min(1, { error: 'a config file name' }))
        .min(1, { error: 'a non-empty array of config file names' })
        .describe('experiment config files, relative to the grid file'),
      seeds: z
        .array(z.number().int({ error: 'an integer ≥ 0' }).min(0, { error: 'an integer ≥ 0' }))
        .min(1, { error: 'a non-empty array of integers ≥ 0' })
        .refine(distinct, { error: 'no seed listed twice' })
        .describe('seeds: one run per configuration and seed'),
      overrides: z
        .array(
          z.strictObject({
            label: z
              .string()
              .regex(/^[A-Za-z0-9_.-]*$/, { error: 'letters, digits, _ . -' })
              .describe('appended to the experiment name: NAME+LABEL'),
            set: z.record(z.string(), z.unknown()).describe('config keys merged over every experiment'),
          }),
        )
        .min(1, { error: 'a non-empty array of {label, set}' })
        .refine((os) => distinct(os.map((o) => o.label)), { error: 'labels that differ' })
        .optional()
        .describe('each gives one configuration per experiment (default: one, unchanged)'),
    },
    unknownKeyError(['schema', 'name', 'experiments', 'seeds', 'overrides']),
  )
  .describe('a grid of experiments × overrides × seeds');

export type GridFile = z.output<typeof gridSchema>;

const encodedRepeat = z.object({
  repeat: z.number(),
  epochsDone: z.number(),
  records: z.array(epochRecordSchema),
  rng: z.array(z.number()).describe('RNG state'),
  state: z.array(z.array(z.string())).describe('per layer, per tile: device states, little-endian float64 base64'),
  coincidences: z.number(),
});

export const sweepCheckpointSchema = z
  .looseObject({
    schema: z.literal(SWEEP_CHECKPOINT_SCHEMA).describe(`\`"${SWEEP_CHECKPOINT_SCHEMA}"\``),
    configKey: z.string().describe("hash of the run's resolved config: the checkpoint is used when it matches"),
    checkpoint: encodedRepeat.describe('the repeat under way after its last finished epoch'),
  })
  .describe('`DIR/runs/KEY/checkpoint.json`: one run of the sweep, after its last finished epoch');

export const sweepStateSchema = z
  .looseObject({
    schema: z.literal(SWEEP_STATE_SCHEMA).describe(`\`"${SWEEP_STATE_SCHEMA}"\``),
    toolkitVersion: z.string().default(''),
    key: z.string().describe('hash of every run: a resume with other runs or settings is refused'),
    grid: z.string().describe("the grid's name"),
    runs: z.array(z.string()).describe('run keys (configuration/seed-S) in order'),
  })
  .describe('`DIR/sweep.json`: the runs of a sweep folder');

export const sweepSummarySchema = z
  .looseObject({
    schema: z.literal(SWEEP_SUMMARY_SCHEMA).describe(`\`"${SWEEP_SUMMARY_SCHEMA}"\``),
    toolkitVersion: z.string().default(''),
    createdAt: z.string().default(''),
    grid: z.string(),
    configurations: z
      .array(z.looseObject({}))
      .describe('per configuration: seeds, runs, mean and sample sd of the final accuracy, the paper value'),
    runs: z
      .array(z.looseObject({ key: z.string(), configuration: z.string(), seed: z.number(), finalAccuracy: z.number().nullable() }))
      .describe('every run: its final accuracy (null: not finished) and accuracy per epoch'),
    failed: z.array(z.looseObject({ key: z.string(), error: z.string() })).describe('runs that failed, with the error'),
  })
  .describe('`DIR/results.json`: the summary of a sweep (also as summary.md and summary.csv)');
