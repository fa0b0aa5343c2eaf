/**
 * What a user sees from the commands: parameters from presets and populations, "did you mean" in
 * parameter files, refused sweeps, a one-device population, numbers with units, report errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { formatSi } from '../../src/cli/format.js';
import { fmtV } from '../../src/fit/summary.js';
import { sweepProblem } from '../../src/cli/profile.js';
import { DEFAULT_PARAMS } from '../../src/model/index.js';
import { parseParamFile } from '../../src/io/params.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { runCliChild } from '../helpers/cli-child.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'jartcal-ux-'));

const run = runCli;

const child = runCliChild;

const sweep = ['--sweep', '--rate', '10', '--step', '0.01'];

test('simulate --params: the example parameter file holds every default; a preset or a population file gives its central device', async () => {
  const example = join(REPO_ROOT, 'presets', 'params', 'default.json');
  assert.deepEqual(parseParamFile(readFileSync(example, 'utf8'), example).params, { ...DEFAULT_PARAMS });
  const a = await run(['simulate', '--params', example, ...sweep, '--out', join(dir, 'a.csv')]);
  assert.equal(a.code, 0, a.err);
  const b = await run(['simulate', '--params', 'paper-realistic', ...sweep, '--out', join(dir, 'b.csv')]);
  assert.equal(b.code, 0, b.err);
  assert.match(b.err, /paper-realistic is a population \(jartcal\.population\/1\): simulating its central device/);
  const c = await run(['simulate', '--params', join(REPO_ROOT, 'presets', 'paper-realistic.json'), ...sweep, '--out', join(dir, 'c.csv')]);
  assert.equal(c.code, 0, c.err);
  assert.equal(readFileSync(join(dir, 'b.csv'), 'utf8'), readFileSync(join(dir, 'c.csv'), 'utf8'), 'preset name and file: same device');
  // the paper's central rdisc (45 nm) and ldisc (0.4 nm) are the defaults; its Ndiscmax centre 20 too: same I-V as the defaults
  assert.ok(existsSync(join(dir, 'a.csv')));
  const d = await run(['simulate', '--params', 'paper-realistc', ...sweep, '--out', join(dir, 'd.csv')]);
  assert.equal(d.code, 2);
  assert.match(d.err, /"paper-realistc" is neither a file nor a preset \(did you mean "paper-realistic"\?\)/);
  assert.match(d.err, /presets\/params\/default\.json/);
});

test('simulate: a mistyped parameter name in a parameter file gets a "did you mean", with its line', async () => {
  const p = join(dir, 'typo.json');
  writeFileSync(p, '{"model": "jart-vcm-v1b", "params": {\n  "rnwe": 4e-8\n}}\n');
  const r = await run(['simulate', '--params', p, ...sweep, '--out', join(dir, 'never.csv')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /typo\.json, line 2, column 3: unknown parameter "rnwe" \(did you mean "rnew"\?\)/);
  assert.ok(!existsSync(join(dir, 'never.csv')));
});

test('simulate --sweep with a voltage of the wrong sign is refused with a clear message, no output', async () => {
  for (const [flag, v, re] of [
    ['--vset', '1.3', /--vset must be negative .*got 1\.3 V; did you mean --vset -1\.3\?/],
    ['--vreset', '-1.3', /--vreset must be positive .*got -1\.3 V/],
  ] as const) {
    const out = join(dir, `sign${flag}.csv`);
    const r = await run(['simulate', '--sweep', flag, v, '--out', out]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, re);
    assert.ok(!existsSync(out));
  }
  const s = await run(['simulate', '--sweep', '--step', '5', '--out', join(dir, 'step.csv')]);
  assert.match(s.err, /--step must be > 0 V and smaller than the sweep's amplitude/);
});

test('population from one device: a warning instead of device-to-device spreads', async () => {
  const fits = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', 'inspect', 'fits.json'), 'utf8')) as {
    cycles: { device: string }[];
    devices: { device: string }[];
    dataset: string;
  };
  fits.cycles = fits.cycles.filter((c) => c.device === 'D1');
  fits.devices = fits.devices.filter((d) => d.device === 'D1');
  fits.dataset = join(REPO_ROOT, 'fixtures', 'inspect', 'dataset.json');
  const one = join(dir, 'one-device-fits.json');
  writeFileSync(one, JSON.stringify(fits));
  const r = await run(['population', one, '--out', join(dir, 'one-pop.json'), '--bootstrap', '0']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /warning: the fits come from one device: the population has no device-to-device information/);
  assert.ok(!/center\s+d2d spread/.test(r.err), `no d2d spread printed:\n${r.err}`);
  assert.match(r.err, /parameter\s+unit\s+family\s+center\s+c2c spread/);
  const several = await run([
    'population',
    join(REPO_ROOT, 'fixtures', 'inspect', 'fits.json'),
    '--out',
    join(dir, 'pop3.json'),
    '--bootstrap',
    '0',
  ]);
  assert.equal(several.code, 0, several.err);
  assert.ok(!/one device/.test(several.err));
  assert.match(several.err, /center\s+d2d spread\s+c2c spread/);
});

test('numbers for people: compliance in µA, signed millivolts with the sign on the number', () => {
  assert.equal(formatSi(0.00027499999999999996, 'A'), '275 µA');
  assert.equal(formatSi(6e-4, 'A'), '600 µA');
  assert.equal(formatSi(0.0009999999, 'A'), '1 mA');
  assert.equal(formatSi(0.002, 'V'), '2 mV');
  assert.equal(formatSi(1.5e3, 'Ω'), '1.5 kΩ');
  assert.equal(fmtV(0.0001), '  +0.1 mV');
  assert.equal(fmtV(-0.0123), ' -12.3 mV');
  assert.equal(fmtV(null).length, fmtV(0.0001).length);
});

test('profile prints the compliance with its unit; a dataset of half cycles is refused before any simulation', () => {
  // the fixture's dataset with a compliance of 275 µA as an instrument export gives it (not a round binary number)
  const ds = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', 'inspect', 'dataset.json'), 'utf8')) as {
    devices: { cycles: { complianceA: number | null }[] }[];
  };
  for (const d of ds.devices) for (const c of d.cycles) c.complianceA = 0.00027499999999999996;
  const dsPath = join(dir, 'dataset-275uA.json');
  writeFileSync(dsPath, JSON.stringify(ds));
  const r = child(['profile', join(REPO_ROOT, 'fixtures', 'inspect', 'population.json'), dsPath, '--devices', '2', '--cycles', '1']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /compliance 275 µA/);
  assert.ok(!/compliance \d\.\d{6,}/.test(r.out), r.out);
  assert.match(sweepProblem({ vSetV: -1.2, vResetV: 0, stepV: 0.01 }) ?? '', /SET branch only/);
  assert.match(sweepProblem({ vSetV: 0, vResetV: 1.2, stepV: 0.01 }) ?? '', /RESET branch only/);
  assert.equal(sweepProblem({ vSetV: -1.2, vResetV: 1.2, stepV: 0.01 }), null);
});

test('report: a missing fits file is named once', async () => {
  const missing = join(dir, 'nope.json');
  const r = await run(['report', missing, '--out', join(dir, 'rep')]);
  assert.equal(r.code, 2);
  assert.equal(r.err.split(missing).length - 1, 1, r.err);
  assert.match(r.err, /nope\.json: file not found/);
});
