/** population.json, schema `jartcal.population/1`: device-to-device and cycle-to-cycle distributions with correlations. */
import { z } from 'zod';
import { POPULATION_SCHEMA } from '../population/types.js';
import { paramSpec, type ParamName } from '../model/params.js';
import { interval95, paramName, paramValues } from './common.js';
import { profileSchema } from './profile.js';

const FAMILIES = ['normal', 'lognormal', 'truncnormal', 'trunclognormal'] as const;
const spreadKind = z
  .enum(['absolute', 'relative', 'ln'])
  .describe('`absolute`: σ in the unit; `relative`: σ / center; `ln`: σ of ln(value)');

const d2d = z
  .looseObject({
    center: z.number().describe('normal families: the mean (before truncation); lognormal families: the median'),
    spread: z.number().min(0, { error: 'a non-negative number' }).describe('device-to-device spread, of kind `spreadKind`'),
    spreadKind,
    lower: z.number().optional().describe('truncation bound (truncated families), in the unit'),
    upper: z.number().optional().describe('truncation bound (truncated families), in the unit'),
    ci: interval95.optional(),
    bounding: z
      .enum(['truncate', 'clip'])
      .optional()
      .describe('draws outside [lower, upper]: redrawn (`truncate`, default) or set to the bound (`clip`, aihwkit)'),
  })
  .check((ctx) => {
    const d = ctx.value;
    if (d.lower !== undefined && d.upper !== undefined && !(d.lower < d.upper))
      ctx.issues.push({ code: 'custom', path: ['upper'], message: 'upper > lower', input: d.upper });
  })
  .describe('device-to-device distribution');

const c2c = z
  .looseObject({
    spread: z.number().min(0, { error: 'a non-negative number' }).describe('spread of a cycle around the device value'),
    spreadKind,
    ci: interval95.optional(),
    distribution: z
      .enum(['normal', 'uniform'])
      .optional()
      .describe("`normal` (default, in the family's space) or `uniform` (x·(1 + spread·U(−1, 1)), aihwkit)"),
    slope: z.number().optional().describe('aihwkit `*_std_slope` (update-scaled term)'),
    lower: z.number().optional().describe("relative clamp of a cycle's value: x·(1 + lower)"),
    upper: z.number().optional().describe("relative clamp of a cycle's value: x·(1 + upper)"),
  })
  .describe('cycle-to-cycle distribution');

const parameterSpecSchema = z
  .looseObject({
    family: z.enum(FAMILIES).describe(FAMILIES.map((f) => `\`${f}\``).join(', ')),
    d2d,
    c2c,
    diagnostics: z.looseObject({}).optional().describe('estimation diagnostics: nDevices, nCycles, goodness of fit, exclusions'),
  })
  .describe('one varying parameter');

const seriesOhm = z
  .object({
    family: z.literal('lognormal'),
    spreadKind: z.literal('ln'),
    center: z.number().gt(0, { error: 'a resistance > 0 in Ω' }).describe('median, Ω'),
    spread: z.number().min(0, { error: 'a non-negative number' }).describe('sd of ln R'),
    n: z.number().describe('devices it was estimated from'),
  })
  .describe('external series resistance over devices');

export const populationSchema = z
  .looseObject({
    schema: z.literal(POPULATION_SCHEMA).describe(`\`"${POPULATION_SCHEMA}"\``),
    toolkitVersion: z.coerce.string().default('').describe('jartcal version that wrote the file'),
    createdAt: z.coerce.string().default('').describe('ISO time of writing'),
    seed: z.coerce.number().default(0).describe('seed of the bootstrap'),
    provenance: z
      .looseObject({
        fits: z.array(z.string()).default([]).describe('fits files it was estimated from'),
        datasets: z.array(z.string()).default([]).describe('their datasets'),
      })
      .catch({ fits: [], datasets: [] })
      .default({ fits: [], datasets: [] })
      .describe('where it came from: fits, datasets, fitSettings, preset, source, method, exclusions'),
    base: paramValues.default({}).describe('fixed parameter values (median over cycles)'),
    parameters: z.partialRecord(paramName, parameterSpecSchema).describe('the varying parameters'),
    correlation: z
      .looseObject({
        params: z.array(paramName).describe('parameters of the Gaussian copula'),
        matrix: z.array(z.array(z.number())).describe('their correlation matrix'),
      })
      .default({ params: [], matrix: [] })
      .describe('Gaussian copula over the varying parameters (repaired to positive definite on reading)'),
    validity: z.looseObject({}).optional().describe('ranges (NAME: [min, max]) outside which the population is not used'),
    circuit: z
      .object({ seriesOhm }, { error: 'an object {seriesOhm: {family, center, spread, spreadKind, n}}' })
      .optional()
      .describe('the measurement circuit of the fits'),
    profile: profileSchema
      .optional()
      .describe('the variability profile (`jartcal profile --attach`, the pipeline), schema `jartcal.profile/1`'),
    aihwkit: z.record(z.string(), z.number()).optional().describe('verbatim aihwkit JARTv1bDevice noise fields (presets)'),
  })
  .check((ctx) => {
    const v = ctx.value;
    const bad = (path: (string | number)[], message: string, input: unknown): void => {
      ctx.issues.push({ code: 'custom', path, message, input });
    };
    for (const [k, q] of Object.entries(v.parameters)) {
      if (!q) continue;
      const info = paramSpec(k as ParamName);
      const c = q.d2d.center;
      if ((q.family === 'lognormal' || q.family === 'trunclognormal') && !(c > 0))
        bad(['parameters', k, 'd2d', 'center'], 'a positive number for a lognormal family', c);
      const tol = 1e-9 * Math.max(Math.abs(info.min), Math.abs(info.max));
      if (c < info.min - tol || c > info.max + tol)
        bad(['parameters', k, 'd2d', 'center'], `a value in the valid range [${info.min}, ${info.max}] of ${k}`, c);
    }
    const { params, matrix } = v.correlation;
    params.forEach((n, i) => {
      if (!v.parameters[n]) bad(['correlation', 'params', i], 'the name of a parameter listed under "parameters"', n);
    });
    if (new Set(params).size !== params.length) bad(['correlation', 'params'], 'distinct names', params);
    if (matrix.length !== params.length) bad(['correlation', 'matrix'], `${params.length} rows`, matrix.length);
    matrix.forEach((row, i) => {
      if (row.length !== params.length) {
        bad(['correlation', 'matrix', i], `${params.length} numbers`, row.length);
        return;
      }
      row.forEach((x, j) => {
        if (Math.abs(x) > 1 + 1e-9) bad(['correlation', 'matrix', i, j], 'a correlation in [-1, 1]', x);
        if (i === j && Math.abs(x - 1) > 1e-9) bad(['correlation', 'matrix', i, j], '1 on the diagonal', x);
      });
    });
  })
  .describe('a device population');

export type PopulationData = z.output<typeof populationSchema>;
