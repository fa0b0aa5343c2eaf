/**
 * The share of cells write-verify lands within tolerance on one tile of devices drawn from a population,
 * with bursts of the configured pulse (program.ramp "none") and with per-device width ramping ("width"),
 * and why the others missed. Targets are uniform within ±0.9 of the reach nine devices in ten have in both
 * signs (the inference runner's weight scale), from the zero-weight state, at the operating point of
 * experiments/pipeline-inference.json.
 *
 *   node --import tsx scripts/studies/crossbar-program-share.ts POPULATION.json [--mapping single-device|pair]
 *     [--cells 1000] [--kinetic-classes 16] [--width-range 0.001,1000]
 */
import { parseArgs } from 'node:util';
import { readJsonFile } from '../../src/io/json.js';
import { resolveConfig } from '../../src/crossbar/experiment/config.js';
import { applyPopulation } from '../../src/crossbar/experiment/applyPopulation.js';
import { applyOperatingPoint } from '../../src/crossbar/device/operatingPoint.js';
import { createEngine, createKineticEngines, deviceMaker } from '../../src/crossbar/device/factory.js';
import { programCell } from '../../src/crossbar/program/writeVerify.js';
import { createRng } from '../../src/util/rng.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mapping: { type: 'string', default: 'single-device' },
    cells: { type: 'string', default: '1000' },
    'kinetic-classes': { type: 'string', default: '16' },
    'width-range': { type: 'string' },
  },
});
const popPath = positionals[0];
if (!popPath) throw new Error('usage: crossbar-program-share.ts POPULATION.json [options]');
const raw = readJsonFile(new URL('../../experiments/pipeline-inference.json', import.meta.url).pathname) as {
  device: { jart: Record<string, unknown> };
  program: Record<string, unknown>;
  mapping?: unknown;
};
raw.device.jart.kineticClasses = Number(values['kinetic-classes']);
if (values.mapping === 'pair') raw.mapping = { kind: 'differential-pair', pairZero: 'mid' };
if (values['width-range']) raw.program.widthRange = values['width-range'].split(',').map(Number);
const cfg = resolveConfig(raw);
applyPopulation(cfg, readJsonFile(popPath), popPath);
const c = resolveConfig(cfg);
const op = applyOperatingPoint(c);
process.stdout.write(
  `${popPath}: ${values.mapping}, operating point N ${op?.nLo.toPrecision(3)} … ${op?.nHi.toPrecision(3)}, ${op?.pulses?.vSetV.toFixed(3)} / +${op?.pulses?.vResetV.toFixed(3)} V\n`,
);
const engine = createEngine(c),
  kin = createKineticEngines(c);
const n = Number(values.cells);
for (const ramp of [null, { min: c.program.widthRange[0], max: c.program.widthRange[1] }]) {
  const dev = deviceMaker(c, engine, createRng(c.seed).fork(0), 0, kin)(n, 0);
  const reach: number[] = [];
  for (let k = 0; k < n; k++) reach.push(Math.min(dev.wMax(k), -dev.wMin(k)));
  const signed = reach.filter((x) => x > 0).sort((a, b) => a - b);
  const wTop = 0.9 * (signed.length ? signed[Math.floor(0.1 * (signed.length - 1))] : 1.5);
  const rng = createRng(7);
  let ok = 0,
    pulses = 0,
    width = 0;
  const reasons: Record<string, number> = {};
  const t0 = process.cpuUsage();
  for (let k = 0; k < n; k++) {
    dev.setWeight(k, 0);
    const target = (2 * rng.next() - 1) * wTop;
    const r = programCell(dev, k, target, c.program.tolerance * wTop, c.program.maxPulses, ramp);
    pulses += r.pulses;
    width += r.width ?? r.pulses;
    if (r.converged) ok++;
    else if (r.reason) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
  }
  const cpu = process.cpuUsage(t0);
  process.stdout.write(
    `  ${ramp ? 'width-ramped' : 'bursts      '}: ${((100 * ok) / n).toFixed(1)} % of ${n} cells within tolerance` +
      (ramp ? ` (out: ${JSON.stringify(reasons)})` : '') +
      `; ${n - signed.length} devices cannot hold a signed weight; ${(pulses / n).toFixed(0)} pulses per cell, ${(width / n).toFixed(0)} nominal widths per cell; ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU-s\n`,
  );
}
