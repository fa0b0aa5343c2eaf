import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalogLayer } from '../../src/crossbar/core/analogLayer.js';
import { FastRng } from '../../src/crossbar/core/fastRng.js';
import { IdealArray } from '../../src/crossbar/device/ideal.js';
import { AIHWKIT_FORWARD, PERFECT_IO, type IOParams } from '../../src/crossbar/periphery/io.js';
import { createRng } from '../../src/util/rng.js';

function layer(nIn: number, nOut: number, maxIn: number, maxOut: number): { l: AnalogLayer; w: Float64Array } {
  const l = new AnalogLayer(nIn, nOut, true, maxIn, maxOut, (size) => new IdealArray(size, 1e-3, -10, 10));
  const rng = createRng(9);
  const w = Float64Array.from({ length: nOut * (nIn + 1) }, () => 2 * rng.next() - 1);
  l.setWeights(w);
  return { l, w };
}

function ref(w: Float64Array, x: Float64Array, nIn: number, nOut: number): Float64Array {
  const y = new Float64Array(nOut);
  for (let o = 0; o < nOut; o++) { let s = w[o * (nIn + 1) + nIn]; for (let i = 0; i < nIn; i++) s += w[o * (nIn + 1) + i] * x[i]; y[o] = s; }
  return y;
}

test('ideal devices, perfect periphery, no wire resistance: forward and backward are the plain matrix products (with tile splitting)', () => {
  const nIn = 13, nOut = 7;
  for (const [mi, mo] of [[0, 0], [5, 3], [4, 4]]) {
    const { l, w } = layer(nIn, nOut, mi, mo);
    const rng = new FastRng(createRng(1));
    const x = Float64Array.from({ length: nIn }, (_, i) => Math.sin(i + 1));
    const y = new Float64Array(nOut);
    l.forward(x, 0, y, 0, PERFECT_IO, rng);
    const yr = ref(w, x, nIn, nOut);
    for (let o = 0; o < nOut; o++) assert.ok(Math.abs(y[o] - yr[o]) < 1e-5, `forward ${o}`);
    const d = Float64Array.from({ length: nOut }, (_, j) => Math.cos(j));
    const dx = new Float64Array(nIn);
    l.backward(d, 0, dx, 0, PERFECT_IO, rng);
    for (let i = 0; i < nIn; i++) {
      let s = 0;
      for (let o = 0; o < nOut; o++) s += w[o * (nIn + 1) + i] * d[o];
      assert.ok(Math.abs(dx[i] - s) < 1e-5, `backward ${i}`);
    }
  }
});

test('periphery without noise: DAC/ADC quantisation error within its resolution; bound management recovers saturated outputs', () => {
  const nIn = 20, nOut = 4;
  const { l, w } = layer(nIn, nOut, 0, 0);
  const io: IOParams = { ...AIHWKIT_FORWARD, outNoise: 0 };
  const rng = new FastRng(createRng(1));
  const x = Float64Array.from({ length: nIn }, (_, i) => 0.5 * Math.sin(3 * i));
  const y = new Float64Array(nOut);
  l.forward(x, 0, y, 0, io, rng);
  const yr = ref(w, x, nIn, nOut);
  const alpha = Math.max(...Array.from(x, Math.abs), 1); // the bias input of 1 sets the abs-max
  const stepIn = 2 / 126, stepOut = 24 / 510;
  const bound = alpha * ((nIn + 1) * stepIn / 2 + stepOut / 2); // worst case |w| ≤ 1
  for (let o = 0; o < nOut; o++) {
    assert.ok(Math.abs(y[o] - yr[o]) <= bound, `output ${o}: ${y[o]} vs ${yr[o]}`);
    assert.notEqual(y[o], yr[o]);
  }
  // large weights saturate the ADC (out_bound 12) without bound management; iterative BM fixes it
  const big = new AnalogLayer(40, 1, false, 0, 0, (size) => new IdealArray(size, 1e-3, -10, 10));
  big.setWeights(new Float64Array(40).fill(1));
  const xs = new Float64Array(40).fill(1);
  const y1 = new Float64Array(1), y2 = new Float64Array(1);
  big.forward(xs, 0, y1, 0, { ...io, boundManagement: 'none' }, rng);
  big.forward(xs, 0, y2, 0, io, rng);
  assert.equal(y1[0], 12);
  assert.ok(Math.abs(y2[0] - 40) < 1, `bound management: ${y2[0]}`); // DAC step at the reduced input range
});

test('wire resistance coupled into the forward MVM: vanishing wires give the plain product, real wires reduce it', async () => {
  const { JartArray } = await import('../../src/crossbar/device/jartArray.js');
  const { FitEulerEngine, PAPER_PULSES } = await import('../../src/crossbar/device/jartEngine.js');
  const { NO_VAR } = await import('../../src/crossbar/device/types.js');
  const { attachWire } = await import('../../src/crossbar/array/wireLayer.js');
  const eng = new FitEulerEngine(PAPER_PULSES);
  const v = { Ndiscmax: NO_VAR, Ndiscmin: NO_VAR, ldisc: NO_VAR, rdisc: NO_VAR, wBounds: NO_VAR };
  const mk = (size: number) => new JartArray({ size, engine: eng, nLo: 0.06, nHi: 1.9897452127440085, wMin: -1.5, wMax: 1.5, nominal: { rM: 45e-9, lM: 0.4e-9, nMin: 0.008, nMax: 20 }, variability: v }, createRng(2));
  const nIn = 12, nOut = 5;
  const l = new AnalogLayer(nIn, nOut, true, 0, 0, mk);
  const rng = createRng(4);
  l.setWeights(Float64Array.from({ length: nOut * (nIn + 1) }, () => 2.4 * rng.next() - 1.2));
  const x = Float64Array.from({ length: nIn }, () => rng.next());
  const fr = new FastRng(createRng(1));
  const y0 = new Float64Array(nOut), y1 = new Float64Array(nOut), y2 = new Float64Array(nOut);
  l.forward(x, 0, y0, 0, PERFECT_IO, fr);
  attachWire(l, { rWireOhm: 1e-6, vReadV: 0.2, iterations: 200, tol: 1e-12 });
  l.forward(x, 0, y1, 0, PERFECT_IO, fr);
  for (let o = 0; o < nOut; o++) assert.ok(Math.abs(y1[o] - y0[o]) < 1e-5, `no-wire limit ${o}: ${y1[o]} vs ${y0[o]}`);
  attachWire(l, { rWireOhm: 20, vReadV: 0.2, iterations: 500, tol: 1e-12 });
  l.forward(x, 0, y2, 0, PERFECT_IO, fr);
  assert.ok(y2.some((yy, o) => Math.abs(yy - y0[o]) > 1e-3), 'IR drop changes the outputs');
});
