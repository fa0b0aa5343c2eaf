/** The variability profile, schema `jartcal.profile/1` (`jartcal profile --out`, and a population's `profile`). */
import { z } from 'zod';
import { numberOrNaN } from './common.js';

const PROFILE_SCHEMA = 'jartcal.profile/1';

const summary = z
  .object({
    n: z.number(),
    mean: numberOrNaN,
    sd: numberOrNaN,
    cv: numberOrNaN,
    median: numberOrNaN,
    p10: numberOrNaN,
    p90: numberOrNaN,
  })
  .describe('n, mean, sd, cv, median, p10, p90 of one feature (null: no value)');

const featureStats = z
  .object({
    hrsOhm: summary,
    lrsOhm: summary,
    vSetV: summary,
    vResetV: summary,
    onOff: summary,
    log10OnOff: summary,
  })
  .describe('per-feature summaries');

export const profileSchema = z
  .looseObject({
    schema: z.literal(PROFILE_SCHEMA).describe(`\`"${PROFILE_SCHEMA}"\``),
    toolkitVersion: z.string().default('').describe('jartcal version that wrote the file'),
    createdAt: z.string().default('').describe('ISO time of writing'),
    population: z.string().describe('the population file or preset profiled'),
    dataset: z.string().describe('the dataset compared with'),
    seed: z.number().describe('seed of the sampled devices'),
    sweep: z
      .object({
        vSetV: z.number(),
        vResetV: z.number(),
        rateVps: z.number(),
        stepV: z.number(),
        readVoltageV: z.number(),
        complianceA: z.number().nullable(),
        seriesOhm: z.number().optional(),
      })
      .describe("the dataset's median sweep in the model convention (SET at negative V): V, V/s, A, Ω"),
    measured: featureStats.describe("the dataset's feature statistics"),
    predicted: featureStats.describe('the same statistics of the sampled and simulated devices'),
    rows: z
      .array(z.object({ statistic: z.string(), measured: numberOrNaN, predicted: numberOrNaN, relDiff: numberOrNaN }))
      .describe('the compared statistics: measured, predicted, (predicted − measured)/|measured|'),
    simulated: z
      .object({ devices: z.number(), cycles: z.number(), usable: z.number(), pooling: z.enum(['all', 'within']) })
      .describe('devices and cycles simulated, usable cycles; pooling `all` (d2d + c2c) or `within` (per device, c2c only)'),
    seriesOhmPerDevice: z
      .object({ center: z.number(), spread: z.number(), n: z.number() })
      .optional()
      .describe("the sweeps went through a series resistance drawn per device from the population's circuit (median Ω, ln sd, devices)"),
  })
  .describe('a variability profile (posterior predictive check)');

export type ProfileFile = z.output<typeof profileSchema>;
