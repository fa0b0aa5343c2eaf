/**
 * The pipeline redoes what is stale and says why: a refit saved into fits.json (as the inspector saves it)
 * redoes population, profile and report, not the fit; a run with nothing changed redoes nothing. A small
 * campaign (one device, two cycles) and small stage settings keep it quick.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { PipelineOptions, PipelineRun } from '../../src/cli/pipeline.js';
import { saveFits } from '../../src/io/inspect-files.js';
import { REPO_ROOT } from '../helpers/shared.js';

const child = join(REPO_ROOT, 'test', 'cli', 'pipeline-child.ts');

/** One pipeline run in its own process (its stdout and stderr captured whole). */
function pipeline(o: PipelineOptions): { r: PipelineRun; err: string } {
  const p = spawnSync(process.execPath, ['--import', 'tsx', child, JSON.stringify(o)], { encoding: 'utf8', cwd: REPO_ROOT });
  assert.equal(p.status, 0, p.stderr);
  const lines = p.stdout.trim().split('\n');
  return { r: JSON.parse(lines[lines.length - 1]) as PipelineRun, err: p.stderr };
}

const small = (data: string, out: string): PipelineOptions => ({
  data,
  out,
  skipCrossbar: true,
  workers: 1,
  fit: { starts: 1, maxEvaluations: 60 },
  population: { bootstrap: 0 },
  refine: { budget: 2 },
  profile: { devices: 2, cycles: 2 },
  report: { png: false, maxCycles: 2 },
});

test('pipeline: a refit saved into fits.json redoes population, profile and report (saying why), not the fit; then nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-pipeline-'));
  const data = join(dir, 'gen01.csv');
  copyFileSync(join(REPO_ROOT, 'fixtures', 'ingest', 'generic-2cycles-mA.csv'), data);
  const out = join(dir, 'out');
  const o = small(data, out);

  const first = pipeline(o);
  assert.deepEqual(first.r.redone, ['ingest', 'fit', 'population', 'profile', 'report'], first.err);
  assert.match(first.err, /population: population\.json is missing → making it/);
  // refined by default; two cycles of one device give no statistic to match, and it says so
  assert.match(first.err, /refine: the dataset gives no switching statistic to match \(2 cycles; 3 are needed\)/);
  const manifest = JSON.parse(readFileSync(join(out, 'pipeline.json'), 'utf8')) as {
    schema: string;
    stages: Record<string, { inputs: Record<string, string> }>;
  };
  assert.equal(manifest.schema, 'jartcal.pipeline/1');
  assert.match(manifest.stages.population.inputs['fits.json'], /^sha256:[0-9a-f]{64}$/);

  const again = pipeline(o);
  assert.deepEqual(again.r.redone, [], again.err);
  assert.match(again.err, /population: .*population\.json is up to date/);

  // the inspector's save: a refitted cycle written back into fits.json
  const fitsPath = join(out, 'fits.json');
  const fits = JSON.parse(readFileSync(fitsPath, 'utf8')) as Parameters<typeof saveFits>[1];
  (fits.cycles[0].params as Record<string, number>).rnew *= 1.05;
  saveFits(fitsPath, fits);

  const after = pipeline(o);
  assert.deepEqual(after.r.redone, ['population', 'profile', 'report'], after.err);
  assert.deepEqual(after.r.kept, ['ingest', 'fit'], 'the edited stage itself is kept');
  assert.match(after.err, /population: fits\.json changed since population\.json was made → redoing/);
  assert.match(after.err, /profile: population\.json changed since profile\.json was made → redoing/);
  assert.match(after.err, /report: fits\.json changed \(and 1 more input\) since report\/index\.html was made → redoing/);
  const pop = JSON.parse(readFileSync(join(out, 'population.json'), 'utf8')) as { parameters: { rnew: { d2d: { center: number } } } };
  assert.ok(Number.isFinite(pop.parameters.rnew.d2d.center));

  const last = pipeline(o);
  assert.deepEqual(last.r.redone, [], last.err);

  // a changed setting redoes that stage and what follows
  const changed = pipeline({ ...o, profile: { devices: 3, cycles: 2 } });
  assert.deepEqual(changed.r.redone, ['profile', 'report'], changed.err);
  assert.match(changed.err, /profile: its settings changed since profile\.json was made \(devices 2 → 3\)/);
});

test('pipeline: a campaign of half cycles (SET only) skips the profile with a clear note and runs the rest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-pipeline-half-'));
  for (const c of [1, 2])
    copyFileSync(join(REPO_ROOT, 'fixtures', 'ingest', `dev07_set_cycle${c}.csv`), join(dir, `dev07_set_cycle${c}.csv`));
  const out = join(dir, 'out');
  const { r, err } = pipeline(small(dir, out));
  assert.deepEqual(r.skipped, ['profile'], err);
  assert.deepEqual(r.redone, ['ingest', 'fit', 'population', 'report'], err);
  assert.match(err, /the profile stage is skipped: its cycles have a SET branch only .*half cycles/);
  assert.ok(!/time must increase/.test(err));
  // the note comes before the fit starts (before any long work)
  assert.ok(err.indexOf('profile stage is skipped') < err.indexOf('fit ['), err);
  assert.ok(existsSync(join(out, 'report', 'index.html')));
});
