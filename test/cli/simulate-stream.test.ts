/**
 * `jartcal simulate` writes a long waveform's CSV from a thread while the simulation runs (src/io/simcsv-stream.ts):
 * the file is byte for byte the one written after the simulation, the simulation's numbers are the same with shared
 * arrays and progress, and an error after the thread started leaves neither the output nor a temporary file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command } from '../../src/cli/simulate.js';
import { simResultToCsv } from '../../src/io/simcsv.js';
import { openSimCsvStream } from '../../src/io/simcsv-stream.js';
import { DEFAULT_PARAMS, simulate, sweepWaveform } from '../../src/model/index.js';

const dir = mkdtempSync(join(tmpdir(), 'jartcal-simstream-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Three ±1.3 V cycles at 2 mV: 7,801 points, a file of about 300 kB (above the streaming threshold). */
function wave(): { tS: Float64Array; vV: Float64Array } {
  const one = sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.002 });
  const n = one.tS.length,
    P = one.tS[n - 1];
  const tS = new Float64Array(3 * (n - 1) + 1),
    vV = new Float64Array(tS.length);
  let j = 0;
  for (let c = 0; c < 3; c++)
    for (let k = c ? 1 : 0; k < n; k++) {
      tS[j] = c * P + one.tS[k];
      vV[j++] = one.vV[k];
    }
  return { tS, vV };
}

const quiet = async <T>(f: () => Promise<T>): Promise<T> => {
  const w = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await f();
  } finally {
    process.stdout.write = w;
  }
};

test('simulate --waveform (long): the streamed CSV equals the CSV of the finished simulation', async () => {
  const w = wave();
  const file = join(dir, 'wave.csv');
  let s = 't_s,v_V\n';
  for (let k = 0; k < w.tS.length; k++) s += `${w.tS[k]},${w.vV[k]}\n`;
  writeFileSync(file, s);
  const out = join(dir, 'out.csv');
  assert.equal(await quiet(() => command.run(['--waveform', file, '--out', out])), 0);
  const expected = simResultToCsv(simulate({ ...DEFAULT_PARAMS }, w, { circuit: {} }));
  assert.equal(readFileSync(out, 'latin1'), expected);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('simulate into shared arrays with progress: same numbers, progress ends at the waveform length', async () => {
  const w = wave();
  const plain = simulate({ ...DEFAULT_PARAMS }, w);
  const stream = openSimCsvStream(join(dir, 'direct.csv'));
  const bufs = stream.arrays(w.tS.length);
  const shared = simulate({ ...DEFAULT_PARAMS }, w, bufs);
  await stream.finish();
  assert.equal(Atomics.load(bufs.progress, 0), w.tS.length);
  assert.ok(shared.iA === bufs.into.iA, 'the result is made of the arrays given');
  assert.deepEqual(Array.from(shared.iA), Array.from(plain.iA));
  assert.deepEqual(Array.from(shared.ndisc), Array.from(plain.ndisc));
  assert.equal(readFileSync(join(dir, 'direct.csv'), 'latin1'), simResultToCsv(plain));
});

test('simulate: an error after the writer thread started leaves no output and no temporary file', async () => {
  const w = wave();
  const sub = mkdtempSync(join(dir, 'err-'));
  const file = join(sub, 'wave.csv');
  let s = 't_s,v_V\n';
  for (let k = 0; k < w.tS.length; k++) s += `${w.tS[k]},${w.vV[k]}\n`;
  writeFileSync(file, s);
  await assert.rejects(
    () => command.run(['--waveform', file, '--out', join(sub, 'out.csv'), '--compliance', '-1']),
    /--compliance must be > 0/,
  );
  assert.deepEqual(readdirSync(sub).sort(), ['wave.csv']);
});
