/**
 * Generates the project's example campaign (measurements/example/): 4 devices × 5 cycles of
 * ±1.3 V, 1 V/s sweeps simulated with the JART VCM v1b model, written in two instrument formats
 * with realistic quirks, and the true parameters beside them (TRUTH.json). Devices 1-2: Keithley
 * 4200 KITE CSV, one file per cycle, SET at negative V, Icc 300 µA. Devices 3-4: Keysight B1500
 * EasyEXPERT CSV, one file per device (one run per cycle), wired the other way round (SET at
 * positive V), Icc 250 µA. Device-to-device and cycle-to-cycle variation of rnew, lnew, Ndiscmin,
 * Ndiscmax: lognormal, drawn with createRng(SEED). Every other parameter: DEFAULT_PARAMS.
 *
 *   npx tsx scripts/make-example-campaign.ts [--out measurements/example] [--seed 20261129]
 *
 * `--devices N --cycles C` (default 4 and 5) write a larger synthetic campaign of the same kind (the first
 * half of the devices as Keithley 4200 files, the rest as B1500 files; C < 100), e.g. for the
 * predictive-check study in docs/results/population-synthetic-check.md.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRng, type Rng } from '../src/util/rng.js';
import { TOOLKIT_VERSION } from '../src/version.js';
import { writeFileAtomic, writeJsonAtomic } from '../src/io/atomic.js';
import { DEFAULT_PARAMS, PARAM_TABLE, resolveParams, simulate, sweepWaveform, type JartParams } from '../src/model/index.js';
import { measureCurrent, writeB1500Csv, writeK4200Csv, type SynthCycle } from '../src/synth/index.js';
import { ingestFiles } from '../src/io/ingest.js';

const { values } = parseArgs({
  options: { out: { type: 'string' }, seed: { type: 'string' }, devices: { type: 'string' }, cycles: { type: 'string' } },
});
const OUT = values.out ?? join('measurements', 'example');
const SEED = Number(values.seed ?? 20261129);
const DEVICES = Number(values.devices ?? 4),
  CYCLES = Number(values.cycles ?? 5);
if (!Number.isInteger(DEVICES) || DEVICES < 1 || !Number.isInteger(CYCLES) || CYCLES < 1 || CYCLES > 99)
  throw new Error(`--devices expects a positive integer, --cycles an integer in 1..99 (got ${values.devices}, ${values.cycles})`);
const VAR = ['rnew', 'lnew', 'Ndiscmin', 'Ndiscmax'] as const;
type VarName = (typeof VAR)[number];
/** Lognormal spreads (σ of ln x): device-to-device and cycle-to-cycle. */
const D2D: Record<VarName, number> = { rnew: 0.08, lnew: 0.08, Ndiscmin: 0.25, Ndiscmax: 0.15 };
const C2C: Record<VarName, number> = { rnew: 0.03, lnew: 0.03, Ndiscmin: 0.1, Ndiscmax: 0.05 };
const SWEEP = { vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.01 };
const SMU = { noiseRel: 0.02, floorA: 2e-12, digits: 5 };

function clampToTable(name: VarName, x: number): number {
  const s = PARAM_TABLE.find((p) => p.name === name)!;
  return Math.min(s.max, Math.max(s.min, x));
}
function draw(center: Record<VarName, number>, sd: Record<VarName, number>, rng: Rng): Record<VarName, number> {
  const o = {} as Record<VarName, number>;
  for (const n of VAR) o[n] = clampToTable(n, center[n] * Math.exp(sd[n] * rng.normal()));
  return o;
}

const rng = createRng(SEED);
const paramRng = rng.fork(1),
  noiseRng = rng.fork(2);
const nominal: Record<VarName, number> = {
  rnew: DEFAULT_PARAMS.rdet,
  lnew: DEFAULT_PARAMS.ldet,
  Ndiscmin: DEFAULT_PARAMS.Ndiscmin,
  Ndiscmax: DEFAULT_PARAMS.Ndiscmax,
};
const wave = sweepWaveform(SWEEP);
for (const sub of ['k4200', 'b1500', 'TRUTH.json']) rmSync(join(OUT, sub), { recursive: true, force: true }); // README.md stays
mkdirSync(join(OUT, 'k4200'), { recursive: true });
mkdirSync(join(OUT, 'b1500'), { recursive: true });

const truth = {
  schema: 'jartcal.example-truth/1',
  toolkitVersion: TOOLKIT_VERSION,
  seed: SEED,
  createdBy: 'scripts/make-example-campaign.ts',
  model: 'jart-vcm-v1b',
  baseParams: 'DEFAULT_PARAMS of the toolkit (all parameters not listed per cycle)',
  waveform: { ...SWEEP, shape: '0 → vSetV → 0 → vResetV → 0 (model convention), one point per stepV' },
  variability: { family: 'lognormal', d2dSigmaLn: D2D, c2cSigmaLn: C2C, nominal },
  smu: SMU,
  devices: [] as unknown[],
};

/** hh:mm:ss of a time stamp `sec` seconds after 10:00:00 */
const clock = (sec: number): string =>
  [10 + Math.floor(sec / 3600), Math.floor(sec / 60) % 60, sec % 60].map((x) => String(x).padStart(2, '0')).join(':');
for (let d = 1; d <= DEVICES; d++) {
  const id = `dev${String(d).padStart(2, '0')}`;
  const k4200 = d <= Math.ceil(DEVICES / 2);
  const complianceA = k4200 ? 3e-4 : 2.5e-4;
  const flip = !k4200; // B1500 devices are wired so that they SET at positive applied voltage
  const dev = draw(nominal, D2D, paramRng.fork(d));
  const cycles: SynthCycle[] = [];
  const cycleTruth: unknown[] = [];
  let nEnd = dev.Ndiscmin;
  for (let c = 1; c <= CYCLES; c++) {
    const v = draw(dev, C2C, paramRng.fork(100 * d + c));
    const ninit = Math.min(v.Ndiscmax, Math.max(v.Ndiscmin, nEnd));
    const p: JartParams = resolveParams({ ...v, Ninit: ninit });
    const r = simulate(p, wave, { circuit: { complianceA } });
    if (!r.iA.every(Number.isFinite)) throw new Error(`simulation failed for ${id} cycle ${c}`);
    nEnd = r.ndisc[r.ndisc.length - 1];
    const vLab = Float64Array.from(wave.vV, (x) => (flip ? -x : x));
    const iTrue = Float64Array.from(r.iA, (x) => (flip ? -x : x));
    const iMeas = measureCurrent(vLab, iTrue, noiseRng.fork(100 * d + c), { ...SMU, complianceA, setSign: flip ? 1 : -1 });
    const t0 = 0.2 + 0.2 * noiseRng.next(); // KITE/EasyEXPERT time stamps do not start at 0
    cycles.push({ tS: Float64Array.from(wave.tS, (t) => t + t0), vV: vLab, iA: iMeas });
    cycleTruth.push({ cycle: c, params: { ...v, Ninit: ninit }, ndiscEnd: nEnd });
  }
  if (k4200) {
    cycles.forEach((cy, k) =>
      writeFileAtomic(
        join(OUT, 'k4200', `${id}_cycle${k + 1}.csv`),
        writeK4200Csv(cy, {
          device: id,
          complianceA,
          cycle: k + 1,
          date: `03/14/2026 ${clock(60 * (10 + 2 * d) + 10 * k)}`,
        }),
      ),
    );
  } else {
    writeFileAtomic(join(OUT, 'b1500', `${id}.csv`), writeB1500Csv(cycles, { device: id, complianceA, date: '2026-03-14 11:00:00' }));
  }
  truth.devices.push({
    id,
    format: k4200 ? 'k4200' : 'b1500',
    setPolarity: flip ? 'positive' : 'negative',
    complianceA,
    deviceParams: dev,
    cycles: cycleTruth,
  });
}
writeJsonAtomic(join(OUT, 'TRUTH.json'), truth);

// the campaign must read with no flags
const ds = ingestFiles([OUT]);
const summary = ds.devices.map((d) => `${d.id}: ${d.cycles.length} cycles, SET ${d.setPolarity}, Icc ${d.complianceA}`);
console.log(`wrote ${OUT}\n${summary.join('\n')}`);
