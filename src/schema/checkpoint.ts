/** Checkpoint files: a fit run's JSONL checkpoint and a crossbar run's in-situ and inference checkpoints. */
import { z } from 'zod';

export const CROSSBAR_CHECKPOINT_SCHEMA = 'jartcal.crossbar-checkpoint/1';
export const INFERENCE_CHECKPOINT_SCHEMA = 'jartcal.crossbar-inference-checkpoint/1';

const base64 = z.string().describe('little-endian float64 values, base64');
export const epochRecordSchema = z
  .object({
    epoch: z.number(),
    lr: z.number(),
    trainLoss: z.number(),
    testAccuracy: z.number(),
    seconds: z.number(),
    cpuSeconds: z.number().optional(),
    pulsesApplied: z.number(),
    coincidences: z.number(),
  })
  .describe('one epoch: learning rate, training loss, test accuracy, seconds, pulses applied');

export const crossbarCheckpointSchema = z
  .looseObject({
    schema: z.literal(CROSSBAR_CHECKPOINT_SCHEMA).optional().describe(`\`"${CROSSBAR_CHECKPOINT_SCHEMA}"\``),
    configKey: z.string().describe('hash of the resolved config: a resume with another config is refused'),
    finished: z.array(z.array(epochRecordSchema)).describe('epoch records of the finished repeats'),
    current: z
      .looseObject({
        repeat: z.number(),
        epochsDone: z.number(),
        records: z.array(epochRecordSchema),
        rng: z.array(z.number()).describe('RNG state'),
        state: z.array(z.array(base64)).describe('per layer, per tile: the device states'),
        coincidences: z.number(),
      })
      .nullable()
      .describe('the repeat under way, or null'),
  })
  .describe('`OUT/checkpoint.json` of `jartcal crossbar run` (in-situ training)');

export const inferenceCheckpointSchema = z
  .looseObject({
    schema: z
      .literal(INFERENCE_CHECKPOINT_SCHEMA, {
        error: `"${INFERENCE_CHECKPOINT_SCHEMA}" (an inference checkpoint); run without --resume or use another --out`,
      })
      .describe(`\`"${INFERENCE_CHECKPOINT_SCHEMA}"\``),
    configKey: z.string().describe('hash of the resolved config'),
    digital: z.looseObject({
      weights: z.array(base64).describe('per layer: the digitally trained weights'),
      records: z.array(z.unknown()),
      accuracy: z.number(),
    }),
    draws: z
      .array(
        z.looseObject({
          record: epochRecordSchema,
          programming: z.record(z.string(), z.unknown()),
          wireSweep: z.array(z.looseObject({})).optional(),
        }),
      )
      .describe('every finished device draw: accuracy and programming statistics'),
  })
  .describe('`OUT/checkpoint.json` of an inference experiment');

export const fitCheckpointLineSchema = z
  .discriminatedUnion('kind', [
    z.looseObject({ kind: z.literal('header'), header: z.unknown().describe('settings and dataset: a resume with others is refused') }),
    z.looseObject({ kind: z.literal('cycle'), fit: z.looseObject({}).describe('a cycle record of fits.json') }),
    z.looseObject({ kind: z.literal('device'), device: z.looseObject({}).describe('a device record of fits.json') }),
  ])
  .describe("one line of `FITS.json.checkpoint.jsonl` (`jartcal fit`): appended and fsync'd per record, removed after the final write");

export const REFINE_CHECKPOINT_SCHEMA = 'jartcal.refine-checkpoint/1';

export const refineCheckpointSchema = z
  .object({
    schema: z.literal(REFINE_CHECKPOINT_SCHEMA).describe(`\`"${REFINE_CHECKPOINT_SCHEMA}"\``),
    key: z.string().describe('hash of the population, measured groups, protocols, devices, cycles and seed: used only when equal'),
    cache: z.record(z.string(), z.number()).describe('objective value by evaluated point'),
  })
  .describe("`OUT.refine-checkpoint.json` of `jartcal population --refine`: the refinement's evaluations, removed after the final write");
