/**
 * `jartcal crossbar sweep GRID.json --out DIR [--queue URL]`: every run of a grid (experiments ×
 * overrides × seeds) on the local worker threads or on the queue's workers, each run checkpointed
 * by epoch (DIR/runs/CONFIGURATION/seed-S/checkpoint.json; on the queue also in the job, so a run
 * whose worker died continues on another), then the summary table. This process is the
 * coordinator: it alone writes files.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { numberFlag, parseCommandArgs } from './command.js';
import { createProgress } from './progress.js';
import { JartcalError } from '../util/errors.js';
import { TOOLKIT_VERSION } from '../version.js';
import { readJsonFile } from '../io/json.js';
import { writeFileAtomic } from '../io/atomic.js';
import {
  readCrossbarResults,
  readGrid,
  readSweepCheckpoint,
  readSweepState,
  writeCrossbarResults,
  writeSweepCheckpoint,
  writeSweepState,
  writeSweepSummary,
} from '../io/crossbarRun.js';
import { CROSSBAR_RESULTS_SCHEMA, type CrossbarResultsFile } from '../schema/crossbar-results.js';
import {
  expandGrid,
  summarizeSweep,
  sweepCsv,
  sweepMarkdown,
  type EncodedCheckpoint,
  type SweepRun,
} from '../crossbar/experiment/sweep.js';
import { summarize } from '../crossbar/experiment/summary.js';
import { connectionFromFlags, QUEUE_FLAGS, QUEUE_HELP } from '../queue/cli.js';
import { crossbarBackend, type CrossbarJobData, type CrossbarJobResult } from '../queue/jobs.js';
import { runKey } from '../queue/fitScheduler.js';
import type { Task, TaskRunner } from '../queue/runner.js';

export const SWEEP_HELP = `jartcal crossbar sweep GRID.json --out DIR [options]

Runs a grid of experiments × overrides × seeds (jartcal.crossbar-grid/1, e.g.
experiments/paper-table.json: the reference paper's accuracy table, 25 configurations × 5 seeds) and
writes DIR/summary.md and DIR/summary.csv (final test accuracy, mean ± sd over the seeds, beside the
paper's figure), DIR/results.json (every run) and DIR/runs/CONFIGURATION/seed-S/results.json. Each
run is one repeat of its experiment with the seed as the experiment's seed, checkpointed after every
epoch; --resume continues a stopped sweep. Without --queue the runs share the local worker threads.

Options:
  --out DIR              output folder (required)
  --epochs N             training epochs of every run (default: each experiment's)
  --train-samples N      training samples per epoch (≤ 60000)
  --test-samples N       test samples (≤ 10000)
  --seeds a,b,...        seeds instead of the grid's
  --only NAME,...        only these configurations (or experiments)
  --workers N            local worker threads (default: all cores)
  --resume               continue from DIR's checkpoints and finished runs
${QUEUE_HELP}
`;

type RunResultFile = CrossbarResultsFile & { records: CrossbarJobResult['records'] };

export async function runSweep(argv: string[]): Promise<number> {
  const { values: f, positionals } = parseCommandArgs('crossbar sweep', argv, {
    out: { type: 'string' },
    epochs: { type: 'string' },
    'train-samples': { type: 'string' },
    'test-samples': { type: 'string' },
    seeds: { type: 'string' },
    only: { type: 'string' },
    workers: { type: 'string' },
    resume: { type: 'boolean' },
    ...QUEUE_FLAGS,
  });
  const gridPath = positionals[1];
  if (!gridPath || positionals.length > 2)
    throw new JartcalError('crossbar sweep: usage `jartcal crossbar sweep GRID.json --out DIR`. See `jartcal crossbar --help`.', {
      code: 'bad_arguments',
    });
  if (!f.out) throw new JartcalError('crossbar sweep: --out DIR is required.', { code: 'bad_arguments' });
  const out = resolve(f.out);
  const grid = readGrid(gridPath);
  const experiments = grid.experiments.map((e) => {
    const file = join(dirname(gridPath), e);
    return { file, raw: readJsonFile(file) };
  });
  const int = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const x = numberFlag('crossbar sweep', flag, v);
    if (!Number.isInteger(x) || x < 1)
      throw new JartcalError(`crossbar sweep: --${flag} must be a positive integer.`, { code: 'bad_arguments' });
    return x;
  };
  const seeds =
    f.seeds === undefined
      ? undefined
      : f.seeds.split(',').map((s) => {
          const x = Number(s.trim());
          if (!Number.isInteger(x) || x < 0)
            throw new JartcalError(`crossbar sweep: --seeds expects integers ≥ 0, got "${s}".`, { code: 'bad_arguments' });
          return x;
        });
  const runs = expandGrid(grid, experiments, {
    epochs: int('epochs', f.epochs),
    trainSamples: int('train-samples', f['train-samples']),
    testSamples: int('test-samples', f['test-samples']),
    seeds,
    only: f.only
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  });
  const conn = connectionFromFlags('crossbar sweep', f);
  const workers = int('workers', f.workers);
  if (conn && workers !== undefined)
    throw new JartcalError('crossbar sweep: --workers and --queue exclude each other.', { code: 'bad_arguments' });

  // the sweep's state: a header naming its runs; finished runs and epoch checkpoints in DIR/runs/
  const statePath = join(out, 'sweep.json');
  const key = runKey(runs.map((r) => r.config));
  if (existsSync(statePath)) {
    const old = readSweepState(statePath);
    if (!f.resume)
      throw new JartcalError(`crossbar sweep: ${out} holds a sweep already; continue it with --resume or use another --out.`, {
        code: 'bad_arguments',
      });
    if (old.key !== key)
      throw new JartcalError(
        `${statePath}: the sweep in this folder has other runs or settings; run without --resume into another --out.`,
        { code: 'resume_mismatch' },
      );
  }
  writeSweepState(statePath, {
    toolkitVersion: TOOLKIT_VERSION,
    key,
    grid: grid.name,
    runs: runs.map((r) => r.key),
  });
  const runDir = (r: SweepRun) => join(out, 'runs', ...r.key.split('/'));
  const results = new Map<string, RunResultFile>();
  const todo: { run: SweepRun; resume: EncodedCheckpoint | null }[] = [];
  for (const r of runs) {
    const configKey = runKey(r.config);
    const resPath = join(runDir(r), 'results.json');
    const cpPath = join(runDir(r), 'checkpoint.json');
    if (existsSync(resPath)) {
      const x = readCrossbarResults(resPath);
      if (x.configKey === configKey && x.records) {
        results.set(r.key, x as RunResultFile);
        continue;
      }
    }
    let resume: EncodedCheckpoint | null = null;
    if (existsSync(cpPath)) {
      const c = readSweepCheckpoint(cpPath);
      if (c.configKey === configKey) resume = c.checkpoint;
    }
    todo.push({ run: r, resume });
  }
  let tfName = '';
  if (todo.some((t) => t.run.config.mode === 'digital')) {
    const { initTf } = await import('../crossbar/train/tf.js');
    tfName = await initTf();
  }
  const tasks: Task[] = todo.map(({ run, resume }) => ({
    id: `xb-${runKey(run.config)}`,
    data: {
      kind: 'crossbar',
      toolkitVersion: TOOLKIT_VERSION,
      backend: crossbarBackend(run.config, () => tfName),
      key: run.key,
      config: run.config,
      resume,
    } satisfies CrossbarJobData,
  }));
  const totalEpochs = runs.reduce((a, r) => a + r.config.training.epochs, 0);
  const prog = createProgress(`sweep ${grid.name}`, totalEpochs);
  const already =
    [...results.values()].reduce((a, x) => a + x.records.length, 0) + todo.reduce((a, t) => a + (t.resume?.epochsDone ?? 0), 0);
  if (already) prog.resumed(already, '(resumed)');
  process.stderr.write(
    `sweep ${grid.name}: ${runs.length} run(s), ${results.size} finished, ${todo.length} to run ${conn ? `on the queue at ${conn.label}` : 'on the local worker threads'}\n`,
  );
  const runner: TaskRunner = conn
    ? (await import('../queue/coordinator.js')).createQueueRunner(conn)
    : (await import('../queue/runner.js')).createLocalRunner(workers);
  const failures: { key: string; error: string }[] = [];
  try {
    await runner.run(tasks, {
      async progress(i, p, stored) {
        if (p.kind !== 'epoch') return;
        const t = todo[i];
        const cp = p.checkpoint ?? (p.inData ? (((await stored()) as CrossbarJobData | null)?.resume ?? null) : null);
        if (cp && cp.epochsDone >= (t.resume?.epochsDone ?? 0)) {
          t.resume = cp;
          (tasks[i].data as CrossbarJobData).resume = cp;
          writeSweepCheckpoint(join(runDir(t.run), 'checkpoint.json'), runKey(t.run.config), cp);
        }
        prog.tick(1, `${t.run.key} epoch ${p.epochsDone}: ${p.record.testAccuracy.toFixed(2)} %`);
      },
      done(i, result) {
        const t = todo[i],
          r = result as CrossbarJobResult;
        const file: RunResultFile = {
          schema: CROSSBAR_RESULTS_SCHEMA,
          toolkitVersion: TOOLKIT_VERSION,
          createdAt: new Date().toISOString(),
          key: t.run.key,
          configKey: runKey(t.run.config),
          name: t.run.config.name,
          seed: t.run.seed,
          backend: r.backend,
          finalAccuracy: r.records[r.records.length - 1]?.testAccuracy ?? NaN,
          records: r.records,
          config: t.run.config,
        };
        writeCrossbarResults(join(runDir(t.run), 'results.json'), file);
        results.set(t.run.key, file);
        if (t.run.config.mode === 'digital') prog.tick(r.records.length, `${t.run.key} done`);
        process.stderr.write(`\n${t.run.key}: final test accuracy ${file.finalAccuracy.toFixed(2)} %\n`);
      },
      failed(i, error) {
        failures.push({ key: todo[i].run.key, error });
        process.stderr.write(`\n${todo[i].run.key}: failed: ${error}\n`);
      },
    });
  } finally {
    await runner.close();
  }
  prog.done();
  const finals = new Map([...results].map(([k, x]) => [k, x.finalAccuracy]));
  const lastLoss = new Map(
    [...results].flatMap(([k, x]): [string, number][] => {
      const l = x.records[x.records.length - 1]?.trainLoss;
      return typeof l === 'number' ? [[k, l]] : [];
    }),
  );
  const rows = summarizeSweep(runs, finals, lastLoss);
  const title = `${grid.name}: MNIST test accuracy`;
  writeFileAtomic(join(out, 'summary.md'), sweepMarkdown(title, rows));
  writeFileAtomic(join(out, 'summary.csv'), sweepCsv(rows));
  writeSweepSummary(join(out, 'results.json'), {
    toolkitVersion: TOOLKIT_VERSION,
    createdAt: new Date().toISOString(),
    grid: grid.name,
    configurations: rows,
    runs: runs.map((r) => {
      const x = results.get(r.key);
      return {
        key: r.key,
        configuration: r.configuration,
        seed: r.seed,
        finalAccuracy: x?.finalAccuracy ?? null,
        perEpoch: x ? summarize([x.records]).accuracyPerEpoch : [],
      };
    }),
    failed: failures,
  });
  process.stdout.write(sweepMarkdown(title, rows));
  return failures.length ? 1 : 0;
}
