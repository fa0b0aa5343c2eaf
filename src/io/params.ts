/**
 * Parameter files: `{"model": "jart-vcm-v1b", "params": {NAME: value, ...}}` (spec §13 names and
 * units; missing names take the defaults). Errors name the file and the line/column of the key.
 */
import { readFileSync } from 'node:fs';
import { writeJsonAtomic } from './atomic.js';
import { JartcalError } from '../util/errors.js';
import { PARAM_NAMES, resolveParams, type JartParams } from '../model/index.js';
import { didYouMean } from '../util/suggest.js';

export const MODEL_ID = 'jart-vcm-v1b';

/** Line and column (1-based) of character offset `pos` in `text`. */
function lineCol(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, pos));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** Parses the text of a parameter file; `file` names it in errors. */
export function parseParamFile(text: string, file: string): { params: JartParams; partial: Record<string, number> } {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(msg);
    const loc = m ? lineCol(text, Number(m[1])) : {};
    throw new JartcalError(
      `not valid JSON (${msg.replace(/ in JSON at position \d+.*$/, '')}); expected {"model": "${MODEL_ID}", "params": {...}}`,
      { code: 'bad_params', location: { file, ...loc } },
    );
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new JartcalError(`expected a JSON object {"model": "${MODEL_ID}", "params": {...}}`, {
      code: 'bad_params',
      location: { file, line: 1 },
    });
  }
  const o = obj as Record<string, unknown>;
  if (o.model !== MODEL_ID) {
    throw new JartcalError(`"model" must be "${MODEL_ID}", got ${JSON.stringify(o.model)}`, {
      code: 'bad_params',
      location: { file, ...keyLoc(text, 'model') },
    });
  }
  const raw = o.params ?? {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new JartcalError('"params" must be an object of NAME: number', {
      code: 'bad_params',
      location: { file, ...keyLoc(text, 'params') },
    });
  }
  const partial = raw as Record<string, unknown>;
  // validate key by key so that the error points at the offending line
  for (const key of Object.keys(partial)) {
    try {
      resolveParams({ [key]: partial[key] });
    } catch (e) {
      const pairwise = e instanceof JartcalError && /must be (below|shorter)/.test(e.message);
      if (e instanceof JartcalError && !pairwise) {
        const hint = e.code === 'unknown_param' ? didYouMean(key, PARAM_NAMES) : '';
        const msg = hint ? `unknown parameter "${key}"${hint}; known: ${PARAM_NAMES.join(', ')}` : e.message;
        throw new JartcalError(msg, { code: e.code, location: { file, ...keyLoc(text, key) } });
      }
    }
  }
  const params = resolveParams(partial, { file });
  return { params, partial: partial as Record<string, number> };
}

function keyLoc(text: string, key: string): { line?: number; column?: number } {
  const pos = text.indexOf(`"${key}"`);
  return pos >= 0 ? lineCol(text, pos) : {};
}

export function readParamFile(path: string): JartParams {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new JartcalError('cannot read the parameter file', { code: 'file_not_found', location: { file: path } });
  }
  return parseParamFile(text, path).params;
}

/** Writes `{"model": "jart-vcm-v1b", "params": partial}` atomically (validated first). */
export function writeParamFile(path: string, partial: Partial<JartParams>): void {
  resolveParams(partial as Record<string, unknown>);
  writeJsonAtomic(path, { model: MODEL_ID, params: partial });
}
