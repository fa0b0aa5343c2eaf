/**
 * How far apart the devices of a crossbar are in switching speed (src/crossbar/device/swingSpread.ts): the
 * SET and RESET pulses each of n devices needs for 90 % of a full swing, with the config's operating point.
 * `jartcal crossbar run` reports the same for an in-situ run on a population; this prints it alone.
 *
 *   node --import tsx scripts/crossbar-swing-spread.ts CONFIG.json [--population P.json] [--devices 200] [--cap 50000]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../src/crossbar/experiment/config.js';
import { applyPopulation } from '../src/crossbar/experiment/applyPopulation.js';
import { applyOperatingPoint } from '../src/crossbar/device/operatingPoint.js';
import { describeSwingSpread, swingSpread } from '../src/crossbar/device/swingSpread.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { population: { type: 'string' }, devices: { type: 'string', default: '200' }, cap: { type: 'string', default: '50000' } },
});
if (!positionals[0]) {
  console.error('usage: crossbar-swing-spread.ts CONFIG.json [--population P.json] [--devices N] [--cap PULSES]');
  process.exit(2);
}
const cfg = resolveConfig(JSON.parse(readFileSync(positionals[0], 'utf8')), positionals[0]);
if (values.population) applyPopulation(cfg, JSON.parse(readFileSync(values.population, 'utf8')), values.population);
const op = applyOperatingPoint(cfg);
console.log(`${cfg.name}${values.population ? ` with ${values.population}` : ''}`);
if (op?.pulses)
  console.log(
    `operating point: ${op.pulses.vSetV.toFixed(4)} / +${op.pulses.vResetV.toFixed(4)} V, N ${op.nLo.toPrecision(4)} … ${op.nHi.toPrecision(4)}`,
  );
console.log(describeSwingSpread(swingSpread(cfg, Number(values.devices), Number(values.cap))));
