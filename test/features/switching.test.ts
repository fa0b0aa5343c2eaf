/**
 * The one feature extractor (src/features): the JART reference sweeps (../shared/jart/reference) against
 * values read off them by hand from the definitions (docs/ingest.md), and the same curve giving the same
 * features whichever stage asks (ingest, the variability profile, the refinement's moments).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sharedPath } from '../helpers/shared.js';
import { readCsv } from '../model/refdata.js';
import { curveFeatures } from '../../src/features/index.js';
import { assembleDataset, parseFileBytes, resolveIngestOptions, type IngestIssue } from '../../src/ingest/index.js';
import { measuredFeatures, sweepFeatures, validateDataset } from '../../src/population/index.js';

const READ_V = 0.2;
const CASES = ['default_sweep', 'sweep_default_rate0.1', 'sweep_default_rate10', 'sweep_setA', 'sweep_var_rnew'];

/**
 * The definitions applied by hand to a sweep known to be 0 → −Vmax → 0 → +Vmax → 0 on a uniform grid of
 * step h: the samples at |V| = 0.2 V are grid points (no interpolation needed), the branches are index ranges.
 */
function byHand(v: number[], i: number[]) {
  const h = Math.abs(v[1] - v[0]);
  const nq = Math.round((v.length - 1) / 4); // samples per quarter
  const kRead = Math.round(READ_V / h);
  const hrs = READ_V / Math.abs(i[kRead]); // SET-out, V = −0.2 V
  const lrs = READ_V / Math.abs(i[2 * nq - kRead]); // SET-back, V = −0.2 V
  // V_SET: the sample ending the largest one-step rise of log10|I/V| on SET-out (indices 1..nq), steps from
  // below 20 % of the peak |V| or from within 3× of the branch's smallest current skipped
  let floor = Infinity;
  for (let k = 1; k <= nq; k++) floor = Math.min(floor, Math.abs(i[k]));
  let best = 0,
    vSet: number | null = null;
  for (let k = 2; k <= nq; k++) {
    if (Math.abs(v[k - 1]) < 0.2 * Math.abs(v[nq]) || Math.abs(i[k - 1]) <= 3 * floor) continue;
    const d = Math.log10(Math.abs(i[k] / v[k])) - Math.log10(Math.abs(i[k - 1] / v[k - 1]));
    if (d > best) [best, vSet] = [d, v[k]];
  }
  // V_RESET: the largest |I| on RESET-out (indices 2nq+1..3nq), unless it is the turning point
  let at = 2 * nq + 1;
  for (let k = 2 * nq + 1; k <= 3 * nq; k++) if (Math.abs(i[k]) > Math.abs(i[at])) at = k;
  return { hrsOhm: hrs, lrsOhm: lrs, onOff: hrs / lrs, vSetV: vSet, vResetV: at === 3 * nq ? null : v[at] };
}

test('the JART reference sweeps: HRS, LRS, on/off, V_SET, V_RESET as read off by hand from the definitions', () => {
  for (const name of CASES) {
    const rows = readCsv(sharedPath('jart', 'reference', `${name}.csv`));
    const v = rows.map((r) => r[1]),
      i = rows.map((r) => r[2]);
    const want = byHand(v, i);
    const got = curveFeatures(v, i, READ_V, null);
    for (const k of ['hrsOhm', 'lrsOhm', 'onOff'] as const) {
      const g = got[k] as number;
      assert.ok(Math.abs(g - want[k]) <= 1e-9 * want[k], `${name} ${k}: ${g} vs ${want[k]}`);
    }
    assert.equal(got.vSetV, want.vSetV, `${name} V_SET`);
    assert.equal(got.vResetV, want.vResetV, `${name} V_RESET`);
    // the physics agrees: the SET is an abrupt rise, the LRS well below the HRS, the RESET at positive V
    assert.ok((got.vSetV as number) < 0 && (got.vResetV as number) > 0 && (got.onOff as number) > 10, name);
  }
});

test('the same curve gives the same features through ingest, the profile and the dataset reader', () => {
  const path = sharedPath('jart', 'reference', 'default_sweep.csv');
  const opts = resolveIngestOptions({ readVoltageV: READ_V });
  const issues: IngestIssue[] = [];
  const { traces } = parseFileBytes(new Uint8Array(readFileSync(path)), 'default_sweep.csv', opts, issues);
  const ds = assembleDataset(traces, opts, ['default_sweep.csv'], issues);
  const cycle = ds.devices[0].cycles[0];
  const fromIngest = cycle.features;
  const fromProfile = sweepFeatures(cycle.vV, cycle.iA, READ_V, cycle.complianceA);
  const fromReader = measuredFeatures(validateDataset(JSON.parse(JSON.stringify(ds))))[0];
  for (const k of ['hrsOhm', 'lrsOhm', 'onOff', 'vSetV', 'vResetV'] as const) {
    assert.equal(fromProfile[k], fromIngest[k], `profile ${k}`);
    assert.equal(fromReader[k], fromIngest[k], `dataset reader ${k}`);
  }
  // and they are the reference curve's own: the ingest stage did not reshape it
  const rows = readCsv(path);
  const want = byHand(
    rows.map((r) => r[1]),
    rows.map((r) => r[2]),
  );
  assert.ok(Math.abs((fromIngest.hrsOhm as number) / want.hrsOhm - 1) < 1e-9);
  assert.equal(fromIngest.vSetV, want.vSetV);
});
