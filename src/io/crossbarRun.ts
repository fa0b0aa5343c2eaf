/** File side of `crossbar run`: config reading, checkpoints (atomic, typed arrays as base64), results, CSV. */
import { existsSync, readFileSync } from 'node:fs';
import { JartcalError } from '../util/errors.js';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';
import type { RepeatCheckpoint, EpochRecord } from '../crossbar/experiment/inSitu.js';

export function readJsonFile(path: string): unknown {
  if (!existsSync(path)) throw new JartcalError(`${path}: file not found`, { code: 'not_found', location: { file: path } });
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
    if (m) {
      const pos = Number(m[1]), before = text.slice(0, pos), line = before.split('\n').length, column = pos - before.lastIndexOf('\n');
      throw new JartcalError(`invalid JSON (${e instanceof Error ? e.message : e})`, { code: 'bad_json', location: { file: path, line, column } });
    }
    throw new JartcalError(`invalid JSON (${e instanceof Error ? e.message : e})`, { code: 'bad_json', location: { file: path } });
  }
}

export interface CheckpointFile { configKey: string; finished: EpochRecord[][]; current: RepeatCheckpoint | null }

function f64ToB64(a: Float64Array): string { return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'); }
function b64ToF64(s: string): Float64Array { const b = Buffer.from(s, 'base64'); const out = new Float64Array(b.length / 8); Buffer.from(out.buffer).set(b); return out; }

export function writeCheckpoint(path: string, cp: CheckpointFile): void {
  const cur = cp.current ? { ...cp.current, state: cp.current.state.map((arrs) => arrs.map(f64ToB64)) } : null;
  writeJsonAtomic(path, { schema: 'jartcal.crossbar-checkpoint/1', configKey: cp.configKey, finished: cp.finished, current: cur });
}

export function readCheckpoint(path: string): CheckpointFile | null {
  if (!existsSync(path)) return null;
  const o = readJsonFile(path) as { configKey: string; finished: EpochRecord[][]; current: (Omit<RepeatCheckpoint, 'state'> & { state: string[][] }) | null };
  const current = o.current ? { ...o.current, state: o.current.state.map((arrs) => arrs.map(b64ToF64)) } : null;
  return { configKey: o.configKey, finished: o.finished, current };
}

/**
 * Checkpoint of an inference run: the digitally trained weights (so a resumed run programs the same
 * network) and every finished device draw.
 */
export interface InferenceDraw {
  record: EpochRecord; programming: Record<string, number | number[]>;
  /** wire.sweepOhm: accuracy and delivered current share per wire resistance, on this draw's devices */
  wireSweep?: { rWireOhm: number; accuracy: number; currentRatioMin: number; iterationsMax: number; converged: boolean }[];
}
export interface InferenceCheckpoint {
  configKey: string;
  digital: { weights: Float64Array[]; records: unknown[]; accuracy: number };
  draws: InferenceDraw[];
}

export function writeInferenceCheckpoint(path: string, cp: InferenceCheckpoint): void {
  writeJsonAtomic(path, {
    schema: 'jartcal.crossbar-inference-checkpoint/1', configKey: cp.configKey,
    digital: { ...cp.digital, weights: cp.digital.weights.map(f64ToB64) }, draws: cp.draws,
  });
}

export function readInferenceCheckpoint(path: string): InferenceCheckpoint | null {
  if (!existsSync(path)) return null;
  const o = readJsonFile(path) as { schema?: string; configKey: string; digital: { weights: string[]; records: unknown[]; accuracy: number }; draws: InferenceDraw[] };
  if (o.schema !== 'jartcal.crossbar-inference-checkpoint/1') {
    throw new JartcalError(`${path}: not an inference checkpoint (schema ${JSON.stringify(o.schema)}); run without --resume or use another --out`, { code: 'resume_mismatch', location: { file: path } });
  }
  return { configKey: o.configKey, digital: { ...o.digital, weights: o.digital.weights.map(b64ToF64) }, draws: o.draws };
}

export function writeCsv(path: string, header: string[], rows: (number | string)[][]): void {
  writeFileAtomic(path, [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
}
