/**
 * The ingest format registry, found rather than listed: every module in this folder that exports a `reader`
 * (see reader.ts) is a format. Detection order: the specific readers by name, then the generic ones (`generic:
 * true`: they accept any file of their kind) by name; the first whose `detect` accepts a file reads it.
 * A new instrument = one file in this folder, a fixture and a test; nothing else names it. `--format NAME`
 * forces a reader by its name.
 */
import { readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FormatReader } from './reader.js';

/** Modules of this folder, in the form this file runs as (`.ts` from source, `.js` when compiled). */
function formatModules(): string[] {
  const self = fileURLToPath(import.meta.url);
  const ext = extname(self);
  return readdirSync(dirname(self))
    .filter((f) => extname(f) === ext && !f.endsWith(`.d${ext}`) && join(dirname(self), f) !== self)
    .sort()
    .map((f) => pathToFileURL(join(dirname(self), f)).href);
}

function isReader(r: unknown): r is FormatReader {
  if (typeof r !== 'object' || r === null) return false;
  const o = r as Record<string, unknown>;
  return typeof o.name === 'string' && typeof o.detect === 'function' && typeof o.read === 'function' && Array.isArray(o.reads);
}

const found: FormatReader[] = [];
for (const url of formatModules()) {
  const mod = (await import(url)) as { reader?: unknown };
  if (mod.reader === undefined) continue;
  if (!isReader(mod.reader)) throw new Error(`ingest format registry: ${url} exports a \`reader\` that is not a FormatReader`);
  found.push(mod.reader);
}
const byName = (a: FormatReader, b: FormatReader) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export const READERS: readonly FormatReader[] = [
  ...found.filter((r) => !r.generic).sort(byName),
  ...found.filter((r) => r.generic).sort(byName),
];

export const FORMAT_NAMES: readonly string[] = READERS.map((r) => r.name);

export type { FormatReader, SourceFile, ReadContext } from './reader.js';
