// Units the ingest's fast table does not know, read through mathjs: spelled-out header units ("Current (nanoamperes)"),
// other SI prefixes ("V [kV]" is native, "I (GA)" is not), and --i-unit/--v-unit/--t-unit given as words.
// A file whose units the table knows never loads mathjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../src/io/ingest.js';
import { toyLoop } from '../../src/synth/index.js';
import { mathjsLoaded } from '../../src/util/units-mathjs.js';
import { declaredUnitScale, splitHeaderUnit } from '../../src/ingest/units.js';
import { JartcalError } from '../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'jartcal-units-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const loop = toyLoop({ hrsOhm: 2e5, lrsOhm: 2e3, vSetV: -0.8, vResetV: 0.6, vMinV: -1.2, vMaxV: 1.2, stepV: 0.05, rateVps: 1 });
/** The toy loop written with its columns in the given units (values divided by each unit's size in SI). */
const file = (name: string, header: string, vUnit: number, iUnit: number, tUnit: number): string => {
  const rows = [header];
  for (let k = 0; k < loop.vV.length; k++) rows.push(`${loop.tS[k] / tUnit},${loop.vV[k] / vUnit},${loop.iA[k] / iUnit}`);
  const p = join(dir, name);
  writeFileSync(p, rows.join('\n'));
  return p;
};
const close = (a: number, b: number, what: string): void =>
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-30, `${what}: ${a} vs ${b}`);

test('a file in units the fast table knows (ms, mV, nA) is read without loading mathjs', () => {
  const ds = ingestFiles([file('native.csv', 'Time (ms),Voltage (mV),Current (nA)', 1e-3, 1e-9, 1e-3)]);
  assert.equal(ds.devices[0].cycles.length, 1);
  assert.equal(mathjsLoaded(), false, 'mathjs loaded for native units');
});

test('spelled-out header units (milliseconds, millivolts, nanoamperes) are scaled through mathjs', () => {
  const ds = ingestFiles([file('spelled.csv', 'Time (milliseconds),Voltage (millivolts),Current (nanoamperes)', 1e-3, 1e-9, 1e-3)]);
  assert.equal(mathjsLoaded(), true);
  const c = ds.devices[0].cycles[0];
  const vmax = Math.max(...c.vV.map(Math.abs));
  close(vmax, 1.2, 'peak |V|');
  const imax = Math.max(...c.iA.map(Math.abs));
  close(imax, Math.max(...Array.from(loop.iA, Math.abs)), 'peak |I|');
  close(c.tS[c.tS.length - 1] - c.tS[0], loop.tS[loop.tS.length - 1] - loop.tS[0], 'duration');
});

test('declared units: mathjs scales other prefixes and words, refuses other quantities; a bracket that is no unit stays a name', () => {
  close(declaredUnitScale('picoampere', 'A')!, 1e-12, 'picoampere');
  close(declaredUnitScale('MV', 'V')!, 1e6, 'MV');
  close(declaredUnitScale('microseconds', 's')!, 1e-6, 'microseconds');
  assert.equal(declaredUnitScale('millivolts', 'A'), null);
  assert.equal(declaredUnitScale('kiloohm', 'A'), null);
  assert.equal(declaredUnitScale('T', 's'), null);
  assert.deepEqual(splitHeaderUnit('Current (nanoamperes)'), { name: 'Current', unit: 'nanoamperes' });
  assert.deepEqual(splitHeaderUnit('Current (Drain)'), { name: 'Current (Drain)', unit: null });
});

test('--i-unit given as a word (picoampere) applies; a word of another quantity is refused naming the option', () => {
  const p = file('bare.csv', 'Time,Voltage,Current', 1, 1e-12, 1);
  const ds = ingestFiles([p], { iUnit: 'picoampere' });
  close(Math.max(...ds.devices[0].cycles[0].iA.map(Math.abs)), Math.max(...Array.from(loop.iA, Math.abs)), 'peak |I|');
  assert.throws(
    () => ingestFiles([p], { iUnit: 'millivolt' }),
    (e: unknown) => e instanceof JartcalError && /--i-unit expects a A unit/.test(e.message) && /"millivolt"/.test(e.message),
  );
});
