/**
 * How far apart the devices of a crossbar are in switching speed: the SET and RESET pulses each of n devices
 * (drawn as the crossbar draws them, one tile of layer 0) needs for a full swing nLo ↔ nHi, with the
 * config's operating point. A diagnostic for in-situ training on a calibrated population: devices that
 * swing in a few pulses flip their weight at every update, devices that never swing do not learn.
 *
 *   node --import tsx scripts/crossbar-swing-spread.ts CONFIG.json [--population P.json] [--devices 200] [--cap 50000]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../src/crossbar/experiment/config.js';
import { applyPopulation } from '../src/io/populationVar.js';
import { applyOperatingPoint } from '../src/crossbar/device/operatingPoint.js';
import { createEngine, createKineticEngines, deviceMaker } from '../src/crossbar/device/factory.js';
import type { JartArray } from '../src/crossbar/device/jartArray.js';
import { createRng } from '../src/util/rng.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { population: { type: 'string' }, devices: { type: 'string', default: '200' }, cap: { type: 'string', default: '50000' } } });
if (!positionals[0]) { console.error('usage: crossbar-swing-spread.ts CONFIG.json [--population P.json] [--devices N] [--cap PULSES]'); process.exit(2); }
const cfg = resolveConfig(JSON.parse(readFileSync(positionals[0], 'utf8')), positionals[0]);
if (values.population) applyPopulation(cfg, JSON.parse(readFileSync(values.population, 'utf8')), values.population);
const op = applyOperatingPoint(cfg);
const n = Number(values.devices), cap = Number(values.cap);
const engine = createEngine(cfg);
const dev = deviceMaker(cfg, engine, createRng(cfg.seed).fork(0), 0, createKineticEngines(cfg))(n, 0) as JartArray;
const j = cfg.device.jart;
// a full swing in weight: from the weight at nLo to the weight at nHi of the mapping (devices whose own N
// bounds or read current do not reach it count as never)
const w = (k: number, nn: number): number => { const keep = dev.n[k]; dev.n[k] = nn; const x = dev.weight(k); dev.n[k] = keep; return x; };
const counts = { set: [] as number[], reset: [] as number[] };
for (let k = 0; k < n; k++) {
  const wLo = w(k, j.nLo), wHi = w(k, j.nHi);
  const target = wLo + 0.95 * (wHi - wLo), back = wLo + 0.05 * (wHi - wLo);
  dev.n[k] = j.nLo;
  let c = 0;
  while (c < cap && dev.weight(k) < target) { const before = dev.n[k]; dev.pulse(k, 1); c++; if (dev.n[k] === before) { c = cap; break; } }
  counts.set.push(c);
  dev.n[k] = j.nHi;
  c = 0;
  while (c < cap && dev.weight(k) > back) { const before = dev.n[k]; dev.pulse(k, -1); c++; if (dev.n[k] === before) { c = cap; break; } }
  counts.reset.push(c);
}
const pct = (a: number[], p: number): number => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
console.log(`${cfg.name}${values.population ? ` with ${values.population}` : ''}: ${n} devices, pulses for 90 % of a full swing (cap ${cap})`);
if (op?.pulses) console.log(`operating point: ${op.pulses.vSetV.toFixed(4)} / +${op.pulses.vResetV.toFixed(4)} V, N ${op.nLo.toPrecision(4)} … ${op.nHi.toPrecision(4)}`);
for (const [name, a] of Object.entries(counts)) {
  const fast = a.filter((x) => x <= 10).length, never = a.filter((x) => x >= cap).length;
  console.log(`${name.padEnd(5)} p10 ${pct(a, 0.1)}  p50 ${pct(a, 0.5)}  p90 ${pct(a, 0.9)}  ≤ 10 pulses: ${(100 * fast / n).toFixed(1)} %  not within the cap: ${(100 * never / n).toFixed(1)} %`);
}
