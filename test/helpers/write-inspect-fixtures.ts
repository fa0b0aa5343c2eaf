/** Regenerates (with the JART model) fixtures/inspect/{dataset,fits,population}.json: `node --import tsx test/helpers/write-inspect-fixtures.ts`. */
import { writeJsonAtomic } from '../../src/io/atomic.js';
import { makeFixture } from './inspect-fixture.js';
import { jartCurve } from '../../src/inspect/jart.js';
import { resolveParams } from '../../src/model/index.js';
import { REPO_ROOT } from './shared.js';
import { join } from 'node:path';

// Measured curves from the JART model (default parameters plus per-cycle rnew/lnew/Ndiscmin/Ndiscmax), 3 % noise.
const fx = makeFixture({ model: jartCurve });
// As the fit stage writes them: every cycle's params fully resolved (all names of the parameter table).
for (const c of fx.fits.cycles) c.params = { ...resolveParams(c.params) };
const dir = join(REPO_ROOT, 'fixtures', 'inspect');
writeJsonAtomic(join(dir, 'dataset.json'), fx.dataset);
writeJsonAtomic(join(dir, 'fits.json'), fx.fits);
writeJsonAtomic(join(dir, 'population.json'), fx.population);
console.log(`wrote ${dir}/{dataset,fits,population}.json`);
