import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig, type ExperimentConfig } from '../../src/crossbar/experiment/config.js';
import { applyPopulation } from '../../src/crossbar/experiment/applyPopulation.js';
import { createEngine, createKineticEngines, deviceMaker } from '../../src/crossbar/device/factory.js';
import { kineticClasses, drawDevices, type CrossbarPopulation } from '../../src/crossbar/device/population.js';
import type { JartArray } from '../../src/crossbar/device/jartArray.js';
import { createRng } from '../../src/util/rng.js';

const SCHEMA = { schema: 'jartcal.population/1', toolkitVersion: '0', createdAt: '', seed: 3, provenance: { fits: [], datasets: [] } };

function corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0,
    mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] - ma,
      y = b[i] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}
const sd = (a: number[]): number => {
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  return Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1));
};

function tile(cfg: ExperimentConfig, size: number, layer = 0): JartArray {
  const engine = createEngine(cfg);
  return deviceMaker(cfg, engine, createRng(cfg.seed).fork(0), layer, createKineticEngines(cfg))(size, 0) as JartArray;
}

test('--population: devices come from the population sampler (families, truncation, copula correlation)', () => {
  const pop = {
    ...SCHEMA,
    base: {},
    parameters: {
      rnew: { family: 'lognormal', d2d: { center: 44e-9, spread: 0.06, spreadKind: 'ln' }, c2c: { spread: 0, spreadKind: 'ln' } },
      Ndiscmax: { family: 'lognormal', d2d: { center: 18, spread: 0.2, spreadKind: 'ln' }, c2c: { spread: 0, spreadKind: 'ln' } },
      lnew: {
        family: 'truncnormal',
        d2d: { center: 0.4e-9, spread: 0.2, spreadKind: 'relative', lower: 0.36e-9, upper: 0.44e-9 },
        c2c: { spread: 0, spreadKind: 'relative' },
      },
    },
    correlation: {
      params: ['rnew', 'Ndiscmax'],
      matrix: [
        [1, 0.8],
        [0.8, 1],
      ],
    },
  };
  const cfg = resolveConfig({ name: 'p', training: { epochs: 1, trainSamples: 32, testSamples: 20 } });
  const info = applyPopulation(cfg, pop, 'pop.json');
  const c = resolveConfig(cfg); // the embedded population survives re-validation (checkpoint keys)
  assert.ok(c.device.population && c.device.population.file === 'pop.json');
  assert.deepEqual(info.correlated, ['rnew', 'Ndiscmax']);
  const dev = tile(c, 6000);
  const lr = Array.from(dev.r, Math.log),
    ln = Array.from(dev.nMax, Math.log);
  // the copula's 0.8 on ln r, ln N_max (independent draws, as before the population sampler, give 0)
  const rho = corr(lr, ln);
  assert.ok(Math.abs(rho - 0.8) < 0.03, `correlation ${rho}`);
  const med = [...dev.r].sort((a, b) => a - b)[3000];
  assert.ok(Math.abs(med / 44e-9 - 1) < 0.01, `median r ${med}`);
  assert.ok(Math.abs(sd(lr) / 0.06 - 1) < 0.05, `sd ln r ${sd(lr)}`);
  // truncation (redraw inside the bounds, not a pile-up on them): no device on a bound, a flat-ish spread inside
  assert.ok(dev.l.every((x) => x > 0.36e-9 && x < 0.44e-9));
  const atEdge = Array.from(dev.l).filter((x) => x < 0.361e-9 || x > 0.439e-9).length;
  assert.ok(atEdge < 0.05 * 6000, `${atEdge} devices within 1 % of a bound`);
  // same seed → same devices; another layer → other devices
  assert.deepEqual(Array.from(tile(c, 50).r), Array.from(dev.r.subarray(0, 50)));
  assert.notDeepEqual(Array.from(tile(c, 50, 1).r), Array.from(dev.r.subarray(0, 50)));
});

test('--population with the full model: kinetic parameters in equal-probability classes, one engine each, correlated with the geometry', () => {
  const pop: CrossbarPopulation = {
    file: 'k.json',
    base: { Rth0: 15e6 },
    parameters: {
      dWa: { family: 'lognormal', d2d: { center: 1.35, spread: 0.01, spreadKind: 'ln' }, c2c: { spread: 0, spreadKind: 'ln' } },
      rnew: { family: 'lognormal', d2d: { center: 45e-9, spread: 0.05, spreadKind: 'ln' }, c2c: { spread: 0, spreadKind: 'ln' } },
    },
    correlation: {
      params: ['dWa', 'rnew'],
      matrix: [
        [1, 0.9],
        [0.9, 1],
      ],
    },
  };
  const k = 8;
  const cls = kineticClasses(pop, k);
  assert.ok(cls);
  assert.deepEqual(cls.names, ['dWa']);
  const dwa = cls.values.map((v) => v.dWa as number);
  for (let i = 1; i < k; i++) assert.ok(dwa[i] > dwa[i - 1]);
  assert.ok(Math.abs(dwa[k / 2 - 1] * dwa[k / 2] - 1.35 * 1.35) < 1e-3, 'strata symmetric about the median');
  const draw = drawDevices(
    pop,
    8000,
    createRng(2),
    { rM: 45e-9, lM: 0.4e-9, nMin: 0.008, nMax: 20 },
    { r: [30e-9, 60e-9], l: [0.4e-9, 0.4e-9] },
    cls,
  );
  const idx = draw.engineIndex as Uint16Array;
  const counts = new Array(k).fill(0);
  for (const i of idx) counts[i]++;
  for (const n of counts) assert.ok(Math.abs(n / 8000 - 1 / k) < 0.02, `class shares ${counts}`);
  // a device's kinetics keeps its correlation with its own radius
  assert.ok(corr(Array.from(idx), Array.from(draw.rM, Math.log)) > 0.75);

  // two kinetic parameters: a 4 × 4 grid of whitened strata, equal shares, the correlation kept
  const two: CrossbarPopulation = structuredClone(pop);
  two.parameters.phiBn0 = {
    family: 'normal',
    d2d: { center: 0.18, spread: 0.01, spreadKind: 'absolute' },
    c2c: { spread: 0, spreadKind: 'absolute' },
  };
  two.correlation = {
    params: ['dWa', 'rnew', 'phiBn0'],
    matrix: [
      [1, 0.9, -0.6],
      [0.9, 1, -0.5],
      [-0.6, -0.5, 1],
    ],
  };
  const c2 = kineticClasses(two, 16);
  assert.ok(c2 && c2.values.length === 16);
  const d2 = drawDevices(
    two,
    8000,
    createRng(3),
    { rM: 45e-9, lM: 0.4e-9, nMin: 0.008, nMax: 20 },
    { r: [30e-9, 60e-9], l: [0.4e-9, 0.4e-9] },
    c2,
  );
  const share = new Array(16).fill(0);
  for (const i of d2.engineIndex as Uint16Array) share[i]++;
  for (const n of share) assert.ok(Math.abs(n / 8000 - 1 / 16) < 0.015, `class shares ${share}`);
  const lnD = c2.values.map((v) => Math.log(v.dWa as number)),
    ph = c2.values.map((v) => v.phiBn0 as number);
  assert.ok(Math.abs(corr(lnD, ph) + 0.6) < 1e-9, `class correlation ${corr(lnD, ph)}`);
  // 4 strata per coordinate keep 86.1 % of its variance
  assert.ok(Math.abs((sd(ph) ** 2 * 15) / 16 / 1e-4 - 0.861) < 0.005, `variance kept ${(sd(ph) ** 2 * 15) / 16 / 1e-4}`);

  // through the config: the full model gets one engine per class; a pulse depends on the class only
  const cfg = resolveConfig({
    name: 'k',
    device: { model: 'jart', jart: { kineticClasses: 4 } },
    training: { epochs: 1, trainSamples: 32, testSamples: 20 },
  });
  const flat = structuredClone(pop);
  delete flat.parameters.rnew;
  flat.correlation = { params: [], matrix: [] };
  cfg.device.population = flat;
  const c = resolveConfig(cfg);
  const kin = createKineticEngines(c);
  assert.ok(kin && kin.engines.length === 4);
  const dev = tile(c, 400);
  const dn = new Set<string>();
  for (let d = 0; d < 400; d++) {
    dev.n[d] = 0.5;
    dev.pulse(d, 1);
    dn.add(dev.n[d].toPrecision(12));
  }
  assert.equal(dn.size, 4, 'one response per class');
  // one class: every device on the central parameters (Rth0 from base, dWa at its centre)
  c.device.jart.kineticClasses = 1;
  assert.equal(createKineticEngines(c), null);
  const one = tile(c, 50);
  const ref = createEngine(c).pulse(true, 0.5, 45e-9, 0.4e-9, 0.008, 20);
  const plain = createEngine(resolveConfig({ name: 'd', device: { model: 'jart' } })).pulse(true, 0.5, 45e-9, 0.4e-9, 0.008, 20);
  assert.ok(Math.abs(ref - plain) > 1e-3 * (plain - 0.5), "the population's Rth0 (base) makes the engine");
  for (let d = 0; d < 50; d++) {
    one.n[d] = 0.5;
    one.pulse(d, 1);
    assert.equal(one.n[d], ref);
  }
});

test('--population: the summary says what is sampled; a broken embedded population is refused with its path', () => {
  const pop = {
    ...SCHEMA,
    base: { Rth0: 15e6 },
    parameters: {
      rnew: {
        family: 'normal',
        d2d: { center: 45e-9, spread: 1e-9, spreadKind: 'absolute' },
        c2c: { spread: 1e-9, spreadKind: 'absolute' },
      },
      phiBn0: { family: 'lognormal', d2d: { center: 0.18, spread: 0.02, spreadKind: 'ln' }, c2c: { spread: 0, spreadKind: 'ln' } },
    },
  };
  const full = resolveConfig({ name: 'f', device: { model: 'jart' } });
  const a = applyPopulation(full, pop, 'p.json');
  assert.deepEqual(a.kinetic, { params: ['phiBn0'], classes: 64 });
  // c2c per switching event → slope term √3·sd (relative); the engines' radius range ±6 spreads
  const r = full.device.jart.variability.rdisc;
  assert.ok(Math.abs(r.slope - Math.sqrt(3) * (1 / 45)) < 1e-12);
  assert.ok(Math.abs(r.dtodLower - 39e-9) < 1e-15 && Math.abs(r.dtodUpper - 51e-9) < 1e-15);
  // applying a population changes that config only, not the defaults other configs resolve from
  assert.equal(resolveConfig({}).device.population, null);
  assert.equal(resolveConfig({}).device.jart.variability.rdisc.dtod, 0);
  const fit = resolveConfig({ name: 'a' });
  const b = applyPopulation(fit, pop, 'p.json');
  assert.equal(b.kinetic, null);
  assert.match(String(b.notMapped), /phiBn0/);
  const bad = structuredClone(full);
  (bad.device.population as CrossbarPopulation).parameters.rnew = { family: 'gamma' } as never;
  assert.throws(() => resolveConfig(bad, 'x.json'), /device\.population.*p\.json.*parameters\.rnew\.family/);
});

test('operating point: pulse amplitudes matched to a full swing of the central device, the N window between its own bounds', async () => {
  const { applyOperatingPoint, nominalParams, PAPER_WINDOW } = await import('../../src/crossbar/device/operatingPoint.js');
  const { ModelEngine } = await import('../../src/crossbar/device/modelEngine.js');
  // recount with the crossbar's own full-model engine (wider kernel tables than the matcher's)
  const swing = (c: ExperimentConfig, set: boolean, cap: number): number => {
    const j = c.device.jart,
      p = nominalParams(c);
    const e = new ModelEngine(j, { params: p, rRangeM: [p.rnew * 0.9, p.rnew * 1.1], lRangeM: [p.lnew * 0.9, p.lnew * 1.1] });
    let n = set ? j.nLo : j.nHi,
      k = 0;
    while (k < cap && (set ? n < j.nHi : n > j.nLo)) {
      n = e.pulse(set, n, p.rnew, p.lnew, p.Ndiscmin, p.Ndiscmax);
      k++;
    }
    return k;
  };
  // the default device: the paper chose −0.342 / +0.7065 V so that the aihwkit fit of this device swings in
  // 9,900 pulses each way (reference-paper §1.5); matched on the full model they come out within 1 % of those
  const def = resolveConfig({ device: { model: 'jart', jart: { pulseMatch: 9900 } } });
  const op = applyOperatingPoint(def);
  assert.ok(op && op.pulses && op.window === 'config');
  assert.ok(Math.abs(def.device.jart.vSetV / -0.342 - 1) < 0.01, `V_SET ${def.device.jart.vSetV}`);
  assert.ok(Math.abs(def.device.jart.vResetV / 0.7065 - 1) < 0.015, `V_RESET ${def.device.jart.vResetV}`);
  for (const set of [true, false]) {
    const k = swing(def, set, 20000);
    assert.ok(Math.abs(k / 9900 - 1) < 0.02, `${set ? 'SET' : 'RESET'} swing ${k}`);
  }
  // a slow calibrated device (activation energy at the table's top, a narrow N range, 5 kΩ series): the
  // paper's pulses do not move it; matched ones swing it in the target count, inside its own N range
  const slow: CrossbarPopulation = {
    file: 'slow.json',
    base: { dWa: 1.5, RseriesTiOx: 5000, phiBn0: 0.38, Rtheff_scaling: 0.4 },
    parameters: {
      Ndiscmax: { family: 'lognormal', d2d: { center: 0.94, spread: 0.1, spreadKind: 'ln' }, c2c: { spread: 0, spreadKind: 'ln' } },
      Ndiscmin: { family: 'lognormal', d2d: { center: 0.015, spread: 0.1, spreadKind: 'ln' }, c2c: { spread: 0, spreadKind: 'ln' } },
      rnew: { family: 'lognormal', d2d: { center: 35e-9, spread: 0.1, spreadKind: 'ln' }, c2c: { spread: 0, spreadKind: 'ln' } },
    },
    correlation: { params: [], matrix: [] },
  };
  const cfg = resolveConfig({ device: { model: 'jart', jart: { nWindow: 'device', pulseMatch: 2000 } } });
  applyPopulation(cfg, { ...SCHEMA, ...slow }, 'slow.json');
  const before = structuredClone(cfg);
  [before.device.jart.nLo, before.device.jart.nHi] = [
    0.015 * Math.pow(0.94 / 0.015, PAPER_WINDOW[0]),
    0.015 * Math.pow(0.94 / 0.015, PAPER_WINDOW[1]),
  ];
  assert.equal(swing(before, true, 50000), 50000, 'paper pulses: no SET swing within 50,000 pulses');
  const o = applyOperatingPoint(cfg);
  assert.ok(o && o.pulses);
  assert.ok(
    Math.abs(cfg.device.jart.nLo - before.device.jart.nLo) < 1e-12 && Math.abs(cfg.device.jart.nHi - before.device.jart.nHi) < 1e-12,
  );
  assert.ok(cfg.device.jart.vSetV < -0.5 && cfg.device.jart.vResetV > 0.8, `pulses ${cfg.device.jart.vSetV} / ${cfg.device.jart.vResetV}`);
  for (const set of [true, false]) {
    const k = swing(cfg, set, 20000);
    assert.ok(Math.abs(k / 2000 - 1) < 0.03, `${set ? 'SET' : 'RESET'} swing ${k}`);
  }
  // deterministic (a resumed run resolves the same operating point) and refused off the full model
  const again = structuredClone(cfg);
  applyOperatingPoint(again);
  assert.deepEqual(again, cfg);
  assert.throws(
    () => resolveConfig({ device: { jart: { pulseMatch: 9900 } } }),
    /pulseMatch: expected 0 \(pulseMatch applies to the full model/,
  );
  assert.throws(() => resolveConfig({ device: { model: 'jart', jart: { nWindow: 'own' } } }), /nWindow: expected one of config, device/);
});

test('crossbar run reports the operating point it chose and resumes with it', async () => {
  const { main } = await import('../../src/cli/main.js');
  const { mkdtempSync, rmSync, writeFileSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const out = mkdtempSync(join(tmpdir(), 'jartcal-op-'));
  try {
    const cfgFile = join(out, 'op.json');
    writeFileSync(
      cfgFile,
      JSON.stringify({
        name: 'op',
        device: { model: 'jart', jart: { nWindow: 'device', pulseMatch: 500 } },
        network: { sizes: [784, 16, 10] },
        training: { epochs: 1, trainSamples: 32, testSamples: 20 },
      }),
    );
    const args = ['crossbar', 'run', cfgFile, '--out', join(out, 'r')];
    assert.equal(await main(args), 0);
    const r = JSON.parse(readFileSync(join(out, 'r', 'results.json'), 'utf8'));
    assert.equal(r.operatingPoint.window, 'device');
    assert.equal(r.operatingPoint.pulses.target, 500);
    assert.ok(Math.abs(r.operatingPoint.pulses.setPulses - 500) <= 5 && Math.abs(r.operatingPoint.pulses.resetPulses - 500) <= 5);
    assert.equal(r.config.device.jart.vSetV, r.operatingPoint.pulses.vSetV);
    assert.equal(r.config.device.jart.nLo, r.operatingPoint.nLo);
    // the same command with --resume finds its checkpoint (the operating point resolves identically)
    assert.equal(await main([...args, '--resume']), 0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('switching-speed spread: a wide filament-radius spread puts decades between the devices, a narrow one does not', async () => {
  const { swingSpread, describeSwingSpread } = await import('../../src/crossbar/device/swingSpread.js');
  const { applyOperatingPoint } = await import('../../src/crossbar/device/operatingPoint.js');
  const withSpread = (ln: number): ExperimentConfig => {
    const cfg = resolveConfig({ seed: 2, device: { model: 'jart', jart: { pulseMatch: 1000 } } });
    applyPopulation(
      cfg,
      {
        ...SCHEMA,
        base: {},
        correlation: { params: [], matrix: [] },
        parameters: {
          rnew: { family: 'lognormal', d2d: { center: 45e-9, spread: ln, spreadKind: 'ln' }, c2c: { spread: 0, spreadKind: 'ln' } },
        },
      },
      'p.json',
    );
    applyOperatingPoint(cfg);
    return cfg;
  };
  const narrow = swingSpread(withSpread(0.01), 60, 20000);
  const wide = swingSpread(withSpread(0.3), 60, 20000);
  // the central device swings in the matched 1,000 pulses; 1 % radius spread keeps every device near it
  assert.ok(narrow.set.p50 > 300 && narrow.set.p50 < 1500, `narrow SET p50 ${narrow.set.p50} (90 % of the swing of a matched 1,000)`);
  assert.equal(narrow.set.neverShare, 0);
  assert.ok(narrow.decades < 0.5, `narrow: ${describeSwingSpread(narrow)}`);
  // the heating scales with the filament area: 30 % in radius spreads the pulse counts over more than a decade
  assert.ok(wide.decades > 1, `wide: ${describeSwingSpread(wide)}`);
  assert.match(describeSwingSpread(wide), /pulses per full swing over 60 devices: SET p10 \d+/);
});
