/** The fast simulation-CSV writer and waveform reader behind `jartcal simulate` (src/io/simcsv.ts, src/io/waveform.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { simResultToCsv } from '../../src/io/simcsv.js';
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
