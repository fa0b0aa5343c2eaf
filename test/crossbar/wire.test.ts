import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idealColumnCurrents, solveWireDirect, solveWireIterative, wireTransferMatrix } from '../../src/crossbar/array/wire.js';
import { createRng } from '../../src/util/rng.js';

test('wire-resistance iterative solve matches a direct nodal solve on small arrays', () => {
  const rng = createRng(3);
  for (const [rows, cols, rWire] of [
    [4, 3, 2.5],
    [7, 5, 10],
    [6, 9, 1],
  ] as const) {
    const g = Array.from({ length: rows * cols }, () => 1e-4 + 5e-4 * rng.next()); // 100 µS .. 600 µS
    const vIn = Array.from({ length: rows }, () => 0.2 * (2 * rng.next() - 1));
    const it = solveWireIterative(g, rows, cols, vIn, rWire, 1000, 1e-13);
    const direct = solveWireDirect(g, rows, cols, vIn, rWire);
    assert.ok(it.converged, 'iterative solve converged');
    const ideal = idealColumnCurrents(g, rows, cols, vIn);
    let scale = 0;
    for (const x of ideal) scale = Math.max(scale, Math.abs(x));
    for (let j = 0; j < cols; j++) assert.ok(Math.abs(it.iA[j] - direct[j]) <= 1e-9 * scale, `column ${j}: ${it.iA[j]} vs ${direct[j]}`);
    // wire resistance must change the result measurably (the test can fail if the wires were ignored)
    const dev = Math.max(...Array.from(direct, (x, j) => Math.abs(x - ideal[j])));
    assert.ok(dev > 1e-4 * scale, 'IR drop visible');
  }
});

test('vanishing wire resistance gives the ideal column currents', () => {
  const g = [1e-4, 2e-4, 3e-4, 4e-4, 5e-4, 6e-4];
  const v = [0.1, -0.2];
  const it = solveWireIterative(g, 2, 3, v, 1e-6);
  const ideal = idealColumnCurrents(g, 2, 3, v);
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(it.iA[j] - ideal[j]) < 1e-8 * 1e-4);
});

test('wire transfer matrix: T·v equals the full solve for any input (linearity), and the direct nodal solve', () => {
  const rng = createRng(9);
  for (const [rows, cols, rWire] of [
    [5, 4, 3],
    [8, 6, 1],
  ] as const) {
    const g = Array.from({ length: rows * cols }, () => 1e-4 + 5e-4 * rng.next());
    const tr = wireTransferMatrix(g, rows, cols, rWire, 2000, 1e-14);
    assert.ok(tr.converged);
    for (let trial = 0; trial < 3; trial++) {
      const vIn = Array.from({ length: rows }, () => 0.2 * (2 * rng.next() - 1));
      const direct = solveWireDirect(g, rows, cols, vIn, rWire);
      const ideal = idealColumnCurrents(g, rows, cols, vIn);
      const scale = Math.max(...ideal.map(Math.abs));
      for (let j = 0; j < cols; j++) {
        let y = 0;
        for (let i = 0; i < rows; i++) y += tr.t[j * rows + i] * vIn[i];
        assert.ok(Math.abs(y - direct[j]) <= 1e-9 * scale, `column ${j}: ${y} vs ${direct[j]}`);
      }
    }
  }
});
