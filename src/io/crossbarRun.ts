/** File side of `crossbar run`: config reading, checkpoints (atomic, typed arrays as base64), results, CSV. */
import { existsSync } from 'node:fs';
import type { z } from 'zod';
import { checkGrid, type EncodedCheckpoint, type GridFile } from '../crossbar/experiment/sweep.js';
import {
  SWEEP_CHECKPOINT_SCHEMA,
  SWEEP_STATE_SCHEMA,
  SWEEP_SUMMARY_SCHEMA,
  sweepCheckpointSchema,
  sweepStateSchema,
  sweepSummarySchema,
} from '../schema/sweep.js';
import { JartcalError } from '../util/errors.js';
import { readJsonFile, readJsonFormat } from './json.js';
import { crossbarResultsSchema, type CrossbarResultsFile } from '../schema/crossbar-results.js';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';
import type { CheckpointFile, InferenceCheckpoint } from '../crossbar/experiment/checkpoint.js';
import { parseWith } from '../schema/issues.js';
import {
  CROSSBAR_CHECKPOINT_SCHEMA,
  INFERENCE_CHECKPOINT_SCHEMA,
  crossbarCheckpointSchema,
  inferenceCheckpointSchema,
} from '../schema/checkpoint.js';

export type { CheckpointFile, InferenceCheckpoint, InferenceDraw } from '../crossbar/experiment/checkpoint.js';

function f64ToB64(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}
function b64ToF64(s: string): Float64Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float64Array(b.length / 8);
  Buffer.from(out.buffer).set(b);
  return out;
}

export function writeCheckpoint(path: string, cp: CheckpointFile): void {
  const cur = cp.current ? { ...cp.current, state: cp.current.state.map((arrs) => arrs.map(f64ToB64)) } : null;
  writeJsonAtomic(path, { schema: CROSSBAR_CHECKPOINT_SCHEMA, configKey: cp.configKey, finished: cp.finished, current: cur });
}

export function readCheckpoint(path: string): CheckpointFile | null {
  if (!existsSync(path)) return null;
  const o = parseWith(crossbarCheckpointSchema, readJsonFile(path), path, 'bad_checkpoint');
  const current = o.current ? { ...o.current, state: o.current.state.map((arrs) => arrs.map(b64ToF64)) } : null;
  return { configKey: o.configKey, finished: o.finished, current };
}

export function writeInferenceCheckpoint(path: string, cp: InferenceCheckpoint): void {
  writeJsonAtomic(path, {
    schema: INFERENCE_CHECKPOINT_SCHEMA,
    configKey: cp.configKey,
    digital: { ...cp.digital, weights: cp.digital.weights.map(f64ToB64) },
    draws: cp.draws,
  });
}

export function readInferenceCheckpoint(path: string): InferenceCheckpoint | null {
  if (!existsSync(path)) return null;
  const raw = readJsonFile(path) as { schema?: unknown } | null;
  if (raw?.schema !== INFERENCE_CHECKPOINT_SCHEMA) {
    throw new JartcalError(
      `${path}: not an inference checkpoint (schema ${JSON.stringify(raw?.schema)}); run without --resume or use another --out`,
      { code: 'resume_mismatch', location: { file: path } },
    );
  }
  const o = parseWith(inferenceCheckpointSchema, raw, path, 'bad_checkpoint');
  return {
    configKey: o.configKey,
    digital: { ...o.digital, weights: o.digital.weights.map(b64ToF64) },
    draws: o.draws as InferenceCheckpoint['draws'],
  };
}

export function writeCsv(path: string, header: string[], rows: (number | string)[][]): void {
  writeFileAtomic(path, [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
}

/** results.json of a crossbar run (`jartcal crossbar run`, and each run of a sweep). */
export function writeCrossbarResults(path: string, results: CrossbarResultsFile): void {
  writeJsonAtomic(path, results);
}

export function readCrossbarResults(path: string): CrossbarResultsFile {
  return readJsonFormat(path, crossbarResultsSchema, 'bad_crossbar_results');
}

/** A sweep's grid file (`jartcal.crossbar-grid/1`). */
export function readGrid(path: string): GridFile {
  return checkGrid(readJsonFile(path), path);
}

export function readSweepState(path: string): z.output<typeof sweepStateSchema> {
  return readJsonFormat(path, sweepStateSchema, 'bad_checkpoint');
}

export function writeSweepState(path: string, state: Omit<z.input<typeof sweepStateSchema>, 'schema'>): void {
  writeJsonAtomic(path, { schema: SWEEP_STATE_SCHEMA, ...state });
}

/** One run's epoch checkpoint in a sweep folder. */
export function readSweepCheckpoint(path: string): { configKey: string; checkpoint: EncodedCheckpoint } {
  return readJsonFormat(path, sweepCheckpointSchema, 'bad_checkpoint');
}

export function writeSweepCheckpoint(path: string, configKey: string, checkpoint: EncodedCheckpoint): void {
  writeJsonAtomic(path, { schema: SWEEP_CHECKPOINT_SCHEMA, configKey, checkpoint });
}

export function writeSweepSummary(path: string, summary: Omit<z.input<typeof sweepSummarySchema>, 'schema'>): void {
  writeJsonAtomic(path, { schema: SWEEP_SUMMARY_SCHEMA, ...summary });
}
