import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../src/util/rng.js';
import { exportAihwkit, exportCsv, exportSpice, exportVerilogA, samplePopulation, sampleTable } from '../../src/population/index.js';
import { listPresets, loadPreset } from '../../src/io/population.js';
import { readSpiceCards } from '../helpers/cards.js';

const spiceCheck = readSpiceCards;

test('SPICE cards pass the tokenizer; lengths in the VA units (lnew in nm, rnew in m)', () => {
  const p = loadPreset('paper-realistic-mixed');
  const { instances } = spiceCheck(exportSpice(p, samplePopulation(p, 5, createRng(1))));
  assert.equal(instances.size, 6);
  const nom = instances.get('Xnom') as Record<string, number>;
  assert.equal(nom.lnew, 0.4);
  assert.equal(nom.lcell, 3);
  assert.equal(nom.rnew, 45e-9);
  assert.equal(nom.phibn0, 0.18);
  assert.equal(nom.nyo, 2e13);
  assert.equal(nom.RTiOx, 650);
  for (const [name, inst] of instances)
    if (name !== 'Xnom') {
      assert.ok(inst.rnew >= 40.5e-9 && inst.rnew <= 49.5e-9);
      assert.ok(inst.lnew >= 0.36 && inst.lnew <= 0.44);
    }
});

test('tokenizer rejects broken SPICE', () => {
  assert.throws(() => spiceCheck('Xa n1 n2 M\n+ rnew=4.5e-8x\n.end\n'));
  assert.throws(() => spiceCheck('Xa n1 n2 M rnew=1\n'));
});

test('Verilog-A (Spectre) cards: one instance per device, var-module names', () => {
  const p = loadPreset('paper-realistic');
  const text = exportVerilogA(p, samplePopulation(p, 3, createRng(2)));
  const inst = text.split('\n').filter((l) => /^X/.test(l));
  assert.equal(inst.length, 4);
  for (const l of inst) {
    assert.match(l, /^X\w+ \(te\w+ be\w+\) JART_VCM_1b_var( [A-Za-z_]\w*=[-+0-9.eE]+)+$/);
    assert.ok(!/ T0=/.test(l) && !/ ny0=/.test(l) && / nyo=/.test(l));
  }
});

test('aihwkit config: every preset exports Python that parses', (t) => {
  const py = spawnSync('python3', ['--version']);
  if (py.status !== 0) {
    t.skip('python3 not available');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-aih-'));
  for (const name of listPresets()) {
    const file = join(dir, `${name}.py`);
    const text = exportAihwkit(loadPreset(name));
    writeFileSync(file, text);
    const r = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(open(sys.argv[1]).read())', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
  }
  const mixed = exportAihwkit(loadPreset('paper-realistic-mixed'));
  // verbatim aihwkit fields of the paper config
  assert.match(mixed, /\n {4}rdisc_dtod=1,\n {4}rdisc_dtod_lower_bound=4\.05e-8,\n {4}rdisc_dtod_upper_bound=4\.95e-8,/);
  assert.match(mixed, /\n {4}Ndiscmin_std=0\.9,/);
  assert.match(mixed, /\n {4}rdisc_std_slope=0\.1,/);
});

test('CSV: header and one row per device and cycle', () => {
  const p = loadPreset('paper-realistic-mixed');
  const csv = exportCsv(sampleTable(p, 4, 2, createRng(3)))
    .trim()
    .split('\n');
  assert.equal(csv.length, 1 + 4 * 3);
  const head = csv[0].split(',');
  assert.deepEqual(head.slice(0, 2), ['device', 'cycle']);
  for (const n of ['rnew', 'lnew', 'Ndiscmin', 'Ndiscmax']) assert.ok(head.includes(n));
  for (const row of csv.slice(1)) assert.equal(row.split(',').filter((x) => !Number.isFinite(Number(x))).length, 0);
});
