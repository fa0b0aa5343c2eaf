/** fits.json, schema `jartcal.fits/1`: the fit stage's per-cycle and per-device results. */
import { z } from 'zod';
import { FIT_FLAG_CODES, FITS_SCHEMAS_READ } from '../fit/types.js';
import { numberOrNaN, paramName, paramValues, paramValuesOrNull } from './common.js';

const fitFlagSchema = z
  .looseObject({
    code: z.enum(FIT_FLAG_CODES).describe(`what is wrong: ${FIT_FLAG_CODES.map((c) => `\`${c}\``).join(', ')}`),
    param: z.string().optional().describe('the parameter concerned: a JART name or `seriesOhm`'),
    bound: z.enum(['min', 'max']).optional().describe('`param_at_bound`: which bound'),
    detail: z.string().optional().describe('a sentence for the user'),
  })
  .describe('a typed problem of one fit');

const circuitValues = z.looseObject({
  seriesOhm: z
    .number({ error: 'a resistance ≥ 0 in Ω' })
    .min(0, { error: 'a resistance ≥ 0 in Ω' })
    .optional()
    .describe('external series resistance of the measurement circuit, Ω'),
});

const cycleFitSchema = z
  .looseObject({
    device: z.string().describe('device id (as in the dataset)'),
    cycle: z.number().describe('cycle index (as in the dataset)'),
    params: paramValuesOrNull.describe('the full resolved parameter set of this cycle'),
    fitted: z.array(paramName).default([]).describe('the parameters fitted for this cycle'),
    stderr: paramValuesOrNull
      .default({})
      .describe('standard errors of the fitted parameters (linearised, scaled by the residual variance)'),
    correlation: z
      .object({ params: z.array(z.string()), matrix: z.array(z.array(z.number().nullable())) })
      .nullable()
      .default(null)
      .describe('correlation matrix of the fitted parameters, or null'),
    rmsLog10: numberOrNaN
      .optional()
      .transform((x) => x ?? NaN)
      .describe('RMS of log10|I| residuals (decades); null when the model failed'),
    converged: z.boolean({ error: 'true or false' }).default(true).describe('the optimiser met its convergence test'),
    flags: z.array(fitFlagSchema).default([]).describe('problems of this fit'),
    metrics: z
      .looseObject({ rmsLog10: numberOrNaN.optional() })
      .optional()
      .describe(
        'dVSetV, dVResetV (model − measured switching voltages, V), hrsRelErr, lrsRelErr, evaluations, seconds, stopReason, starts, hrsPosition',
      ),
    ninit: z.number().optional().describe('initial N of this cycle (carried over from the previous one)'),
    endNdisc: z.number().optional().describe('N at the end of the cycle'),
    circuit: circuitValues.optional().describe('the measurement circuit the cycle was evaluated with'),
    stage: z.string().optional().describe('`device` (device stage), `cycle` (on its own), `joint`, `independent` or `refit`'),
  })
  .transform((c) => ({ ...c, metrics: c.metrics ?? { rmsLog10: c.rmsLog10 } }))
  .describe('one fitted cycle');

const deviceFitSchema = z
  .looseObject({
    device: z.string().describe('device id'),
    params: paramValuesOrNull.default({}).describe('device-level parameters (shared by its cycles)'),
    stderr: paramValuesOrNull.default({}).describe('their standard errors'),
    fromCycles: z.array(z.number()).optional().describe('the cycles the device-level parameters were determined from'),
    circuit: circuitValues.optional().describe('fitted circuit parameters (`--fit ...,seriesOhm`)'),
  })
  .describe('one device');

export const fitsSchema = z
  .looseObject({
    schema: z
      .enum(FITS_SCHEMAS_READ)
      .describe('`"jartcal.fits/2"` (written); `"jartcal.fits/1"` (read: /2 without the hierarchical fit\'s fields)'),
    population: z
      .looseObject({ parameters: z.looseObject({}) })
      .optional()
      .describe('hierarchical fit: population-level estimates and intervals'),
    toolkitVersion: z.string().default('').describe('jartcal version that wrote the file'),
    createdAt: z.string().default('').describe('ISO time of writing'),
    seed: z.number().default(0).describe('seed of the multi-start designs'),
    dataset: z.string().default('').describe("the dataset file, relative to this file's folder"),
    settings: z
      .looseObject({
        fitParams: z.array(z.string()).default([]).describe('free parameters (JART names and `seriesOhm`)'),
        cycleParams: z.array(paramName).default([]).describe('parameters free per cycle (campaign mode)'),
        fixed: paramValues.default({}).describe('values fixed by the user'),
        auto: z
          .looseObject({
            chosen: z.array(z.string()).describe('the moves away from the default structure that were kept (none: the default)'),
            stopped: z.string().describe('why the search ended: noise_level, no_gain, exhausted, budget, too_few_cycles'),
            noiseLog10: z.number().describe("the data's own scatter of log10|I| between neighbouring samples, decade"),
            pilot: z.array(z.looseObject({ id: z.string(), cycles: z.array(z.number()) })).describe('the pilot blocks'),
            candidates: z
              .array(
                z.looseObject({
                  moves: z.array(z.string()),
                  medianRms: z.number().nullable(),
                  score: z.number().nullable(),
                  seconds: z.number(),
                }),
              )
              .describe('every structure fitted on the pilot, with its median RMS log10 and score (null: no pilot cycle could be fitted)'),
            reasons: z.array(z.string()).describe('one line per decision'),
            tieBreak: z
              .array(
                z.looseObject({
                  moves: z.array(z.string()),
                  heldBackScore: z.number().nullable(),
                  fullMedianRms: z.number().nullable().optional(),
                  fullScore: z.number().nullable().optional(),
                  chosen: z.boolean().optional(),
                }),
              )
              .optional()
              .describe(
                'the finalists that tied on the held-back cycles, each fitted on the whole dataset: score on pilot + held-back cycles, full-data median RMS log10 and score; the lowest full score chosen',
              ),
          })
          .optional()
          .describe('the structure chosen by the data (docs/fitting.md §3); absent when the user gave it'),
      })
      .default({ fitParams: [], cycleParams: [], fixed: {} })
      .describe('the resolved fit settings (`jartcal fit --help`)'),
    devices: z.array(deviceFitSchema).default([]).describe('device-level results'),
    cycles: z.array(cycleFitSchema).describe('per-cycle results'),
    summary: z.looseObject({}).optional().describe('cycles, devices, medianRmsLog10, flagged, seconds'),
  })
  .describe('fit results');

export type FitsData = z.output<typeof fitsSchema>;
