/**
 * `jartcal profile` on the inspector fixture (3 devices × 4 cycles): what it says it simulated, the rows with
 * their sampling errors, the ECDF overlays in the terminal and as SVG/PNG (--plots), and the HTML report's
 * table and ECDF figures from the attached profile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/shared.js';
import { runCliChild } from '../helpers/cli-child.js';
import { decodePng, countInk } from '../helpers/png.js';
import { buildReport } from '../../src/report/build.js';
import { makeFixture, analyticModel } from '../helpers/inspect-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'jartcal-profile-replay-'));

const child = runCliChild;

test('profile replays the measured devices: rows with errors, ECDFs in the terminal, SVG and PNG, and in the report', () => {
  const pop = join(REPO_ROOT, 'fixtures', 'inspect', 'population.json'),
    ds = join(REPO_ROOT, 'fixtures', 'inspect', 'dataset.json');
  const plots = join(dir, 'plots'),
    attached = join(dir, 'pop-with-profile.json');
  const r = child(['profile', pop, ds, '--devices', '3', '--max-devices', '24', '--cycles', '4', '--plots', plots, '--attach', attached]);
  assert.equal(r.code, 0, r.err);
  // what it simulated, in words
  assert.match(
    r.out,
    /simulated: \d+ devices \(\d+ per measured device, 3 measured\), \d+ cycles, each on the protocol of a measured cycle/,
  );
  assert.match(r.out, /largest predicted sampling error [\d.]+ % \(target 5 %(; growth stopped by the cap of --max-devices[^)]*)?\)/);
  // 3 devices: no d2d level (8 are needed), the c2c spreads and the pooled levels
  assert.match(r.out, /c2c sd log10 HRS \(dec\)/);
  assert.match(r.out, /all median HRS \(Ohm\)/);
  // ECDF overlays in the terminal: both marks, both sample sizes
  assert.match(r.out, /cycle-to-cycle \(deviation from the device mean\): log10 HRS/);
  assert.match(r.out, /o predicted \(n = \d+\) {3}# measured \(n = 12\)/);
  // as SVG and PNG, with ink
  for (const f of ['ecdf_c2c_log10Hrs', 'ecdf_d2d_log10Lrs']) {
    assert.ok(existsSync(join(plots, `${f}.svg`)), f);
    const png = decodePng(readFileSync(join(plots, `${f}.png`)));
    // the plot area (margins of src/plot charts; the legend above it): the ECDF steps
    assert.ok(countInk(png, { x0: 73, y0: 53, x1: png.width - 17, y1: png.height - 49 }) > 500, `${f}.png is blank`);
  }
  assert.match(readFileSync(join(plots, 'ecdf_c2c_log10Hrs.svg'), 'utf8'), /measured \(n = 12\)/);
  // the report: the table with errors and the ECDF figures from the attached profile
  const population = JSON.parse(readFileSync(attached, 'utf8'));
  assert.equal(population.profile.protocol, 'replay');
  const fx = makeFixture();
  const rep = buildReport({ fits: fx.fits, fitsPath: 'fits.json', dataset: fx.dataset, population, model: analyticModel });
  assert.match(rep.html, /each on the protocol of a measured cycle of the device it replicates/);
  assert.match(rep.html, /<td>c2c sd log10 HRS<\/td><td>[^<]+ ± [\d.]+ %<\/td>/);
  const names = rep.plots.map((p) => p.file);
  assert.ok(names.includes('ecdf_c2c_log10Hrs.svg') && names.includes('ecdf_d2d_vSetV.svg'), names.join(', '));
});
