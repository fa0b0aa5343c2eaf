/** Regenerates fixtures/inspect/{dataset,fits,population}.json: `node --import tsx test/helpers/write-inspect-fixtures.ts`. */
import { writeJsonAtomic } from '../../src/io/atomic.js';
import { makeFixture } from './inspect-fixture.js';
import { REPO_ROOT } from './shared.js';
import { join } from 'node:path';

const fx = makeFixture();
const dir = join(REPO_ROOT, 'fixtures', 'inspect');
writeJsonAtomic(join(dir, 'dataset.json'), fx.dataset);
writeJsonAtomic(join(dir, 'fits.json'), fx.fits);
writeJsonAtomic(join(dir, 'population.json'), fx.population);
console.log(`wrote ${dir}/{dataset,fits,population}.json`);
