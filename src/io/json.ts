/**
 * Reading JSON files: the one place a file is opened and parsed as JSON. A missing file, an
 * unreadable one, a syntax error (with line and column) and a schema problem (JSON path, expected,
 * found, line and column) each have their own error code.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { JartcalError } from '../util/errors.js';
import { jsonErrorOffset, jsonPathOffset, lineColumn } from '../util/json-position.js';
import { parseWith, type FormatErrorCode } from '../schema/issues.js';

/** The text of a file; `not_found` or `unreadable` otherwise. */
export function readTextFile(path: string, what = 'file'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new JartcalError(`${what} not found`, { code: 'not_found' satisfies FormatErrorCode, location: { file: path } });
    throw new JartcalError(`cannot read the ${what} (${code ?? String(e)})`, {
      code: 'unreadable' satisfies FormatErrorCode,
      location: { file: path },
    });
  }
}

/** Parses JSON text; a syntax error names `file`, line and column and what was expected there. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const at = jsonErrorOffset(text);
    const loc = at ? lineColumn(text, at.offset) : {};
    const what = at
      ? at.offset >= text.length
        ? `the file ends early; expected ${at.expected}`
        : `expected ${at.expected}`
      : 'expected a JSON document';
    throw new JartcalError(`not valid JSON: ${what}`, { code: 'bad_json' satisfies FormatErrorCode, location: { file, ...loc } });
  }
}

/** Reads and parses a JSON file. */
export function readJsonFile(path: string): unknown {
  return parseJsonText(readTextFile(path), path);
}

/** Reads a JSON file and validates it against a file schema; problems name file, line, column and JSON path. */
export function readJsonFormat<S extends z.ZodType>(path: string, schema: S, code: FormatErrorCode): z.output<S> {
  const text = readTextFile(path);
  return parseWith(schema, parseJsonText(text, path), path, code, (p) => lineColumn(text, jsonPathOffset(text, p)));
}
