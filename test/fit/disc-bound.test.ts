import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLayout } from '../../src/fit/index.js';
import { cycleParams, MAX_DISC_FRACTION } from '../../src/fit/group.js';
import { DEFAULT_PARAMS, resolveParams } from '../../src/model/index.js';

// lnew's table range (0.1–5 nm) is wider than the default cell (lcell 3 nm): a fitted disc longer than the cell
// leaves a negative plug, which the model refuses (resolveParams). Found on ddas04: 32 of 100 device fits ended
// at lnew 4.2–5 nm and could not be re-simulated.
test('the fit bounds the disc length by the cell length when lcell is fixed, and clamps it when both are free', () => {
  const base = { ...DEFAULT_PARAMS, lcell: 3e-9 };
  const fixedCell = createLayout(['rnew', 'lnew'], [], 1, base);
  const top = fixedCell.space.fromU(fixedCell.space.uMax);
  assert.ok(Math.abs(top[1] - MAX_DISC_FRACTION * 3e-9) < 1e-15, `lnew upper bound ${top[1]}`);
  assert.ok(Math.abs(top[0] - 100e-9) < 1e-15, 'other bounds unchanged');
  // a 4.5 nm start is projected into the bound, and the result resolves
  const u = fixedCell.space.toU([45e-9, 4.5e-9]);
  const v = fixedCell.space.fromU(fixedCell.space.clampU(u));
  const p = cycleParams(fixedCell, base, v, 0);
  assert.ok(p.lnew < p.lcell);
  assert.doesNotThrow(() => resolveParams({ rnew: p.rnew, lnew: p.lnew }));
  // a longer cell gives a longer allowed disc, up to the table's 5 nm
  const longCell = createLayout(['lnew'], [], 1, { lcell: 5e-9 });
  assert.ok(Math.abs(longCell.space.fromU(longCell.space.uMax)[0] - 4.9e-9) < 1e-15);
  // without the fixed parameters (old callers): the table's bound
  const noBase = createLayout(['lnew'], [], 1);
  assert.ok(Math.abs(noBase.space.fromU(noBase.space.uMax)[0] - 5e-9) < 1e-15);
  // lcell free as well: the bound cannot hold the pair, the parameters handed to the model keep the disc inside
  const both = createLayout(['lnew', 'lcell'], [], 1, base);
  assert.ok(Math.abs(both.space.fromU(both.space.uMax)[0] - 5e-9) < 1e-15);
  const q = cycleParams(both, base, [4e-9, 2.5e-9], 0);
  assert.equal(q.lcell, 2.5e-9);
  assert.ok(Math.abs(q.lnew - MAX_DISC_FRACTION * 2.5e-9) < 1e-18);
});

// exp(ln(1e-10)) is 9.999999999999996e-11: a fit that ends on lnew's lower bound handed the model a value just
// below the table's minimum, which resolveParams refused (ddas04-cycles cycles 3 and 15, polimi experiment 89).
test('a parameter on a bound of the log space maps back onto the bound, not past it', () => {
  const layout = createLayout(['rnew', 'lnew'], [], 1, { ...DEFAULT_PARAMS });
  for (const end of [layout.space.uMin, layout.space.uMax]) {
    const v = layout.space.fromU(end);
    const p = cycleParams(layout, DEFAULT_PARAMS, v, 0);
    assert.doesNotThrow(() => resolveParams({ rnew: p.rnew, lnew: p.lnew }));
  }
  assert.ok(layout.space.fromU(layout.space.uMin)[1] >= 1e-10);
});
