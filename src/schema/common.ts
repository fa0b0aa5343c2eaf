/** Building blocks shared by the file schemas: parameter names and values, spreads, 95 % intervals. */
import { z } from 'zod';
import { PARAM_NAMES, type ParamName } from '../model/params.js';

export const paramName = z
  .enum(PARAM_NAMES as [ParamName, ...ParamName[]], { error: 'a JART parameter name (spec §4)' })
  .describe('a JART parameter name of spec §4 (`rnew`, `lnew`, `Ndiscmin`, ...)');

/** NAME: value, names of spec §4 in the units of spec §13. */
export const paramValues = z
  .partialRecord(paramName, z.number({ error: 'a finite number' }))
  .describe('parameter values by JART name, in the units of spec §13 (lengths in m, N in 1e26 m^-3)');

/** NAME: value or null (JSON's spelling of a non-finite number); the nulls are dropped on reading. */
export const paramValuesOrNull = z
  .partialRecord(paramName, z.number({ error: 'a finite number' }).nullable())
  .transform((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) as Partial<Record<ParamName, number>>)
  .describe('parameter values by JART name (null: not finite, ignored)');

/** A number that JSON wrote as null because it was not finite: read back as NaN. */
export const numberOrNaN = z
  .number({ error: 'a finite number or null' })
  .nullable()
  .transform((x) => (x === null ? NaN : x));

export const interval95 = z.tuple([z.number(), z.number()]).describe('95 % confidence interval [low, high]');

/**
 * A config section: unknown keys refused (naming the keys it knows), every field with its default, and
 * the section itself optional (an absent section is `{}` with every default).
 */
export function section<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, unknownKeyError(Object.keys(shape))).prefault({} as z.input<z.ZodObject<S, z.core.$strict>>);
}

/** The error option of a strict object whose unknown keys are named with the keys it knows. */
export function unknownKeyError(keys: string[]): { error: (iss: { code?: string }) => string | undefined } {
  return { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown key (expected one of ${keys.join(', ')})` : undefined) };
}
