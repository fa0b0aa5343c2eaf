/**
 * Which basin a campaign fit lands in, and how little it takes to move it: fits the first device of a
 * dataset in campaign mode with one fixed structure (default: the `gradual-reset` bundle, which
 * `jartcal fit` chooses for aguirref) and prints the RMS per cycle, the median and the device-level values.
 * The dataset can be altered in ways the physics does not see: the RESET half re-timed (a pause at 0 V
 * before it, its rate scaled), the current floor dropped; the seed and device-level start values varied.
 *
 *   node --import tsx scripts/studies/fit-basin.ts DATASET.json [--seed N] [--no-floor] [--pause S]
 *       [--rate-factor F] [--start name=value,...] [--fit a,b,...] [--cycle-params a,b,...] [--return-weight W]
 *
 * One process, one core; nothing written.
 */
import { readFileSync } from 'node:fs';
import { fitDevice, resolveFitSettings, type CycleFit, type DeviceFit, type FitCycleInput } from '../../src/fit/index.js';
import type { FitParamName } from '../../src/fit/settings.js';
import type { ParamName } from '../../src/model/index.js';
import { median } from '../../src/util/stats.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : undefined;
};
const file = args[0];
if (!file || file.startsWith('--')) {
  console.error('usage: fit-basin.ts DATASET.json [--seed N] [--no-floor] [--pause S] [--rate-factor F] [--start name=value,...]');
  process.exit(2);
}
const ds = JSON.parse(readFileSync(file, 'utf8')) as { devices: { id: string; cycles: FitCycleInput[] }[] };
const dev = ds.devices[0];
const pause = Number(opt('--pause') ?? 0);
const rate = Number(opt('--rate-factor') ?? 1);
const cycles = dev.cycles.map((c) => {
  let out: FitCycleInput = args.includes('--no-floor') ? { ...c, currentFloorA: undefined } : c;
  if (pause !== 0 || rate !== 1) {
    // the RESET half: from the first sample with V > 0, or from the second of two 0 V samples before it
    // (the pause then lies at 0 V, not in the sweep's first step)
    let j = c.vV.findIndex((v) => v > 0);
    if (j >= 2 && c.vV[j - 1] === 0 && c.vV[j - 2] === 0) j--;
    const t0 = c.tS[j - 1];
    out = { ...out, tS: c.tS.map((t, i) => (i < j ? t : t0 + pause + (t - t0) / rate)) };
  }
  return out;
});
const list = (s: string | undefined) => (s ? s.split(',') : undefined);
const settings = resolveFitSettings({
  fitParams: (list(opt('--fit')) ?? [
    'rnew',
    'lnew',
    'Ndiscmin',
    'RseriesTiOx',
    'phiBn0',
    'dWa',
    'lcell',
    'R0',
    'Rth0',
    'Rtheff_scaling',
  ]) as FitParamName[],
  cycleParams: (list(opt('--cycle-params')) ?? ['rnew', 'lnew', 'Ndiscmin', 'phiBn0', 'Rtheff_scaling']) as ParamName[],
  objective: { returnWeight: Number(opt('--return-weight') ?? 2) },
  seed: Number(opt('--seed') ?? 1),
});
const start = list(opt('--start'));
const t0 = process.cpuUsage();
const fits: CycleFit[] = [];
let device: DeviceFit | undefined;
fitDevice(
  {
    device: dev.id,
    cycles,
    ...(start ? { start: { device: Object.fromEntries(start.map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])) } } : {}),
  },
  settings,
  { cycles: new Map() },
  (e) => (e.kind === 'cycle' ? fits.push(e.fit) : (device = e.device)),
);
const cpu = process.cpuUsage(t0);
const rms = fits.map((f) => f.rmsLog10);
console.log(`RMS per cycle: ${rms.map((x) => x.toFixed(3)).join(' ')}`);
console.log(`median ${median(rms).toFixed(3)} decade; ${((cpu.user + cpu.system) / 1e6).toFixed(0)} CPU-s`);
console.log(
  `device: ${Object.entries(device?.params ?? {})
    .map(([k, v]) => `${k} ${Number(v).toPrecision(3)}`)
    .join(', ')}`,
);
