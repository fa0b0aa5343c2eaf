/** The pipeline manifest, schema `jartcal.pipeline/1` (`OUT/pipeline.json` of `jartcal pipeline`). */
import { z } from 'zod';

export const PIPELINE_SCHEMA = 'jartcal.pipeline/1';

const hash = z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: '"sha256:HEX"' });

const stageRecordSchema = z
  .object({
    output: z.string().describe("the stage's output, relative to the out folder"),
    madeAt: z.string().describe('ISO time the output was made'),
    inputs: z.record(z.string(), hash).describe('input file (relative to the out folder when inside it) → hash of its content'),
    settingsHash: hash.describe('hash of the JSON (sorted keys) of the resolved settings'),
    settings: z.unknown().describe("the stage's resolved settings"),
  })
  .describe('what one stage was made from');

export const pipelineManifestSchema = z
  .object({
    schema: z.literal(PIPELINE_SCHEMA).describe(`\`"${PIPELINE_SCHEMA}"\``),
    toolkitVersion: z.string().default('').describe('jartcal version that wrote the file'),
    stages: z.record(z.string(), stageRecordSchema).describe('by stage: `ingest`, `fit`, `population`, `profile`, `crossbar`, `report`'),
  })
  .describe('the pipeline manifest');

export type StageRecord = z.output<typeof stageRecordSchema>;
export type PipelineManifest = z.output<typeof pipelineManifestSchema>;
