/**
 * The share of cells write-verify lands within tolerance on one tile of devices drawn from a population,
 * with bursts of the configured pulse (program.ramp "none"), with per-device width ramping ("width") and
 * with width and amplitude ramping ("amplitude"), and why the others missed. Targets are uniform within
 * ±0.9 of the reach nine devices in ten have in both signs (the inference runner's weight scale), from the
 * zero-weight state, at the operating point of experiments/pipeline-inference.json, with its programming
 * window (`--window` replaces it: "clamp", the training clamp, or "device", each device's own N bounds).
 *
 *   node --import tsx scripts/studies/crossbar-program-share.ts POPULATION.json [--mapping single-device|pair]
 *     [--cells 1000] [--kinetic-classes 16] [--width-range 0.001,1000] [--ramps none,width,amplitude]
 *     [--window clamp|device]
 */
import { parseArgs } from 'node:util';
import { readJsonFile } from '../../src/io/json.js';
import { resolveConfig } from '../../src/crossbar/experiment/config.js';
import { applyPopulation } from '../../src/crossbar/experiment/applyPopulation.js';
import { applyOperatingPoint } from '../../src/crossbar/device/operatingPoint.js';
import { createEngine, createKineticEngines, deviceMaker, programAmplitudes } from '../../src/crossbar/device/factory.js';
import { programCell } from '../../src/crossbar/program/writeVerify.js';
import { JartArray } from '../../src/crossbar/device/jartArray.js';
import { createRng } from '../../src/util/rng.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mapping: { type: 'string', default: 'single-device' },
    cells: { type: 'string', default: '1000' },
    'kinetic-classes': { type: 'string', default: '16' },
    'width-range': { type: 'string' },
    ramps: { type: 'string', default: 'none,width,amplitude' },
    window: { type: 'string' },
  },
});
const popPath = positionals[0];
if (!popPath) throw new Error('usage: crossbar-program-share.ts POPULATION.json [options]');
const raw = readJsonFile(new URL('../../experiments/pipeline-inference.json', import.meta.url).pathname) as {
  device: { jart: Record<string, unknown> };
  program: Record<string, unknown>;
  mapping?: unknown;
};
if (values.window) raw.program.window = values.window;
raw.device.jart.kineticClasses = Number(values['kinetic-classes']);
if (values.mapping === 'pair') raw.mapping = { kind: 'differential-pair', pairZero: 'mid' };
if (values['width-range']) raw.program.widthRange = values['width-range'].split(',').map(Number);
const cfg = resolveConfig(raw);
applyPopulation(cfg, readJsonFile(popPath), popPath);
const c = resolveConfig(cfg);
const op = applyOperatingPoint(c);
process.stdout.write(
  `${popPath}: ${values.mapping}, operating point N ${op?.nLo.toPrecision(3)} … ${op?.nHi.toPrecision(3)}, ${op?.pulses?.vSetV.toFixed(3)} / +${op?.pulses?.vResetV.toFixed(3)} V, programming window ${c.program.window}\n`,
);
const n = Number(values.cells);
for (const mode of values.ramps.split(',')) {
  if (mode !== 'none' && mode !== 'width' && mode !== 'amplitude') throw new Error(`--ramps: none, width or amplitude, not ${mode}`);
  c.program.ramp = mode;
  const ramp = mode === 'none' ? null : { min: c.program.widthRange[0], max: c.program.widthRange[1], amplitude: mode === 'amplitude' };
  const engine = createEngine(c),
    kin = createKineticEngines(c);
  const t0 = process.cpuUsage();
  const dev = deviceMaker(c, engine, createRng(c.seed).fork(0), 0, kin)(n, 0);
  const plan = programAmplitudes(c, engine, kin);
  const reach: number[] = [];
  for (let k = 0; k < n; k++) reach.push(Math.min(dev.wMax(k), -dev.wMin(k)));
  const signed = reach.filter((x) => x > 0).sort((a, b) => a - b);
  const wTop = 0.9 * (signed.length ? signed[Math.floor(0.1 * (signed.length - 1))] : 1.5);
  if (mode === values.ramps.split(',')[0] && dev instanceof JartArray) {
    // which devices cannot hold a weight, by filament radius (nm, p10 / p50 / p90)
    const groups: [string, number[]][] = [
      ['all devices', []],
      ['cannot reach the zero-weight current', []],
      ['cannot go below it', []],
      ['straddle zero, but not the largest weights', []],
    ];
    for (let k = 0; k < n; k++) {
      const g = dev.wMax(k) <= 0 ? 1 : dev.wMin(k) >= 0 ? 2 : reach[k] < wTop ? 3 : 0;
      groups[0][1].push(dev.r[k] * 1e9);
      if (g > 0) groups[g][1].push(dev.r[k] * 1e9);
    }
    const q = (a: number[]): string => {
      a.sort((x, y) => x - y);
      return [0.1, 0.5, 0.9].map((p) => a[Math.floor(p * (a.length - 1))].toFixed(1)).join(' / ');
    };
    for (const [what, r] of groups)
      if (r.length)
        process.stdout.write(`  ${what}: ${r.length} (${((100 * r.length) / n).toFixed(1)} %), radius p10/p50/p90 ${q(r)} nm\n`);
  }
  const rng = createRng(7);
  let ok = 0,
    pulses = 0,
    width = 0;
  const reasons: Record<string, number> = {};
  const amps: number[] = [];
  for (let k = 0; k < n; k++) {
    dev.setWeight(k, 0);
    const target = (2 * rng.next() - 1) * wTop;
    const r = programCell(dev, k, target, { tol: c.program.tolerance * wTop, maxPulses: c.program.maxPulses, ramp });
    pulses += r.pulses;
    width += r.width ?? r.pulses;
    if (r.amplitudeFactor !== undefined) amps.push(r.amplitudeFactor);
    if (r.converged) ok++;
    else if (r.reason) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
  }
  const cpu = process.cpuUsage(t0);
  amps.sort((a, b) => a - b);
  const aq = amps.length ? [0.1, 0.5, 0.9].map((p) => amps[Math.floor(p * (amps.length - 1))].toFixed(2)).join(' / ') : '';
  process.stdout.write(
    `  ${mode.padEnd(9)}: ${((100 * ok) / n).toFixed(1)} % of ${n} cells within tolerance` +
      (ramp ? ` (out: ${JSON.stringify(reasons)})` : '') +
      (plan
        ? `; last amplitude factor p10/p50/p90 ${aq} (ladder ${plan.ladder.factors[0].toFixed(2)} … ${plan.ladder.factors[plan.ladder.factors.length - 1].toFixed(2)}, validity ceiling ${plan.ceilingV.set.toFixed(2)} / ${plan.ceilingV.reset.toFixed(2)} V)`
        : '') +
      `; weight scale ${wTop.toPrecision(3)}` +
      `; ${n - signed.length} devices cannot hold a signed weight; ${(pulses / n).toFixed(0)} pulses per cell, ${(width / n).toFixed(0)} nominal widths per cell; ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU-s\n`,
  );
}
