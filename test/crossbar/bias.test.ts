import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { AnalogLayer } from '../../src/crossbar/core/analogLayer.js';
import { FastRng } from '../../src/crossbar/core/fastRng.js';
import { IdealArray } from '../../src/crossbar/device/ideal.js';
import { AIHWKIT_FORWARD, PERFECT_IO } from '../../src/crossbar/periphery/io.js';
import { AIHWKIT_UPDATE } from '../../src/crossbar/train/pulseUpdate.js';
import { resolveConfig } from '../../src/crossbar/experiment/config.js';
import { buildNetwork } from '../../src/crossbar/experiment/inSitu.js';
import { main } from '../../src/cli/main.js';
import { createRng } from '../../src/util/rng.js';
import { REPO_ROOT } from '../helpers/shared.js';

const nIn = 11,
  nOut = 5;

function make(digital: boolean): { l: AnalogLayer; w: Float64Array } {
  const l = new AnalogLayer(nIn, nOut, true, 4, 3, (size) => new IdealArray(size, 1e-3, -10, 10), digital);
  const rng = createRng(4);
  const w = Float64Array.from({ length: nOut * (nIn + 1) }, (_, k) => (k % (nIn + 1) === nIn ? 3 + 2 * rng.next() : 2 * rng.next() - 1));
  l.setWeights(w);
  return { l, w };
}

test('digital bias: no bias column on the tiles, W·x + b exactly, the bias exact even through a noisy periphery', () => {
  const { l, w } = make(true);
  assert.equal(l.inTotal, nIn);
  assert.equal(l.cols, nIn + 1);
  let cells = 0;
  l.forEachCell(() => {
    cells++;
  });
  assert.equal(cells, nIn * nOut);
  assert.deepEqual(
    Array.from(l.getWeights()).map((v) => Math.round(v * 1e5)),
    Array.from(w).map((v) => Math.round(v * 1e5)),
  );
  const x = Float64Array.from({ length: nIn }, (_, i) => Math.sin(i + 2));
  const y = new Float64Array(nOut);
  const rng = new FastRng(createRng(2));
  l.forward(x, 0, y, 0, PERFECT_IO, rng);
  for (let o = 0; o < nOut; o++) {
    let s = w[o * (nIn + 1) + nIn];
    for (let i = 0; i < nIn; i++) s += w[o * (nIn + 1) + i] * x[i];
    assert.ok(Math.abs(y[o] - s) < 1e-5, `output ${o}`);
  }
  // zero input: the analog part is 0 (aihwkit's noise-management short cut), the output is the bias itself,
  // also after a digital output scale (the bias is added after it); an analog bias goes through noise and ADC
  const zero = new Float64Array(nIn);
  l.outScale = 2;
  l.forward(zero, 0, y, 0, AIHWKIT_FORWARD, rng);
  for (let o = 0; o < nOut; o++) assert.equal(y[o], w[o * (nIn + 1) + nIn]);
  const { l: la } = make(false);
  assert.equal(la.inTotal, nIn + 1);
  la.forward(zero, 0, y, 0, AIHWKIT_FORWARD, rng);
  let exact = 0;
  for (let o = 0; o < nOut; o++) if (y[o] === w[o * (nIn + 1) + nIn]) exact++;
  assert.ok(exact < nOut, 'an analog bias is read through output noise and ADC');
});

test('digital bias update is plain SGD over the batch; the pulsed update never touches it', () => {
  const { l } = make(true);
  const b = 3,
    lr = 0.05;
  const d = Float64Array.from({ length: b * nOut }, (_, k) => Math.cos(3 * k) / b);
  const before = Float64Array.from(l.digitalBias as Float64Array);
  l.updateDigitalBias(d, 0, b, lr);
  for (let o = 0; o < nOut; o++) {
    let g = 0;
    for (let s = 0; s < b; s++) g += d[s * nOut + o];
    assert.ok(Math.abs((l.digitalBias as Float64Array)[o] - (before[o] - lr * g)) < 1e-15);
  }
  const after = Float64Array.from(l.digitalBias as Float64Array);
  const x = Float64Array.from({ length: nIn }, () => 1);
  const n = l.update(x, 0, d, 0, 1, AIHWKIT_UPDATE, new FastRng(createRng(5)));
  assert.ok(n > 0, 'the analog cells were pulsed');
  assert.deepEqual(Array.from(l.digitalBias as Float64Array), Array.from(after));
  // an analog bias is a pulsed column instead: no digital bias to update
  const { l: la } = make(false);
  assert.equal(la.digitalBias, null);
  const wa = la.getWeights();
  la.updateDigitalBias(d, 0, b, lr);
  assert.deepEqual(Array.from(la.getWeights()), Array.from(wa));
});

test('the paper configs resolve to a digital bias (aihwkit 0.6.0 MappingParameter.digital_bias = True) starting at 0', () => {
  const cfg = resolveConfig(JSON.parse(readFileSync(join(REPO_ROOT, 'experiments', 'paper-d2d-rdisc-30.json'), 'utf8')));
  assert.equal(cfg.network.digitalBias, true);
  const { layers } = buildNetwork(resolveConfig({ name: 'z', device: { model: 'ideal' } }), 0);
  for (const l of layers) {
    assert.equal(l.inTotal, l.inSize);
    assert.deepEqual(Array.from(l.digitalBias as Float64Array), new Array(l.outSize).fill(0));
  }
  const { layers: la } = buildNetwork(resolveConfig({ name: 'z', device: { model: 'ideal' }, network: { digitalBias: false } }), 0);
  assert.equal(la[0].inTotal, la[0].inSize + 1);
});

test('a checkpoint older than network.digitalBias (analog bias) does not resume as a digital-bias run', async () => {
  const out = mkdtempSync(join(tmpdir(), 'jartcal-bias-'));
  try {
    const cfg = join(out, 'c.json');
    writeFileSync(cfg, JSON.stringify({ name: 'c', device: { model: 'ideal' }, tile: { maxInputSize: 0, maxOutputSize: 0 } }));
    const args = ['crossbar', 'run', cfg, '--out', out, '--epochs', '1', '--train-samples', '32', '--test-samples', '20'];
    assert.equal(await main(args), 0);
    assert.equal(await main([...args, '--resume']), 0);
    const cpPath = join(out, 'checkpoint.json');
    const cp = JSON.parse(readFileSync(cpPath, 'utf8'));
    const key = JSON.parse(cp.configKey);
    delete key.network.digitalBias;
    cp.configKey = JSON.stringify(key);
    writeFileSync(cpPath, JSON.stringify(cp));
    assert.equal(await main([...args, '--resume']), 2);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
