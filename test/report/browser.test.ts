/**
 * The report in a real browser: Debian's chromium, headless, opens the index.html of a small report
 * (the synthetic fixture campaign and a crossbar results file of our own numbers) and (1) dumps the DOM
 * after rendering: the overview comes first and holds the crossbar accuracy; (2) takes a screenshot:
 * not blank, and the plots (SVG images) are drawn. Skipped, with a message, when no chromium binary exists
 * (`.ci/run` installs it: apt-get install chromium).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport } from '../../src/report/build.js';
import { crossbarView } from '../../src/report/crossbar.js';
import { writeReportDir } from '../../src/io/inspect-files.js';
import { makeFixture, analyticModel } from '../helpers/inspect-fixture.js';
import { decodePng, countColor } from '../helpers/png.js';

const candidates = [process.env.CHROME_BIN, 'chromium', 'chromium-browser', 'google-chrome'].filter((x): x is string => !!x);
const browser = candidates.find((b) => spawnSync(b, ['--version'], { encoding: 'utf8' }).status === 0);
const SKIP = browser ? false : 'no chromium binary (apt-get install chromium): the browser check of the report is skipped';

function chromium(args: string[], cwd: string): { stdout: string; status: number | null; stderr: string } {
  const r = spawnSync(
    browser!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--allow-file-access-from-files',
      `--user-data-dir=${join(cwd, 'profile')}`,
      ...args,
    ],
    { encoding: 'utf8', cwd, timeout: 150_000, maxBuffer: 64 << 20 },
  );
  return { stdout: r.stdout ?? '', status: r.status, stderr: r.stderr ?? '' };
}

// One epoch of a made-up in-situ run (our own numbers, not a measured result).
const RESULTS = {
  schema: 'jartcal.crossbar-results/1',
  name: 'tiny-epoch',
  mode: 'in-situ',
  seed: 3,
  finalAccuracy: 91.25,
  accuracyStd: 0,
  accuracyPerEpoch: [91.25],
  repeats: [
    {
      repeat: 0,
      finalAccuracy: 91.25,
      records: [{ epoch: 1, lr: 0.05, trainLoss: 0.3, testAccuracy: 91.25, seconds: 1, pulsesApplied: 0, coincidences: 0 }],
    },
  ],
  config: { training: { epochs: 1, trainSamples: 2000, testSamples: 500 } },
};

test(
  'browser: headless chromium renders the report: overview first with the crossbar accuracy, plots drawn',
  { skip: SKIP, timeout: 400_000 },
  () => {
    const fx = makeFixture();
    const dir = mkdtempSync(join(tmpdir(), 'jartcal-browser-'));
    const out = join(dir, 'report');
    const cb = crossbarView(RESULTS, 'crossbar/results.json').view;
    writeReportDir(
      out,
      buildReport({
        fits: fx.fits,
        fitsPath: 'fits.json',
        dataset: fx.dataset,
        population: fx.population,
        model: analyticModel,
        crossbar: cb,
        maxCycles: 4,
      }),
      { png: false },
    );
    const url = pathToFileURL(join(out, 'index.html')).href;

    const dom = chromium(['--dump-dom', url], dir);
    assert.equal(dom.status, 0, dom.stderr.slice(-2000));
    const html = dom.stdout;
    assert.match(html, /<section id="overview">/, 'the overview section is in the rendered DOM');
    const order = ['id="overview"', 'Crossbar accuracy', 'id="population"', 'class="details"', 'id="cycles"', 'id="parameters"'].map((s) =>
      html.indexOf(s),
    );
    assert.ok(
      order.every((i) => i > 0),
      `sections present: ${order}`,
    );
    assert.deepEqual(
      order,
      order.slice().sort((a, b) => a - b),
      'overview (with the crossbar card), population, then the details',
    );
    assert.match(html, /id="crossbar-accuracy">91\.25 %</);
    assert.doesNotMatch(html, /"stepV"/, 'the sweep is not raw JSON');

    const shot = join(dir, 'shot.png');
    const r = chromium([`--screenshot=${shot}`, '--window-size=1400,1800', url], dir);
    assert.ok(existsSync(shot), `no screenshot: ${r.stderr.slice(-2000)}`);
    const img = decodePng(readFileSync(shot));
    assert.equal(img.width, 1400);
    const all = { x0: 0, y0: 0, x1: img.width - 1, y1: img.height - 1 };
    const white = countColor(img, all, [255, 255, 255], 8).n;
    const inked = img.width * img.height - white;
    assert.ok(inked > 0.05 * img.width * img.height, `the page is nearly blank: ${inked} non-white pixels`);
    // The accuracy bar and the histograms (#1f77b4) come from SVG images: they are drawn only if the plots load.
    const blue = countColor(img, all, [31, 119, 180], 40).n;
    assert.ok(blue > 5000, `plot pixels (#1f77b4): ${blue}`);
  },
);
