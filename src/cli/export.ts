/** `jartcal export population.json --format verilog-a|spice|aihwkit|csv`. */
import type { Command } from './command.js';
import { numberFlag, parseCommandArgs } from './command.js';
import { JartcalError } from '../util/errors.js';
import { createRng } from '../util/rng.js';
import { exportAihwkit, exportCsv, exportSpice, exportVerilogA, samplePopulation, sampleTable } from '../population/index.js';
import { loadPopulationArg } from '../io/population.js';
import { writeFileAtomic } from '../io/atomic.js';

const FORMATS = ['verilog-a', 'spice', 'aihwkit', 'csv'] as const;

const HELP = `Usage: jartcal export POPULATION --format verilog-a|spice|aihwkit|csv [-n N] [--cycles C] [--seed S] [--out PATH]

POPULATION is a jartcal.population/1 file or a preset name.
  verilog-a  Spectre instance cards for the JART_VCM_1b_var Verilog-A module: the nominal instance and N
             sampled ones. Var-module names (phibn0, nyo, RTiOx, rnew, lnew, eps_eff, epsphib_eff, ...);
             lcell, ldet, lnew in nm as the VA expects, rdet, rnew, a in m.
  spice      the same cards in SPICE syntax (.hdl, X instances, + continuation lines).
  aihwkit    a Python JARTv1bDevice(...) config (mean, *_dtod, *_std fields; what cannot be mapped is
             stated in comments).
  csv        N sampled devices x C cycles (as \`jartcal sample\`).
Output goes to --out (written atomically) or stdout.

Options:
  -n N         sampled instances (default 10 for verilog-a/spice, 100 for csv)
  --cycles C   cycles per device for csv (default 0)
  --seed S     random seed (default 1)
  --module M   Verilog-A module name (default JART_VCM_1b_var)
`;

export const command: Command = {
  name: 'export',
  summary: 'export a population as Verilog-A/SPICE instance cards, aihwkit config or CSV',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('export', argv, {
      format: { type: 'string' },
      n: { type: 'string', short: 'n' },
      cycles: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      module: { type: 'string' },
    });
    if (positionals.length !== 1)
      throw new JartcalError('export: give exactly one population file or preset name. See `jartcal export --help`.', {
        code: 'bad_arguments',
      });
    const format = values.format as (typeof FORMATS)[number];
    if (!FORMATS.includes(format))
      throw new JartcalError(`export: --format expects one of ${FORMATS.join(', ')}, got ${JSON.stringify(values.format ?? null)}.`, {
        code: 'bad_arguments',
      });
    const n = numberFlag('export', 'n', values.n, format === 'csv' ? 100 : 10);
    const cycles = numberFlag('export', 'cycles', values.cycles, 0),
      seed = numberFlag('export', 'seed', values.seed, 1);
    for (const [flag, x] of [
      ['n', n],
      ['cycles', cycles],
      ['seed', seed],
    ] as const) {
      if (!Number.isInteger(x) || x < 0)
        throw new JartcalError(`export: --${flag} expects a non-negative integer, got ${x}.`, { code: 'bad_arguments' });
    }
    const pop = loadPopulationArg(positionals[0]);
    const rng = createRng(seed);
    const text =
      format === 'aihwkit'
        ? exportAihwkit(pop)
        : format === 'csv'
          ? exportCsv(sampleTable(pop, n, cycles, rng))
          : format === 'spice'
            ? exportSpice(pop, samplePopulation(pop, n, rng.fork(1)), values.module)
            : exportVerilogA(pop, samplePopulation(pop, n, rng.fork(1)), values.module);
    if (values.out) {
      writeFileAtomic(values.out, text);
      process.stderr.write(`wrote ${values.out}\n`);
    } else process.stdout.write(text);
    return 0;
  },
};
