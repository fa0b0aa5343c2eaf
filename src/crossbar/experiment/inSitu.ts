/**
 * In-situ training run of one repeat: builds the analog network from the config (devices drawn
 * from the repeat's seed), zero-initialises it (set_weights(0) → N = N(w=0), digital bias 0), trains with pulsed SGD
 * and a step LR schedule, evaluates after every epoch. Pure: data in, records and checkpoints out
 * through hooks; resuming from a checkpoint continues bit for bit.
 */
import { createRng } from '../../util/rng.js';
import { AnalogLayer } from '../core/analogLayer.js';
import { FastRng } from '../core/fastRng.js';
import { createEngine, createKineticEngines, deviceMaker } from '../device/factory.js';
import type { PulseEngine } from '../device/jartEngine.js';
import { AnalogMLP } from '../train/mlp.js';
import type { ExperimentConfig } from './config.js';
import { deviceModel } from '../device/models/registry.js';

export interface Dataset {
  images: Float32Array;
  labels: Uint8Array;
  n: number;
}
export interface EpochRecord {
  epoch: number;
  lr: number;
  trainLoss: number;
  testAccuracy: number;
  seconds: number;
  cpuSeconds?: number;
  pulsesApplied: number;
  coincidences: number;
}
export interface RepeatCheckpoint {
  repeat: number;
  epochsDone: number;
  records: EpochRecord[];
  rng: number[];
  state: Float64Array[][];
  coincidences: number;
}
export interface InSituHooks {
  onBatch?(samplesDone: number, samplesTotal: number, loss: number): void;
  onEpoch?(cp: RepeatCheckpoint): void;
  now?: () => number;
  /** CPU seconds used by this process so far (default process.cpuUsage). */
  cpuNow?: () => number;
}

export function buildNetwork(
  cfg: ExperimentConfig,
  repeat: number,
): { mlp: AnalogMLP; layers: AnalogLayer[]; trainRng: FastRng; engine: PulseEngine | null } {
  const rng = createRng(cfg.seed).fork(repeat);
  const needsEngine = deviceModel(cfg.device.model).pulseEngine;
  const engine = needsEngine ? createEngine(cfg) : null;
  const kinetic = needsEngine ? createKineticEngines(cfg) : null;
  const sz = cfg.network.sizes;
  const layers: AnalogLayer[] = [];
  for (let l = 0; l + 1 < sz.length; l++) {
    layers.push(
      new AnalogLayer(
        sz[l],
        sz[l + 1],
        cfg.network.bias,
        cfg.tile.maxInputSize,
        cfg.tile.maxOutputSize,
        deviceMaker(cfg, engine, rng, l, kinetic),
        cfg.network.digitalBias,
      ),
    );
  }
  // aihwkit set_weights(zeros) as in the paper, or PyTorch's default U(±1/√fan_in)
  const initRng = rng.fork(11);
  for (const l of layers) {
    const lim = cfg.network.init === 'uniform' ? 1 / Math.sqrt(l.inSize) : 0;
    l.setWeights(Float64Array.from({ length: l.outSize * l.cols }, () => (lim > 0 ? lim * (2 * initRng.next() - 1) : 0)));
  }
  const mlp = new AnalogMLP(layers, { forward: cfg.forward, backward: cfg.backward, update: cfg.update });
  return { mlp, layers, trainRng: new FastRng(rng.fork(7)), engine };
}

/** Live mutable state: every tile's device arrays, then (if any layer has one) the digital biases as one group. */
function allState(layers: AnalogLayer[]): Float64Array[][] {
  const dev = layers.flatMap((l) => l.tiles.flat().map((t) => t.dev.stateArrays()));
  const biases = layers.flatMap((l) => (l.digitalBias ? [l.digitalBias] : []));
  return biases.length ? [...dev, biases] : dev;
}

export function epochPermutation(seed: number, repeat: number, epoch: number, n: number, shuffle: boolean): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  if (!shuffle) return p;
  const r = createRng(seed ^ 0x5eed).fork(repeat * 100000 + epoch);
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

export function lrAt(cfg: ExperimentConfig, epoch: number): number {
  const t = cfg.training;
  return t.lr * Math.pow(t.lrGamma, t.lrStepEpochs > 0 ? Math.floor(epoch / t.lrStepEpochs) : 0);
}

export function runInSituRepeat(
  cfg: ExperimentConfig,
  train: Dataset,
  test: Dataset,
  repeat: number,
  hooks: InSituHooks = {},
  resume?: RepeatCheckpoint,
): EpochRecord[] {
  const now = hooks.now ?? (() => performance.now());
  const cpuNow =
    hooks.cpuNow ??
    ((): number => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    });
  const { mlp, layers, trainRng } = buildNetwork(cfg, repeat);
  const t = cfg.training;
  const records: EpochRecord[] = resume ? [...resume.records] : [];
  let start = 0;
  if (resume) {
    const live = allState(layers);
    live.forEach((arrs, i) => arrs.forEach((a, j) => a.set(resume.state[i][j])));
    for (const l of layers) for (const row of l.tiles) for (const tile of row) tile.refresh();
    trainRng.setState(resume.rng);
    mlp.coincidences = resume.coincidences;
    start = resume.epochsDone;
  }
  const nTrain = Math.min(t.trainSamples, train.n),
    nTest = Math.min(t.testSamples, test.n);
  for (let epoch = start; epoch < t.epochs; epoch++) {
    const t0 = now(),
      c0 = cpuNow();
    const lr = lrAt(cfg, epoch);
    const perm = epochPermutation(cfg.seed, repeat, epoch, train.n, t.shuffle);
    let lossSum = 0,
      batches = 0;
    for (let s = 0; s < nTrain; s += t.batchSize) {
      const b = Math.min(t.batchSize, nTrain - s);
      lossSum += mlp.trainBatch(train.images, train.labels, perm, s, b, lr, trainRng);
      batches++;
      hooks.onBatch?.(s + b, nTrain, lossSum / batches);
    }
    const acc = mlp.evaluate(test.images, test.labels, nTest, trainRng);
    const pulses = layers.reduce((a, l) => a + l.pulsesApplied(), 0);
    records.push({
      epoch: epoch + 1,
      lr,
      trainLoss: lossSum / Math.max(1, batches),
      testAccuracy: 100 * acc,
      seconds: (now() - t0) / 1000,
      cpuSeconds: cpuNow() - c0,
      pulsesApplied: pulses,
      coincidences: mlp.coincidences,
    });
    hooks.onEpoch?.({
      repeat,
      epochsDone: epoch + 1,
      records: [...records],
      rng: trainRng.getState(),
      state: allState(layers),
      coincidences: mlp.coincidences,
    });
  }
  return records;
}
