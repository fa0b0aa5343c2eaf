/**
 * Parameter files: `{"model": "jart-vcm-v1b", "params": {NAME: value, ...}}` (spec §13 names and
 * units; missing names take the defaults). Errors name the file and the line/column of the key.
 */
import { writeJsonAtomic } from './atomic.js';
import { parseJsonText, readTextFile } from './json.js';
import { JartcalError } from '../util/errors.js';
import { jsonPathOffset, lineColumn } from '../util/json-position.js';
import { PARAM_NAMES, isParamName, resolveParams, type JartParams } from '../model/index.js';
import { MODEL_ID, paramFileSchema } from '../schema/params.js';
import { parseWith } from '../schema/issues.js';
import { didYouMean } from '../util/suggest.js';

export { MODEL_ID } from '../schema/params.js';

/** Parses the text of a parameter file through its schema (src/schema/params.ts); `file` names it in errors. */
export function parseParamFile(text: string, file: string): { params: JartParams; partial: Record<string, number> } {
  const at = (path: (string | number)[]): { line: number; column: number } => lineColumn(text, jsonPathOffset(text, path));
  const obj = parseJsonText(text, file);
  // an unknown name is named with the nearest known one, at its line
  const raw = (obj as { params?: unknown } | null)?.params;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw))
    for (const key of Object.keys(raw))
      if (!isParamName(key))
        throw new JartcalError(`unknown parameter "${key}"${didYouMean(key, PARAM_NAMES)}; known: ${PARAM_NAMES.join(', ')}`, {
          code: 'unknown_param',
          location: { file, ...at(['params', key]) },
        });
  if ((obj as { model?: unknown } | null)?.model !== undefined && (obj as { model?: unknown }).model !== MODEL_ID)
    throw new JartcalError(`"model" must be "${MODEL_ID}", got ${JSON.stringify((obj as { model: unknown }).model)}`, {
      code: 'bad_params',
      location: { file, ...at(['model']) },
    });
  const partial = parseWith(paramFileSchema, obj, file, 'bad_params', at).params as Record<string, number>;
  // each value's range, key by key so that the error points at its line (pairwise limits are checked together below)
  for (const key of Object.keys(partial)) {
    try {
      resolveParams({ [key]: partial[key] });
    } catch (e) {
      if (e instanceof JartcalError && !/must be (below|shorter)/.test(e.message))
        throw new JartcalError(e.message, { code: e.code, location: { file, ...at(['params', key]) } });
    }
  }
  return { params: resolveParams(partial, { file }), partial };
}

export function readParamFile(path: string): JartParams {
  return parseParamFile(readTextFile(path, 'parameter file'), path).params;
}

/** Writes `{"model": "jart-vcm-v1b", "params": partial}` atomically (validated first). */
export function writeParamFile(path: string, partial: Partial<JartParams>): void {
  resolveParams(partial as Record<string, unknown>);
  writeJsonAtomic(path, { model: MODEL_ID, params: partial });
}
