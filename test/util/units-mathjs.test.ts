/** The mathjs fallback for units the ingest's fast table does not know: scales from SI definitions, lazy loading. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mathjsLoaded, unitScaleMathjs } from '../../src/util/units-mathjs.js';

test('mathjs is not loaded until a unit asks for it, then scales spelled-out and prefixed units to SI', () => {
  assert.equal(mathjsLoaded(), false);
  const close = (a: number | null, b: number): void => assert.ok(a !== null && Math.abs(a / b - 1) < 1e-12, `${a} vs ${b}`);
  close(unitScaleMathjs('milliampere', 'A'), 1e-3);
  assert.equal(mathjsLoaded(), true);
  close(unitScaleMathjs('microamp', 'A'), 1e-6);
  close(unitScaleMathjs('(µA)', 'A'), 1e-6);
  close(unitScaleMathjs('kV', 'V'), 1e3);
  close(unitScaleMathjs('millivolt', 'V'), 1e-3);
  close(unitScaleMathjs('hour', 's'), 3600);
  close(unitScaleMathjs('kΩ', 'ohm'), 1e3);
  // another quantity, or not a unit
  assert.equal(unitScaleMathjs('mV', 'A'), null);
  assert.equal(unitScaleMathjs('mAh', 'A'), null);
  assert.equal(unitScaleMathjs('a.u.', 'A'), null);
  assert.equal(unitScaleMathjs('furlongs per fortnight', 's'), null);
});
