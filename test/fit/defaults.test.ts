/** Fit defaults have one source: the CLI without flags resolves to the library's defaults, and the help text states them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSettingsFromFlags, HELP } from '../../src/cli/fit.js';
import { DEFAULT_FIT_PARAMS, DEFAULT_FIT_SETTINGS, resolveFitSettings } from '../../src/fit/settings.js';
import { DEFAULT_OBJECTIVE } from '../../src/fit/cycle-data.js';

test('`jartcal fit` without flags resolves to resolveFitSettings({})', () => {
  assert.deepEqual(fitSettingsFromFlags({}), resolveFitSettings({}));
  const s = resolveFitSettings({});
  for (const [k, v] of Object.entries(DEFAULT_FIT_SETTINGS)) assert.equal(s[k as keyof typeof s], v, k);
  assert.deepEqual(s.objective, DEFAULT_OBJECTIVE);
  // an objective option given as undefined takes its default
  assert.equal(resolveFitSettings({ objective: { floorA: undefined } }).objective.floorA, DEFAULT_OBJECTIVE.floorA);
});

test('the help text states the defaults of the tables', () => {
  const line = (flag: string): string => HELP.split('\n').find((l) => l.startsWith(`  ${flag}`)) ?? '';
  const cases: [string, unknown][] = [
    ['--fit ', DEFAULT_FIT_PARAMS.join(',')],
    ['--device-cycles', DEFAULT_FIT_SETTINGS.deviceCycles],
    ['--sweep-rate', DEFAULT_OBJECTIVE.sweepRateVps],
    ['--min-abs-v', DEFAULT_OBJECTIVE.minAbsV],
    ['--floor', DEFAULT_OBJECTIVE.floorA],
    ['--series-resistance', DEFAULT_OBJECTIVE.seriesOhm],
    ['--starts', DEFAULT_FIT_SETTINGS.starts],
    ['--max-evals', DEFAULT_FIT_SETTINGS.maxEvaluations],
    ['--seed', DEFAULT_FIT_SETTINGS.seed],
  ];
  for (const [flag, v] of cases) assert.ok(line(flag).includes(`(default ${String(v)}`), `${flag}: ${line(flag)}`);
  assert.match(HELP, new RegExp(`\\(default ${DEFAULT_FIT_SETTINGS.mode}\\)`));
});
