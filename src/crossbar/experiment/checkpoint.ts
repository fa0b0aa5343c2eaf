/** What an interrupted crossbar run keeps to resume (in memory; src/io/crossbarRun.ts stores it, src/schema/checkpoint.ts describes the file). */
import type { EpochRecord, RepeatCheckpoint } from './inSitu.js';

/** In-situ training: finished repeats' epoch records and the repeat under way. */
export interface CheckpointFile {
  configKey: string;
  finished: EpochRecord[][];
  current: RepeatCheckpoint | null;
}

/** One device draw of an inference run. */
export interface InferenceDraw {
  record: EpochRecord;
  programming: Record<string, number | number[]>;
  /** wire.sweepOhm: accuracy and delivered current share per wire resistance, on this draw's devices */
  wireSweep?: { rWireOhm: number; accuracy: number; currentRatioMin: number; iterationsMax: number; converged: boolean }[];
}

/**
 * Checkpoint of an inference run: the digitally trained weights (so a resumed run programs the same
 * network) and every finished device draw.
 */
export interface InferenceCheckpoint {
  configKey: string;
  digital: { weights: Float64Array[]; records: unknown[]; accuracy: number };
  draws: InferenceDraw[];
}
