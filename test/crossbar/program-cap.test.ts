import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeVerifyRamp } from '../../src/crossbar/program/writeVerify.js';
import type { DeviceArray } from '../../src/crossbar/device/types.js';

/**
 * A device with a width threshold: pulses shorter than 0.6 of the nominal width do not move it at all (a
 * JART device below its switching threshold, or at an N bound its cycle-to-cycle walk has moved); longer ones
 * move it by 0.1 per nominal width, except the first, which jumps 0.8 per nominal width (as a JART SET
 * leaving its slow start), within ±2.
 */
function thresholdDevice(): DeviceArray {
  const w = new Float64Array(1);
  let moved = 0;
  const clip = (x: number): number => Math.max(-2, Math.min(2, x));
  return {
    kind: 'threshold',
    size: 1,
    weight: (k) => w[k],
    pulse: (k, count) => (w[k] = clip(w[k] + count * 0.1)),
    pulseWidth(k, dir, widthFactor) {
      if (widthFactor >= 0.6) w[k] = clip(w[k] + dir * (moved++ === 0 ? 0.8 : 0.1) * widthFactor);
      return w[k];
    },
    setWeight: (k, x) => {
      w[k] = x;
    },
    readCurrentA: () => 0,
    wMin: () => -2,
    wMax: () => 2,
    pulsesApplied: 0,
    stateArrays: () => [w],
  };
}

test('ramped write-verify: a device that does not move at the width an overshoot capped gets longer pulses again instead of that width until the budget is spent', () => {
  // from 0 towards 0.5: the first nominal pulse overshoots to 0.8 and the overshoot caps the width at 0.5,
  // where the device does not move
  const r = writeVerifyRamp(thresholdDevice(), 0, 0.5, 0.05, 20000, { min: 0.001, max: 1000 });
  assert.ok(r.converged, `error ${r.error}, pulses ${r.pulses}, reason ${r.reason}`);
  assert.ok(r.pulses < 20, `pulses ${r.pulses}`);
});
