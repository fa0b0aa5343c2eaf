/** The refinement's checkpoint (`OUT.refine-checkpoint.json`, `jartcal.refine-checkpoint/1`): evaluations so far, by point. */
import { existsSync, rmSync } from 'node:fs';
import { writeJsonAtomic } from './atomic.js';
import { readJsonFormat } from './json.js';
import { REFINE_CHECKPOINT_SCHEMA, refineCheckpointSchema } from '../schema/checkpoint.js';

export const refineCheckpointPath = (out: string): string => `${out}.refine-checkpoint.json`;

/** The cache of a checkpoint written with `key`; null when there is none or it belongs to another refinement. */
export function readRefineCheckpoint(path: string, key: string): Record<string, number> | null {
  if (!existsSync(path)) return null;
  const ck = readJsonFormat(path, refineCheckpointSchema, 'bad_checkpoint');
  return ck.key === key ? ck.cache : null;
}

export function writeRefineCheckpoint(path: string, key: string, cache: Record<string, number>): void {
  writeJsonAtomic(path, { schema: REFINE_CHECKPOINT_SCHEMA, key, cache });
}

export function removeRefineCheckpoint(path: string): void {
  rmSync(path, { force: true });
}
