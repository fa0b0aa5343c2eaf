/** Display units: one per parameter, defined beside the parameter table; files keep SI units. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARAM_TABLE } from '../../src/model/index.js';
import { DISPLAY_UNITS, displayUnit, formatNumber, formatParam, labelWithUnit, toDisplay } from '../../src/model/display.js';
import { formatFitTable } from '../../src/fit/summary.js';

test('display units: every parameter of the table has one; lengths in nm, N in 1e26 m⁻³, energies in eV, resistances in Ω', () => {
  assert.deepEqual(Object.keys(DISPLAY_UNITS).sort(), PARAM_TABLE.map((s) => s.name).sort());
  for (const s of PARAM_TABLE) {
    const d = displayUnit(s.name);
    if (s.unit === 'm') assert.deepEqual(d, { unit: 'nm', factor: 1e9 }, s.name);
    if (s.unit === '1e26 m^-3') assert.deepEqual(d, { unit: '1e26 m⁻³', factor: 1 }, s.name);
    if (s.unit === 'eV' || s.unit === 'K' || s.unit === 'Hz' || s.unit === '1/K') assert.deepEqual(d, { unit: s.unit, factor: 1 }, s.name);
    if (s.unit === 'Ohm') assert.deepEqual(d, { unit: 'Ω', factor: 1 }, s.name);
    if (s.unit === '1') assert.equal(d.unit, '', s.name);
  }
  // Units that change the number: independent conversions (1 m²/(V s) = 1e4 cm²/(V s); 1 MK/W = 1e6 K/W).
  assert.ok(Math.abs(toDisplay('un', 4e-6) - 0.04) < 1e-15);
  assert.ok(Math.abs(toDisplay('Rth0', 15.72e6) - 15.72) < 1e-12);
  assert.equal(toDisplay('rnew', 45e-9), 45);
  assert.equal(formatParam('lnew', 3.8158e-10), '0.3816');
  assert.equal(labelWithUnit('Ndiscmin'), 'Ndiscmin (1e26 m⁻³)');
  assert.equal(labelWithUnit('eps'), 'eps');
  assert.equal(displayUnit('unknownThing').unit, '');
});

test('display numbers: significant digits, no binary-float tails, plain or e-notation', () => {
  assert.equal(formatNumber(0.00027499999999999996 * 1e6), '275');
  assert.equal(formatNumber(0.010000000000000009), '0.01');
  assert.equal(formatNumber(2e13), '2e13');
  assert.equal(formatNumber(-3.5e-4, 2), '-3.5e-4');
  assert.equal(formatNumber(3.815838763e-10), '3.816e-10');
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(NaN), 'n/a');
});

test('fit table: parameter columns carry their display unit and show display values', () => {
  const f = {
    settings: { fitParams: ['rnew', 'Ndiscmin', 'seriesOhm'] },
    cycles: [
      {
        device: 'D1',
        cycle: 1,
        rmsLog10: 0.01,
        metrics: { dVSetV: 0.001, dVResetV: -0.002 },
        params: { rnew: 45.16e-9, Ndiscmin: 0.0088 },
        circuit: { seriesOhm: 1200 },
        flags: [],
      },
    ],
  } as unknown as Parameters<typeof formatFitTable>[0];
  const t = formatFitTable(f);
  assert.match(t, /rnew\[nm\]\s+Ndiscmin\[1e26 m⁻³\]\s+seriesOhm\[Ω\]/);
  assert.match(t, /45\.16\s+0\.0088\s+1200/);
});
