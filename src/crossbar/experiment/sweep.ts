/**
 * A sweep: a grid of experiments × overrides × seeds (`jartcal.crossbar-grid/1`), each cell one run
 * of one configuration with one seed, checkpointed by epoch so a run moved to another worker
 * continues where it stopped; and the summary table (mean ± sd per configuration over its seeds,
 * beside the paper's figure). Pure: files are read by the caller and the MNIST data comes in.
 */
import { JartcalError } from '../../util/errors.js';
import { resolveConfig, type ExperimentConfig } from './config.js';
import { runInSituRepeat, type Dataset, type EpochRecord, type RepeatCheckpoint } from './inSitu.js';
import { meanStd } from './summary.js';
import { applyOperatingPoint } from '../device/operatingPoint.js';
import { gridSchema, type GridFile } from '../../schema/sweep.js';
import { parseWith } from '../../schema/issues.js';

export { GRID_SCHEMA, type GridFile } from '../../schema/sweep.js';

/** Settings given on the command line, applied to every run after the grid's overrides. */
export interface SweepLimits {
  epochs?: number;
  trainSamples?: number;
  testSamples?: number;
  seeds?: number[];
  only?: string[];
}

export interface SweepRun {
  /** "configuration/seed-S", unique in the sweep, safe as a folder name. */
  key: string;
  configuration: string;
  seed: number;
  config: ExperimentConfig;
  paperAccuracy: number | null;
}

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** Checks a grid file against its schema (src/schema/sweep.ts), naming the field of anything malformed; keys starting with `$` are notes. */
export function checkGrid(raw: unknown, file: string): GridFile {
  const notes = isObj(raw) ? Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('$'))) : raw;
  return parseWith(gridSchema, notes, file, 'bad_config');
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/**
 * The grid's runs in a fixed order (experiment, override, seed), each config resolved and checked.
 * `experiments` are the raw config objects of the grid's files, in the grid's order.
 */
export function expandGrid(grid: GridFile, experiments: { file: string; raw: unknown }[], limits: SweepLimits = {}): SweepRun[] {
  const overrides = grid.overrides ?? [{ label: '', set: {} }];
  const seeds = limits.seeds ?? grid.seeds;
  const runs: SweepRun[] = [];
  const names = new Set<string>();
  for (const { file, raw } of experiments) {
    if (!isObj(raw)) throw new JartcalError('config $: expected a JSON object', { code: 'bad_config', location: { file } });
    const paper = typeof raw.$paperAccuracy === 'number' ? raw.$paperAccuracy : null;
    for (const o of overrides) {
      const merged = deepMerge(raw, o.set);
      const base = resolveConfig(merged, file);
      const configuration = o.label ? `${base.name}+${o.label}` : base.name;
      if (!/^[A-Za-z0-9_.+-]+$/.test(configuration))
        throw new JartcalError(`config $.name: "${configuration}" cannot name a run folder (letters, digits, _ . + -)`, {
          code: 'bad_config',
          location: { file },
        });
      if (names.has(configuration))
        throw new JartcalError(`grid: configuration "${configuration}" appears twice`, { code: 'bad_config', location: { file } });
      names.add(configuration);
      if (limits.only && !limits.only.includes(configuration) && !limits.only.includes(base.name)) continue;
      if (base.mode === 'inference')
        throw new JartcalError(
          `config $.mode: a sweep runs in-situ and digital experiments; "${base.name}" is an inference experiment (use \`jartcal crossbar run\`)`,
          { code: 'bad_config', location: { file } },
        );
      for (const seed of seeds) {
        const c = structuredClone(merged) as Record<string, unknown>;
        const training = { ...(isObj(c.training) ? c.training : {}), repeats: 1 } as Record<string, unknown>;
        if (limits.epochs !== undefined) training.epochs = limits.epochs;
        if (limits.trainSamples !== undefined) training.trainSamples = limits.trainSamples;
        if (limits.testSamples !== undefined) training.testSamples = limits.testSamples;
        const config = resolveConfig({ ...c, seed, training }, file);
        applyOperatingPoint(config);
        runs.push({ key: `${configuration}/seed-${seed}`, configuration, seed, config, paperAccuracy: paper });
      }
    }
  }
  if (limits.only)
    for (const n of limits.only)
      if (!names.has(n) && !runs.some((r) => r.config.name === n))
        throw new JartcalError(`--only: no configuration "${n}" in the grid (${[...names].join(', ')})`, { code: 'bad_arguments' });
  return runs;
}

/** An epoch checkpoint in a form that travels as JSON (typed arrays as base64). */
export interface EncodedCheckpoint {
  repeat: number;
  epochsDone: number;
  records: EpochRecord[];
  rng: number[];
  state: string[][];
  coincidences: number;
}

export function encodeCheckpoint(cp: RepeatCheckpoint): EncodedCheckpoint {
  return { ...cp, state: cp.state.map((arrs) => arrs.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'))) };
}

export function decodeCheckpoint(cp: EncodedCheckpoint): RepeatCheckpoint {
  return {
    ...cp,
    state: cp.state.map((arrs) =>
      arrs.map((s) => {
        const b = Buffer.from(s, 'base64');
        const out = new Float64Array(b.length / 8);
        Buffer.from(out.buffer).set(b);
        return out;
      }),
    ),
  };
}

export interface SweepRunHooks {
  onBatch?(samplesDone: number, samplesTotal: number, loss: number): void;
  /** After every epoch: the checkpoint to continue from (in-situ runs). */
  onEpoch?(cp: RepeatCheckpoint): void;
}

/** One in-situ run (repeat 0 of its config, whose seed is the run's), resumable from an epoch checkpoint. */
export function runInSitu(
  config: ExperimentConfig,
  train: Dataset,
  test: Dataset,
  resume: RepeatCheckpoint | null,
  hooks: SweepRunHooks = {},
): EpochRecord[] {
  if (resume && resume.epochsDone >= config.training.epochs) return resume.records.slice(0, config.training.epochs);
  return runInSituRepeat(config, train, test, 0, { onBatch: hooks.onBatch, onEpoch: hooks.onEpoch }, resume ?? undefined);
}

export interface SweepRow {
  configuration: string;
  runs: number;
  seeds: number[];
  mean: number;
  sd: number;
  paper: number | null;
  diff: number | null;
  epochs: number;
  trainSamples: number;
  /**
   * runs that ended at chance: the last epoch's mean training loss within 5 % of ln 10 (the loss of a uniform
   * guess) or above, and a final accuracy under twice chance (20 %) — a network that predicts one class
   */
  atChance: number;
}

/** A run at chance: last epoch's mean training loss ≥ 0.95 ln 10 and final accuracy < 20 % (MNIST, 10 classes). */
function endedAtChance(finalAccuracy: number, lastLoss: number | undefined): boolean {
  return lastLoss !== undefined && lastLoss >= 0.95 * Math.log(10) && finalAccuracy < 20;
}

/**
 * One row per configuration, in the grid's order: final test accuracy mean ± sample sd over the seeds that
 * finished; with `lastLoss` (each run's last epoch's mean training loss) also the runs that ended at chance.
 */
export function summarizeSweep(runs: SweepRun[], finals: Map<string, number>, lastLoss: Map<string, number> = new Map()): SweepRow[] {
  const rows: SweepRow[] = [];
  for (const r of runs) {
    let row = rows.find((x) => x.configuration === r.configuration);
    if (!row) {
      row = {
        configuration: r.configuration,
        runs: 0,
        seeds: [],
        mean: NaN,
        sd: NaN,
        paper: r.paperAccuracy,
        diff: null,
        epochs: r.config.training.epochs,
        trainSamples: r.config.training.trainSamples,
        atChance: 0,
      };
      rows.push(row);
    }
    const f = finals.get(r.key);
    if (f !== undefined) {
      row.runs++;
      row.seeds.push(r.seed);
      if (endedAtChance(f, lastLoss.get(r.key))) row.atChance++;
    }
  }
  for (const row of rows) {
    const v = runs
      .filter((r) => r.configuration === row.configuration)
      .map((r) => finals.get(r.key))
      .filter((x): x is number => x !== undefined);
    [row.mean, row.sd] = meanStd(v);
    row.diff = row.paper !== null && Number.isFinite(row.mean) ? row.mean - row.paper : null;
  }
  return rows;
}

const f2 = (x: number | null): string => (x === null || !Number.isFinite(x) ? '' : x.toFixed(2));

export function sweepMarkdown(title: string, rows: SweepRow[]): string {
  const head = `| configuration | runs | test accuracy (%) mean ± sd | paper (%) | difference (points) | epochs | train samples |\n|---|---:|---:|---:|---:|---:|---:|\n`;
  const body = rows
    .map(
      (r) =>
        `| ${r.configuration} | ${r.runs} | ${r.runs ? `${f2(r.mean)} ± ${f2(r.sd)}` : '—'} | ${r.paper === null ? '—' : f2(r.paper)} | ${r.diff === null ? '—' : (r.diff >= 0 ? '+' : '') + f2(r.diff)} | ${r.epochs} | ${r.trainSamples} |`,
    )
    .join('\n');
  const chance = rows
    .filter((r) => r.atChance > 0)
    .map(
      (r) =>
        `- ${r.configuration}: ${r.atChance} of ${r.runs} run${r.runs === 1 ? '' : 's'} ended at chance (last epoch's training loss within 5 % of ln 10 = 2.30 or above, accuracy under 20 %): the network predicts one class. A zero-initialised network sits on such a plateau for its first samples; it had not left it, or training failed.`,
    )
    .join('\n');
  return `# ${title}\n\nMNIST test accuracy after the last epoch, mean ± sample standard deviation over the seeds (paper: mean of 5 runs, 30 epochs, 60,000 samples).\n\n${head}${body}\n${chance ? `\n${chance}\n` : ''}`;
}

export function sweepCsv(rows: SweepRow[]): string {
  const lines = ['configuration,runs,seeds,mean_accuracy_pct,sd_accuracy_pct,paper_accuracy_pct,difference_points,epochs,train_samples'];
  for (const r of rows)
    lines.push(
      [r.configuration, r.runs, r.seeds.join(' '), f2(r.mean), f2(r.sd), f2(r.paper), f2(r.diff), r.epochs, r.trainSamples].join(','),
    );
  return lines.join('\n') + '\n';
}
