/**
 * Staleness of a pipeline stage: is its output there, and was it made from the input files and settings
 * it would be made from now? Compared through the stage's record in OUT/pipeline.json (io/manifest.ts):
 * content hashes of its inputs and of its resolved settings. The stage's own output is not an input, so
 * editing it (a refit saved into fits.json) makes the later stages stale, not this one.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { canonicalJson, hashFile, sha256, type StageRecord } from '../io/manifest.js';

export interface StageInput {
  path: string;
  /** top-level JSON keys left out of the hash (written into the file by a later stage) */
  omitKeys?: string[];
}

export interface StageSpec {
  name: string;
  output: string;
  /** resolved settings of the stage (hashed; paths belong in inputs) */
  settings: unknown;
  /** its input files, listed when the stage is checked (earlier stages may just have rewritten them) */
  inputs(): StageInput[];
  /** a reason to skip the stage (it cannot run on this data), or null */
  skip?: () => Promise<string | null>;
  run(): Promise<void>;
}

export interface StagePlan {
  /** why the stage must be (re)done; null when its output is up to date */
  reason: string | null;
  /** the record to store once the stage has run (hashes taken before it ran) */
  record(): StageRecord;
}

/** A path as named in the manifest: relative to the out folder when inside it, else as resolved from the current folder. */
function key(path: string, outDir: string): string {
  const r = relative(resolve(outDir), resolve(path));
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : relative(process.cwd(), resolve(path)) || path;
}

export function planStage(st: StageSpec, outDir: string, rec: StageRecord | undefined): StagePlan {
  const out = key(st.output, outDir);
  const inputs: Record<string, string> = {};
  for (const i of st.inputs()) inputs[key(i.path, outDir)] = hashFile(i.path, i.omitKeys) ?? 'missing';
  const settingsHash = sha256(canonicalJson(st.settings ?? null));
  const record = (): StageRecord => ({
    output: out,
    madeAt: new Date().toISOString(),
    inputs,
    settingsHash,
    settings: st.settings ?? null,
  });
  return { reason: staleReason(out, existsSync(st.output), inputs, settingsHash, st.settings, rec), record };
}

/** Why a stage is stale, in words ("fits.json changed since population.json was made"), or null. */
function staleReason(
  out: string,
  outputExists: boolean,
  inputs: Record<string, string>,
  settingsHash: string,
  settings: unknown,
  rec: StageRecord | undefined,
): string | null {
  if (!outputExists) return `${out} is missing`;
  if (!rec) return `no record of what ${out} was made from (pipeline.json)`;
  const changed: string[] = [];
  for (const [p, h] of Object.entries(inputs)) {
    if (!(p in rec.inputs)) changed.push(`${p} is new`);
    else if (rec.inputs[p] !== h) changed.push(h === 'missing' ? `${p} is gone` : `${p} changed`);
  }
  for (const p of Object.keys(rec.inputs)) if (!(p in inputs)) changed.push(`${p} is no longer an input`);
  if (changed.length)
    return `${changed[0]}${changed.length > 1 ? ` (and ${changed.length - 1} more input${changed.length > 2 ? 's' : ''})` : ''} since ${out} was made`;
  if (rec.settingsHash !== settingsHash) {
    const diff = settingsDiff(rec.settings, settings);
    return `its settings changed since ${out} was made${diff ? ` (${diff})` : ''}`;
  }
  return null;
}

/** The first few top-level settings that differ, "bootstrap 200 → 100". */
function settingsDiff(a: unknown, b: unknown): string {
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return '';
  const x = a as Record<string, unknown>,
    y = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => canonicalJson(x[k]) !== canonicalJson(y[k]));
  const show = (v: unknown): string => {
    const s = v === undefined ? 'unset' : canonicalJson(v);
    return s.length > 30 ? s.slice(0, 27) + '...' : s;
  };
  return (
    keys
      .slice(0, 3)
      .map((k) => `${k} ${show(x[k])} → ${show(y[k])}`)
      .join(', ') + (keys.length > 3 ? ', ...' : '')
  );
}
