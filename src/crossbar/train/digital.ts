/**
 * The digital floating-point baseline with tfjs: the same MLP (sigmoid hidden layers, softmax cross
 * entropy), plain SGD, PyTorch's default init (U(±1/√fan_in) for weights and biases), the same LR
 * schedule. Backend: tfjs-node when it loads, else wasm (set up by the caller via `initTf`).
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../experiment/config.js';
import type { Dataset } from '../experiment/inSitu.js';
import { epochPermutation, lrAt } from '../experiment/inSitu.js';

export interface DigitalEpoch {
  epoch: number;
  lr: number;
  trainLoss: number;
  testAccuracy: number;
  seconds: number;
}

export function buildDigital(cfg: ExperimentConfig, seed: number): tf.Sequential {
  const sz = cfg.network.sizes;
  const m = tf.sequential();
  for (let l = 0; l + 1 < sz.length; l++) {
    const lim = 1 / Math.sqrt(sz[l]);
    m.add(
      tf.layers.dense({
        inputShape: l === 0 ? [sz[0]] : undefined,
        units: sz[l + 1],
        activation: l + 2 < sz.length ? 'sigmoid' : 'linear',
        useBias: cfg.network.bias,
        kernelInitializer: tf.initializers.randomUniform({ minval: -lim, maxval: lim, seed: seed + 2 * l }),
        biasInitializer: tf.initializers.randomUniform({ minval: -lim, maxval: lim, seed: seed + 2 * l + 1 }),
      }),
    );
  }
  return m;
}

export function trainDigital(
  cfg: ExperimentConfig,
  train: Dataset,
  test: Dataset,
  repeat: number,
  onBatch?: (done: number, total: number) => void,
  onEpoch?: (r: DigitalEpoch) => void,
): { model: tf.Sequential; records: DigitalEpoch[] } {
  const seed = (cfg.seed * 7919 + repeat * 104729) % 2147483647;
  const model = buildDigital(cfg, seed);
  const t = cfg.training;
  const opt = tf.train.sgd(t.lr);
  const nIn = cfg.network.sizes[0],
    nTrain = Math.min(t.trainSamples, train.n),
    nTest = Math.min(t.testSamples, test.n);
  const records: DigitalEpoch[] = [];
  const xb = new Float32Array(t.batchSize * nIn),
    yb = new Float32Array(t.batchSize * 10);
  for (let epoch = 0; epoch < t.epochs; epoch++) {
    const t0 = performance.now();
    const lr = lrAt(cfg, epoch);
    opt.setLearningRate(lr);
    const perm = epochPermutation(cfg.seed, repeat, epoch, train.n, t.shuffle);
    let lossSum = 0,
      nb = 0;
    for (let s = 0; s < nTrain; s += t.batchSize) {
      const b = Math.min(t.batchSize, nTrain - s);
      yb.fill(0);
      for (let i = 0; i < b; i++) {
        const row = perm[s + i];
        xb.set(train.images.subarray(row * nIn, (row + 1) * nIn), i * nIn);
        yb[i * 10 + train.labels[row]] = 1;
      }
      const loss = tf.tidy(() => {
        const x = tf.tensor2d(xb.subarray(0, b * nIn), [b, nIn]),
          y = tf.tensor2d(yb.subarray(0, b * 10), [b, 10]);
        return opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.predict(x) as tf.Tensor) as tf.Scalar, true) as tf.Scalar;
      });
      lossSum += loss.dataSync()[0];
      loss.dispose();
      nb++;
      onBatch?.(s + b, nTrain);
    }
    const acc = evaluateDigital(model, test, nTest, nIn);
    const r = { epoch: epoch + 1, lr, trainLoss: lossSum / nb, testAccuracy: 100 * acc, seconds: (performance.now() - t0) / 1000 };
    records.push(r);
    onEpoch?.(r);
  }
  return { model, records };
}

export function evaluateDigital(model: tf.Sequential, test: Dataset, n: number, nIn: number): number {
  const pred = tf.tidy(() => (model.predict(tf.tensor2d(test.images.subarray(0, n * nIn), [n, nIn])) as tf.Tensor).argMax(1).dataSync());
  let c = 0;
  for (let i = 0; i < n; i++) if (pred[i] === test.labels[i]) c++;
  return c / n;
}

/** Weights of a trained digital model as per-layer (out × (in+1)) matrices, bias last column (the analog layout). */
export function digitalWeights(model: tf.Sequential): Float64Array[] {
  return model.layers.map((layer) => {
    const [k, b] = layer.getWeights();
    const kv = k.dataSync(),
      [nIn, nOut] = k.shape as [number, number];
    const bv = b ? b.dataSync() : null;
    const cols = nIn + (bv ? 1 : 0);
    const w = new Float64Array(nOut * cols);
    for (let o = 0; o < nOut; o++) {
      for (let i = 0; i < nIn; i++) w[o * cols + i] = kv[i * nOut + o];
      if (bv) w[o * cols + nIn] = bv[o];
    }
    return w;
  });
}
