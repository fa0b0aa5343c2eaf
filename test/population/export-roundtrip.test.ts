/**
 * Every exported number reads back as the population's own value (1e-9 relative), for random
 * populations whose values span 1e-12 … 1e12 (exponents ending in 0 included on purpose: a formatter
 * that dropped the last exponent digit wrote lnew = 3.8e-10 m as 3.8e-1). The SPICE and Spectre cards are
 * read back by tokenizers, the aihwkit text is executed by Python against a stub of aihwkit that records
 * its keyword arguments, the CSV is parsed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  aihwkitArgs,
  exportAihwkit,
  exportCsv,
  exportSpice,
  exportVerilogA,
  formatCardNumber,
  PARAM_NAMES,
  V1B_VAR,
  VA_VAR_NAME,
  vaValue,
  type Family,
  type ParamName,
  type ParameterSpec,
  type PopulationFile,
  type SampledDevice,
  type SpreadKind,
} from '../../src/population/index.js';
import { readSpectreCards, readSpiceCards } from '../helpers/cards.js';

const REL = 1e-9;
function close(got: number | undefined, want: number, what: string): void {
  assert.ok(got !== undefined, `${what}: missing (want ${want})`);
  assert.ok(Math.abs(got - want) <= REL * Math.abs(want), `${what}: read back ${got}, population has ${want}`);
}

/** A value of magnitude 1e-12 … 1e12, often a short mantissa times a power of ten ending in 0 (e-10, e+10). */
const magnitude = fc.oneof(
  fc.tuple(fc.integer({ min: -12, max: 11 }), fc.double({ min: 1, max: 10, noNaN: true, maxExcluded: true })).map(([e, m]) => m * 10 ** e),
  fc.tuple(fc.constantFrom(-10, 10, -12, -11, -1, 0, 1, 11), fc.integer({ min: 1, max: 999 })).map(([e, m]) => (m / 100) * 10 ** e),
);
const value = fc.tuple(magnitude, fc.boolean()).map(([m, neg]) => (neg ? -m : m));

const families: Family[] = ['normal', 'lognormal', 'truncnormal', 'trunclognormal'];
const kinds: SpreadKind[] = ['absolute', 'relative', 'ln'];

const specArb: fc.Arbitrary<ParameterSpec> = fc
  .record({
    family: fc.constantFrom(...families),
    center: magnitude,
    spread: fc.double({ min: 0, max: 0.9, noNaN: true }),
    kind: fc.constantFrom(...kinds),
    c2c: fc.double({ min: 0, max: 0.9, noNaN: true }),
    c2cKind: fc.constantFrom(...kinds),
    lower: fc.option(magnitude, { nil: undefined }),
    upper: fc.option(magnitude, { nil: undefined }),
    slope: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  })
  .map((r) => {
    // an absolute spread is in the parameter's unit: scale it to the centre
    const spread = r.kind === 'absolute' ? r.spread * r.center : r.spread;
    const c2c = r.c2cKind === 'absolute' ? r.c2c * r.center : r.c2c;
    return {
      family: r.family,
      d2d: { center: r.center, spread, spreadKind: r.kind, lower: r.lower, upper: r.upper },
      c2c: { spread: c2c, spreadKind: r.c2cKind, slope: r.slope },
    };
  });

const populationArb: fc.Arbitrary<{ pop: PopulationFile; devices: SampledDevice[] }> = fc
  .record({
    base: fc.array(value, { minLength: PARAM_NAMES.length, maxLength: PARAM_NAMES.length }),
    varying: fc.subarray([...PARAM_NAMES]),
    specs: fc.array(specArb, { minLength: PARAM_NAMES.length, maxLength: PARAM_NAMES.length }),
    devices: fc.array(fc.array(value, { minLength: PARAM_NAMES.length, maxLength: PARAM_NAMES.length }), { minLength: 1, maxLength: 3 }),
    seed: fc.nat(),
  })
  .map((r) => {
    const base: Partial<Record<ParamName, number>> = {};
    PARAM_NAMES.forEach((n, i) => {
      base[n] = r.base[i];
    });
    const parameters: Partial<Record<ParamName, ParameterSpec>> = {};
    for (const n of r.varying) parameters[n] = r.specs[PARAM_NAMES.indexOf(n)];
    const pop: PopulationFile = {
      schema: 'jartcal.population/1',
      toolkitVersion: 'test',
      createdAt: '2026-01-01T00:00:00Z',
      seed: r.seed,
      provenance: { fits: [], datasets: [] },
      base,
      parameters,
      correlation: { params: [], matrix: [] },
    };
    const devices: SampledDevice[] = r.devices.map((vals, index) => {
      const params: Partial<Record<ParamName, number>> = {};
      PARAM_NAMES.forEach((n, i) => {
        params[n] = vals[i];
      });
      return { index, values: params, params, z: {} };
    });
    return { pop, devices };
  });

/** The nominal device the cards describe: base, every varying parameter at its centre. */
function nominal(pop: PopulationFile): Partial<Record<ParamName, number>> {
  const out = { ...pop.base };
  for (const n of PARAM_NAMES) {
    const p = pop.parameters[n];
    if (p) out[n] = p.d2d.center;
  }
  return out;
}

function checkInstance(got: Record<string, number> | undefined, want: Partial<Record<ParamName, number>>, what: string): void {
  assert.ok(got, `${what}: instance missing`);
  for (const n of PARAM_NAMES) {
    if (n === 'T0') {
      assert.equal(got[VA_VAR_NAME[n]], undefined, `${what}: T0 is a VA localparam`);
      continue;
    }
    close(got[VA_VAR_NAME[n]], vaValue(n, want[n] as number), `${what} ${n}`);
  }
}

const RUNS = 100;

test('formatCardNumber: exponents ending in 0 kept whole; every literal parses back', () => {
  assert.equal(formatCardNumber(3.815838763e-10), '3.815838763e-10');
  assert.equal(formatCardNumber(1e-10), '1e-10');
  assert.equal(formatCardNumber(2.5e20), '2.5e+20');
  assert.equal(formatCardNumber(-4.1e-20), '-4.1e-20');
  assert.equal(formatCardNumber(0.30000000000000004), '0.3');
  assert.equal(formatCardNumber(650), '650');
  assert.equal(formatCardNumber(1.5), '1.5');
  assert.throws(() => formatCardNumber(Number.NaN, 'lnew'), /lnew is NaN/);
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      const s = formatCardNumber(x);
      const back = Number(s);
      return Math.abs(back - x) <= REL * Math.abs(x) && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s);
    }),
    { numRuns: 2000 },
  );
});

test('SPICE and Spectre cards round-trip every value of random populations', () => {
  fc.assert(
    fc.property(populationArb, ({ pop, devices }) => {
      const spice = readSpiceCards(exportSpice(pop, devices)).instances;
      const spectre = readSpectreCards(exportVerilogA(pop, devices));
      assert.equal(spice.size, devices.length + 1);
      assert.equal(spectre.size, devices.length + 1);
      checkInstance(spice.get('Xnom'), nominal(pop), 'SPICE Xnom');
      checkInstance(spectre.get('Xnom'), nominal(pop), 'Spectre Xnom');
      for (const d of devices) {
        checkInstance(spice.get(`X${d.index}`), d.params, `SPICE X${d.index}`);
        checkInstance(spectre.get(`X${d.index}`), d.params, `Spectre X${d.index}`);
      }
    }),
    { numRuns: RUNS },
  );
});

test('CSV round-trips every sampled value', () => {
  fc.assert(
    fc.property(populationArb, ({ devices }) => {
      const columns = [...PARAM_NAMES];
      const rows = devices.map((d) => ({ device: d.index, cycle: 0, values: d.params as Record<ParamName, number> }));
      const lines = exportCsv({ columns, rows }).trim().split('\n');
      assert.deepEqual(lines[0].split(','), ['device', 'cycle', ...columns]);
      lines.slice(1).forEach((line, i) => {
        const cells = line.split(',').map(Number);
        columns.forEach((c, j) => close(cells[j + 2], devices[i].params[c] as number, `CSV row ${i + 1} ${c}`));
      });
    }),
    { numRuns: RUNS },
  );
});

test('aihwkit config executed by Python against a recording stub: every argument as the population says', (t) => {
  if (spawnSync('python3', ['--version']).status !== 0) {
    t.skip('python3 not available');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-aih-rt-'));
  const stub = join(dir, 'aihwkit', 'simulator', 'configs');
  mkdirSync(stub, { recursive: true });
  for (const d of ['aihwkit', 'aihwkit/simulator', 'aihwkit/simulator/configs']) writeFileSync(join(dir, d, '__init__.py'), '');
  writeFileSync(
    join(stub, 'devices.py'),
    'RECORD = []\nclass JARTv1bDevice:\n    def __init__(self, **kwargs):\n        RECORD.append(kwargs)\n',
  );
  const cases = fc.sample(populationArb, { numRuns: RUNS, seed: 20261207 });
  cases.forEach(({ pop }, i) => writeFileSync(join(dir, `pop${i}.py`), exportAihwkit(pop)));
  const runner = [
    'import json, runpy, sys',
    'from aihwkit.simulator.configs import devices',
    'out = []',
    `for i in range(${cases.length}):`,
    '    devices.RECORD.clear()',
    "    runpy.run_path(f'pop{i}.py')",
    '    assert len(devices.RECORD) == 1',
    '    out.append({k: float(v) for k, v in devices.RECORD[0].items()})',
    'print(json.dumps(out))',
  ].join('\n');
  const r = spawnSync('python3', ['-c', runner], { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONPATH: dir } });
  assert.equal(r.status, 0, r.stderr);
  const recorded = JSON.parse(r.stdout) as Record<string, number>[];
  const AIH: Partial<Record<ParamName, string>> = { Ndiscmax: 'Ndiscmax', Ndiscmin: 'Ndiscmin', lnew: 'ldisc', rnew: 'rdisc' };
  cases.forEach(({ pop }, i) => {
    const got = recorded[i];
    const { args } = aihwkitArgs(pop);
    assert.deepEqual(
      Object.keys(got),
      args.map(([k]) => k),
      `population ${i}: argument names and order`,
    );
    for (const [k, v] of args) close(got[k], v, `population ${i} ${k}`);
    // the values that are the population's own numbers, checked against the population, not the mapping
    const nom = nominal(pop);
    for (const n of ['un', 'Nplug', 'a', 'ny0', 'dWa', 'Rth0', 'lcell', 'RseriesTiOx', 'R0', 'T0'] as ParamName[])
      close(got[n], nom[n] as number, `population ${i} ${n}`);
    for (const n of V1B_VAR) close(got[AIH[n] as string], nom[n] as number, `population ${i} ${AIH[n]} (metres / 1e26 m^-3)`);
  });
});
