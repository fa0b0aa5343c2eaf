/** The report's crossbar card: both answers of the pipeline's crossbar step and why in-situ training failed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossbarCard, crossbarView } from '../../src/report/crossbar.js';

const fig = (): string => '';

test('report: the crossbar card shows the in-situ answer, the reason it failed, and inference after programming', () => {
  const results = {
    schema: 'jartcal.crossbar-results/1',
    name: 'pipeline-epoch',
    mode: 'in-situ',
    finalAccuracy: 9.99,
    accuracyPerEpoch: [9.99],
    seed: 1,
    repeats: [
      {
        repeat: 0,
        finalAccuracy: 9.99,
        records: [{ epoch: 1, lr: 0.1, trainLoss: 3.8, testAccuracy: 9.99, seconds: 90, pulsesApplied: 1e6, coincidences: 5e5 }],
      },
    ],
    diagnosis: {
      learned: false,
      finalAccuracy: 9.99,
      lossTrend: { first: 2.3, last: 3.8, trend: 'rising' },
      reason: 'the training loss went from 2.30 to 3.80 (rising); pulses per full swing over 200 devices: SET p10 8 / p50 > 20000',
    },
    inference: {
      path: 'inference/results.json',
      accuracy: 93.03,
      digitalAccuracy: 93.2,
      inTolerance: 0.912,
      cells: 234752,
      failures: { 'out-of-reach': 20000, 'too-slow': 654 },
      ramp: 'width',
    },
    config: { training: { epochs: 1, trainSamples: 60000, testSamples: 10000 } },
  };
  const cb = crossbarView(results, 'crossbar/results.json').view;
  assert.ok(cb);
  const html = crossbarCard(cb, fig);
  assert.match(html, /id="crossbar-accuracy">9\.99 %/);
  assert.match(
    html,
    /id="crossbar-diagnosis"><strong>In-situ training did not learn\.<\/strong> the training loss went from 2\.30 to 3\.80 \(rising\)/,
  );
  assert.match(html, /id="crossbar-inference-accuracy">93\.03 %/);
  assert.match(
    html,
    /width-ramped write-verify programming of the same population \(the digital network: 93\.20 %\): 91\.2 % of 234,752 cells within tolerance; out of tolerance: 20,000 target outside the device's conductance window, 654 too slow at the longest pulse and highest amplitude/,
  );
  // a run that learned and has no inference answer shows neither
  const plain = crossbarCard(
    crossbarView({ ...results, diagnosis: { ...results.diagnosis, learned: true }, inference: undefined }, 'r.json').view,
    fig,
  );
  assert.doesNotMatch(plain, /crossbar-diagnosis|crossbar-inference-accuracy/);
});
