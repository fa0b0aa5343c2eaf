/** `jartcal sample population.json -n 1000 --cycles 10 --seed 7 --out devices.csv`. */
import type { Command } from './command.js';
import { numberFlag, parseCommandArgs } from './command.js';
import { JartcalError } from '../util/errors.js';
import { createRng } from '../util/rng.js';
import { TOOLKIT_VERSION } from '../version.js';
import { checkValidity, exportCsv, sampleTable } from '../population/index.js';
import { loadPopulationArg } from '../io/population.js';
import { writeFileAtomic } from '../io/atomic.js';

const HELP = `Usage: jartcal sample POPULATION [-n N] [--cycles C] [--seed S] --out devices.csv

Draws N devices from a population (a jartcal.population/1 file or a preset name, e.g. paper-realistic)
with their device-to-device correlations, then C cycles per device with JART v1b var semantics
(rnew, lnew, Ndiscmin, Ndiscmax redrawn each cycle around the device's own values).
Output CSV: device, cycle (0 = the device's own values, 1..C = cycles), one column per parameter in the
file units (lengths in m, N in 1e26 m^-3). A comment line first records toolkit version and seed.
Bit-identical for the same population, N, seed (and the first C cycles do not depend on a larger C).

Options:
  -n N          number of devices (default 100)
  --cycles C    cycles per device (default 0)
  --seed S      random seed (default 1)
  --out PATH    output CSV (required)
`;

export const command: Command = {
  name: 'sample',
  summary: 'sample devices and cycles from a population (CSV)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('sample', argv, {
      n: { type: 'string', short: 'n' },
      cycles: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    });
    if (positionals.length !== 1)
      throw new JartcalError('sample: give exactly one population file or preset name. See `jartcal sample --help`.', {
        code: 'bad_arguments',
      });
    if (!values.out) throw new JartcalError('sample: --out is required.', { code: 'bad_arguments' });
    const n = numberFlag('sample', 'n', values.n, 100),
      cycles = numberFlag('sample', 'cycles', values.cycles, 0);
    const seed = numberFlag('sample', 'seed', values.seed, 1);
    for (const [flag, x] of [
      ['n', n],
      ['cycles', cycles],
      ['seed', seed],
    ] as const) {
      if (!Number.isInteger(x) || x < 0)
        throw new JartcalError(`sample: --${flag} expects a non-negative integer, got ${x}.`, { code: 'bad_arguments' });
    }
    const pop = loadPopulationArg(positionals[0]);
    const table = sampleTable(pop, n, cycles, createRng(seed));
    for (const r of table.rows) checkValidity(pop, r.values, `device ${r.device} cycle ${r.cycle}`);
    writeFileAtomic(
      values.out,
      `# jartcal ${TOOLKIT_VERSION} sample of ${positionals[0]}: n=${n} cycles=${cycles} seed=${seed}\n` + exportCsv(table),
    );
    process.stderr.write(`wrote ${values.out} (${table.rows.length} rows)\n`);
    return 0;
  },
};
