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
  for (let o = 0; o < nOut; o++) {
    let s = w[o * (nIn + 1) + nIn];
    for (let i = 0; i < nIn; i++) s += w[o * (nIn + 1) + i] * x[i];
    y[o] = s;
  }
  return y;
}

test('ideal devices, perfect periphery, no wire resistance: forward and backward are the plain matrix products (with tile splitting)', () => {
  const nIn = 13,
    nOut = 7;
  for (const [mi, mo] of [
    [0, 0],
    [5, 3],
    [4, 4],
  ]) {
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
  const nIn = 20,
    nOut = 4;
  const { l, w } = layer(nIn, nOut, 0, 0);
  const io: IOParams = { ...AIHWKIT_FORWARD, outNoise: 0 };
  const rng = new FastRng(createRng(1));
  const x = Float64Array.from({ length: nIn }, (_, i) => 0.5 * Math.sin(3 * i));
  const y = new Float64Array(nOut);
  l.forward(x, 0, y, 0, io, rng);
  const yr = ref(w, x, nIn, nOut);
  const alpha = Math.max(...Array.from(x, Math.abs), 1); // the bias input of 1 sets the abs-max
  const stepIn = 2 / 126,
    stepOut = 24 / 510;
  const bound = alpha * (((nIn + 1) * stepIn) / 2 + stepOut / 2); // worst case |w| ≤ 1
  for (let o = 0; o < nOut; o++) {
    assert.ok(Math.abs(y[o] - yr[o]) <= bound, `output ${o}: ${y[o]} vs ${yr[o]}`);
    assert.notEqual(y[o], yr[o]);
  }
  // large weights saturate the ADC (out_bound 12) without bound management; iterative BM fixes it
  const big = new AnalogLayer(40, 1, false, 0, 0, (size) => new IdealArray(size, 1e-3, -10, 10));
  big.setWeights(new Float64Array(40).fill(1));
  const xs = new Float64Array(40).fill(1);
  const y1 = new Float64Array(1),
    y2 = new Float64Array(1);
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
  const mk = (size: number) =>
    new JartArray(
      {
        size,
        engine: eng,
        nLo: 0.06,
        nHi: 1.9897452127440085,
        wMin: -1.5,
        wMax: 1.5,
        nominal: { rM: 45e-9, lM: 0.4e-9, nMin: 0.008, nMax: 20 },
        variability: v,
      },
      createRng(2),
    );
  const nIn = 12,
    nOut = 5;
  const l = new AnalogLayer(nIn, nOut, true, 0, 0, mk);
  const rng = createRng(4);
  l.setWeights(Float64Array.from({ length: nOut * (nIn + 1) }, () => 2.4 * rng.next() - 1.2));
  const x = Float64Array.from({ length: nIn }, () => rng.next());
  const fr = new FastRng(createRng(1));
  const y0 = new Float64Array(nOut),
    y1 = new Float64Array(nOut),
    y2 = new Float64Array(nOut);
  l.forward(x, 0, y0, 0, PERFECT_IO, fr);
  attachWire(l, { rWireOhm: 1e-6, vReadV: 0.2, iterations: 200, tol: 1e-12 });
  l.forward(x, 0, y1, 0, PERFECT_IO, fr);
  for (let o = 0; o < nOut; o++) assert.ok(Math.abs(y1[o] - y0[o]) < 1e-5, `no-wire limit ${o}: ${y1[o]} vs ${y0[o]}`);
  attachWire(l, { rWireOhm: 20, vReadV: 0.2, iterations: 500, tol: 1e-12 });
  l.forward(x, 0, y2, 0, PERFECT_IO, fr);
  assert.ok(
    y2.some((yy, o) => Math.abs(yy - y0[o]) > 1e-3),
    'IR drop changes the outputs',
  );
  // column-gain compensation: exact for the calibration vector (every row at V_read), smaller errors elsewhere
  const ones = new Float64Array(nIn).fill(1);
  const u0 = new Float64Array(nOut),
    u2 = new Float64Array(nOut),
    u3 = new Float64Array(nOut),
    y3 = new Float64Array(nOut);
  attachWire(l, { rWireOhm: 1e-9, vReadV: 0.2, iterations: 200, tol: 1e-12 });
  l.forward(ones, 0, u0, 0, PERFECT_IO, fr);
  attachWire(l, { rWireOhm: 20, vReadV: 0.2, iterations: 500, tol: 1e-12 });
  l.forward(ones, 0, u2, 0, PERFECT_IO, fr);
  attachWire(l, { rWireOhm: 20, vReadV: 0.2, iterations: 500, tol: 1e-12, compensation: 'column-gain' });
  l.forward(ones, 0, u3, 0, PERFECT_IO, fr);
  l.forward(x, 0, y3, 0, PERFECT_IO, fr);
  const err = (y: Float64Array, r: Float64Array) => Math.sqrt(y.reduce((a, v, o) => a + (v - r[o]) ** 2, 0));
  for (let o = 0; o < nOut; o++) assert.ok(Math.abs(u3[o] - u0[o]) < 1e-6, `calibration vector, output ${o}: ${u3[o]} vs ${u0[o]}`);
  assert.ok(err(u2, u0) > 0.1, `uncompensated error on the calibration vector ${err(u2, u0)}`);
  assert.ok(err(y3, y0) < 0.5 * err(y2, y0), `random input: compensated ${err(y3, y0)}, uncompensated ${err(y2, y0)}`);
});

test('wire resistance with the differential pair: vanishing wires give the plain product, the column currents match a direct nodal solve, and the IR drop costs far less than with the single-device mapping', async () => {
  const { JartArray } = await import('../../src/crossbar/device/jartArray.js');
  const { FitEulerEngine, PAPER_PULSES } = await import('../../src/crossbar/device/jartEngine.js');
  const { NO_VAR } = await import('../../src/crossbar/device/types.js');
  const { DifferentialPairArray } = await import('../../src/crossbar/mapping/mapping.js');
  const { attachWire } = await import('../../src/crossbar/array/wireLayer.js');
  const { solveWireDirect } = await import('../../src/crossbar/array/wire.js');
  const eng = new FitEulerEngine(PAPER_PULSES);
  const v = { Ndiscmax: NO_VAR, Ndiscmin: NO_VAR, ldisc: NO_VAR, rdisc: NO_VAR, wBounds: NO_VAR };
  const mk = (size: number, seed: number) =>
    new JartArray(
      {
        size,
        engine: eng,
        nLo: 0.06,
        nHi: 1.9897452127440085,
        wMin: -1.5,
        wMax: 1.5,
        nominal: { rM: 45e-9, lM: 0.4e-9, nMin: 0.008, nMax: 20 },
        variability: v,
      },
      createRng(seed),
    );
  const nIn = 12,
    nOut = 5,
    vRead = 0.2,
    rWire = 20;
  const pairs: InstanceType<typeof DifferentialPairArray>[] = [];
  const lp = new AnalogLayer(nIn, nOut, false, 0, 0, (size) => {
    const p = new DifferentialPairArray(mk(size, 2), mk(size, 3), 1.5);
    pairs.push(p);
    return p;
  });
  const ls = new AnalogLayer(nIn, nOut, false, 0, 0, (size) => mk(size, 2));
  const rng = createRng(4);
  const w = Float64Array.from({ length: nOut * nIn }, () => 2.4 * rng.next() - 1.2);
  lp.setWeights(w);
  ls.setWeights(w);
  const x = Float64Array.from({ length: nIn }, () => rng.next());
  const fr = new FastRng(createRng(1));
  const out = (l: AnalogLayer) => {
    const y = new Float64Array(nOut);
    l.forward(x, 0, y, 0, PERFECT_IO, fr);
    return y;
  };
  const p0 = out(lp),
    s0 = out(ls);
  attachWire(lp, { rWireOhm: 1e-6, vReadV: vRead, iterations: 200, tol: 1e-12 });
  const p1 = out(lp);
  for (let o = 0; o < nOut; o++) assert.ok(Math.abs(p1[o] - p0[o]) < 1e-5, `no-wire limit ${o}: ${p1[o]} vs ${p0[o]}`);
  attachWire(lp, { rWireOhm: rWire, vReadV: vRead, iterations: 500, tol: 1e-12 });
  attachWire(ls, { rWireOhm: rWire, vReadV: vRead, iterations: 500, tol: 1e-12 });
  const p2 = out(lp),
    s2 = out(ls);
  // independent check: nominal devices share one line g = c0 + c1·I, so y_o = s·Σ_i (c0⁺ − c0⁻)·x_i + s·c1·(I⁺_col − I⁻_col)
  // with the column currents from the dense nodal solve of each array (inputs on the rows at V_read·x)
  const [plus, minus] = pairs[0].devices as [InstanceType<typeof JartArray>, InstanceType<typeof JartArray>];
  const [a, b] = plus.mapCoeffs(0);
  const lo = plus.wMin(0),
    span = plus.wMax(0) - lo;
  const cols = (d: InstanceType<typeof JartArray>) => {
    const g = new Float64Array(nIn * nOut);
    for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) g[i * nOut + o] = d.readCurrentA(o * nIn + i) / vRead;
    return solveWireDirect(
      g,
      nIn,
      nOut,
      Array.from(x, (xi) => vRead * xi),
      rWire,
    );
  };
  const ip = cols(plus),
    im = cols(minus);
  for (let o = 0; o < nOut; o++) {
    const want = 1.5 * (b / span) * (ip[o] - im[o]); // the offsets (a − lo)/span cancel between the two devices
    assert.ok(Math.abs(p2[o] - want) < 1e-6 * (1 + Math.abs(want)), `output ${o}: ${p2[o]} vs direct ${want}`);
    assert.ok(Math.abs((a - lo) / span - (a - minus.wMin(0)) / (minus.wMax(0) - minus.wMin(0))) < 1e-12);
  }
  // the pair's offsets cancel; the single device's do not (its error is common-mode, ≈ −2·δ·Σx)
  const rms = (y: Float64Array, y0: Float64Array) => Math.sqrt(y.reduce((acc, yy, o) => acc + (yy - y0[o]) ** 2, 0) / nOut);
  const ep = rms(p2, p0),
    es = rms(s2, s0);
  assert.ok(ep > 0 && ep < 0.5 * es, `RMS output error from the IR drop: pair ${ep}, single device ${es}`);
});
