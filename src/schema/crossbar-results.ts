/**
 * A crossbar run's results, schema `jartcal.crossbar-results/1`: `OUT/results.json` of `jartcal crossbar run`
 * and `DIR/runs/KEY/results.json` of `jartcal crossbar sweep` (a single repeat: `records`, `key`, `configKey`, `backend`).
 */
import { z } from 'zod';
import { epochRecordSchema } from './checkpoint.js';
import { numberOrNaN } from './common.js';

export const CROSSBAR_RESULTS_SCHEMA = 'jartcal.crossbar-results/1';

export const crossbarResultsSchema = z
  .looseObject({
    schema: z
      .literal(CROSSBAR_RESULTS_SCHEMA, { error: `"${CROSSBAR_RESULTS_SCHEMA}" (a crossbar results file)` })
      .describe(`\`"${CROSSBAR_RESULTS_SCHEMA}"\``),
    toolkitVersion: z.string().default('').describe('jartcal version that wrote the file'),
    createdAt: z.string().default('').describe('ISO time of writing'),
    startedAt: z.string().optional().describe('ISO time the run started'),
    name: z.string().describe("the experiment's name"),
    mode: z.enum(['in-situ', 'digital', 'inference']).optional().describe('the experiment mode'),
    seed: z.number().describe('seed of the run'),
    finalAccuracy: numberOrNaN.describe('test accuracy in % after the last epoch, mean over repeats'),
    accuracyStd: numberOrNaN.optional().describe('sample std of the final accuracy over repeats'),
    accuracyPerEpoch: z.array(numberOrNaN).optional().describe('test accuracy per epoch (%), mean over repeats'),
    lossPerEpoch: z.array(numberOrNaN).optional().describe('training loss per epoch, mean over repeats'),
    repeats: z
      .array(z.object({ repeat: z.number(), finalAccuracy: z.number().nullable(), records: z.array(epochRecordSchema) }))
      .optional()
      .describe('every repeat: its final accuracy and epoch records'),
    records: z.array(epochRecordSchema).optional().describe('sweep run: the epoch records of its one repeat'),
    key: z.string().optional().describe('sweep run: its key (configuration/seed)'),
    configKey: z.string().optional().describe('sweep run: hash of its resolved config (a finished run is reused when equal)'),
    backend: z.string().optional().describe('sweep run: the backend that ran it'),
    population: z.unknown().optional().describe('what a `--population` file mapped onto the devices, or null'),
    operatingPoint: z
      .object({
        window: z.enum(['config', 'device']),
        nLo: z.number(),
        nHi: z.number(),
        pulses: z
          .object({ target: z.number(), vSetV: z.number(), vResetV: z.number(), setPulses: z.number(), resetPulses: z.number() })
          .nullable(),
      })
      .nullable()
      .optional()
      .describe('full model: the N window and the matched pulses (`device.jart.nWindow`, `pulseMatch`), or null'),
    swingSpread: z.unknown().optional().describe('in-situ on a full-model population: how far apart the switching speeds are'),
    tfBackend: z.string().optional().describe('digital and inference modes: the TensorFlow.js backend'),
    digitalAccuracy: z.number().optional().describe('inference: accuracy of the digitally trained network (%)'),
    programming: z
      .array(z.looseObject({}))
      .optional()
      .describe(
        'inference, per draw: repeat, pulses, meanAbsError, rmsError, notConverged, weightTop (per layer: the weight the largest |w| maps to), unsignedDevices (devices whose range does not straddle 0), seconds',
      ),
    config: z.looseObject({}).describe('the resolved experiment config (the fields of the crossbar experiment config)'),
  })
  .describe('the results of a crossbar run');

export type CrossbarResultsFile = z.output<typeof crossbarResultsSchema>;
