import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRng } from '../../src/util/rng.js';
import { cycleSampler, drawCycle, samplePopulation, sampleTable, readPopulation, type PopulationFile } from '../../src/population/index.js';
import { loadPreset } from '../../src/io/population.js';

function pop(rho: number, family: 'lognormal' | 'trunclognormal' = 'lognormal'): PopulationFile {
  return readPopulation({
    schema: 'jartcal.population/1',
    toolkitVersion: 't',
    createdAt: '',
    seed: 0,
    provenance: { fits: [], datasets: [] },
    base: { rdet: 45e-9 },
    parameters: {
      rnew: {
        family,
        d2d: { center: 45e-9, spread: 0.1, spreadKind: 'ln', lower: 35e-9, upper: 55e-9 },
        c2c: { spread: 0.05, spreadKind: 'ln' },
      },
      lnew: { family: 'lognormal', d2d: { center: 0.4e-9, spread: 0.08, spreadKind: 'ln' }, c2c: { spread: 0.03, spreadKind: 'ln' } },
      Ndiscmax: { family: 'normal', d2d: { center: 20, spread: 1, spreadKind: 'absolute' }, c2c: { spread: 0.1, spreadKind: 'relative' } },
    },
    correlation: {
      params: ['rnew', 'lnew'],
      matrix: [
        [1, rho],
        [rho, 1],
      ],
    },
  });
}

test('same seed → bit-identical devices and cycles; other seed differs', () => {
  const a = sampleTable(pop(0.5), 50, 5, createRng(7));
  const b = sampleTable(pop(0.5), 50, 5, createRng(7));
  const c = sampleTable(pop(0.5), 50, 5, createRng(8));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.rows[0].values, c.rows[0].values);
});

test('more cycles do not change the devices or the first cycles', () => {
  const a = sampleTable(pop(0.5), 20, 3, createRng(1));
  const b = sampleTable(pop(0.5), 20, 6, createRng(1));
  const first = b.rows.filter((r) => r.cycle <= 3);
  assert.deepEqual(a.rows, first);
});

test('sampled ln rnew–ln lnew correlation matches the copula (n = 4000)', () => {
  const devs = samplePopulation(pop(0.7), 4000, createRng(3));
  const x = devs.map((d) => Math.log(d.values.rnew as number)),
    y = devs.map((d) => Math.log(d.values.lnew as number));
  const m = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
  const mx = m(x),
    my = m(y);
  const cov = m(x.map((v, i) => (v - mx) * (y[i] - my)));
  const r = cov / Math.sqrt(m(x.map((v) => (v - mx) ** 2)) * m(y.map((v) => (v - my) ** 2)));
  assert.ok(Math.abs(r - 0.7) < 0.04, `r = ${r}`);
  const sdLn = Math.sqrt(m(y.map((v) => (v - my) ** 2)));
  assert.ok(Math.abs(sdLn / 0.08 - 1) < 0.05);
});

test('property: truncated d2d and c2c draws stay inside the bounds, lognormal draws stay positive', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.double({ min: -0.95, max: 0.95, noNaN: true }), (seed, rho) => {
      const p = pop(rho, 'trunclognormal');
      const rng = createRng(seed);
      for (const d of samplePopulation(p, 20, rng)) {
        const r = d.values.rnew as number;
        if (!(r >= 35e-9 * (1 - 1e-12) && r <= 55e-9 * (1 + 1e-12))) return false;
        for (let c = 0; c < 3; c++) {
          const v = drawCycle(p, d, rng);
          if (!(v.rnew >= 35e-9 * (1 - 1e-12) && v.rnew <= 55e-9 * (1 + 1e-12))) return false;
          if (!(v.lnew > 0 && v.Ndiscmin === 0.008)) return false;
        }
      }
      return true;
    }),
    { numRuns: 60 },
  );
});

test('property: determinism for any seed', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
      const p = loadPreset('paper-realistic-mixed');
      return JSON.stringify(sampleTable(p, 5, 2, createRng(seed))) === JSON.stringify(sampleTable(p, 5, 2, createRng(seed)));
    }),
    { numRuns: 30 },
  );
});

test('paper presets: clipped d2d piles up at the bounds (aihwkit semantics, sigma 100 %)', () => {
  const p = loadPreset('paper-d2d-rdisc-30');
  const devs = samplePopulation(p, 2000, createRng(5));
  const at = devs.filter((d) => d.values.rnew === 31.5e-9 || d.values.rnew === 58.5e-9).length / devs.length;
  // P(|N(0,1)| > 0.3) = 0.764
  assert.ok(Math.abs(at - 0.764) < 0.03, `fraction at bounds ${at}`);
  assert.equal(loadPreset('cueppers2019').parameters.rnew, undefined);
});

test('property: devices and cycles always have Ndiscmin < Ndiscmax, even when the marginals overlap', () => {
  const overlap = readPopulation({
    schema: 'jartcal.population/1',
    toolkitVersion: 't',
    createdAt: '',
    seed: 0,
    provenance: { fits: [], datasets: [] },
    base: {},
    parameters: {
      Ndiscmax: { family: 'lognormal', d2d: { center: 0.09, spread: 0.3, spreadKind: 'ln' }, c2c: { spread: 0.3, spreadKind: 'ln' } },
      Ndiscmin: { family: 'lognormal', d2d: { center: 0.04, spread: 0.5, spreadKind: 'ln' }, c2c: { spread: 0.6, spreadKind: 'ln' } },
    },
    correlation: { params: [], matrix: [] },
  });
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = createRng(seed);
      for (const d of samplePopulation(overlap, 10, rng)) {
        if (!((d.values.Ndiscmin as number) < (d.values.Ndiscmax as number))) return false;
        for (let c = 0; c < 5; c++) {
          const v = drawCycle(overlap, d, rng);
          if (!(v.Ndiscmin < v.Ndiscmax)) return false;
        }
      }
      return true;
    }),
    { numRuns: 50 },
  );
});

test('cycleSampler: one draw per cycle, held for its SET and RESET; the first draw is the starting state', () => {
  const p = pop(0.5);
  const [d] = samplePopulation(p, 1, createRng(3));
  const cs = cycleSampler(p, d, createRng(4));
  const ev = (index: number) => cs.sampler({ index });
  assert.deepEqual(ev(0), cs.initial);
  assert.deepEqual(ev(1), cs.initial);
  const c2 = ev(2);
  assert.notDeepEqual(c2, cs.initial);
  assert.deepEqual(ev(3), c2);
  const c3 = ev(4);
  assert.notDeepEqual(c3, c2);
  assert.deepEqual(ev(5), c3);
  // the same stream as consecutive drawCycle calls
  const r = createRng(4);
  assert.deepEqual([drawCycle(p, d, r), drawCycle(p, d, r), drawCycle(p, d, r)], [cs.initial, c2, c3]);
});
