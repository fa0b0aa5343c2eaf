/** The fast simulation-CSV writer and waveform reader behind `jartcal simulate` (src/io/simcsv.ts, src/io/waveform.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simResultToCsv, writeSimCsvAsync } from '../../src/io/simcsv.js';
import { AtomicFileWriter } from '../../src/io/atomic.js';
import { DEFAULT_PARAMS, simulate, sweepWaveform } from '../../src/model/index.js';
import { parseWaveformCsv } from '../../src/io/waveform.js';
import type { SimResult } from '../../src/model/index.js';

function result(t: number[]): SimResult {
  const n = t.length,
    z = (): Float64Array => new Float64Array(n).map((_, k) => -t[k] / 3);
  return {
    tS: Float64Array.from(t),
    vV: z(),
    iA: z(),
    ndisc: z(),
    vCellV: z(),
    tempK: z(),
    complianceActive: new Uint8Array(n).map((_, k) => k % 2),
    vsV: z(),
    rVarM: z(),
    lVarM: z(),
  } as unknown as SimResult;
}

test('simcsv: every number is written as toExponential(10) writes it (to one unit in the 11th digit) and reads back to 1e-10', () => {
  const special = [
    0,
    1,
    -1,
    0.1,
    9.99999999995,
    9.999999999949,
    1e-12,
    2.5e-10,
    123456789012345,
    1e21,
    1e22,
    1e23,
    1e-300,
    5e-324,
    NaN,
    Infinity,
    -Infinity,
  ];
  fc.assert(
    fc.property(fc.array(fc.double({ noNaN: false }), { maxLength: 50 }), (xs) => {
      const vals = [...special, ...xs];
      const lines = simResultToCsv(result(vals)).trimEnd().split('\n');
      assert.equal(lines[0], 't_s,v_V,i_A,ndisc,v_cell_V,T_K,compliance,vs_V');
      assert.equal(lines.length, vals.length + 1);
      for (let k = 0; k < vals.length; k++) {
        const cells = lines[k + 1].split(',');
        assert.equal(cells.length, 8);
        assert.equal(cells[6], String(k % 2));
        for (const [c, x] of [
          [0, vals[k]],
          [1, -vals[k] / 3],
        ] as const) {
          const s = cells[c],
            y = Number(s);
          if (Number.isNaN(x)) {
            assert.equal(s, 'NaN');
            continue;
          }
          if (!Number.isFinite(x)) {
            assert.equal(s, String(x));
            continue;
          }
          const ref = x.toExponential(10);
          if (s !== ref) {
            // a tie in the 11th digit may round the other way: one unit apart, same exponent
            const [ms, es] = s.split('e'),
              [mr, er] = ref.split('e');
            assert.equal(es, er, `${s} vs ${ref}`);
            assert.ok(Math.abs(Number(ms) - Number(mr)) <= 1.0000001e-10, `${s} vs ${ref}`);
          }
          if (Math.abs(x) < 1e308) assert.ok(y === x || Math.abs(y - x) <= 1e-10 * Math.abs(x), `${s} vs ${x}`);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('waveform reader: CRLF, quoted fields, other column orders, extra columns and a BOM', () => {
  const a = parseWaveformCsv('\uFEFFt_s,v_V\r\n0,0\r\n1e-3,-0.5\r\n2e-3,0\r\n\r\n', 'a.csv');
  assert.deepEqual([...a.tS], [0, 1e-3, 2e-3]);
  assert.deepEqual([...a.vV], [0, -0.5, 0]);
  const b = parseWaveformCsv('note,v_V,t_s\n"a, b",0,0\nx,"1.5",1\n', 'b.csv');
  assert.deepEqual([...b.tS], [0, 1]);
  assert.deepEqual([...b.vV], [0, 1.5]);
  const c = parseWaveformCsv('t_s,v_V,i_A\n0,0,1\n1,0.25,2\n', 'c.csv');
  assert.deepEqual([...c.vV], [0, 0.25]);
  assert.throws(() => parseWaveformCsv('t_s,v_V\n0,0\n1,\n', 'd.csv'), /d\.csv, line 3, column 2: v_V must be a finite number, got ""/);
  assert.throws(
    () => parseWaveformCsv('t_s,v_V\n0,0\nabc,1\n', 'e.csv'),
    /e\.csv, line 3, column 1: t_s must be a finite number, got "abc"/,
  );
  assert.throws(() => parseWaveformCsv('t_s,v_V\n0,0\n\n2,1\n', 'f.csv'), /f\.csv, line 3, column 1: t_s must be a finite number/);
});

test('simcsv: edge values written as %.10e writes them (-0, the smallest and largest doubles, subnormals, NaN, infinities)', () => {
  const xs = [-0, 1e-300, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 123.456, -2.5e-10, 1e21, 0.1, NaN, Infinity, -Infinity];
  const want = [
    '0.0000000000e+0',
    '1.0000000000e-300',
    '4.9406564584e-324',
    '2.2250738585e-308',
    '1.7976931349e+308',
    '1.2345600000e+2',
    '-2.5000000000e-10',
    '1.0000000000e+21',
    '1.0000000000e-1',
    'NaN',
    'Infinity',
    '-Infinity',
  ];
  const rows = simResultToCsv(result(xs)).trimEnd().split('\n').slice(1);
  assert.deepEqual(
    rows.map((l) => l.split(',')[0]),
    want,
  );
});

test('simcsv: the file written in pieces (writeSimCsvAsync) has the bytes of simResultToCsv at every piece boundary, and no temporary file is left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-simcsv-'));
  // values of every magnitude and sign, the special ones among them
  const special = [-0, 1e-300, 5e-324, NaN, Infinity, -Infinity, 9.99999999995, 1e22];
  const value = (k: number): number =>
    k % 17 === 0 ? special[(k / 17) % special.length] : (k % 2 ? -1 : 1) * (1 + (k % 7) / 7) * 10 ** ((k % 61) - 30);
  for (const n of [1, 1023, 1024, 1025, 2048, 8193, 9001]) {
    for (const withVar of [false, true]) {
      const r = result(Array.from({ length: n }, (_, k) => value(k)));
      const out = join(dir, `n${n}${withVar ? 'var' : ''}.csv`);
      await writeSimCsvAsync(out, r, { withVar });
      assert.equal(readFileSync(out, 'latin1'), simResultToCsv(r, { withVar }), `${n} rows${withVar ? ' with var columns' : ''}`);
    }
  }
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('AtomicFileWriter: abort after a background flush leaves the old file and no temporary file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-atomic-'));
  const target = join(dir, 'out.csv');
  writeFileSync(target, 'old\n');
  const w = new AtomicFileWriter(target);
  w.write(new TextEncoder().encode('new, half-written\n'));
  w.flushInBackground();
  await w.abort();
  assert.equal(readFileSync(target, 'utf8'), 'old\n');
  assert.deepEqual(readdirSync(dir), ['out.csv']);
  const w2 = new AtomicFileWriter(join(dir, 'sub', 'b.csv'));
  w2.write(new TextEncoder().encode('b\n'));
  w2.flushInBackground();
  await w2.commit();
  assert.ok(existsSync(join(dir, 'sub', 'b.csv')));
  assert.equal(readFileSync(join(dir, 'sub', 'b.csv'), 'utf8'), 'b\n');
});

test('waveform reader: exact edge values (-0, subnormals, the smallest normal, beyond 2^53) and long extra columns', () => {
  const w = parseWaveformCsv(
    't_s,v_V\n0,-0\n1e-300,5e-324\n2e-300,4.9406564584124654e-324\n3e-300,2.2250738585072014e-308\n4e-300,9007199254740993\n',
    'w.csv',
  );
  assert.deepEqual([...w.tS], [0, 1e-300, 2e-300, 3e-300, 4e-300]);
  assert.ok(Object.is(w.vV[0], -0));
  assert.deepEqual([...w.vV.slice(1)], [5e-324, 5e-324, 2.2250738585072014e-308, 9007199254740992]);
  const long = 't_s,v_V,note\n' + Array.from({ length: 50 }, (_, k) => `${k},${-(k + 1) / 7},${'n'.repeat(20_000)}`).join('\n');
  assert.deepEqual(
    [...parseWaveformCsv(long, 'l.csv').vV],
    Array.from({ length: 50 }, (_, k) => -(k + 1) / 7),
  );
  assert.throws(
    () => parseWaveformCsv('t_s,v_V\n0,0\n1,NaN\n', 'n.csv'),
    /n\.csv, line 3, column 2: v_V must be a finite number, got "NaN"/,
  );
  assert.throws(() => parseWaveformCsv('t_s,v_V\n0,0\n0,1\n', 'h.csv'), /h\.csv, line 3, column 1: time must increase strictly/);
});

test('jartcal simulate: its CSV has the bytes of the library writer, and no temporary file is left', async () => {
  const { main } = await import('../../src/cli/main.js');
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-simcsv-cmd-'));
  const out = join(dir, 'long.csv');
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  let code: number;
  try {
    code = await main(['simulate', '--sweep', '--step', '0.0002', '--out', out]);
  } finally {
    process.stdout.write = write;
  }
  assert.equal(code, 0);
  const wave = sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.0002 });
  const serial = join(dir, 'serial.csv');
  await writeSimCsvAsync(serial, simulate({ ...DEFAULT_PARAMS }, wave, { circuit: {} }));
  assert.equal(readFileSync(out, 'latin1'), readFileSync(serial, 'latin1'));
  assert.deepEqual(readdirSync(dir).sort(), ['long.csv', 'serial.csv']);
});

test(
  'atomic output to a named pipe (as to /dev/stdout) writes through it and leaves it a pipe, not a renamed-over file',
  { timeout: 20_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jartcal-atomic-fifo-'));
    const fifo = join(dir, 'pipe');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo on this system
    // a reader at the other end (the write side's open waits for it)
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (b: Buffer) => (got += b.toString('latin1')));
    const done = new Promise((resolve) => reader.on('close', resolve));
    const wave = sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.05 });
    const r = simulate({ ...DEFAULT_PARAMS }, wave, { circuit: {} });
    await writeSimCsvAsync(fifo, r);
    await done;
    assert.equal(got, simResultToCsv(r));
    assert.ok(lstatSync(fifo).isFIFO(), 'still a pipe');
    assert.deepEqual(readdirSync(dir), ['pipe']);
  },
);
