/**
 * Entry used by the tmux end-to-end test: the real inspector (runInspector, full screen) on the
 * fixture files, with the analytic test-double model and refitter, saving to the fits path given.
 * Usage: node --import tsx test/tui/e2e-app.tsx FITS.json
 */
import { runInspector } from '../../src/tui/run.js';
import { loadInspectInputs, saveFits } from '../../src/io/inspect-files.js';
import { analyticModel, analyticRefitter, PARAM_BOUNDS } from '../helpers/inspect-fixture.js';

const fitsPath = process.argv[2];
const inp = loadInspectInputs(fitsPath);
await runInspector({
  fits: inp.fits,
  fitsPath,
  dataset: inp.dataset,
  population: inp.population,
  paramTable: PARAM_BOUNDS,
  model: analyticModel,
  refitter: analyticRefitter,
  save: (f) => saveFits(fitsPath, f),
  notes: inp.notes,
});
