/** `jartcal fit dataset.json --out fits.json` (or measurement files, ingested first). */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Command } from './command.js';
import { numberFlag, parseCommandArgs } from './command.js';
import { createProgress } from './progress.js';
import { JartcalError } from '../util/errors.js';
import { TOOLKIT_VERSION } from '../version.js';
import {
  checkParamNames,
  DEFAULT_FIT_PARAMS,
  DEFAULT_FIT_SETTINGS as D,
  isCircuitParam,
  resolveFitSettings,
  V1B_VAR_PARAMS,
  type FitSettings,
} from '../fit/settings.js';
import { DEFAULT_OBJECTIVE as O } from '../fit/cycle-data.js';
import { countCycles, fitDataset, type FitDatasetInput } from '../fit/run.js';
import { createInlineScheduler, createWorkerPool, type FitScheduler } from '../fit/scheduler.js';
import { connectionFromFlags, QUEUE_FLAGS, QUEUE_HELP } from '../queue/cli.js';
import type { QueueConnection } from '../queue/connection.js';
import { FITS_SCHEMA, type FitsFile } from '../fit/types.js';
import { summarizeFits, formatFitTable } from '../fit/summary.js';
import {
  autoCachePath,
  checkpointPath,
  emCheckpointPath,
  openCheckpoint,
  readAutoCache,
  readCheckpoint,
  readEmCheckpoint,
  removeAutoCache,
  removeCheckpoint,
  removeEmCheckpoint,
  writeAutoCache,
  writeEmCheckpoint,
  writeFits,
} from '../io/fits.js';
import {
  breakTie,
  chooseFitStructure,
  DEFAULT_AUTO,
  FIT_MOVES,
  MAX_TIED,
  type AutoOptions,
  type AutoReport,
  type AutoResult,
} from '../fit/auto.js';
import type { DeviceStart } from '../fit/campaign.js';
import { createHash } from 'node:crypto';
import { readDatasetForFit } from '../io/fit-dataset.js';
import { ingestForFit, INGEST_FLAGS } from './fit-ingest.js';
import { ingestOptionsFromFlags } from './ingest.js';
import type { IngestOptions } from '../ingest/index.js';
import { resolveParams, type JartParams } from '../model/index.js';

/** The help text; every default in it comes from the settings' default tables. */
export const HELP = `Usage: jartcal fit DATASET.json --out FITS.json [options]
       jartcal fit MEASUREMENT_FILES... --out FITS.json [ingest options] [options]

Fits JART VCM v1b parameters to every cycle of a dataset (jartcal.dataset/1) and writes
fits.json (jartcal.fits/2, see docs/formats.md). Given measurement files instead, ingests them
first (same flags as \`jartcal ingest\`) and writes the dataset beside fits.json.

Structure (which parameters are free, per device or per cycle, and the return-branch weight):
  by default chosen by the data: the default set below is fitted on a pilot of up to 12 cycles;
  unless it is already at the data's noise level, the moves ${FIT_MOVES.map((m) => m.id).join(', ')}
  are tried, alone and then together, and those that lower the pilot's median RMS by at least
  ${100 * DEFAULT_AUTO.minGain} % are kept (docs/fitting.md §3). Finalists are compared on held-back cycles;
  when some tie there, up to ${DEFAULT_AUTO.tieStructures} are fitted on the whole dataset and the best of those kept.
  The choice and every candidate go in fits.json (settings.auto). Giving --fit, --cycle-params or
  --return-weight means you choose: no search.
  --auto                search even with those flags (from the structure they give)
  --no-auto             no search: the default set (or your flags) as it is
Parameters:
  --fit a,b,c           free parameters (default ${DEFAULT_FIT_PARAMS.join(',')}); besides the
                        JART names, seriesOhm = the external series resistance of the setup (Ω,
                        device-level, 0…1e6; not together with RseriesTiOx: only their sum counts;
                        --series-resistance is then its first guess)
  --fix name=value      fix a parameter (repeatable; file units: m, eV, Ω, 1e26 m^-3; seriesOhm=R is
                        the same as --series-resistance R)
  --cycle-params a,b    free per cycle in campaign mode (default: the fitted ones of ${V1B_VAR_PARAMS.join(',')});
                        Ninit here fits each cycle's starting state instead of carrying the previous
                        cycle's end (sweeps separated by other operations); phiBn0 here lets the interface
                        barrier change from cycle to cycle, Rtheff_scaling the RESET-side heating (partial,
                        gradual RESETs) (docs/fitting.md §4, §7)
  --mode M              campaign: device-level + per-cycle parameters per device, warm starts;
                        hierarchical: the campaign as one mixed-effects model: campaign constants,
                        device-level parameters with a population distribution, cycle-level ones within
                        each device; posterior 95 % intervals and a population block (docs/fitting.md
                        "Hierarchical campaign fit"; not the default yet: on a 12-device synthetic
                        campaign its worst devices are further off than the per-device fit's);
                        joint: all cycles of a device share every parameter (e.g. several rates);
                        independent: each cycle alone (default ${D.mode})
  --device-cycles K     cycles fitted jointly for the device-level parameters (default ${D.deviceCycles})
  --carry-geometry      a cycle starts with the filament geometry the previous one ended in and moves
                        to its own rnew, lnew with the switching progress (v1b var, one draw per cycle)
Objective:
  --return-weight W     weight of the return-branch residuals relative to the outward ones (default ${O.returnWeight})
  --sweep-rate R        V/s, for cycles without a time base (default ${O.sweepRateVps})
  --min-abs-v V         ignore samples with |V| below this (default ${O.minAbsV})
  --floor A             current floor of the log residuals (default ${O.floorA}; the cycle's own floor if larger)
  --series-resistance R external series resistance of the setup, Ω (default ${O.seriesOhm}; the start value when
                        seriesOhm is fitted)
Optimiser:
  --starts N            multi-start points tried when a fit is poor (default ${D.starts})
  --max-evals N         residual evaluations per fit phase and per 6 free parameters (default ${D.maxEvaluations})
  --seed N              seed of the multi-start design (default ${D.seed})
Run:
  --workers N           worker threads (default: all cores; 1 = in-process)
  --resume              continue an interrupted run from FITS.json.checkpoint.jsonl
  --dataset-out PATH    where to write the ingested dataset (default: beside FITS.json)
  --json                print the summary as JSON instead of a table
${QUEUE_HELP}
  With --queue the devices are fitted by the \`jartcal worker\` processes attached to that queue
  (same fits.json as local threads); this command stays the coordinator and alone writes files.
Ingest options (measurement files only): every flag of \`jartcal ingest\` (--format, --set-polarity,
  --read-voltage, --sweep-rate, --compliance, --sheet, --lenient, ...; see \`jartcal ingest --help\`)
`;

export const command: Command = {
  name: 'fit',
  summary: 'fit JART parameters to measured cycles (dataset.json or measurement files)',
  help: HELP,
  async run(argv) {
    const { values: f, positionals } = parseCommandArgs('fit', argv, {
      out: { type: 'string' },
      fit: { type: 'string' },
      fix: { type: 'string', multiple: true },
      'cycle-params': { type: 'string' },
      mode: { type: 'string' },
      'device-cycles': { type: 'string' },
      'carry-geometry': { type: 'boolean' },
      auto: { type: 'boolean' },
      'no-auto': { type: 'boolean' },
      'return-weight': { type: 'string' },
      'min-abs-v': { type: 'string' },
      floor: { type: 'string' },
      'series-resistance': { type: 'string' },
      starts: { type: 'string' },
      'max-evals': { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      resume: { type: 'boolean' },
      'dataset-out': { type: 'string' },
      json: { type: 'boolean' },
      ...INGEST_FLAGS,
      ...QUEUE_FLAGS,
    });
    if (positionals.length === 0)
      throw new JartcalError('fit: give a dataset.json or measurement files. See `jartcal fit --help`.', { code: 'bad_arguments' });
    if (!f.out) throw new JartcalError('fit: --out FITS.json is required.', { code: 'bad_arguments' });
    for (const p of positionals) if (!existsSync(p)) throw new JartcalError(`fit: no such file: ${p}`, { code: 'bad_arguments' });
    const workers = f.workers === undefined ? undefined : numberFlag('fit', 'workers', f.workers);
    const plain: Record<string, string | boolean | undefined> = {};
    for (const [k, v] of Object.entries(f)) if (!Array.isArray(v)) plain[k] = v;
    await fitStage({
      inputs: positionals,
      out: f.out,
      settings: fitSettingsFromFlags(f),
      auto: autoFromFlags(f),
      workers,
      queue: connectionFromFlags('fit', f) ?? undefined,
      resume: f.resume,
      datasetOut: f['dataset-out'],
      json: f.json,
      ingest: positionals.length === 1 && positionals[0].toLowerCase().endsWith('.json') ? undefined : ingestOptionsFromFlags(plain),
    });
    return 0;
  },
};

type FitFlags = { fix?: string[] } & Record<string, string | boolean | string[] | undefined>;

/**
 * Whether the structure is chosen by the data: yes by default, no when the flags give it (`--fit`,
 * `--cycle-params`, `--return-weight`) or say `--no-auto`, yes again with `--auto`.
 */
export function autoFromFlags(f: FitFlags): Partial<AutoOptions> | false {
  if (f.auto === true && f['no-auto'] === true)
    throw new JartcalError('fit: --auto and --no-auto exclude each other.', { code: 'bad_arguments' });
  if (f.auto === true) return {};
  if (f['no-auto'] === true) return false;
  return f.fit !== undefined || f['cycle-params'] !== undefined || f['return-weight'] !== undefined ? false : {};
}

/** The fit settings of `jartcal fit`'s flags, resolved (defaults filled in by resolveFitSettings). */
export function fitSettingsFromFlags(f: FitFlags): FitSettings {
  const str = (k: string): string | undefined => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
  // a flag not given is undefined: resolveFitSettings fills it from DEFAULT_FIT_SETTINGS / DEFAULT_OBJECTIVE
  const optNumber = (k: string): number | undefined => (str(k) === undefined ? undefined : numberFlag('fit', k, str(k)));
  const fixed: Record<string, number> = {};
  for (const kv of f.fix ?? []) {
    const m = /^([A-Za-z_0-9]+)=(.+)$/.exec(kv);
    if (!m) throw new JartcalError(`fit: --fix expects name=value, got "${kv}".`, { code: 'bad_arguments' });
    checkParamNames([m[1]], '--fix', true);
    fixed[m[1]] = numberFlag('fit', `fix ${m[1]}`, m[2]);
  }
  resolveParams(Object.fromEntries(Object.entries(fixed).filter(([k]) => !isCircuitParam(k)))); // range check with the model's message
  const list = (s: string | undefined, what: string, circuit = false) =>
    s === undefined
      ? undefined
      : checkParamNames(
          s
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
          what,
          circuit,
        );
  const settings: FitSettings = resolveFitSettings({
    fitParams: list(str('fit'), '--fit', true),
    cycleParams: list(str('cycle-params'), '--cycle-params'),
    fixed: fixed as Partial<JartParams>,
    mode: str('mode') as FitSettings['mode'] | undefined,
    deviceCycles: optNumber('device-cycles'),
    starts: optNumber('starts'),
    maxEvaluations: optNumber('max-evals'),
    carryGeometry: f['carry-geometry'] === true ? true : undefined,
    seed: optNumber('seed'),
    objective: {
      sweepRateVps: optNumber('sweep-rate'),
      minAbsV: optNumber('min-abs-v'),
      floorA: optNumber('floor'),
      seriesOhm: optNumber('series-resistance'),
      returnWeight: optNumber('return-weight'),
    },
  });
  if (!(settings.objective.returnWeight > 0)) throw new JartcalError('fit: --return-weight must be > 0.', { code: 'bad_arguments' });
  if (!(settings.objective.sweepRateVps > 0)) throw new JartcalError('fit: --sweep-rate must be > 0.', { code: 'bad_arguments' });
  return settings;
}

export interface FitStageOptions {
  /** one dataset.json, or measurement files (ingested first with `ingest`) */
  inputs: string[];
  out: string;
  /** resolved settings (resolveFitSettings) */
  settings: FitSettings;
  /** choose the structure from the data, starting from `settings` (fit/auto.ts); false: fit `settings` as they are.
   *  Only in campaign and hierarchical mode. Default: false (the CLI's default is on, see autoFromFlags). */
  auto?: Partial<AutoOptions> | false;
  /** worker threads (default: all cores; 1 = in-process) */
  workers?: number;
  /** fit on the workers of this queue instead of local threads */
  queue?: QueueConnection;
  /** continue from OUT.checkpoint.jsonl */
  resume?: boolean;
  /** where the ingested dataset goes (measurement files only; default beside OUT) */
  datasetOut?: string;
  /** ingest options for measurement files; undefined when inputs is one dataset.json */
  ingest?: IngestOptions;
  json?: boolean;
}

/** The fit stage: fits every cycle, checkpoints as it goes, writes fits.json and prints its summary table. */
export async function fitStage(o: FitStageOptions): Promise<FitsFile> {
  const out = resolve(o.out);
  const seed = o.settings.seed;
  // dataset: read it, or ingest the measurement files and write it beside fits.json
  let datasetPath: string;
  let ds: FitDatasetInput;
  if (!o.ingest) {
    datasetPath = resolve(o.inputs[0]);
    ds = readDatasetForFit(datasetPath);
  } else {
    datasetPath = resolve(o.datasetOut ?? join(dirname(out), basename(out).replace(/\.json$/i, '') + '.dataset.json'));
    ds = ingestForFit(o.inputs, o.ingest, datasetPath);
  }

  const ckpt = checkpointPath(out);
  const existing = readCheckpoint(ckpt);
  // the checkpoints of a tie-break's further structures (tieBase), one file each
  const tieCkpts = tieBases(out)
    .map(checkpointPath)
    .filter((p) => existsSync(p));
  if ((existing || tieCkpts.length) && !o.resume)
    throw new JartcalError(
      `fit: a checkpoint of an interrupted run exists (${existing ? ckpt : tieCkpts[0]}); continue it with --resume or delete it.`,
      { code: 'bad_arguments' },
    );
  const workers = o.workers;
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1))
    throw new JartcalError('fit: --workers must be a positive integer.', { code: 'bad_arguments' });
  if (o.queue && o.workers !== undefined)
    throw new JartcalError("fit: --workers and --queue exclude each other (the queue's workers are `jartcal worker` processes).", {
      code: 'bad_arguments',
    });
  const auto = o.auto && (o.settings.mode === 'campaign' || o.settings.mode === 'hierarchical') ? o.auto : false;
  const scheduler = o.queue ? await queueScheduler(o.queue) : workers === 1 ? createInlineScheduler() : createWorkerPool(workers);
  try {
    const chosen = auto ? await autoStructure(ds, o.settings, auto, scheduler, out, datasetPath) : null;
    // the pilot devices continue from the chosen structure's pilot fit (fit/auto.ts, AutoResult.starts)
    const withStarts = (starts: Record<string, DeviceStart> | undefined): FitDatasetInput =>
      starts ? { devices: ds.devices.map((d) => (starts[d.id] ? { ...d, start: starts[d.id] } : d)) } : ds;
    let settings = chosen ? chosen.settings : o.settings;
    let result: Awaited<ReturnType<typeof runFit>>;
    const tied = chosen?.tied && chosen.tied.length > 1 ? chosen.tied : null;
    if (!tied) result = await runFit(withStarts(chosen?.starts), settings, scheduler, out, datasetPath, existing, o.resume === true);
    else {
      // a near-tie on the held-back cycles: each tied structure fitted on the whole dataset, each with its own
      // checkpoint (a resumed run continues each where it stopped, never one structure from another's records)
      const fulls: Awaited<ReturnType<typeof runFit>>[] = [];
      for (const [k, t] of tied.entries()) {
        const base = tieBase(out, k);
        process.stderr.write(
          `fit: near-tie of the structure search: full fit ${k + 1} of ${tied.length}: ${t.moves.length ? t.moves.join(' + ') : 'default structure'}\n`,
        );
        const prev = k === 0 ? existing : readCheckpoint(checkpointPath(base));
        fulls.push(await runFit(withStarts(t.starts), t.settings, scheduler, base, datasetPath, prev, o.resume === true));
      }
      const best = breakTie(chosen!, fulls, auto || {});
      process.stderr.write(`fit: tie-break: ${chosen!.report.reasons[chosen!.report.reasons.length - 1]}\n`);
      settings = tied[best].settings;
      // the stage's time: every full fit
      result = { ...fulls[best], seconds: fulls.reduce((a, f) => a + f.seconds, 0) };
    }
    const fits: FitsFile = {
      schema: FITS_SCHEMA,
      toolkitVersion: TOOLKIT_VERSION,
      createdAt: new Date().toISOString(),
      seed,
      dataset: relative(dirname(out), datasetPath) || basename(datasetPath),
      settings: { ...settings, workers: scheduler.workers, ...(chosen ? { auto: chosen.report } : {}) },
      devices: result.devices,
      cycles: result.cycles,
      ...(result.population ? { population: result.population } : {}),
      ...(result.failed.length ? { failed: result.failed } : {}),
      summary: summarizeFits(result.cycles, result.devices.length, result.seconds),
    };
    writeFits(out, fits);
    removeCheckpoint(ckpt);
    removeEmCheckpoint(emCheckpointPath(out));
    for (const b of tieBases(out)) {
      removeCheckpoint(checkpointPath(b));
      removeEmCheckpoint(emCheckpointPath(b));
    }
    removeAutoCache(autoCachePath(out));
    process.stdout.write(o.json ? JSON.stringify(fits.summary) + '\n' : formatFitTable(fits));
    return fits;
  } finally {
    await scheduler.close();
  }
}

/** Where the full fit of a tie-break's k-th structure keeps its checkpoints: OUT for the held-back winner
 *  (as without a tie), OUT.tieK (OUT.tieK.checkpoint.jsonl, OUT.tieK.em.json) for the others. */
const tieBase = (out: string, k: number): string => (k === 0 ? out : `${out}.tie${k}`);
/** The further structures' bases a tie-break can use (fit/auto.ts caps the tied structures at MAX_TIED). */
const tieBases = (out: string): string[] => Array.from({ length: MAX_TIED - 1 }, (_, i) => tieBase(out, i + 1));

/** The structure chosen by the data (fit/auto.ts), or the one a resumed run chose (OUT.auto.json). */
async function autoStructure(
  ds: FitDatasetInput,
  base: FitSettings,
  opts: Partial<AutoOptions>,
  scheduler: FitScheduler,
  out: string,
  datasetPath: string,
): Promise<AutoResult> {
  const cache = autoCachePath(out);
  const key = createHash('sha256')
    .update(JSON.stringify({ base, opts }))
    .update(existsSync(datasetPath) ? readFileSync(datasetPath) : JSON.stringify(ds))
    .digest('hex');
  const cached = readAutoCache<AutoResult>(cache, key);
  if (cached) {
    process.stderr.write(`fit: structure chosen earlier (${cache}): ${describeChoice(cached.report)}\n`);
    return cached;
  }
  process.stderr.write('fit: choosing the fit structure on a pilot of the data (--no-auto to skip; docs/fitting.md §3)\n');
  const r = await chooseFitStructure(ds, base, scheduler, opts, (c, n) =>
    process.stderr.write(
      `fit: pilot ${n}: ${c.moves.length ? c.moves.join(' + ') : 'default structure'}: median RMS ${c.medianRms.toFixed(3)} decade (${c.seconds.toFixed(0)} s)\n`,
    ),
  );
  process.stderr.write(`fit: structure: ${describeChoice(r.report)} (${r.report.seconds.toFixed(0)} s)\n`);
  writeAutoCache(cache, key, r);
  return r;
}

export function describeChoice(r: AutoReport): string {
  if (r.stopped === 'too_few_cycles') return `default (${r.reasons[0]})`;
  const why =
    r.stopped === 'noise_level'
      ? `the default fits the pilot within ${(r.candidates[0]?.medianRms ?? 0).toFixed(3)} decade, near the data's noise ${r.noiseLog10.toFixed(3)}`
      : `${r.candidates.length} candidates on ${r.pilot.reduce((a, p) => a + p.cycles.length, 0)} pilot cycles`;
  const name = (m: string[]) => (m.length ? m.join(' + ') : 'default');
  const tie = r.tieBreak && r.tieBreak.length > 1 && !r.tieBreak.some((e) => e.chosen);
  if (tie) return `near-tie of ${r.tieBreak!.map((e) => name(e.moves)).join(', ')} (${why}): decided on the whole dataset`;
  return `${name(r.chosen)} (${why})`;
}

/** The checkpointed fit of every cycle with `settings`. */
async function runFit(
  ds: FitDatasetInput,
  settings: FitSettings,
  scheduler: FitScheduler,
  out: string,
  datasetPath: string,
  existing: ReturnType<typeof readCheckpoint>,
  resume: boolean,
) {
  const ckpt = checkpointPath(out);
  const header = { settings, dataset: datasetPath };
  let resumed: { devices: FitsFile['devices']; cycles: FitsFile['cycles'] } | undefined;
  if (resume && existing) {
    if (JSON.stringify(existing.header) !== JSON.stringify(header))
      throw new JartcalError(`fit: --resume with other settings or dataset than the interrupted run (${ckpt}).`, { code: 'bad_arguments' });
    resumed = { devices: existing.devices, cycles: existing.cycles };
  }
  // the hierarchical EM's state after its last pass (resumed only with the start fits it grew from)
  const emPath = emCheckpointPath(out);
  const emKey = createHash('sha256').update(JSON.stringify(header)).digest('hex');
  const emResume = resumed ? readEmCheckpoint(emPath, emKey) : null;
  if (!resumed) removeEmCheckpoint(emPath);
  if (emResume && settings.mode === 'hierarchical')
    process.stderr.write(`fit: hierarchical EM resumed after pass ${emResume.pass} (${emPath})\n`);
  const total = countCycles(ds);
  const progress = createProgress('fit', total);
  if (resumed?.cycles.length) progress.resumed(resumed.cycles.length, '(resumed)');
  const cp = openCheckpoint(ckpt, header);
  const t0 = performance.now();
  let result;
  try {
    result = await fitDataset(ds, settings, scheduler, {
      resumed,
      onRecord: (e) => {
        cp.append(e);
        if (e.kind === 'cycle') progress.tick(1, `${e.fit.device}#${e.fit.cycle} rms ${e.fit.rmsLog10.toFixed(3)}`);
      },
      onPass: (pass, i) =>
        process.stderr.write(
          `fit: hierarchical pass ${pass}: population mean moved ${i.maxMeanMove.toExponential(1)}, spreads ${(100 * i.maxSdMove).toFixed(1)} % (${i.seconds.toFixed(1)} s)\n`,
        ),
      hierCheckpoint: { resume: emResume, save: (snap) => writeEmCheckpoint(emPath, emKey, snap) },
    });
  } finally {
    cp.close();
  }
  progress.done();
  return { ...result, seconds: (performance.now() - t0) / 1000 };
}

async function queueScheduler(conn: QueueConnection) {
  const { createQueueRunner } = await import('../queue/coordinator.js');
  const { createQueueScheduler } = await import('../queue/fitScheduler.js');
  return createQueueScheduler(createQueueRunner(conn));
}
