import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sharedPath } from '../helpers/shared.js';
import { FitEulerEngine, PAPER_PULSES, TabulatedEngine } from '../../src/crossbar/device/jartEngine.js';
import { JartArray } from '../../src/crossbar/device/jartArray.js';
import { NO_VAR } from '../../src/crossbar/device/types.js';
import { createRng } from '../../src/util/rng.js';

const N_HI = 1.9897452127440085;
const NOM = { rM: 45e-9, lM: 0.4e-9, nMin: 0.008, nMax: 20 };
const NOVAR = { Ndiscmax: NO_VAR, Ndiscmin: NO_VAR, ldisc: NO_VAR, rdisc: NO_VAR, wBounds: NO_VAR };

test('aihwkit-jart device reproduces the seed system pulse response (10k SET then 10k RESET)', () => {
  const rows = readFileSync(sharedPath('aihwkit-jart', 'pulse-response.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  const dev = new JartArray(
    { size: 1, engine: new FitEulerEngine(PAPER_PULSES), nLo: 0.06, nHi: N_HI, wMin: -0.6, wMax: 0.6, nominal: NOM, variability: NOVAR },
    createRng(1),
  );
  dev.n[0] = rows[0][3];
  let maxRelN = 0,
    maxDw = 0;
  for (let i = 1; i < rows.length; i++) {
    const w = dev.pulse(0, rows[i][1]);
    maxRelN = Math.max(maxRelN, Math.abs(dev.n[0] - rows[i][3]) / rows[i][3]);
    maxDw = Math.max(maxDw, Math.abs(w - rows[i][2]));
  }
  // the reference is float32 arithmetic; ours float64: agreement to 1e-3 relative in N
  assert.ok(maxRelN < 1e-3, `max relative N error ${maxRelN}`);
  assert.ok(maxDw < 1e-3, `max weight error ${maxDw}`);
});

test('tabulated engine matches per-pulse Euler over N, r and l (ΔN within 4 %; large steps integrated exactly)', () => {
  const exact = new FitEulerEngine(PAPER_PULSES);
  const tab = new TabulatedEngine(exact, {
    nLo: 0.06,
    nHi: N_HI,
    nPoints: 2049,
    rLoM: 31.5e-9,
    rHiM: 58.5e-9,
    rPoints: 49,
    lNomM: 0.4e-9,
    nMinNom: 0.008,
    nMaxNom: 20,
  });
  const clamp = (x: number, set: boolean): number => (Number.isFinite(x) ? Math.min(N_HI, Math.max(0.06, x)) : set ? N_HI : 0.06);
  const rng = createRng(5);
  let worst = 0;
  for (let s = 0; s < 300; s++) {
    const n = 0.06 + (N_HI - 0.06) * rng.next(),
      r = 31.5e-9 + 27e-9 * rng.next(),
      l = 0.28e-9 + 0.24e-9 * rng.next();
    for (const set of [true, false]) {
      const dE = clamp(exact.pulse(set, n, r, l, 0.008, 20), set) - n,
        dT = clamp(tab.pulse(set, n, r, l), set) - n;
      if (dE !== 0) worst = Math.max(worst, Math.abs(dT - dE) / Math.abs(dE));
    }
  }
  assert.ok(worst < 0.04, `worst relative ΔN error ${worst}`);
});

test('3-D table (N, r, ln l) matches per-pulse Euler; only near-binary pulses (ΔN > 0.1) are integrated exactly', () => {
  const exact = new FitEulerEngine(PAPER_PULSES);
  // the paper's realistic mixed ranges: r in [40.5, 49.5] nm, l in [0.36, 0.44] nm, each with ±11 % c2c
  const rLo = 36e-9,
    rHi = 55e-9,
    lLo = 0.32e-9,
    lHi = 0.49e-9;
  const tab = new TabulatedEngine(exact, {
    nLo: 0.06,
    nHi: N_HI,
    nPoints: 257,
    rLoM: rLo,
    rHiM: rHi,
    rPoints: 17,
    lNomM: 0.4e-9,
    nMinNom: 0.008,
    nMaxNom: 20,
    lLoM: lLo,
    lHiM: lHi,
    lPoints: 5,
  });
  assert.equal(tab.exactAbove, 0.1);
  const clamp = (x: number, set: boolean): number => (Number.isFinite(x) ? Math.min(N_HI, Math.max(0.06, x)) : set ? N_HI : 0.06);
  const rng = createRng(11);
  const errs: number[] = [];
  let large = 0;
  for (let s = 0; s < 400; s++) {
    const n = 0.06 + (N_HI - 0.06) * rng.next(),
      r = rLo + (rHi - rLo) * rng.next(),
      l = lLo + (lHi - lLo) * rng.next();
    for (const set of [true, false]) {
      const dE = clamp(exact.pulse(set, n, r, l, 0.008, 20), set) - n,
        dT = clamp(tab.pulse(set, n, r, l), set) - n;
      if (Math.abs(dE) > 0.01) large++;
      if (dE !== 0) errs.push(Math.abs(dT - dE) / Math.abs(dE));
    }
  }
  errs.sort((a, b) => a - b);
  assert.ok(large > 50, `the sample covers pulses that the 2-D table integrates exactly (${large})`);
  const median = errs[errs.length >> 1],
    p95 = errs[Math.floor(errs.length * 0.95)];
  assert.ok(median < 2e-3, `median relative ΔN error ${median}`);
  assert.ok(p95 < 0.03, `95th percentile relative ΔN error ${p95}`);
  assert.ok(errs[errs.length - 1] < 0.1, `max relative ΔN error ${errs[errs.length - 1]}`);
});

test('an overflowing Euler pulse puts the c2c radius and disc length on their upper bounds, as the paper-era aihwkit code', () => {
  const eng = new FitEulerEngine(PAPER_PULSES);
  // precondition: at r = 31.5 nm a RESET from N = 0.342 overflows (spec §8 sign, forward Euler)
  assert.ok(Number.isNaN(eng.pulse(false, 0.342, 31.5e-9, 0.4e-9, 0.008, 20)));
  const v = {
    ...NOVAR,
    rdisc: { ...NO_VAR, dtod: 1, dtodLower: 31.5e-9, dtodUpper: 31.5e-9, std: 0.01, slope: 0.1, ctocLower: -0.11, ctocUpper: 0.11 },
    ldisc: { ...NO_VAR, std: 0.01, ctocLower: -0.11, ctocUpper: 0.11 },
  };
  const dev = new JartArray(
    { size: 1, engine: eng, nLo: 0.06, nHi: N_HI, wMin: -1.5, wMax: 1.5, nominal: NOM, variability: v },
    createRng(3),
  );
  dev.setWeight(0, 0);
  dev.pulse(0, -1); // RESET
  assert.equal(dev.n[0], 0.06, 'the overflowing RESET lands on the lower N bound');
  assert.ok(Math.abs(dev.r[0] / (31.5e-9 * 1.11) - 1) < 1e-12, `r = ${dev.r[0]}`);
  assert.ok(Math.abs(dev.l[0] / (0.4e-9 * 1.11) - 1) < 1e-12, `l = ${dev.l[0]}`);
  // a regular pulse walks them within their bounds instead
  dev.setWeight(0, 0);
  const r0 = dev.r[0];
  dev.pulse(0, 1);
  assert.ok(dev.r[0] <= r0 * (1 + 0.01 + 0.1) + 1e-18 && dev.r[0] >= 31.5e-9 * 0.89 - 1e-18);
});

test('rthScaling: with R_th ∝ 1/r² the radius sets the switching speed; with R_th = Rth0 (fork before 2022-10-24) RESET ignores it', () => {
  const area = new FitEulerEngine(PAPER_PULSES),
    flat = new FitEulerEngine({ ...PAPER_PULSES, rthScaling: 'none' });
  const step = (e: FitEulerEngine, set: boolean, r: number): number => Math.abs(e.pulse(set, 0.342, r, 0.4e-9, 0.008, 20) - 0.342);
  // the nominal radius is the same device in both
  for (const set of [true, false]) assert.equal(step(flat, set, 45e-9), step(area, set, 45e-9));
  // R_th = Rth0: in RESET r enters only through R_th (field V/l_cell, fit current), so every radius moves alike
  for (const r of [31.5e-9, 36e-9, 58.5e-9]) assert.equal(step(flat, false, r), step(flat, false, 45e-9));
  // ... and in SET only through the disc field (∝ 1/r²): faster for small r, but within a factor 20 over ±30 %
  const sFlat = step(flat, true, 31.5e-9) / step(flat, true, 58.5e-9);
  assert.ok(sFlat > 2 && sFlat < 20, `SET speed ratio 31.5/58.5 nm with R_th = Rth0: ${sFlat}`);
  // with R_th ∝ 1/r² the same two radii differ by more than five decades in SET, and 31.5 nm overflows in RESET
  assert.ok(step(area, true, 31.5e-9) / step(area, true, 58.5e-9) > 1e5);
  assert.ok(Number.isNaN(area.pulse(false, 0.342, 31.5e-9, 0.4e-9, 0.008, 20)));
});

test('zero init sits at N ≈ 0.342 and SET/RESET pulses move the weight in opposite directions', () => {
  const dev = new JartArray(
    { size: 1, engine: new FitEulerEngine(PAPER_PULSES), nLo: 0.06, nHi: N_HI, wMin: -1.5, wMax: 1.5, nominal: NOM, variability: NOVAR },
    createRng(1),
  );
  dev.setWeight(0, 0);
  assert.ok(Math.abs(dev.n[0] - 0.3421) < 2e-3, `N(w=0) = ${dev.n[0]}`);
  const up = dev.pulse(0, 1);
  assert.ok(up > 0);
  dev.setWeight(0, 0);
  assert.ok(dev.pulse(0, -1) < 0);
});

test('d2d draws are clipped to their bounds and c2c walks stay within the device bounds', () => {
  const v = { ...NOVAR, rdisc: { ...NO_VAR, dtod: 1, dtodLower: 31.5e-9, dtodUpper: 58.5e-9, std: 0.3, ctocLower: -0.3, ctocUpper: 0.3 } };
  const eng = new FitEulerEngine(PAPER_PULSES);
  const dev = new JartArray(
    { size: 200, engine: eng, nLo: 0.06, nHi: N_HI, wMin: -1.5, wMax: 1.5, nominal: NOM, variability: v },
    createRng(2),
  );
  const r0 = dev.r.slice();
  for (const r of r0) assert.ok(r >= 31.5e-9 && r <= 58.5e-9);
  assert.ok(r0.filter((r) => r === 31.5e-9 || r === 58.5e-9).length > 80, 'sigma 100 % piles up at the clip bounds');
  for (let k = 0; k < 200; k++) {
    dev.setWeight(k, 0);
    dev.pulse(k, 3);
  }
  let moved = 0;
  for (let k = 0; k < 200; k++) {
    assert.ok(dev.r[k] >= r0[k] * 0.7 - 1e-18 && dev.r[k] <= r0[k] * 1.3 + 1e-18);
    if (dev.r[k] !== r0[k]) moved++;
  }
  assert.ok(moved > 150, 'c2c changed the radius');
});

test('full-physics engine (model pulse kernel): tabulated ΔN matches the kernel, and SET/RESET steps agree with spec §8 within 20 %', async () => {
  const { ModelEngine } = await import('../../src/crossbar/device/modelEngine.js');
  const m = new ModelEngine(PAPER_PULSES, { rRangeM: [42e-9, 48e-9], lRangeM: [0.38e-9, 0.42e-9] });
  const tab = new TabulatedEngine(m, {
    nLo: 0.06,
    nHi: N_HI,
    nPoints: 1025,
    rLoM: 45e-9,
    rHiM: 45e-9,
    rPoints: 1,
    lNomM: 0.4e-9,
    nMinNom: 0.008,
    nMaxNom: 20,
  });
  // spec §8: full model single-pulse ΔN at N = 0.2 / 0.5: SET +2.75e-3 / +7.27e-3, RESET −4.29e-3 / −9.84e-3
  const ref: [number, boolean, number][] = [
    [0.2, true, 2.75e-3],
    [0.5, true, 7.27e-3],
    [0.2, false, -4.29e-3],
    [0.5, false, -9.84e-3],
  ];
  for (const [n, set, d] of ref) {
    const dm = m.pulse(set, n, 45e-9, 0.4e-9, 0.008, 20) - n;
    assert.ok(Math.abs(dm - d) / Math.abs(d) < 0.2, `N=${n} ${set ? 'SET' : 'RESET'}: ${dm} vs ${d}`);
  }
  const rng = createRng(12);
  for (let s = 0; s < 40; s++) {
    const n = 0.06 + (N_HI - 0.06) * rng.next();
    for (const set of [true, false]) {
      const dk = m.pulse(set, n, 45e-9, 0.4e-9, 0.008, 20) - n,
        dt = tab.pulse(set, n, 45e-9, 0.4e-9) - n;
      assert.ok(Math.abs(dt - dk) <= 0.01 * Math.abs(dk), `N=${n}: table ${dt} vs kernel ${dk}`);
    }
  }
  assert.ok(m.readA(1.9, 45e-9, 0.4e-9) > 4 * m.readA(0.06, 45e-9, 0.4e-9), 'on/off at the read voltage');
});

test('paper-era weight bounds (mapping ±0.6, bounds ±1.5, aihwkit 0.6.0 JART shadowing): no N clamp inside [N_min, N_max]', async () => {
  const { clampBounds, createEngine } = await import('../../src/crossbar/device/factory.js');
  const { resolveConfig } = await import('../../src/crossbar/experiment/config.js');
  const jart = (o: Record<string, number>): ReturnType<typeof resolveConfig> => resolveConfig({ device: { jart: o } });
  // bounds equal to the mapping's end points: the peripheral clamp exactly
  const same = jart({ wMin: -1.5, wMax: 1.5, wBoundMin: -1.5, wBoundMax: 1.5 });
  assert.deepEqual(clampBounds(same.device.jart, createEngine(same)), [0.06, N_HI]);
  // w = +1.5 under the ±0.6 map needs I_min + 1.75·(I_max − I_min) ≈ 182 µA, above the fit's saturation
  // current g(0.2 V) = 4.84e-3·(1 − e^(−0.1353·0.2)) ≈ 129 µA (spec §7.1); w = −1.5 needs a negative current
  const paper = jart({ wMin: -0.6, wMax: 0.6, wBoundMin: -1.5, wBoundMax: 1.5 });
  assert.deepEqual(clampBounds(paper.device.jart, createEngine(paper)), [0, Infinity]);
  // reachable bounds: the clamp N reads back as the bound weight
  const mid = jart({ wMin: -0.6, wMax: 0.6, wBoundMin: -0.7, wBoundMax: 0.7 });
  const [lo, hi] = clampBounds(mid.device.jart, createEngine(mid));
  const dev = new JartArray(
    {
      size: 1,
      engine: new FitEulerEngine(PAPER_PULSES),
      nLo: 0.06,
      nHi: N_HI,
      wMin: -0.6,
      wMax: 0.6,
      nClampLo: lo,
      nClampHi: hi,
      nominal: NOM,
      variability: NOVAR,
    },
    createRng(1),
  );
  assert.ok(lo < 0.06 && hi > N_HI);
  assert.ok(Math.abs(dev.wMin(0) + 0.7) < 1e-9 && Math.abs(dev.wMax(0) - 0.7) < 1e-9, `${dev.wMin(0)} ${dev.wMax(0)}`);
});

test('without the peripheral clamp a device leaves [0.06, 1.9897] (weights beyond ±0.6) but stays in [N_min, N_max]', () => {
  const mk = (lo: number, hi: number): JartArray =>
    new JartArray(
      {
        size: 1,
        engine: new FitEulerEngine(PAPER_PULSES),
        nLo: 0.06,
        nHi: N_HI,
        wMin: -0.6,
        wMax: 0.6,
        nClampLo: lo,
        nClampHi: hi,
        nominal: NOM,
        variability: NOVAR,
      },
      createRng(1),
    );
  const free = mk(0, Infinity),
    clamped = mk(0.06, N_HI);
  for (const d of [free, clamped]) d.setWeight(0, 0);
  assert.ok(Math.abs(free.n[0] - 0.3421) < 2e-3);
  // a fast device (r = 31.5 nm): one SET pulse overshoots the peripheral bound
  free.r[0] = 31.5e-9;
  clamped.r[0] = 31.5e-9;
  const wf = free.pulse(0, 1),
    wc = clamped.pulse(0, 1);
  assert.ok(Math.abs(wc - 0.6) < 1e-9, `clamped ${wc}`);
  assert.ok(wf > 0.6 && free.n[0] > N_HI && free.n[0] <= NOM.nMax, `free w ${wf}, N ${free.n[0]}`);
  for (let i = 0; i < 5; i++) free.pulse(0, -1);
  assert.ok(free.n[0] >= NOM.nMin && free.n[0] < 0.06 && free.weight(0) < -0.6, `after RESET N ${free.n[0]}`);
  assert.ok(free.wMax(0) > 0.79 && free.wMax(0) < 0.81 && free.wMin(0) < -0.8, `range ${free.wMin(0)} … ${free.wMax(0)}`);
});

test('the outer ln N table (clamp wider than [0.06, 1.9897]) matches exact pulses, with the device N bounds as F_limit ratio', () => {
  const exact = new FitEulerEngine(PAPER_PULSES);
  const tab = new TabulatedEngine(exact, {
    nLo: 0.06,
    nHi: N_HI,
    nPoints: 65,
    rLoM: 40e-9,
    rHiM: 50e-9,
    rPoints: 3,
    lNomM: 0.4e-9,
    nMinNom: 0.008,
    nMaxNom: 20,
    exactAbove: 0.1,
    outer: { nLo: 0.004, nHi: 26, nPoints: 1025 },
  });
  let worst = 0,
    count = 0;
  for (const r of [40e-9, 45e-9, 50e-9])
    for (const [nMin, nMax] of [
      [0.008, 20],
      [0.012, 14],
      [0.004, 26],
    ])
      for (const set of [true, false]) {
        for (const n of [0.0065, 0.015, 0.03, 0.05, 2.5, 5, 9, 12]) {
          if (n <= nMin * 1.2 || n >= nMax * 0.8) continue;
          const e = exact.pulse(set, n, r, 0.4e-9, nMin, nMax) - n,
            t = tab.pulse(set, n, r, 0.4e-9, nMin, nMax) - n;
          if (!(Math.abs(e) > 1e-8 && Math.abs(e) < 0.1)) continue;
          worst = Math.max(worst, Math.abs(t - e) / Math.abs(e));
          count++;
        }
      }
  assert.ok(count > 50, `${count} cases`);
  assert.ok(worst < 0.01, `worst relative ΔN error ${worst}`);
});

test("d2d weight bounds vary each device's N clamp, not the (global) weight mapping", async () => {
  const { weightToClampN, createEngine } = await import('../../src/crossbar/device/factory.js');
  const { resolveConfig } = await import('../../src/crossbar/experiment/config.js');
  const mk = (lo: number, hi: number): JartArray => {
    const cfg = resolveConfig({ device: { jart: { wMin: -0.6, wMax: 0.6, wBoundMin: -0.7, wBoundMax: 0.7 } } });
    const v = { ...NOVAR, wBounds: { ...NO_VAR, dtod: 0.3, dtodLower: lo, dtodUpper: hi } };
    return new JartArray(
      {
        size: 50,
        engine: new FitEulerEngine(PAPER_PULSES),
        nLo: 0.06,
        nHi: N_HI,
        wMin: -0.6,
        wMax: 0.6,
        wBoundMin: -0.7,
        wBoundMax: 0.7,
        clampOf: weightToClampN(cfg.device.jart, createEngine(cfg)),
        nominal: NOM,
        variability: v,
      },
      createRng(4),
    );
  };
  const dev = mk(0.62, 0.78);
  dev.n[0] = 0.5;
  const w05 = dev.weight(0);
  const tops = new Set<number>();
  for (let k = 0; k < dev.size; k++) {
    const top = dev.wMax(k),
      bottom = dev.wMin(k);
    assert.ok(top >= 0.62 - 1e-9 && top <= 0.78 + 1e-9 && bottom <= -0.62 + 1e-9 && bottom >= -0.78 - 1e-9, `${bottom} … ${top}`);
    tops.add(Math.round(top * 1e6));
    dev.n[k] = 0.5; // same state, same weight: the mapping is global
    assert.equal(dev.weight(k), w05);
    dev.setWeight(k, top - 2e-3);
    const w = dev.pulse(k, 400);
    assert.ok(w <= top + 1e-9 && w > top - 2e-3, `device ${k} stops at its bound ${top}: ${w}`);
  }
  assert.ok(tops.size > 5);
  // the paper's G-bound configs ([1.05, 1.95] under the ±0.6 map): no bound is reachable, every device has the full range
  const paper = mk(1.05, 1.95);
  for (let k = 0; k < paper.size; k++) assert.ok(paper.wMax(k) > 0.79 && paper.wMin(k) < -0.8);
});
