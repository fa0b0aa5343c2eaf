// The same measurement read twice (an instrument file and a rounded text copy with zeros at the current floor,
// cut into cycles differently) is one device with a notice; a second device measured with the same protocol is
// never merged into it. Our own numbers: a bipolar switch (SET at -0.8 V to a 100 uA compliance, RESET at
// +0.9 V), 1 % multiplicative noise from a fixed-seed generator, a 3 pA offset at the current floor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ingestFiles } from '../../src/io/ingest.js';

const root = mkdtempSync(join(tmpdir(), 'jartcal-dup-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let made = 0;
const folder = () => mkdtempSync(join(root, `f${made++}-`));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `cycles` sweeps 0 -> -1.5 -> 0 -> +1.5 -> 0 V in 50 mV steps of one device (resistances scaled by `scale`). */
function device(cycles: number, seed: number, scale = 1): { v: number[]; i: number[]; cycle: number[] }[] {
  const r = rng(seed);
  const up = (a: number, b: number) =>
    Array.from({ length: Math.round(Math.abs(b - a) / 0.05) }, (_, k) => a + Math.sign(b - a) * 0.05 * k);
  const vs = [...up(0, -1.5), ...up(-1.5, 0), ...up(0, 1.5), ...up(1.5, 0), 0];
  const out = [];
  let lrs = false;
  for (let c = 0; c < cycles; c++) {
    const v: number[] = [],
      i: number[] = [],
      cycle: number[] = [];
    for (const x of vs) {
      if (x <= -0.8) lrs = true;
      if (x >= 0.9) lrs = false;
      const ohm = (lrs ? 2e3 : 1e6) * scale * (1 + 0.2 * c);
      let cur = (x / ohm) * (1 + 0.01 * (r() - 0.5));
      if (cur < -1e-4) cur = -1e-4 * (1 + 1e-5 * (r() - 0.5));
      v.push(Number(x.toFixed(6)));
      i.push(cur + 3e-12);
      cycle.push(c + 1);
    }
    out.push({ v, i, cycle });
  }
  return out;
}

const instrument = (cs: ReturnType<typeof device>) =>
  ['Voltage (V),Current (A)', ...cs.flatMap((c) => c.v.map((x, k) => `${x},${c.i[k]}`))].join('\n') + '\n';
/** A spreadsheet copy: 5 significant digits, 0.0 below 1 nA, one block per cycle and segment (set/reset). */
const longCopy = (cs: ReturnType<typeof device>) => {
  const rows = ['cycle,segment,point,V_V,I_A'];
  let piece = 0;
  for (const c of cs) {
    let seg = '';
    c.v.forEach((x, k) => {
      const s = k < c.v.length / 2 ? 'set' : 'reset';
      if (s !== seg) {
        seg = s;
        piece++;
      }
      const cur = Math.abs(c.i[k]) < 1e-9 ? '0.0' : c.i[k].toPrecision(5);
      rows.push(`${piece},${s},${k},${x},${cur}`);
    });
  }
  return rows.join('\n') + '\n';
};

test('a rounded text copy in derived/ (zeros at the floor, cut into halves) is reported and left out; the instrument file is kept', () => {
  const dir = folder();
  mkdirSync(join(dir, 'derived'));
  const a = device(3, 7);
  writeFileSync(join(dir, 'devA.csv'), instrument(a));
  writeFileSync(join(dir, 'derived', 'devA_long.csv'), longCopy(a));
  const ds = ingestFiles([dir]);
  assert.deepEqual(
    ds.devices.map((d) => [d.id, d.cycles.length]),
    [['devA', 3]],
  );
  assert.ok(ds.devices[0].cycles.every((c) => c.provenance.file.endsWith('devA.csv')));
  const dup = ds.issues.filter((i) => i.code === 'duplicate_measurement');
  assert.equal(dup.length, 1);
  assert.ok(dup[0].location!.file!.endsWith('devA_long.csv'));
  assert.match(dup[0].message, /^6 sweep\(s\) of .*devA_long\.csv repeat .*devA\.csv/);
});

test('a copy holding the whole run in one table repeats an instrument file cut by a cycle column', () => {
  const dir = folder();
  mkdirSync(join(dir, 'copy'));
  const a = device(3, 11);
  const byCycle = ['Cycle,Voltage (V),Current (A)', ...a.flatMap((c) => c.v.map((x, k) => `${c.cycle[k]},${x},${c.i[k]}`))];
  writeFileSync(join(dir, 'dev.csv'), byCycle.join('\n') + '\n');
  writeFileSync(join(dir, 'copy', 'dev_copy.csv'), instrument(a).replace(/e-12/g, 'e-11'));
  const ds = ingestFiles([dir]);
  assert.deepEqual(
    ds.devices.map((d) => [d.id, d.cycles.length]),
    [['dev', 3]],
  );
  assert.equal(ds.issues.filter((i) => i.code === 'duplicate_measurement').length, 1);
});

test('two devices measured with the same protocol are never merged, whatever folder holds them', () => {
  const dir = folder();
  mkdirSync(join(dir, 'derived'));
  const a = device(3, 7);
  writeFileSync(join(dir, 'devA.csv'), instrument(a));
  // the same voltages; a device 1 % more resistive, other noise: equal only at the compliance plateau and at 0 V
  writeFileSync(join(dir, 'derived', 'devB.csv'), instrument(device(3, 8, 1.01)));
  // the same device's noise but every current 1 % higher: a different measurement, not a rounding
  writeFileSync(join(dir, 'derived', 'devC.csv'), instrument(a.map((c) => ({ ...c, i: c.i.map((x) => x * 1.01) }))));
  const ds = ingestFiles([dir]);
  assert.deepEqual(ds.devices.map((d) => [d.id, d.cycles.length]).sort(), [
    ['devA', 3],
    ['devB', 3],
    ['devC', 3],
  ]);
  assert.equal(ds.issues.filter((i) => i.code === 'duplicate_measurement').length, 0);
});
