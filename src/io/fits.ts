/**
 * fits.json (jartcal.fits/1) and its checkpoint: an append-only JSONL file beside the output,
 * one line per record (fsync'd after each), first line a header with the settings. A killed run
 * leaves at most a truncated last line, which `readCheckpoint` ignores; a resume with other
 * settings is refused. The final fits.json is written atomically and the checkpoint removed.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { JartcalError } from '../util/errors.js';
import { writeJsonAtomic } from './atomic.js';
import { fitsSchema } from '../schema/fits.js';
import { readJsonFormat } from './json.js';
import { type CycleFit, type DeviceFit, type FitsFile } from '../fit/types.js';
import type { FitEvent } from '../fit/campaign.js';
import type { HierSnapshot } from '../fit/hier/index.js';

export const checkpointPath = (out: string): string => `${out}.checkpoint.jsonl`;

export interface Checkpoint {
  append(e: FitEvent): void;
  close(): void;
}

/** Opens the checkpoint for appending; writes the header when the file is new. */
export function openCheckpoint(path: string, header: unknown): Checkpoint {
  const fresh = !existsSync(path);
  const fd = openSync(path, 'a');
  const line = (obj: unknown) => {
    writeSync(fd, JSON.stringify(obj) + '\n');
    fsyncSync(fd);
  };
  if (fresh) line({ kind: 'header', header });
  return { append: (e) => line(e), close: () => closeSync(fd) };
}

export interface CheckpointContents {
  header: unknown;
  devices: DeviceFit[];
  cycles: CycleFit[];
}

export function readCheckpoint(path: string): CheckpointContents | null {
  if (!existsSync(path)) return null;
  const lines = readFileSync(path, 'utf8').split('\n');
  let header: unknown = undefined;
  const devices: DeviceFit[] = [];
  const cycles: CycleFit[] = [];
  lines.forEach((l, i) => {
    if (!l.trim()) return;
    let rec: { kind: string; header?: unknown; device?: DeviceFit; fit?: CycleFit };
    try {
      rec = JSON.parse(l);
    } catch {
      if (i >= lines.length - 2) return; // truncated last line of a killed run
      throw new JartcalError(`checkpoint is corrupt (not JSON); delete it to start over`, {
        code: 'bad_checkpoint',
        location: { file: path, line: i + 1 },
      });
    }
    if (rec.kind === 'header') header = rec.header;
    else if (rec.kind === 'device' && rec.device) devices.push(rec.device);
    else if (rec.kind === 'cycle' && rec.fit) cycles.push(rec.fit);
  });
  return { header, devices, cycles };
}

export function removeCheckpoint(path: string): void {
  rmSync(path, { force: true });
}

export function writeFits(path: string, fits: FitsFile): void {
  writeJsonAtomic(path, fits);
}

/** Reads fits.json through its one schema (src/schema/fits.ts). */
export function readFits(path: string): FitsFile {
  return readJsonFormat(path, fitsSchema, 'bad_fits') as unknown as FitsFile;
}

/**
 * The fit structure chosen by the data (fit/auto.ts), kept beside fits.json while the fit runs so that
 * `--resume` does not redo the pilot fits: `{ key, settings, report }`, where `key` hashes the base
 * settings, the dataset and the options. A cache with another key, or one that cannot be read, is
 * ignored (the choice is made again). Removed with the checkpoint when fits.json is written.
 */
export const autoCachePath = (out: string): string => `${out}.auto.json`;

export function readAutoCache<T>(path: string, key: string): T | null {
  if (!existsSync(path)) return null;
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as { key?: unknown; value?: T };
    return c.key === key && c.value !== undefined ? c.value : null;
  } catch {
    return null;
  }
}

export function writeAutoCache(path: string, key: string, value: unknown): void {
  writeJsonAtomic(path, { key, value });
}

export function removeAutoCache(path: string): void {
  rmSync(path, { force: true });
}

/**
 * The hierarchical fit's EM state after its last pass (fit/hier/step.ts `HierSnapshot`), kept beside
 * fits.json while the fit runs and rewritten atomically after each pass, so that `--resume` continues
 * the EM where it stopped instead of from its first pass: `{ schema, key, snapshot }`, where `key`
 * hashes the checkpoint's header (settings and dataset). A file with another key or schema, or one that
 * cannot be read, is ignored (the EM starts over from the checkpointed start fits). Removed with the
 * checkpoint when fits.json is written.
 */
export const emCheckpointPath = (out: string): string => `${out}.em.json`;
const EM_CHECKPOINT_SCHEMA = 'jartcal.em-checkpoint/1';

export function readEmCheckpoint(path: string, key: string): HierSnapshot | null {
  if (!existsSync(path)) return null;
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as { schema?: unknown; key?: unknown; snapshot?: HierSnapshot };
    const s = c.snapshot;
    const ok = c.schema === EM_CHECKPOINT_SCHEMA && c.key === key && s && Number.isInteger(s.pass) && Array.isArray(s.devices);
    return ok ? s : null;
  } catch {
    return null;
  }
}

export function writeEmCheckpoint(path: string, key: string, snapshot: HierSnapshot): void {
  writeJsonAtomic(path, { schema: EM_CHECKPOINT_SCHEMA, key, snapshot });
}

export function removeEmCheckpoint(path: string): void {
  rmSync(path, { force: true });
}
