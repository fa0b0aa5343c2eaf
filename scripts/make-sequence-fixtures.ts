/**
 * Writes fixtures/ingest/sequences/: a lab test sequence as a Keithley 4200A (Clarius) campaign is exported,
 * from our own numbers (toy loop of src/synth/toy.ts, SMU noise and compliance of src/synth/instrument.ts).
 * One folder per device, the same file names in every folder, one workbook per test step (leakage check,
 * electroforming, first RESET, endurance blocks with SET and RESET in separate workbooks), each workbook one
 * sheet per run ("Run123", a few labelled "Cycle4") plus "Calc" and "Settings" (per run: test name,
 * "Last Executed", compliance of the sweeping SMU); SET and RESET run numbers do not line up. Also: a run
 * whose header states "current compliance off", bad inputs (unpaired half, time stamps out of order), and a
 * Keithley 2450 reading-buffer CSV. Deterministic: `npx tsx scripts/make-sequence-fixtures.ts`.
 */
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { createRng } from '../src/util/rng.js';
import { measureCurrent, toyLoop, type SynthCycle } from '../src/synth/index.js';

const root = join('fixtures', 'ingest', 'sequences');
for (const sub of ['campaign', 'unpaired', 'time-order', 'k2450', 'compliance-off.csv', 'stated', 'unnamed'])
  rmSync(join(root, sub), { recursive: true, force: true });
const rng = createRng(2026);
const base = { hrsOhm: 2e5, lrsOhm: 2e3, vSetV: -0.8, vResetV: 0.6, vMinV: -1.2, vMaxV: 1.2, stepV: 0.02, rateVps: 1 };
const ICC = 1e-4;

function put(rel: string, data: string | Buffer): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, data);
}
/** Toy loop scaled by `scale` (SET at −0.8 V), split into its SET (negative) and RESET (positive) halves. */
function halves(scale: number, iccA = ICC): { set: SynthCycle; reset: SynthCycle } {
  const c = toyLoop({ ...base, hrsOhm: base.hrsOhm * scale, lrsOhm: base.lrsOhm * scale });
  const i = measureCurrent(c.vV, c.iA, rng, { noiseRel: 0.01, floorA: 1e-12, complianceA: iccA, setSign: -1 });
  const m = Array.from(c.vV).findIndex((v, k) => k > 0 && v === 0);
  const cut = (a: number, e: number): SynthCycle => ({
    tS: Array.from(c.tS)
      .slice(a, e)
      .map((t) => t - c.tS[a]),
    vV: Array.from(c.vV).slice(a, e),
    iA: Array.from(i).slice(a, e),
  });
  return { set: cut(0, m + 1), reset: cut(m, c.vV.length) };
}
/** A sweep 0 → peak → 0 → −peak → 0 (or one-sided) through a resistor, with an abrupt switch to the compliance at vSwitch (forming). */
function resistorSweep(peaks: number[], rOhm: number, stepV: number, vSwitch?: number): SynthCycle {
  const v: number[] = [0];
  for (const p of peaks) {
    const n = Math.round(Math.abs(p) / stepV);
    for (let k = 1; k <= n; k++) v.push((p * k) / n);
    for (let k = n - 1; k >= 0; k--) v.push((p * k) / n);
  }
  let formed = false;
  const iA = v.map((x) => {
    if (vSwitch !== undefined && Math.abs(x) >= Math.abs(vSwitch) - 1e-9) formed = true;
    return formed ? Math.sign(x) * Math.min(Math.abs(x) / 2e3, ICC) : (x / rOhm) * (1 + 0.01 * rng.normal());
  });
  const i2 = measureCurrent(v, iA, rng, { noiseRel: 0.002, floorA: 1e-13, complianceA: ICC, setSign: -1 });
  return { tS: v.map((_, k) => k * stepV), vV: v, iA: Array.from(i2) };
}

interface Run {
  sheet: string;
  c: SynthCycle;
  when: Date;
  test: string;
  iccA: number | 'off';
}
const stamp = (d: Date) =>
  `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}`;

/** A Clarius workbook: one sheet per run (Time, AI, AV), "Calc", "Settings" with one block per run (latest first). */
function workbook(runs: Run[]): Buffer {
  const wb = XLSX.utils.book_new();
  for (const r of runs) {
    const rows: (string | number)[][] = [['Time', 'AI', 'AV']];
    for (let k = 0; k < r.c.vV.length; k++)
      rows.push([Number(r.c.tS[k].toPrecision(7)), Number(r.c.iA[k].toPrecision(6)), Number(r.c.vV[k].toPrecision(5))]);
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), r.sheet);
  }
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet([
      ['ILRS', 'IHRS'],
      [1e-4, 1e-6],
    ]),
    'Calc',
  );
  const settings: (string | number)[][] = [];
  [...runs].reverse().forEach((r, k) => {
    const label = /^Cycle/i.test(r.sheet) ? r.sheet.replace(/(\d+)$/, ' $1') : r.sheet.replace(/(\d+)$/, ' $1');
    settings.push(
      ['=================================='],
      [label, k === 0 ? 'Latest Run' : ''],
      ['=================================='],
      ['Test Name', r.test],
      ['Mode', 'Sweeping'],
      ['Last Executed', stamp(r.when)],
      ['KTEI Version', 'V9.1'],
      [],
      ['Device Terminal', 'A', 'B'],
      ['Instrument', 'SMU1', 'SMU2'],
      ['Name', 'AV', 'BV'],
      ['Forcing Function', 'Voltage Sweep', 'Common'],
      ['Compliance', r.iccA === 'off' ? 'OFF' : String(r.iccA), '0.105'],
      ['Measure I', 'Measured', 'N/A'],
      ['Dual Sweep Mode', 'Enabled', 'N/A'],
      [],
    );
  });
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(settings), 'Settings');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

/**
 * One device's sequence. Endurance: `blocks` blocks of `perBlock` cycles; cycle k (over all blocks) has scale
 * scales[k], its SET run numbered setRun0 + k, its RESET run resetRun0 + k; every 3rd SET sheet is labelled "CycleN".
 */
function device(
  dir: string,
  o: {
    t0: Date;
    pristineOhm: number;
    formingV: number;
    scales: number[];
    perBlock: number;
    setRun0: number;
    resetRun0: number;
    dropReset?: number;
    swapTimes?: boolean;
  },
): void {
  let t = o.t0.getTime();
  const next = (min: number) => new Date((t += min * 60000));
  put(
    `${dir}/01 leakage.xlsx`,
    workbook([{ sheet: 'Run1', c: resistorSweep([0.2, -0.2], o.pristineOhm, 0.01), when: next(1), test: 'leakage#1@1', iccA: ICC }]),
  );
  put(
    `${dir}/02 forming.xlsx`,
    workbook([{ sheet: 'Run2', c: resistorSweep([-3.2], o.pristineOhm, 0.02, o.formingV), when: next(1), test: 'form#1@1', iccA: ICC }]),
  );
  const first = halves(1);
  put(`${dir}/03 first reset.xlsx`, workbook([{ sheet: 'Run3', c: first.reset, when: next(1), test: 'reset#1@1', iccA: 0.01 }]));
  for (let b = 0; b * o.perBlock < o.scales.length; b++) {
    const sets: Run[] = [],
      resets: Run[] = [];
    for (let j = 0; j < o.perBlock; j++) {
      const k = b * o.perBlock + j;
      if (k >= o.scales.length) break;
      const h = halves(o.scales[k]);
      const sRun = o.setRun0 + k,
        rRun = o.resetRun0 + k;
      sets.push({ sheet: k % 3 === 2 ? `Cycle${k + 1}` : `Run${sRun}`, c: h.set, when: next(2), test: 'set#1@1', iccA: ICC });
      if (k !== o.dropReset) resets.push({ sheet: `Run${rRun}`, c: h.reset, when: next(2), test: 'reset#1@1', iccA: 0.01 });
    }
    if (o.swapTimes && sets.length >= 2) [sets[0].when, sets[1].when] = [sets[1].when, sets[0].when];
    const n = String(4 + b).padStart(2, '0');
    put(`${dir}/${n} endurance set.xlsx`, workbook(sets));
    put(`${dir}/${n} endurance reset.xlsx`, workbook(resets));
  }
}

// ---- 1. a campaign: two devices, identical file names ------------------------------------------------------
device('campaign/D1', {
  t0: new Date(Date.UTC(2026, 10, 30, 9, 0)),
  pristineOhm: 1e9,
  formingV: -2.5,
  scales: [1.0, 1.1, 1.2, 1.3, 1.4, 1.5],
  perBlock: 3,
  setRun0: 123,
  resetRun0: 1,
});
device('campaign/D2', {
  t0: new Date(Date.UTC(2026, 10, 30, 13, 0)),
  pristineOhm: 4e9,
  formingV: -2.8,
  scales: [0.6, 0.7, 0.8, 0.9, 1.0, 1.1],
  perBlock: 3,
  setRun0: 140,
  resetRun0: 7,
});

// ---- 2. bad inputs: a SET with no RESET; run numbers against time stamps -----------------------------------
device('unpaired/D3', {
  t0: new Date(Date.UTC(2026, 11, 1, 9, 0)),
  pristineOhm: 1e9,
  formingV: -2.5,
  scales: [1.0, 1.1, 1.2],
  perBlock: 3,
  setRun0: 10,
  resetRun0: 50,
  dropReset: 1,
});
device('time-order/D4', {
  t0: new Date(Date.UTC(2026, 11, 1, 13, 0)),
  pristineOhm: 1e9,
  formingV: -2.5,
  scales: [1.0, 1.1, 1.2],
  perBlock: 3,
  setRun0: 10,
  resetRun0: 50,
  swapTimes: true,
});

// ---- 3. a header that states "current compliance off": the 0.4 mA plateau of the data is not a compliance ----
{
  const h = halves(1, 4e-4);
  const v = [...Array.from(h.set.vV), ...Array.from(h.reset.vV).slice(1)],
    i = [...Array.from(h.set.iA), ...Array.from(h.reset.iA).slice(1)];
  const lines = ['# Keithley 2450 sweep, synthetic', '# current compliance off (100 mA range limit)', 'Voltage (V),Current (A)'];
  for (let k = 0; k < v.length; k++) lines.push(`${Number(v[k].toPrecision(5))},${Number(i[k].toPrecision(6))}`);
  put('compliance-off.csv', lines.join('\n') + '\n');
}

// ---- 4. Keithley 2450 reading buffer saved as CSV (buffer elements as the 2450 reference manual lists them) ----
{
  const h = halves(1.5);
  const v = [...Array.from(h.set.vV), ...Array.from(h.reset.vV).slice(1)],
    i = [...Array.from(h.set.iA), ...Array.from(h.reset.iA).slice(1)];
  const lines = [
    'Index,Reading,Unit,Range Digits,Disp Digits,Math,Start Group,Limit1 High,Limit1 Low,Limit2 High,Limit2 Low,Terminal,Questionable,Origin,Value,Source,Source Unit,Source Status,Relative Time',
  ];
  for (let k = 0; k < v.length; k++) {
    lines.push(
      [
        k + 1,
        i[k].toExponential(6),
        'Amp DC',
        '6.5',
        '6.5',
        'F',
        'F',
        'F',
        'F',
        'F',
        'F',
        'FRONT',
        'F',
        'Main',
        i[k].toExponential(6),
        v[k].toExponential(6),
        'Volt DC',
        Math.abs(i[k]) >= ICC * 0.9999 ? 'LIMITED' : 'OK',
        (k * 0.02).toFixed(6),
      ].join(','),
    );
  }
  put('k2450/buffer-loop.csv', lines.join('\r\n') + '\r\n');
}

// ---- 5. polarity and sweep rate stated in a generic CSV comment header (no time column) ----
// SET at negative V in every loop's data; the headers state: the same (agree); positive (a statement that
// contradicts the data: used, the disagreement reported); positive over a resistor (no hysteresis to guess from).
{
  const loop = (scale: number) => {
    const h = halves(scale);
    return {
      v: [...Array.from(h.set.vV), ...Array.from(h.reset.vV).slice(1)],
      i: [...Array.from(h.set.iA), ...Array.from(h.reset.iA).slice(1)],
    };
  };
  const write = (name: string, header: string[], c: { v: number[]; i: number[] }) => {
    const lines = [...header.map((x) => `# ${x}`), 'Voltage (V),Current (A)'];
    for (let k = 0; k < c.v.length; k++) lines.push(`${Number(c.v[k].toPrecision(5))},${Number(c.i[k].toPrecision(6))}`);
    put(join('stated', name), lines.join('\n') + '\n');
  };
  write('agree.csv', ['generic tester export, synthetic', 'SET polarity: negative', 'Sweep rate: 0.5 V/s'], loop(1));
  write('disagree.csv', ['generic tester export, synthetic', 'SET polarity: positive', 'Sweep rate (mV/s): 250'], loop(1.2));
  const r = resistorSweep([0.5, -0.5], 1e5, 0.02);
  write('resistor.csv', ['generic tester export, synthetic', 'SET polarity: positive'], { v: Array.from(r.vV), i: Array.from(r.iA) });
}

// ---- 6. a test sequence whose file names say nothing (run1.csv ... run9.csv, generic CSV, no time column) ----
// run1: ±0.2 V leakage check through the pristine 1 GΩ; run2: forming to −3.2 V, switching at −2.5 V; run3: the
// first RESET (a RESET half); run4–run9: endurance loops (SET at −0.8 V, RESET at +0.6 V), toy scales 1.0–1.5.
{
  const csv = (c: { vV: ArrayLike<number>; iA: ArrayLike<number> }) => {
    const lines = ['Voltage (V),Current (A)'];
    for (let k = 0; k < c.vV.length; k++) lines.push(`${Number(c.vV[k].toPrecision(5))},${Number(c.iA[k].toPrecision(6))}`);
    return lines.join('\n') + '\n';
  };
  put('unnamed/D5/run1.csv', csv(resistorSweep([0.2, -0.2], 1e9, 0.01)));
  put('unnamed/D5/run2.csv', csv(resistorSweep([-3.2], 1e9, 0.02, -2.5)));
  put('unnamed/D5/run3.csv', csv(halves(1).reset));
  [1.0, 1.1, 1.2, 1.3, 1.4, 1.5].forEach((scale, k) => {
    const h = halves(scale);
    put(
      `unnamed/D5/run${4 + k}.csv`,
      csv({
        vV: [...Array.from(h.set.vV), ...Array.from(h.reset.vV).slice(1)],
        iA: [...Array.from(h.set.iA), ...Array.from(h.reset.iA).slice(1)],
      }),
    );
  });
}
