/** `jartcal demo`: the default device on the default ±1.3 V, 1 V/s sweep → out/demo/default_sweep.{csv,svg}. */
import { join } from 'node:path';
import { parseCommandArgs, type Command } from './command.js';
import { ivChart } from './sim-plot.js';
import { writeSimCsv } from '../io/simcsv.js';
import { writePlot } from '../io/plot.js';
import { DEFAULT_PARAMS, simulate, sweepWaveform } from '../model/index.js';

export const command: Command = {
  name: 'demo',
  summary: 'simulate the default device on the default sweep (writes out/demo/)',
  help: `Usage: jartcal demo [--out-dir DIR]

Simulates the default JART VCM v1b device (Cüppers 2019 parameters) on the 0 → -1.3 → 0 → +1.3 → 0 V
sweep at 1 V/s and writes DIR/default_sweep.csv and DIR/default_sweep.svg (DIR default out/demo).
`,
  async run(argv) {
    const { values } = parseCommandArgs('demo', argv, { 'out-dir': { type: 'string' } });
    const dir = values['out-dir'] ?? join('out', 'demo');
    const r = simulate(DEFAULT_PARAMS, sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.001 }));
    const csv = join(dir, 'default_sweep.csv');
    const svg = join(dir, 'default_sweep.svg');
    writeSimCsv(csv, r);
    writePlot(svg, ivChart(r, 'JART VCM v1b, default device, ±1.3 V at 1 V/s'));
    const thr = Math.sqrt(DEFAULT_PARAMS.Ndiscmin * DEFAULT_PARAMS.Ndiscmax);
    let vSet = NaN;
    let vReset = NaN;
    for (let k = 1; k < r.ndisc.length; k++) {
      if (Number.isNaN(vSet) && r.ndisc[k - 1] < thr && r.ndisc[k] >= thr) vSet = r.vV[k];
      if (Number.isNaN(vReset) && r.ndisc[k - 1] > thr && r.ndisc[k] <= thr) vReset = r.vV[k];
    }
    process.stdout.write(
      `demo: SET at ${vSet.toFixed(3)} V, RESET at ${vReset.toFixed(3)} V (N crosses ${thr.toFixed(2)}); wrote ${csv} and ${svg}\n`,
    );
    return 0;
  },
};
