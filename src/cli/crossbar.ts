/** `jartcal crossbar run CONFIG.json --out DIR`: in-situ training / digital baseline / inference after programming. */
import { join } from 'node:path';
import type { Command } from './command.js';
import { numberFlag, parseCommandArgs } from './command.js';
import { createProgress } from './progress.js';
import { JartcalError } from '../util/errors.js';
import { describeSwingSpread, swingSpread, type SwingSpread } from '../crossbar/device/swingSpread.js';
import { TOOLKIT_VERSION } from '../version.js';
import { resolveConfig, type ExperimentConfig } from '../crossbar/experiment/config.js';
import { runInSituRepeat, type EpochRecord } from '../crossbar/experiment/inSitu.js';
import { readJsonFile } from '../io/json.js';
import {
  readCheckpoint,
  readInferenceCheckpoint,
  writeCheckpoint,
  writeCsv,
  writeInferenceCheckpoint,
  type CheckpointFile,
  type InferenceCheckpoint,
} from '../io/crossbarRun.js';
import { writeCrossbarResults } from '../io/crossbarRun.js';
import { writeJsonAtomic } from '../io/atomic.js';
import { CROSSBAR_RESULTS_SCHEMA, type CrossbarResultsFile } from '../schema/crossbar-results.js';
import { writePlot } from '../io/plot.js';
import { accuracyChart } from '../plot/index.js';
import { loadMnist } from '../io/mnist.js';
import { applyPopulation } from '../crossbar/experiment/applyPopulation.js';
import { applyOperatingPoint, type OperatingPoint } from '../crossbar/device/operatingPoint.js';
import { summarize } from '../crossbar/experiment/summary.js';
import { SWEEP_HELP } from './crossbar-sweep.js';
import { inSituDiagnosis, type InSituDiagnosis, type LossPoint } from '../crossbar/experiment/diagnosis.js';
import { FAILURE_WORDS, failureKey, PROGRAM_FAILURES } from '../crossbar/program/writeVerify.js';

const HELP = `jartcal crossbar run CONFIG.json --out DIR [options]

Runs a named experiment (experiments/*.json): in-situ pulsed training of the MLP on simulated
JART devices ("mode": "in-situ"), the tfjs floating-point baseline ("digital"), or digital training
followed by write-verify programming and analog inference over repeated device draws ("inference").

Writes DIR/results.json (finalAccuracy in %, mean over repeats; accuracyStd; accuracyPerEpoch; seed;
resolved config; toolkit version), DIR/accuracy.csv and DIR/accuracy.svg. Checkpoints (DIR/checkpoint.json)
after every epoch, in inference mode after the digital training and after every device draw; --resume
continues a killed run where it stopped (and may ask for more repeats).

Options:
  --out DIR              output folder (required)
  --epochs N             override training.epochs
  --train-samples N      override training.trainSamples (≤ 60000)
  --test-samples N       override training.testSamples (≤ 10000)
  --repeats N            override training.repeats
  --seed N               override seed
  --population P.json    device-to-device / cycle-to-cycle variability from a population file
  --inference CONFIG     after an in-situ run, also run this inference experiment (digital training,
                         write-verify programming of the same population, analog inference) into
                         DIR/inference/ and put both answers, and why in-situ training failed when it
                         did, in DIR/results.json (the pipeline does this with
                         experiments/pipeline-inference.json)
  --resume               continue from DIR/checkpoint.json

${SWEEP_HELP}`;

export interface CrossbarStageOptions {
  /** experiment config file (experiments/*.json) */
  config: string;
  out: string;
  epochs?: number;
  trainSamples?: number;
  testSamples?: number;
  repeats?: number;
  seed?: number;
  /** population file: device-to-device / cycle-to-cycle variability */
  population?: string;
  /** continue from OUT/checkpoint.json */
  resume?: boolean;
  /** after an in-situ run: an inference experiment on the same population, into OUT/inference, summarised in OUT/results.json */
  inference?: string;
  /** training samples of the inference run's digital training (default: its config's) */
  inferenceTrainSamples?: number;
}

/** The crossbar stage: resolves the experiment with the overrides, runs it, writes results.json, accuracy.csv and accuracy.svg. */
export async function crossbarStage(o: CrossbarStageOptions): Promise<void> {
  const raw = readJsonFile(o.config) as Record<string, unknown>;
  const cfg = resolveConfig(raw, o.config);
  const t = cfg.training;
  if (o.epochs !== undefined) t.epochs = o.epochs;
  if (o.trainSamples !== undefined) t.trainSamples = o.trainSamples;
  if (o.testSamples !== undefined) t.testSamples = o.testSamples;
  if (o.repeats !== undefined) t.repeats = o.repeats;
  if (o.seed !== undefined) cfg.seed = o.seed;
  let populationInfo: unknown = null;
  if (o.population) populationInfo = applyPopulation(cfg, readJsonFile(o.population), o.population);
  const checked = resolveConfig(cfg, o.config); // re-validate the overrides
  const operatingPoint = applyOperatingPoint(checked);
  if (operatingPoint) {
    const op = operatingPoint,
      pu = op.pulses;
    process.stderr.write(
      `operating point: N window ${op.nLo.toPrecision(4)} … ${op.nHi.toPrecision(4)} (${op.window})` +
        (pu
          ? `; pulses ${pu.vSetV.toFixed(4)} V / +${pu.vResetV.toFixed(4)} V, ${checked.device.jart.widthS * 1e6} µs: full swing ${pu.setPulses} SET / ${pu.resetPulses} RESET pulses (target ${pu.target})`
          : '') +
        '\n',
    );
  }
  // in-situ training on a population of full-model devices: how far apart their switching speeds are
  let swing: SwingSpread | null = null;
  if (checked.mode === 'in-situ' && checked.device.model === 'jart' && checked.device.population) {
    swing = swingSpread(checked);
    process.stderr.write(`switching speed: ${describeSwingSpread(swing)}\n`);
  }
  await runExperiment(checked, o.out, Boolean(o.resume), populationInfo, operatingPoint, swing);
  if (o.inference && checked.mode === 'in-situ') {
    const dir = join(o.out, 'inference');
    await crossbarStage({
      config: o.inference,
      out: dir,
      population: o.population,
      seed: o.seed,
      trainSamples: o.inferenceTrainSamples,
      testSamples: o.testSamples,
      resume: o.resume,
    });
    const main = readJsonFile(join(o.out, 'results.json')) as Record<string, unknown>;
    const inf = inferenceSummary(readJsonFile(join(dir, 'results.json')) as Record<string, unknown>, 'inference/results.json');
    writeJsonAtomic(join(o.out, 'results.json'), { ...main, inference: inf });
    process.stdout.write(
      `answers: in-situ training ${(main.finalAccuracy as number).toFixed(2)} %, inference after programming ${inf.accuracy.toFixed(2)} % (digital ${inf.digitalAccuracy.toFixed(2)} %; ${inf.inTolerance === null ? 'programming' : `${(100 * inf.inTolerance).toFixed(1)} % of cells within tolerance`}${failureWords(inf.failures)})\n`,
    );
  }
}

/** The cells out of tolerance by reason, in words (", out: 15 target outside …"), or nothing. */
function failureWords(failures: Record<string, number>): string {
  const parts = PROGRAM_FAILURES.filter((f) => failures[f]).map((f) => `${failures[f].toLocaleString('en')} ${FAILURE_WORDS[f]}`);
  return parts.length ? `; out: ${parts.join(', ')}` : '';
}

/** What results.json keeps of the inference run beside an in-situ run (`inference`, documented in docs/formats.md). */
export interface InferenceSummary {
  path: string;
  name: string;
  /** analog accuracy after programming, % (mean over draws) */
  accuracy: number;
  digitalAccuracy: number;
  exactWeightAccuracy: number | null;
  cells: number | null;
  /** share of cells within the programming tolerance (first draw) */
  inTolerance: number | null;
  /** cells out of tolerance by reason (first draw; width-ramped write-verify) */
  failures: Record<string, number>;
  unsignedDevices: number | null;
  /** p10 / p50 / p90 of each cell's last pulse width, in nominal widths (width ramping) */
  widthFactorQuantiles: number[] | null;
  /** p10 / p50 / p90 of each cell's last pulse amplitude, in matched amplitudes (amplitude ramping) */
  amplitudeFactorQuantiles: number[] | null;
  method: string;
  ramp: string;
}

export function inferenceSummary(r: Record<string, unknown>, path: string): InferenceSummary {
  const prog = ((r.programming as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
  const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  const cfg = (r.config ?? {}) as { network?: { sizes?: number[] }; program?: { method?: string; ramp?: string } };
  const sizes = cfg.network?.sizes ?? [];
  let cells = 0;
  for (let i = 0; i + 1 < sizes.length; i++) cells += sizes[i] * sizes[i + 1];
  const bad = num(prog.notConverged);
  const failures: Record<string, number> = {};
  for (const f of PROGRAM_FAILURES) {
    const n = num(prog[failureKey(f)]);
    if (n) failures[f] = n;
  }
  return {
    path,
    name: String(r.name ?? ''),
    accuracy: num(r.finalAccuracy) ?? NaN,
    digitalAccuracy: num(r.digitalAccuracy) ?? NaN,
    exactWeightAccuracy: num(r.exactWeightAccuracyMean),
    cells: cells || null,
    inTolerance: bad !== null && cells ? 1 - bad / cells : null,
    failures,
    unsignedDevices: num(prog.unsignedDevices),
    widthFactorQuantiles: Array.isArray(prog.widthFactorQuantiles) ? (prog.widthFactorQuantiles as number[]) : null,
    amplitudeFactorQuantiles: Array.isArray(prog.amplitudeFactorQuantiles) ? (prog.amplitudeFactorQuantiles as number[]) : null,
    method: cfg.program?.method ?? '',
    ramp: cfg.program?.ramp ?? 'none',
  };
}

export const command: Command = {
  name: 'crossbar',
  summary: 'crossbar simulator: in-situ training / inference accuracy of MNIST on JART devices',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    if (argv[0] === 'sweep') return (await import('./crossbar-sweep.js')).runSweep(argv);
    const a = parseCommandArgs('crossbar', argv, {
      out: { type: 'string' },
      epochs: { type: 'string' },
      'train-samples': { type: 'string' },
      'test-samples': { type: 'string' },
      repeats: { type: 'string' },
      seed: { type: 'string' },
      population: { type: 'string' },
      inference: { type: 'string' },
      resume: { type: 'boolean' },
    });
    const [sub, cfgPath] = a.positionals;
    if (sub === 'sweep')
      throw new JartcalError('crossbar: `sweep` comes first: `jartcal crossbar sweep GRID.json --out DIR`.', { code: 'bad_arguments' });
    if (sub !== 'run' || !cfgPath)
      throw new JartcalError('crossbar: usage `jartcal crossbar run CONFIG.json --out DIR`. See `jartcal crossbar --help`.', {
        code: 'bad_arguments',
      });
    if (!a.values.out) throw new JartcalError('crossbar: --out DIR is required.', { code: 'bad_arguments' });
    const num = (flag: string, v: string | undefined): number | undefined => (v ? numberFlag('crossbar', flag, v) : undefined);
    await crossbarStage({
      config: cfgPath,
      out: a.values.out,
      epochs: num('epochs', a.values.epochs),
      trainSamples: num('train-samples', a.values['train-samples']),
      testSamples: num('test-samples', a.values['test-samples']),
      repeats: num('repeats', a.values.repeats),
      seed: num('seed', a.values.seed),
      population: a.values.population,
      inference: a.values.inference,
      inferenceTrainSamples: num('train-samples', a.values['train-samples']),
      resume: a.values.resume,
    });
    return 0;
  },
};

/**
 * A checkpoint matches when its configuration, resolved with today's defaults, differs at most in the
 * epoch count and the engine's table resolution; the run then continues with the checkpoint's settings.
 * A checkpoint without network.digitalBias (older than that key) had an analog bias.
 */
function sameRun(oldKey: string, cfg: ExperimentConfig): ExperimentConfig | null {
  const old = resolveStoredConfig(oldKey);
  if (!old) return null;
  const a = structuredClone(old),
    b = structuredClone(cfg);
  for (const c of [a, b]) {
    c.training.epochs = 0;
    c.device.jart.tablePoints = 0;
    c.device.jart.tableRadii = 0;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) return null;
  old.training.epochs = cfg.training.epochs;
  return old;
}

/**
 * A checkpoint's stored configuration resolved with today's defaults (keys added since it was written take
 * their defaults, which reproduce the earlier behaviour); null when it no longer resolves.
 */
function resolveStoredConfig(key: string): ExperimentConfig | null {
  try {
    const raw = JSON.parse(key) as { network?: Record<string, unknown>; training?: Record<string, unknown> };
    // checkpoints written before network.digitalBias existed trained with the bias on the tile
    if (raw.network && !('digitalBias' in raw.network)) raw.network.digitalBias = false;
    // inference checkpoints store the draw count as 0 (it may grow on resume)
    if (raw.training && raw.training.repeats === 0) raw.training.repeats = 1;
    return resolveConfig(raw);
  } catch {
    return null;
  }
}

async function runExperiment(
  cfgIn: ExperimentConfig,
  out: string,
  resume: boolean,
  populationInfo: unknown,
  operatingPoint: OperatingPoint | null = null,
  swing: SwingSpread | null = null,
): Promise<number> {
  let cfg = cfgIn;
  const t = cfg.training;
  const train = loadMnist('train', t.trainSamples),
    test = loadMnist('test', t.testSamples);
  const started = new Date().toISOString();
  const extra: Record<string, unknown> = {};
  let repeats: EpochRecord[][] = [];
  if (cfg.mode === 'in-situ') {
    const cpPath = join(out, 'checkpoint.json');
    const key = JSON.stringify(cfg);
    let cp: CheckpointFile = { configKey: key, finished: [], current: null };
    if (resume) {
      const old = readCheckpoint(cpPath);
      const same = old ? sameRun(old.configKey, cfg) : null;
      if (old && !same)
        throw new JartcalError(`${cpPath}: checkpoint belongs to a different configuration; run without --resume or use another --out`, {
          code: 'resume_mismatch',
        });
      if (old && same) {
        cfg = same;
        // the epoch count may change on resume: longer continues, shorter (or equal) finalises from the checkpoint
        const cut = (r: EpochRecord[]): EpochRecord[] => r.slice(0, t.epochs);
        cp = { configKey: JSON.stringify(cfg), finished: old.finished.map(cut), current: old.current };
        if (cp.current && cp.current.epochsDone >= t.epochs) {
          cp.finished.push(cut(cp.current.records));
          cp.current = null;
        }
      }
    }
    const perRepeat = t.epochs * Math.ceil(Math.min(t.trainSamples, train.n));
    const doneSamples = cp.finished.length * perRepeat + (cp.current ? cp.current.epochsDone * Math.min(t.trainSamples, train.n) : 0);
    const prog = createProgress(`crossbar ${cfg.name}`, t.repeats * perRepeat);
    if (doneSamples) prog.resumed(doneSamples, '(resumed)');
    // the training loss in tenths of each epoch (first repeat run here): its trend says whether training learns
    const lossTrace: { epoch: number; samples: number; loss: number }[] = [];
    const seg = Math.max(1, Math.ceil(Math.min(t.trainSamples, train.n) / 10));
    let prevSum = 0,
      prevBatches = 0,
      segNext = seg;
    for (let r = cp.finished.length; r < t.repeats; r++) {
      let last = 0,
        epochBase = cp.current?.repeat === r ? cp.current.epochsDone : 0;
      const records = runInSituRepeat(
        cfg,
        train,
        test,
        r,
        {
          onBatch: (done, total, loss) => {
            prog.tick(done - last, `rep ${r + 1} ep ${epochBase + 1} loss ${loss.toFixed(3)}`);
            if (r === cp.finished.length && (done >= segNext || done >= total)) {
              // the running mean over the epoch's batches, times their count, is the epoch's loss sum so far
              const batches = Math.ceil(done / t.batchSize),
                sum = loss * batches;
              lossTrace.push({ epoch: epochBase + 1, samples: done, loss: (sum - prevSum) / Math.max(1, batches - prevBatches) });
              const end = done >= total;
              prevSum = end ? 0 : sum;
              prevBatches = end ? 0 : batches;
              segNext = end ? seg : done + seg;
            }
            last = done;
          },
          onEpoch: (c) => {
            last = 0;
            epochBase = c.epochsDone;
            const rec = c.records[c.records.length - 1];
            process.stderr.write(
              `\nrepeat ${r + 1} epoch ${rec.epoch}: test accuracy ${rec.testAccuracy.toFixed(2)} %, loss ${rec.trainLoss.toFixed(4)}, ${rec.seconds.toFixed(1)} s wall, ${(rec.cpuSeconds ?? 0).toFixed(1)} s CPU\n`,
            );
            cp.current = c;
            writeCheckpoint(cpPath, cp);
          },
        },
        cp.current?.repeat === r ? cp.current : undefined,
      );
      cp.finished.push(records);
      cp.current = null;
      writeCheckpoint(cpPath, cp);
    }
    prog.done();
    repeats = cp.finished;
    if (lossTrace.length) extra.lossTrace = lossTrace;
  } else if (cfg.mode === 'digital') {
    const { initTf } = await import('../crossbar/train/tf.js');
    const { trainDigital } = await import('../crossbar/train/digital.js');
    extra.tfBackend = await initTf();
    const prog = createProgress(`digital ${cfg.name}`, t.repeats * t.epochs * Math.min(t.trainSamples, train.n));
    for (let r = 0; r < t.repeats; r++) {
      let last = 0;
      const { records } = trainDigital(
        cfg,
        train,
        test,
        r,
        (d) => {
          prog.tick(d - last);
          last = d;
        },
        (rec) => {
          last = 0;
          process.stderr.write(`\nrepeat ${r + 1} epoch ${rec.epoch}: test accuracy ${rec.testAccuracy.toFixed(2)} %\n`);
        },
      );
      repeats.push(records.map((x) => ({ ...x, pulsesApplied: 0, coincidences: 0 })));
    }
    prog.done();
  } else {
    const { runInference } = await import('../crossbar/experiment/inference.js');
    const { initTf } = await import('../crossbar/train/tf.js');
    extra.tfBackend = await initTf();
    // checkpoint: the digital weights and every finished draw; a resumed run may ask for more draws
    const cpPath = join(out, 'checkpoint.json');
    const keyOf = (c: ExperimentConfig): string => {
      const k = structuredClone(c);
      k.training.repeats = 0;
      return JSON.stringify(k);
    };
    let from: InferenceCheckpoint | undefined;
    if (resume) {
      const old = readInferenceCheckpoint(cpPath);
      const stored = old ? resolveStoredConfig(old.configKey) : null;
      if (old && !(stored && keyOf(stored) === keyOf(cfg)))
        throw new JartcalError(`${cpPath}: checkpoint belongs to a different configuration; run without --resume or use another --out`, {
          code: 'resume_mismatch',
        });
      from = old ?? undefined;
    }
    const res = await runInference(cfg, train, test, (msg) => process.stderr.write(msg + '\n'), {
      from,
      save: (c) => writeInferenceCheckpoint(cpPath, { configKey: keyOf(cfg), ...c }),
    });
    Object.assign(extra, res.extra);
    repeats = res.repeats;
  }
  const sum = summarize(repeats);
  const results: CrossbarResultsFile = {
    schema: CROSSBAR_RESULTS_SCHEMA,
    toolkitVersion: TOOLKIT_VERSION,
    createdAt: new Date().toISOString(),
    startedAt: started,
    name: cfg.name,
    mode: cfg.mode,
    seed: cfg.seed,
    finalAccuracy: sum.finalAccuracy,
    accuracyStd: sum.accuracyStd,
    accuracyPerEpoch: sum.accuracyPerEpoch,
    lossPerEpoch: sum.lossPerEpoch,
    repeats: repeats.map((records, repeat) => ({ repeat, finalAccuracy: records[records.length - 1]?.testAccuracy ?? null, records })),
    population: populationInfo,
    operatingPoint,
    ...(swing ? { swingSpread: swing } : {}),
    ...extra,
    ...(cfg.mode === 'in-situ'
      ? { diagnosis: inSituDiagnosis(sum.finalAccuracy, (extra.lossTrace as LossPoint[] | undefined) ?? [], sum.lossPerEpoch, swing) }
      : {}),
    config: cfg,
  };
  writeCrossbarResults(join(out, 'results.json'), results);
  const rows: (number | string)[][] = [];
  repeats.forEach((recs, r) =>
    recs.forEach((x) =>
      rows.push([r, x.epoch, x.lr, x.trainLoss, x.testAccuracy, x.seconds, x.cpuSeconds ?? '', x.pulsesApplied, x.coincidences]),
    ),
  );
  writeCsv(
    join(out, 'accuracy.csv'),
    ['repeat', 'epoch', 'lr', 'train_loss', 'test_accuracy_pct', 'seconds', 'cpu_seconds', 'pulses_applied', 'coincidences'],
    rows,
  );
  writePlot(
    join(out, 'accuracy.svg'),
    accuracyChart({
      title: `${cfg.name}: MNIST test accuracy (${repeats.length} repeat${repeats.length > 1 ? 's' : ''})`,
      perEpoch: sum.accuracyPerEpoch,
      repeats: repeats.map((recs) => recs.map((x) => ({ epoch: x.epoch, accuracy: x.testAccuracy }))),
    }),
  );
  process.stdout.write(
    `${cfg.name}: final test accuracy ${sum.finalAccuracy.toFixed(2)} % ± ${sum.accuracyStd.toFixed(2)} (${repeats.length} repeat(s)); results in ${out}\n`,
  );
  const diag = results.diagnosis as InSituDiagnosis | undefined;
  if (diag && !diag.learned) process.stdout.write(`in-situ training did not learn: ${diag.reason}\n`);
  return 0;
}
