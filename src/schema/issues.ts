/**
 * Schema validation errors as users read them: the first problem, named by its JSON path
 * (`devices[0].cycles[2].vV`), what was expected there and what was found. Pure: the file readers in
 * src/io add the file, line and column.
 */
import type { z } from 'zod';
import { JartcalError } from '../util/errors.js';

/** Every code a file reader or a schema check can fail with. */
export type FormatErrorCode =
  | 'not_found'
  | 'unreadable'
  | 'bad_json'
  | 'bad_dataset'
  | 'bad_fits'
  | 'bad_population'
  | 'bad_params'
  | 'bad_checkpoint'
  | 'bad_config'
  | 'bad_profile'
  | 'bad_crossbar_results'
  | 'resume_mismatch';

export interface SchemaProblem {
  /** JSON path segments of the offending value (empty: the document itself). */
  path: (string | number)[];
  /** "devices[0].vV: expected an array of numbers, got "x"" */
  message: string;
}

/** `devices[0].cycles[2].vV`; `(top level)` for the document. */
function jsonPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || '(top level)';
}

function shown(x: unknown): string {
  if (x === undefined) return 'nothing';
  const j = JSON.stringify(x);
  return j === undefined ? String(x) : j.length > 40 ? `${j.slice(0, 40)}…` : j;
}

/** What zod's default messages say was expected ("Invalid input: expected string, received number" → "a string"). */
function expectedOf(issue: z.core.$ZodIssue): string {
  const m = issue.message;
  if (!m.startsWith('Invalid') && !m.startsWith('Too') && !m.startsWith('Unrecognized')) return m;
  switch (issue.code) {
    case 'invalid_type': {
      const e = issue.expected as string;
      return (
        (
          {
            string: 'a string',
            number: 'a finite number',
            boolean: 'true or false',
            array: 'an array',
            object: 'an object',
            int: 'an integer',
          } as Record<string, string>
        )[e] ?? e
      );
    }
    case 'invalid_value':
      return issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `at least ${issue.minimum} values` : `a value ≥ ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array' ? `at most ${issue.maximum} values` : `a value ≤ ${issue.maximum}`;
    case 'invalid_key':
      return 'a known key';
    case 'unrecognized_keys':
      return `no key ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return m;
  }
}

/** The first problem of a failed parse. */
export function firstProblem(error: z.ZodError): SchemaProblem {
  const issue = error.issues[0];
  // a union reports its branches' issues; the deepest one says most
  let deepest: z.core.$ZodIssue = issue;
  if (issue.code === 'invalid_union') {
    for (const branch of issue.errors)
      for (const sub of branch)
        if (sub.path.length >= deepest.path.length - issue.path.length)
          deepest = { ...sub, path: [...issue.path, ...sub.path] } as z.core.$ZodIssue;
  }
  if (deepest.code === 'unrecognized_keys' && !deepest.message.startsWith('Unrecognized')) {
    // a strict object that names its keys (src/schema/common.ts, unknownKeyError)
    const path = [...deepest.path, deepest.keys[0]] as (string | number)[];
    return { path, message: `${jsonPath(path)}: ${deepest.message}` };
  }
  if (deepest.code === 'unrecognized_keys' && deepest.path.length > 0) {
    // an unknown key of a record keyed by parameter name
    return {
      path: [...deepest.path, deepest.keys[0]] as (string | number)[],
      message: `${jsonPath([...deepest.path, deepest.keys[0]])}: expected a JART parameter name (spec §4)`,
    };
  }
  const path = deepest.path as (string | number)[];
  // a discriminated union whose discriminator matched no option: what was found is that field's value
  const disc = deepest.code === 'invalid_union' ? (deepest as { discriminator?: string }).discriminator : undefined;
  const input =
    disc !== undefined && deepest.input !== null && typeof deepest.input === 'object'
      ? (deepest.input as Record<string, unknown>)[disc]
      : deepest.input;
  const got = 'input' in deepest ? `, got ${shown(input)}` : '';
  return { path, message: `${jsonPath(path)}: expected ${expectedOf(deepest)}${deepest.code === 'custom' ? '' : got}` };
}

/**
 * Validates a parsed JSON value against a file schema; the first problem becomes a JartcalError
 * naming `file`, the JSON path, what was expected and what was found (line and column when `locate`
 * maps the path to a place in the text).
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: string,
  code: FormatErrorCode,
  locate?: (path: (string | number)[]) => { line: number; column: number } | null,
): z.output<S> {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  const p = firstProblem(r.error);
  const at = locate?.(p.path) ?? null;
  throw new JartcalError(p.message, { code, location: { file, ...(at ?? {}) } });
}
