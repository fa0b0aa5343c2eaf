import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { runCliChild } from '../helpers/cli-child.js';

const FIX = join(REPO_ROOT, 'fixtures', 'inspect');

/** Runs the CLI in a child process (stdout is a pipe, so never a TTY). */
function cli(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = runCliChild(args, env);
  return { code: r.code, stdout: r.out, stderr: r.err };
}

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const orig = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((s: string | Uint8Array) => {
    out += String(s);
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: await fn(), out };
  } finally {
    process.stdout.write = orig;
  }
}

test('help: inspect and report --help describe the keys, inputs and outputs', async () => {
  const i = await capture(() => main(['inspect', '--help']));
  assert.equal(i.code, 0);
  for (const s of [
    'Usage: jartcal inspect FITS.json',
    '--dataset',
    '--population',
    '--json',
    'j/k',
    'Tab',
    '/ search',
    '? help',
    'q quit',
    'refit',
    'not a TTY',
    'CI',
  ])
    assert.ok(i.out.includes(s), `inspect help lacks "${s}"`);
  const r = await capture(() => main(['report', '--help']));
  assert.equal(r.code, 0);
  for (const s of [
    'Usage: jartcal report FITS.json --out DIR',
    'index.html',
    'PNG',
    '--max-cycles',
    '--no-png',
    'variability profile',
    'atomically',
  ])
    assert.ok(r.out.includes(s), `report help lacks "${s}"`);
  const top = await capture(() => main(['--help']));
  assert.match(top.out, /inspect\s+inspect fits/);
  assert.match(top.out, /report\s+static HTML report/);
});

test('inspect: into a pipe it prints the summary; --json prints the summary as JSON', () => {
  const t = cli(['inspect', join(FIX, 'fits.json')]);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /3 devices, 12 cycles; 11 converged, 1 flagged/);
  assert.match(t.stdout, /worst fits:\n.*\n\s+D2\s+3\s+1\.\d{3}\s+NO\s+rnew@max no-conv poor/);
  assert.match(t.stdout, /summary printed instead of the inspector/);
  const j = cli(['inspect', join(FIX, 'fits.json'), '--json']);
  assert.equal(j.code, 0, j.stderr);
  const s = JSON.parse(j.stdout);
  assert.equal(s.cycles, 12);
  assert.equal(s.devices, 3);
  assert.equal(s.bad, 1);
  assert.deepEqual(s.worst[0].flags, ['rnew@max', 'no-conv', 'poor']);
  assert.equal(s.datasetFound, true);
  assert.match(s.population, /population\.json$/);
  assert.deepEqual(s.flagCounts, { param_at_bound: 1, not_converged: 1, poor_fit: 1 });
});

test('inspect: bad input gives one clear message, exit 2, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-inspect-'));
  const missing = cli(['inspect', join(dir, 'nope.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.json: file not found/);
  writeFileSync(join(dir, 'bad.json'), '{\n  "schema": "jartcal.fits/1",\n  "cycles": [1,\n}\n');
  const bad = cli(['inspect', join(dir, 'bad.json')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad\.json, line 4, column 1: not valid JSON/);
  assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/);
  writeFileSync(
    join(dir, 'wrong.json'),
    JSON.stringify({
      schema: 'jartcal.fits/1',
      dataset: 'd.json',
      settings: {},
      cycles: [{ device: 'A', cycle: 1, params: { rnew: 'x' }, rmsLog10: 0.1, converged: true }],
    }),
  );
  const wrong = cli(['inspect', join(dir, 'wrong.json')]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /wrong\.json: cycles\[0\]\.params\.rnew: expected a finite number, got "x"/);
  const schema = cli(['inspect', join(FIX, 'dataset.json')]);
  assert.equal(schema.code, 2);
  assert.match(schema.stderr, /schema: expected one of jartcal\.fits\/1, jartcal\.fits\/2, got "jartcal\.dataset\/1"/);
  const usage = cli(['inspect']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /expected one fits file/);
});

test('inspect: a missing dataset is reported, not fatal; --dataset overrides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-inspect-'));
  copyFileSync(join(FIX, 'fits.json'), join(dir, 'fits.json'));
  const t = cli(['inspect', join(dir, 'fits.json')]);
  assert.equal(t.code, 0);
  assert.match(t.stdout, /note: dataset dataset\.json .* not found/);
  const j = JSON.parse(cli(['inspect', join(dir, 'fits.json'), '--json', '--dataset', join(FIX, 'dataset.json')]).stdout);
  assert.equal(j.datasetFound, true);
  assert.equal(j.population, null, 'no population beside this fits file');
  // --branches needs the measured data: refused with the reason when the dataset is missing
  const nb = cli(['inspect', join(dir, 'fits.json'), '--summary', '--branches']);
  assert.equal(nb.code, 2);
  assert.match(nb.stderr, /--branches: no measured data for .*fits\.json .*give --dataset FILE/);
  // with the dataset: every fitted cycle re-simulated through the JART model, the four branches reported
  const b = cli(['inspect', join(dir, 'fits.json'), '--summary', '--branches', '--dataset', join(FIX, 'dataset.json')]);
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /misfit by branch \(12 cycles re-simulated/);
  for (const name of ['SET out', 'SET back', 'RESET out', 'RESET back'])
    assert.match(b.stdout, new RegExp(`${name}\\s+\\d+\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d{3}\\s+\\d+ %`));
  const bj = JSON.parse(cli(['inspect', join(dir, 'fits.json'), '--json', '--branches', '--dataset', join(FIX, 'dataset.json')]).stdout);
  assert.equal(bj.byBranch.cycles, 12);
  assert.equal(bj.byBranch.branches.length, 5);
});

test('report: the CLI writes index.html and every plot as SVG and PNG; bad flags are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-report-cli-'));
  const out = join(dir, 'rep');
  const r = cli(['report', join(FIX, 'fits.json'), '--out', out, '--max-cycles', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /report: .*index\.html \(\d+ plots, SVG and PNG\)/);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  const svgs = [...html.matchAll(/src="(plots\/[^"]+\.svg)"/g)].map((m) => m[1]);
  assert.ok(svgs.length >= 10);
  for (const s of svgs) {
    assert.ok(existsSync(join(out, s)), s);
    assert.ok(existsSync(join(out, s.replace(/\.svg$/, '.png'))), s);
  }
  assert.equal(cli(['report', join(FIX, 'fits.json')]).code, 2);
  const mc = cli(['report', join(FIX, 'fits.json'), '--out', out, '--max-cycles', 'x']);
  assert.equal(mc.code, 2);
  assert.match(mc.stderr, /--max-cycles expects a whole number/);
});

test('report: finds the crossbar results beside the fits (where the pipeline writes them), or takes --crossbar', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-report-cb-'));
  for (const f of ['fits.json', 'dataset.json']) copyFileSync(join(FIX, f), join(dir, f));
  const results = {
    schema: 'jartcal.crossbar-results/1',
    name: 'tiny',
    mode: 'in-situ',
    seed: 1,
    finalAccuracy: 88.5,
    accuracyStd: 0,
    accuracyPerEpoch: [88.5],
    repeats: [
      {
        repeat: 0,
        finalAccuracy: 88.5,
        records: [{ epoch: 1, lr: 0.05, trainLoss: 0.3, testAccuracy: 88.5, seconds: 1, pulsesApplied: 0, coincidences: 0 }],
      },
    ],
    config: { training: { epochs: 1, trainSamples: 100, testSamples: 50 } },
  };
  const none = cli(['report', join(dir, 'fits.json'), '--out', join(dir, 'r0'), '--max-cycles', '1', '--no-png']);
  assert.equal(none.code, 0, none.stderr);
  assert.match(readFileSync(join(dir, 'r0', 'index.html'), 'utf8'), /No crossbar run/);
  mkdirSync(join(dir, 'crossbar'));
  writeFileSync(join(dir, 'crossbar', 'results.json'), JSON.stringify(results));
  const r = cli(['report', join(dir, 'fits.json'), '--out', join(dir, 'r1'), '--max-cycles', '1', '--no-png']);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(join(dir, 'r1', 'index.html'), 'utf8');
  assert.match(html, /id="crossbar-accuracy">88\.50 %</);
  assert.ok(existsSync(join(dir, 'r1', 'plots', 'crossbar_accuracy.svg')));
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ schema: 'jartcal.fits/1' }));
  const bad = cli(['report', join(dir, 'fits.json'), '--out', join(dir, 'r2'), '--crossbar', join(dir, 'other.json')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /other\.json.*expected "jartcal\.crossbar-results\/1"/);
});
