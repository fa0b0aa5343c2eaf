import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createThreadRefitter } from '../../src/cli/refit-thread.js';
import { buildRequest } from '../../src/inspect/refit.js';
import { loadInspectInputs } from '../../src/io/inspect-files.js';
import { indexDataset } from '../../src/inspect/schema.js';
import { REPO_ROOT } from '../helpers/shared.js';

test('refit thread: the fit stage refits the bad fixture cycle in a worker; an abort cancels it', { timeout: 60_000 }, async () => {
  const inp = loadInspectInputs(join(REPO_ROOT, 'fixtures', 'inspect', 'fits.json'));
  const fit = inp.fits.cycles.find((c) => c.device === 'D2' && c.cycle === 3)!;
  const data = indexDataset(inp.dataset).get('D2#3')!;
  const r = createThreadRefitter();
  const ac = new AbortController();
  const cancelled = r.refit(buildRequest(fit, data, ['rnew', 'lnew', 'Ndiscmin', 'Ndiscmax', 'dWa'], inp.fits.settings), ac.signal);
  setTimeout(() => ac.abort(), 300);
  await assert.rejects(cancelled, /refit cancelled/);
  // rnew at its bound and dWa wrong (1.2 eV; the data were made with 1.35): freeing dWa with rnew fixes the fit.
  const res = await r.refit(buildRequest(fit, data, ['rnew', 'dWa'], inp.fits.settings));
  assert.deepEqual(res.fitted, ['rnew', 'dWa']);
  assert.ok(res.rmsLog10 < 0.05, `RMS ${res.rmsLog10}`);
  assert.ok(Math.abs(res.params.dWa - 1.35) < 0.02, `dWa ${res.params.dWa}`);
  assert.equal(res.params.lnew, fit.params.lnew, 'fixed parameters keep their values');
});
