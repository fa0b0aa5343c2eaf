/**
 * The pipeline manifest (`OUT/pipeline.json`, schema jartcal.pipeline/1): for each stage, what its output
 * was made from (content hashes of its input files and of its resolved settings). Read and written
 * atomically here; the staleness rules are in src/cli/pipeline-stages.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeJsonAtomic } from './atomic.js';
import { TOOLKIT_VERSION } from '../version.js';
import { PIPELINE_SCHEMA, pipelineManifestSchema, type PipelineManifest } from '../schema/pipeline.js';

export { type PipelineManifest, type StageRecord } from '../schema/pipeline.js';

export function sha256(data: string | Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted (a stable text to hash). */
export function canonicalJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Content hash of a file; null when it does not exist. `omitKeys`: hash a JSON file without these
 * top-level keys (population.json without the profile the profile stage attaches to it).
 */
export function hashFile(path: string, omitKeys: string[] = []): string | null {
  if (!existsSync(path)) return null;
  const buf = readFileSync(path);
  if (omitKeys.length === 0) return sha256(buf);
  let obj: unknown;
  try {
    obj = JSON.parse(buf.toString('utf8'));
  } catch {
    return sha256(buf);
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return sha256(buf);
  const rest = { ...(obj as Record<string, unknown>) };
  for (const k of omitKeys) delete rest[k];
  return sha256(canonicalJson(rest));
}

/** The manifest in `path` (its schema, src/schema/pipeline.ts), or an empty one when missing or not one (every stage then counts as unrecorded). */
export function readManifest(path: string): PipelineManifest {
  const empty: PipelineManifest = { schema: PIPELINE_SCHEMA, toolkitVersion: TOOLKIT_VERSION, stages: {} };
  if (!existsSync(path)) return empty;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return empty;
  }
  const m = pipelineManifestSchema.safeParse(raw);
  return m.success ? m.data : empty;
}

export function writeManifest(path: string, m: PipelineManifest): void {
  writeJsonAtomic(path, { ...m, toolkitVersion: TOOLKIT_VERSION });
}
