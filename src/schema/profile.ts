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

/** The fields every profile starts with, whichever protocol made it. */
const profileHeader = {
  schema: z.literal(PROFILE_SCHEMA).describe(`\`"${PROFILE_SCHEMA}"\``),
  toolkitVersion: z.string().default('').describe('jartcal version that wrote the file'),
  createdAt: z.string().default('').describe('ISO time of writing'),
  population: z.string().describe('the population file or preset profiled'),
  dataset: z.string().describe('the dataset compared with'),
  seed: z.number().describe('seed of the sampled devices'),
};

const medianSweepProfile = z
  .looseObject({
    ...profileHeader,
    protocol: z.literal('median-sweep').optional().describe('`"median-sweep"` (`--median-sweep`; absent in older files)'),
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
  .describe("the median-sweep profile (`jartcal profile --median-sweep`): every device on the dataset's median sweep, pooled rows");

const FEATURE_KEYS = ['log10Hrs', 'log10Lrs', 'vSetV', 'vResetV', 'log10OnOff'] as const;
const levelSamples = z
  .object({
    d2d: z.partialRecord(z.enum(FEATURE_KEYS), z.array(z.number())),
    c2c: z.partialRecord(z.enum(FEATURE_KEYS), z.array(z.number())),
  })
  .describe(
    'feature values behind the rows, per level and feature (`log10Hrs`, `log10Lrs`, `vSetV` (|V|), `vResetV`, `log10OnOff`): d2d one value a device (its first cycle), c2c deviations from the device mean',
  );

const levelRow = z
  .looseObject({
    statistic: z.string().describe('e.g. "d2d median HRS (Ohm)", "c2c sd log10 LRS (dec)"'),
    moment: z.string().describe('the moment: LEVEL:STAT:FEATURE (`d2d:median:log10Hrs`) or `all:switched`'),
    level: z.enum(['d2d', 'c2c', 'all']).describe('device-to-device, cycle-to-cycle, or over all cycles'),
    measured: numberOrNaN.describe('measured value (resistance levels in Ω, spreads of resistances in decades, voltages in V)'),
    predicted: numberOrNaN.describe('the same statistic of the simulated devices'),
    relDiff: numberOrNaN.describe('(predicted − measured)/|measured| (a resistance level: the ratio − 1)'),
    measuredRelSe: numberOrNaN.describe('sampling error of the measured value, relative (bootstrap over devices)'),
    predictedRelSe: numberOrNaN.describe('sampling error of the predicted value, relative'),
    beyondModel: z
      .object({
        tolerance: z.number(),
        closest: numberOrNaN,
        closestRelDiff: numberOrNaN,
        allFreeRelDiff: numberOrNaN,
      })
      .optional()
      .describe(
        "present when the row is beyond JART v1b: it missed after the refinement and still missed with every population parameter free (the closest value any population reached, in the moment's units: log10 for resistance levels, and its relative difference; the relative difference at the all-free optimum)",
      ),
  })
  .describe('one row of the check');

const replaySimulated = z
  .looseObject({
    devices: z.number().describe('simulated devices'),
    replicates: z.number().describe('simulated devices per measured device'),
    measuredDevices: z.number(),
    cycles: z.number().describe('simulated cycles'),
    usable: z.number().describe('simulated cycles with features'),
    maxCycles: z.number().describe('cycles per simulated device at most'),
    worstPredictedRelSe: z.number().describe("the largest predicted row's relative sampling error"),
    targetRelSe: z.number().describe('the target it was grown towards'),
    capped: z.boolean().describe('the cap on devices or simulated samples stopped the growth before the target'),
    protocols: z.string().describe('what each simulated cycle replays, in words'),
    noiseLog10: z.number().optional().describe('the measured current noise added to the simulated currents, decades'),
  })
  .describe('what was simulated');

const replayProfile = z
  .looseObject({
    ...profileHeader,
    protocol: z
      .literal('replay')
      .describe('`"replay"`: each simulated device replays a measured device, each cycle on a measured cycle\'s protocol'),
    rows: z.array(levelRow).describe('measured against predicted (after refinement, for a refined population)'),
    simulated: replaySimulated,
    samples: z.object({ measured: levelSamples, predicted: levelSamples }).describe('the values behind the ECDF overlays'),
    before: z
      .looseObject({
        rows: z.array(levelRow),
        simulated: replaySimulated,
        samples: z.object({ predicted: levelSamples }),
      })
      .optional()
      .describe("a refined population's estimate (before refinement) on the same simulated devices and cycles"),
  })
  .describe("the replayed profile (`jartcal profile`, the pipeline's profile.json)");

export const profileSchema = z
  .union([replayProfile, medianSweepProfile])
  .describe('a variability profile (posterior predictive check): the replayed profile, or the median-sweep one');

export type ProfileFile = z.output<typeof profileSchema>;
export type ReplayProfileFile = z.output<typeof replayProfile>;
