/**
 * The first samples of an in-situ run, traced: every `--every` training samples the mean training loss
 * since the last point, the test accuracy on the first `--test` test samples, how many classes the network
 * predicts on them, and the spread of the hidden units' incoming weights (the zero-initialised network
 * starts with every hidden unit identical; the units must become different before it can learn more than
 * the class frequencies).
 *   node --import tsx scripts/studies/crossbar-early-training.ts [experiments/X.json] [--samples 24000]
 *     [--every 2000] [--test 2000] [--seed 1] [--lr 0.05] [--dw-min 1e-4]
 * (--dw-min: the weight step the update management assumes a pulse makes; aihwkit's JART device says 1e-4)
 */
import { readFileSync } from 'node:fs';
import { resolveConfig } from '../../src/crossbar/experiment/config.js';
import { buildNetwork, epochPermutation } from '../../src/crossbar/experiment/inSitu.js';
import { loadMnist } from '../../src/io/mnist.js';

const argv = process.argv.slice(2);
const opt = (name: string, d: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const file = argv[0] && !argv[0].startsWith('--') ? argv[0] : 'experiments/paper-noise-free.json';
const raw = JSON.parse(readFileSync(file, 'utf8'));
const seed = opt('seed', 1);
const cfg = resolveConfig(
  {
    ...raw,
    seed,
    training: { ...(raw.training ?? {}), ...(argv.includes('--lr') ? { lr: opt('lr', 0.05) } : {}) },
    update: { ...(raw.update ?? {}), ...(argv.includes('--dw-min') ? { dwMin: opt('dw-min', 1e-4) } : {}) },
  },
  file,
);
const samples = opt('samples', 24000),
  every = opt('every', 2000),
  nTest = opt('test', 2000);
const train = loadMnist('train'),
  test = loadMnist('test', nTest);
const { mlp, layers, trainRng } = buildNetwork(cfg, 0);
const perm = epochPermutation(cfg.seed, 0, 0, train.n, cfg.training.shuffle);
const bs = cfg.training.batchSize,
  lr = cfg.training.lr;

/** Relative spread between the rows (hidden units) of a layer's weights: mean over columns of sd across rows / rms weight. */
function rowSpread(li: number): number {
  const l = layers[li];
  const w = l.getWeights(),
    cols = l.cols,
    rows = l.outSize;
  let sdSum = 0,
    sq = 0;
  for (let c = 0; c < l.inSize; c++) {
    let m = 0;
    for (let r = 0; r < rows; r++) m += w[r * cols + c];
    m /= rows;
    let v = 0;
    for (let r = 0; r < rows; r++) {
      v += (w[r * cols + c] - m) ** 2;
      sq += w[r * cols + c] ** 2;
    }
    sdSum += Math.sqrt(v / rows);
  }
  const rms = Math.sqrt(sq / (rows * l.inSize));
  return rms > 0 ? sdSum / l.inSize / rms : 0;
}

/** The network's activations of its last forward pass (per layer, samples × units). */
const acts = (): Float64Array[] => (mlp as unknown as { acts: Float64Array[] }).acts;

function biasSpread(): number {
  const db = layers[layers.length - 1].digitalBias;
  return db ? Math.max(...db) - Math.min(...db) : NaN;
}

function probe(): { acc: number; classes: number; slope: number[]; mean: number[]; logitSpread: number } {
  const seen = new Set<number>();
  let correct = 0;
  // hidden layers: mean sigmoid slope h(1 − h) (0.25 at h = 0.5, 0 when saturated); logits: mean over samples of max − min
  const slope = layers.slice(0, -1).map(() => 0),
    mean = slope.map(() => 0);
  let logitSpread = 0;
  const nOut = 10;
  for (let s0 = 0; s0 < test.n; s0 += 64) {
    const b = Math.min(64, test.n - s0);
    const out = mlp.forward(test.images, null, s0, b, trainRng);
    for (let s = 0; s < b; s++) {
      let best = 0;
      for (let j = 1; j < nOut; j++) if (out[s * nOut + j] > out[s * nOut + best]) best = j;
      seen.add(best);
      if (best === test.labels[s0 + s]) correct++;
      let lo = Infinity,
        hi = -Infinity;
      for (let j = 0; j < nOut; j++) {
        lo = Math.min(lo, out[s * nOut + j]);
        hi = Math.max(hi, out[s * nOut + j]);
      }
      logitSpread += hi - lo;
    }
    const a = acts();
    for (let l = 0; l < slope.length; l++) {
      const h = a[l + 1],
        n = layers[l].outSize;
      for (let k = 0; k < b * n; k++) {
        slope[l] += (h[k] * (1 - h[k])) / n;
        mean[l] += h[k] / n;
      }
    }
  }
  return {
    acc: (100 * correct) / test.n,
    classes: seen.size,
    slope: slope.map((x) => x / test.n),
    mean: mean.map((x) => x / test.n),
    logitSpread: logitSpread / test.n,
  };
}

console.log(`${cfg.name}, seed ${seed}, lr ${lr}, dw_min ${cfg.update.dwMin}, batch ${bs}; test on the first ${test.n} test samples`);
console.log(
  'samples | mean loss | test acc % | classes predicted | hidden-unit spread L1 / L2 | mean h(1-h) L1 / L2 | mean h L1 / L2 | logit max-min | output bias max-min',
);
let lossSum = 0,
  batches = 0;
for (let s = 0; s < samples; s += bs) {
  const b = Math.min(bs, samples - s);
  lossSum += mlp.trainBatch(train.images, train.labels, perm, s, b, lr, trainRng);
  batches++;
  if ((s + b) % every === 0 || s + b === samples) {
    const p = probe();
    console.log(
      `${s + b} | ${(lossSum / batches).toFixed(3)} | ${p.acc.toFixed(2)} | ${p.classes} | ${rowSpread(0).toExponential(2)} / ${rowSpread(1).toExponential(2)} | ${p.slope.map((x) => x.toFixed(4)).join(' / ')} | ${p.mean.map((x) => x.toFixed(3)).join(' / ')} | ${p.logitSpread.toFixed(3)} | ${biasSpread().toFixed(3)}`,
    );
    lossSum = 0;
    batches = 0;
  }
}
