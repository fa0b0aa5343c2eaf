/**
 * Writes the ingest test fixtures (fixtures/ingest/): small synthetic files, one per format quirk,
 * from the toy loop of src/synth/toy.ts (not measured data). Deterministic: `npx tsx scripts/make-ingest-fixtures.ts`.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { createRng } from '../src/util/rng.js';
import { measureCurrent, toyLoop, writeB1500Csv, writeGenericCsv, writeK4200Csv, type SynthCycle } from '../src/synth/index.js';

const dir = join('fixtures', 'ingest');
mkdirSync(dir, { recursive: true });
const rng = createRng(2026);
const base = { hrsOhm: 2e5, lrsOhm: 2e3, vSetV: -0.8, vResetV: 0.6, vMinV: -1.2, vMaxV: 1.2, stepV: 0.02, rateVps: 1 };
const ICC = 1e-4;
function loop(scale = 1, flip = false): SynthCycle {
  const c = toyLoop({ ...base, hrsOhm: base.hrsOhm * scale, lrsOhm: base.lrsOhm * scale });
  const v = flip ? c.vV.map((x) => -x) : c.vV;
  const i = measureCurrent(v, flip ? c.iA.map((x) => -x) : c.iA, rng, {
    noiseRel: 0.01,
    floorA: 1e-12,
    complianceA: ICC,
    setSign: flip ? 1 : -1,
  });
  return { tS: c.tS, vV: v, iA: i };
}
const w = (name: string, text: string | Buffer) => writeFileSync(join(dir, name), text);
const f = (x: number, d = 5) => Number(x.toPrecision(d)).toString();

// 1. Keithley 4200 CSV, one run with its settings block
w('k4200-cycle3.csv', writeK4200Csv(loop(), { device: 'k42dev', complianceA: ICC, cycle: 3 }));
// 2. B1500 EasyEXPERT, three runs
w('b1500-3runs.csv', writeB1500Csv([loop(1), loop(1.3), loop(0.8)], { device: 'b15dev', complianceA: ICC }));
// 3. generic CSV, two cycles in one file, current in mA, comment metadata
w('generic-2cycles-mA.csv', writeGenericCsv([loop(), loop(1.2)], { device: 'gen01', complianceA: ICC, currentUnit: 'mA' }));
// 4. semicolon separated, decimal commas, trailing separators
{
  const c = loop();
  const rows = ['V;I;'];
  for (let k = 0; k < c.vV.length; k++) rows.push(`${f(c.vV[k]).replace('.', ',')};${c.iA[k].toExponential(4).replace('.', ',')};`);
  w('semicolon-decimal-comma.csv', rows.join('\n') + '\n');
}
// 5. tab separated, Vforce and I [uA]
{
  const c = loop();
  const rows = ['Vforce\tI [uA]'];
  for (let k = 0; k < c.vV.length; k++) rows.push(`${f(c.vV[k])}\t${f(c.iA[k] * 1e6)}`);
  w('tab-uA.tsv', rows.join('\n') + '\n');
}
// 6. whitespace .dat with comment lines (metadata) and a compliance line
{
  const c = loop();
  const rows = ['# toy cell, whitespace separated', '# Compliance: 100 uA', '# sweep rate 1 V/s', 'V I'];
  for (let k = 0; k < c.vV.length; k++) rows.push(`${f(c.vV[k]).padStart(8)}   ${c.iA[k].toExponential(4)}`);
  w('whitespace.dat', rows.join('\n') + '\n');
}
// 7. quoted numbers and trailing commas, CRLF
{
  const c = loop();
  const rows = ['"Voltage (V)","Current (A)",'];
  for (let k = 0; k < c.vV.length; k++) rows.push(`"${f(c.vV[k])}","${c.iA[k].toExponential(4)}",`);
  w('quoted-trailing-comma.csv', rows.join('\r\n') + '\r\n');
}
// 8. SET and RESET halves in separate files, two cycles (file names carry device, half and cycle)
for (const cyc of [1, 2]) {
  const c = loop(cyc === 1 ? 1 : 1.1);
  const mid = Array.from(c.vV).findIndex((v, k) => k > 0 && v === 0);
  const half = (a: number, b: number, t0: number) => {
    const rows = ['Time (s),AV,AI'];
    for (let k = a; k < b; k++) rows.push(`${f(c.tS[k] - t0, 6)},${f(c.vV[k])},${c.iA[k].toExponential(4)}`);
    return rows.join('\n') + '\n';
  };
  w(`dev07_set_cycle${cyc}.csv`, half(0, mid + 1, 0));
  w(`dev07_reset_cycle${cyc}.csv`, half(mid, c.vV.length, c.tS[mid]));
}
// 9. a device that SETs at positive voltage
{
  const c = loop(1, true);
  const rows = ['V,I'];
  for (let k = 0; k < c.vV.length; k++) rows.push(`${f(c.vV[k])},${c.iA[k].toExponential(4)}`);
  w('polarity-positive.csv', rows.join('\n') + '\n');
}
// 10. unit suffixes in the cells
{
  const c = loop();
  const rows = ['V,I'];
  for (let k = 0; k < c.vV.length; k++) rows.push(`${f(c.vV[k] * 1e3)} mV,${f(c.iA[k] * 1e6)} uA`);
  w('cell-units.csv', rows.join('\n') + '\n');
}
// 11. Latin-1 encoded header with µA
{
  const c = loop();
  const rows = ['Voltage (V),Current (µA)'];
  for (let k = 0; k < c.vV.length; k++) rows.push(`${f(c.vV[k])},${f(c.iA[k] * 1e6)}`);
  w('latin1-microamp.csv', Buffer.from(rows.join('\n') + '\n', 'latin1'));
}
// 12. workbook with side-by-side device blocks (labels above, "--" padding) and a notes sheet
{
  const devs = [loop(1), loop(1.5), loop(0.7)];
  const n = Math.max(...devs.map((d) => d.vV.length));
  const aoa: (string | number)[][] = [[], [], []];
  devs.forEach(() => {
    aoa[0].push('Cycle 1', '--');
    aoa[1].push('BIAS 1', '--');
    aoa[2].push('Voltage (V)', ' Current (A)');
  });
  for (let k = 0; k < n + 3; k++) {
    const row: (string | number)[] = [];
    for (const d of devs) row.push(...(k < d.vV.length ? [d.vV[k], Math.abs(d.iA[k])] : ['--', '--']));
    aoa.push(row);
  }
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), 'devices');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['notes'], ['synthetic toy loops, |I| stored']]), 'notes');
  w('blocks-3devices.xlsx', XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  w('blocks-3devices.xls', XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
}
console.log(`fixtures written to ${dir}`);
