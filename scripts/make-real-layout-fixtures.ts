/**
 * Writes fixtures/ingest/real-layouts/: small synthetic files (toy loop of src/synth/toy.ts, our own
 * numbers) laid out the way real instrument exports and public research files are laid out. The layout
 * sources (public repositories, read for their structure only) are listed in the folder's README.md.
 * Deterministic: `npx tsx scripts/make-real-layout-fixtures.ts`.
 */
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { createRng } from '../src/util/rng.js';
import { measureCurrent, toyLoop, type SynthCycle } from '../src/synth/index.js';

const root = join('fixtures', 'ingest', 'real-layouts');
for (const sub of ['b1500-campaign', 'k4200-campaign', 'generic', 'b2900', 'kite-xls'])
  rmSync(join(root, sub), { recursive: true, force: true });
const rng = createRng(4200);
const base = { hrsOhm: 2e5, lrsOhm: 2e3, vSetV: -0.8, vResetV: 0.6, vMinV: -1.2, vMaxV: 1.2, stepV: 0.02, rateVps: 1 };

/** One toy loop (0 → −1.2 → 0 → +1.2 → 0, SET at −0.8 V), scaled, optionally mirrored (SET at +V), with an SMU compliance. */
function loop(scale: number, o: { flip?: boolean; iccA?: number; step?: number } = {}): SynthCycle {
  const c = toyLoop({ ...base, hrsOhm: base.hrsOhm * scale, lrsOhm: base.lrsOhm * scale, stepV: o.step ?? base.stepV });
  const s = o.flip ? -1 : 1;
  const v = c.vV.map((x) => s * x),
    i = c.iA.map((x) => s * x);
  const iM = measureCurrent(v, i, rng, { noiseRel: 0.01, floorA: 1e-12, complianceA: o.iccA ?? 1e-4, setSign: o.flip ? 1 : -1 });
  return { tS: c.tS, vV: v, iA: iM };
}
/** The k-th..(e-1)-th samples of a cycle. */
function part(c: SynthCycle, a: number, e: number): SynthCycle {
  return {
    tS: Array.from(c.tS)
      .slice(a, e)
      .map((t) => t - c.tS[a]),
    vV: Array.from(c.vV).slice(a, e),
    iA: Array.from(c.iA).slice(a, e),
  };
}
/** Index of the return to 0 V between the two excursions. */
const mid = (c: SynthCycle) => Array.from(c.vV).findIndex((v, k) => k > 0 && v === 0);
/** Engineering-style numbers as SMUs print them ("-3.00000E+000"). */
const eng = (x: number, d = 5) => {
  if (x === 0) return `0.${'0'.repeat(d)}E+000`;
  const e = Math.floor(Math.log10(Math.abs(x)));
  const m = x / 10 ** e;
  return `${m.toFixed(d)}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(3, '0')}`;
};
const sci = (x: number, d = 5) =>
  Number(x.toPrecision(d))
    .toExponential(d - 1)
    .toUpperCase();
const g = (x: number, d = 6) => Number(x.toPrecision(d)).toString();
function put(rel: string, text: string | Buffer): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

// ---- 1. Keysight B1500A EasyEXPERT "Export as CSV": a campaign folder (format 1 of 2) ----------------
// SET at +V (1T1R-style row/column names, VAR1 channel named only in Channel.VName/IName), device in
// TestRecord.TestTarget, file names "<SetupTitle> [<target>(<n>) ; <date>].csv" as EasyEXPERT writes them.
function b1500Run(title: string, target: string, c: SynthCycle, iccA: number, stopV: number, when: string): string[] {
  const out = [
    `SetupTitle, ${title}`,
    'PrimitiveTest, I/V Sweep',
    'TestParameter, Context.MainFrame, B1500A',
    'TestParameter, Channel.UnitType, SMU, SMU',
    'TestParameter, Channel.Unit, SMU1:HR, SMU2:HR',
    'TestParameter, Channel.IName, Irow, Icol',
    'TestParameter, Channel.VName, Vrow, Vcol',
    'TestParameter, Channel.Mode, V, V',
    'TestParameter, Channel.Func, VAR1, CONST',
    'TestParameter, Channel.Index, 0, 0',
    'TestParameter, Channel.Time, 0, 0',
    'TestParameter, Measurement.Secondary.Count, 1',
    'TestParameter, Measurement.Primary.Locus, Double',
    'TestParameter, Measurement.Primary.Scale, LINEAR',
    'TestParameter, Measurement.Primary.Start, 0',
    `TestParameter, Measurement.Primary.Stop, ${stopV}`,
    `TestParameter, Measurement.Primary.Step, ${stopV > 0 ? '' : '-'}0.02`,
    `TestParameter, Measurement.Primary.Compliance, ${iccA}`,
    'TestParameter, Measurement.Primary.PowerCompliance, OFF',
    'TestParameter, Measurement.Bias.Source, 0, 0',
    'TestParameter, Measurement.Bias.Compliance, 0.1, 0.1',
    'TestParameter, Measurement.Timing.Hold, 0',
    'TestParameter, Measurement.Timing.Delay, 0',
    `MetaData, TestRecord.TestTarget, ${target}`,
    `MetaData, TestRecord.RecordTime, ${when}`,
    'MetaData, TestRecord.Flag, false',
    'MetaData, TestRecord.Remarks, ',
    'AnalysisSetup, Analysis.Setup.Vector.Graph.Name, Graph1',
    `Dimension1, ${c.vV.length}`,
    'Dimension2, 1',
    'DataName, Vrow, Irow, Icol, absIrow, R',
  ];
  for (let k = 0; k < c.vV.length; k++) {
    const v = c.vV[k],
      i = c.iA[k];
    out.push(`DataValue, ${g(v, 4)}, ${sci(i)}, ${sci(-i * 0.999 - 3e-13)}, ${sci(Math.abs(i))}, ${v === 0 ? '9.91E+37' : sci(v / i)}`);
  }
  return out;
}
/** An EasyEXPERT I/V-t sampling record at a fixed read bias (a "Resistance" check between sweeps). */
function readRun(target: string, rOhm: number, when: string): string[] {
  const out = [
    'SetupTitle, Resistance',
    'PrimitiveTest, I/V-t Sampling',
    'TestParameter, Channel.UnitType, SMU, SMU',
    'TestParameter, Channel.Unit, SMU1:HR, SMU2:HR',
    'TestParameter, Channel.IName, Irow, Icol',
    'TestParameter, Channel.VName, Vrow, Vcol',
    'TestParameter, Channel.Mode, V, V',
    'TestParameter, Channel.Func, CONST, CONST',
    'TestParameter, Measurement.Sampling.Interval, 0.01',
    `MetaData, TestRecord.TestTarget, ${target}`,
    `MetaData, TestRecord.RecordTime, ${when}`,
    'Dimension1, 11',
    'DataName, @INDEX, @TIME, Vrow, Irow, R',
  ];
  for (let k = 0; k < 11; k++) {
    const i = (0.1 / rOhm) * (1 + 0.003 * Math.sin(k));
    out.push(`DataValue, ${k + 1}, ${g(0.01 * k, 4)}, 0.1, ${sci(i)}, ${sci(0.1 / i)}`);
  }
  return out;
}
{
  const devs = [
    ['R2C3', 1.0],
    ['R2C4', 1.6],
    ['R5C1', 0.7],
  ] as const;
  devs.forEach(([target, scale], d) => {
    if (d < 2) {
      // two cycles, SET and RESET runs appended in one exported file
      const lines: string[] = [];
      for (let cyc = 0; cyc < 2; cyc++) {
        const c = loop(scale * (1 + 0.1 * cyc), { flip: true, iccA: 1e-4 });
        const m = mid(c);
        lines.push(...b1500Run('Set', target, part(c, 0, m + 1), 1e-4, 1.2, `11/29/2026 10:${10 + d}:${2 * cyc}0`));
        if (d === 1 && cyc === 0) lines.push(...readRun(target, 2e3 * scale, `11/29/2026 10:${10 + d}:05`));
        lines.push(...b1500Run('Reset', target, part(c, m, c.vV.length), 0.01, -1.2, `11/29/2026 10:${10 + d}:${2 * cyc + 1}0`));
      }
      put(`b1500-campaign/I_V Sweep [${target}(1) ; 11_29_2026 10_${10 + d}_00 AM].csv`, lines.join('\r\n') + '\r\n');
    } else {
      // one run per exported file (the usual one-record export): halves joined by device and order
      for (let cyc = 0; cyc < 2; cyc++) {
        const c = loop(scale * (1 + 0.1 * cyc), { flip: true, iccA: 1e-4 });
        const m = mid(c);
        put(
          `b1500-campaign/Set [${target}(${cyc + 1}) ; 11_29_2026 10_2${cyc}_00 AM].csv`,
          b1500Run('Set', target, part(c, 0, m + 1), 1e-4, 1.2, `11/29/2026 10:2${cyc}:00`).join('\r\n') + '\r\n',
        );
        put(
          `b1500-campaign/Reset [${target}(${cyc + 1}) ; 11_29_2026 10_2${cyc}_30 AM].csv`,
          b1500Run('Reset', target, part(c, m, c.vV.length), 0.01, -1.2, `11/29/2026 10:2${cyc}:30`).join('\r\n') + '\r\n',
        );
      }
    }
  });
}

// ---- 2. Keithley 4200A-SCS Clarius CSV exports: a campaign folder (format 2 of 2) --------------------
// One folder per device, one exported run per file; terminal-named columns (AnodeV, AnodeI, CathodeV,
// CathodeI) with the grounded terminal's columns first in one device, SET at −V, 100 µA compliance.
// Device 3 holds three loops in one run (a list sweep repeated, no cycle column).
{
  const hdrs = ['Time', 'AnodeV', 'AnodeI', 'CathodeV', 'CathodeI'];
  const row = (c: SynthCycle, k: number) => [sci(c.tS[k], 7), g(c.vV[k], 4), sci(c.iA[k]), '0', sci(-c.iA[k])];
  ['cellA', 'cellB'].forEach((dev, d) => {
    for (let run = 1; run <= 2; run++) {
      const c = loop(1 + 0.4 * d + 0.1 * run);
      const order = d === 1 ? [0, 3, 4, 1, 2] : [0, 1, 2, 3, 4];
      const lines = [order.map((j) => hdrs[j]).join(',')];
      for (let k = 0; k < c.vV.length; k++) {
        const r = row(c, k);
        lines.push(order.map((j) => r[j]).join(','));
      }
      put(`k4200-campaign/${dev}/Run${run}.csv`, lines.join('\r\n') + '\r\n');
    }
  });
  // three loops in one run, Vforce/Imeas/Vmeas (UTM array names), with the KITE-style settings after the data
  const loops = [loop(0.9), loop(1.0), loop(1.1)];
  const lines = ['Vforce,Imeas,Vmeas,Time'];
  let t0 = 0;
  for (const c of loops) {
    for (let k = 0; k < c.vV.length; k++)
      if (!(k === 0 && t0 > 0)) lines.push(`${g(c.vV[k], 4)},${sci(c.iA[k])},${g(c.vV[k] * 0.9995, 5)},${sci(t0 + c.tS[k], 7)}`);
    t0 += c.tS[c.tS.length - 1];
  }
  lines.push(
    '',
    'Settings',
    'Test Name,ivswitch#1@1',
    'KTEI Version,V9.1',
    'Device Terminal,A,B',
    'Instrument,SMU1,GNDU',
    'Forcing Function,Voltage List Sweep,Common',
    'Compliance,0.0001,N/A',
    'Measure I,Measured,N/A',
  );
  put('k4200-campaign/cellC/ivswitch loops.csv', lines.join('\r\n') + '\r\n');
}

// ---- 3. Keithley 4200 KITE .xls (BIFF8) with sheets Data / Calc / Settings ------------------------------
{
  const c = loop(1.2, { iccA: 5e-4 });
  const data: (string | number)[][] = [['Time', 'AI', 'AV', 'BI', 'BV']];
  for (let k = 0; k < c.vV.length; k++)
    data.push([
      Number(c.tS[k].toPrecision(7)),
      Number(c.iA[k].toPrecision(5)),
      Number(c.vV[k].toPrecision(4)),
      Number((-c.iA[k]).toPrecision(5)),
      0,
    ]);
  const calc = [
    ['ILRS', 'IHRS', 'VSET'],
    [1e-4, 1e-6, 0.8],
  ];
  const settings: (string | number)[][] = [
    ['=================================='],
    ['Run 1', 'Latest Run'],
    ['=================================='],
    ['Test Name', 'IV-Loop#1@1'],
    ['Mode', 'Sweeping'],
    ['KTEI Version', 'V9.1'],
    ['Last Executed', '11/29/2026 10:00:00'],
    [],
    ['Device Terminal', 'A', 'B'],
    ['Instrument', 'SMU1', 'SMU2'],
    ['Name', 'AV', 'BV'],
    ['Forcing Function', 'Voltage Sweep', 'Common'],
    ['Start/Level', '0', 'N/A'],
    ['Stop', '-1.2', 'N/A'],
    ['Step', '-0.02', 'N/A'],
    ['Compliance', '0.0005', '0.105'],
    ['Measure I', 'Measured', 'Measured'],
    ['Measure V', 'Programmed', 'Programmed'],
    ['Dual Sweep Mode', 'Enabled', 'N/A'],
  ];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(data), 'Data');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(calc), 'Calc');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(settings), 'Settings');
  put('kite-xls/Run12/data@1[12].xls', XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
}

// ---- 4. Keysight B2900 Quick I/V CSV: Repeat, VAR2, Point, CHn columns, engineering notation ----------
{
  const lines = ['Repeat,VAR2,Point,CH1 Voltage,CH1 Current,CH1 Resistance,CH1 Time,CH2 Voltage,CH2 Current,CH2 Time,R'];
  for (let rep = 1; rep <= 3; rep++) {
    const c = loop(0.8 + 0.2 * rep, { flip: true });
    for (let k = 0; k < c.vV.length; k++) {
      const v = c.vV[k],
        i = c.iA[k];
      lines.push(
        [
          rep,
          1,
          k + 1,
          eng(v),
          eng(i),
          v === 0 ? '+9.91000E+037' : eng(v / i),
          eng(c.tS[k] + 0.01),
          eng(0),
          eng(-i),
          eng(c.tS[k] + 0.011),
          '',
        ].join(','),
      );
    }
  }
  put('b2900/quickiv-3repeats.csv', lines.join('\r\n') + '\r\n');
}

// ---- 5. Research-repository CSVs: many spellings and quirks --------------------------------------------
{
  // (a) semicolon + decimal comma, units in brackets (mA, ms), three loops concatenated, RESET first (+V first)
  const loops = [loop(1.0), loop(1.2), loop(0.9)];
  const lines = ['Time [ms];Voltage [V];Current [mA]'];
  let t0 = 0;
  for (const c of loops) {
    // positive excursion first: rotate the loop 0 → +1.2 → 0 → −1.2 → 0
    const m = mid(c);
    const v = [...Array.from(c.vV).slice(m), ...Array.from(c.vV).slice(1, m + 1)];
    const i = [...Array.from(c.iA).slice(m), ...Array.from(c.iA).slice(1, m + 1)];
    for (let k = t0 > 0 ? 1 : 0; k < v.length; k++)
      lines.push(
        `${(t0 + k * 20).toFixed(1).replace('.', ',')};${g(v[k], 4).replace('.', ',')};${(i[k] * 1e3).toExponential(4).replace('.', ',')}`,
      );
    t0 += (v.length - 1) * 20;
  }
  put('generic/loops-semicolon-decimal-comma.csv', lines.join('\n') + '\n');

  // (b) SET and RESET in separate files per cycle, named "<dev>_SET_<n>" / "<dev>_RESET_<n>", current in µA
  for (let n = 1; n <= 2; n++) {
    const c = loop(1 + 0.3 * n);
    const m = mid(c);
    for (const [half, a, e] of [
      ['SET', 0, m + 1],
      ['RESET', m, c.vV.length],
    ] as const) {
      const p = part(c, a, e);
      const rows = ['V (V),I (uA)'];
      for (let k = 0; k < p.vV.length; k++) rows.push(`${g(p.vV[k], 4)},${g(p.iA[k] * 1e6, 5)}`);
      put(`generic/S7_${half}_${n}.csv`, rows.join('\n') + '\n');
    }
  }

  // (b1) the electroforming sweep that preceded them (0 → −2.5 V → 0, pristine 20 MΩ, forms at −2 V)
  {
    const c = toyLoop({ ...base, hrsOhm: 2e7, vSetV: -2.0, vMinV: -2.5 });
    const m = Array.from(c.vV).findIndex((v, k) => k > 0 && v === 0);
    const iM = measureCurrent(c.vV, c.iA, rng, { noiseRel: 0.01, floorA: 1e-12, complianceA: 1e-4 });
    const rows = ['V (V),I (uA)'];
    for (let k = 0; k <= m; k++) rows.push(`${g(c.vV[k], 4)},${g(iM[k] * 1e6, 5)}`);
    put('generic/S7_forming.csv', rows.join('\n') + '\n');
  }

  // (b2) the same split kept in SET/ and RESET/ folders under the device folder, files named by cycle only
  for (let n = 1; n <= 2; n++) {
    const c = loop(0.6 + 0.2 * n);
    const m = mid(c);
    for (const [half, a, e] of [
      ['SET', 0, m + 1],
      ['RESET', m, c.vV.length],
    ] as const) {
      const p = part(c, a, e);
      const rows = ['Time (s),Voltage (V),Current (A)'];
      for (let k = 0; k < p.vV.length; k++) rows.push(`${g(p.tS[k], 5)},${g(p.vV[k], 4)},${sci(p.iA[k])}`);
      put(`generic/by-folder/S9/${half}/cycle${n}.csv`, rows.join('\n') + '\n');
    }
  }

  // (d) three loops appended in one table, each record with its own clock starting again at 0 s
  {
    const rows = ['Time (s),Voltage (V),Current (uA)'];
    for (const c of [loop(1.0), loop(1.3), loop(1.6)])
      for (let k = 0; k < c.vV.length; k++) rows.push(`${g(c.tS[k], 5)},${g(c.vV[k], 4)},${g(c.iA[k] * 1e6, 5)}`);
    put('generic/appended-clock-restarts.csv', rows.join('\n') + '\n');
  }

  // (c) tab-separated, header with units in parentheses, nA, SET first at +V, two loops, no time
  {
    const rows = ['Applied Voltage (V)\tMeasured Current (nA)'];
    for (const [j, c] of [loop(2, { flip: true }), loop(2.5, { flip: true })].entries())
      for (let k = j ? 1 : 0; k < c.vV.length; k++) rows.push(`${g(c.vV[k], 4)}\t${g(c.iA[k] * 1e9, 5)}`);
    put('generic/pos-first-nA.tsv', rows.join('\n') + '\n');
  }
}
console.log(`wrote ${root}`);
