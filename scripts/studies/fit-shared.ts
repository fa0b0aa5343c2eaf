/**
 * Fits of the real filamentary datasets in ../shared/measurements (docs/fitting.md records the
 * results). Reads the datasets' derived CSVs (see each SOURCE.md), converts them to the model
 * convention (SET at V < 0), fits them with the worker pool and writes, under runs/fit-shared/:
 * NAME.dataset.json, NAME.fits.json, and overlay plots NAME-cycleK.svg (measured vs fitted).
 *   node --import tsx scripts/studies/fit-shared.ts [aguirref|ddas04-cycles|ddas04-devices|polimi ...] [--max-cycles N] [--workers N]
 *     [--fit a,b,c (free parameters for every case)] [--tag T (suffix of the output names)]
 *     [--series-resistance R (external series resistance, Ω, e.g. a 1T1R select transistor; with
 *      seriesOhm in --fit it is the fitted device-level parameter's first guess)]
 *     [--floor A (current floor of the log residuals, A)] [--return-weight W (return-branch residual weight)]
 *     [--cycle-params a,b (cycle-level subset of --fit)] [--carry-geometry (docs/fitting.md §4)] [--device-cycles K] [--fix name=value,name=value]
 *     [--adaptive-levels (objective option adaptiveLevels: model switching at an adaptive N level)]
 *     [--rate V/s (sweep rate where the file has no time base, instead of the dataset's assumed one)]
 *     [--mode campaign|joint|independent (as `jartcal fit --mode`; independent: every cycle alone, from its own first guess)]
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED, REPO_ROOT } from '../lib/shared.js';
import {
  createWorkerPool,
  fitDataset,
  resolveFitSettings,
  prepareCycle,
  evaluateCycle,
  summarizeFits,
  FITS_SCHEMA,
  type FitCycleInput,
  type FitOptions,
  type FitsFile,
} from '../../src/fit/index.js';
import { writeJsonAtomic } from '../../src/io/atomic.js';
import { createProgress } from '../../src/cli/progress.js';
import { TOOLKIT_VERSION } from '../../src/version.js';
import { lineChart } from '../../src/plot/index.js';
import { writePlot } from '../../src/io/plot.js';
import { findExcursions } from '../../src/ingest/excursions.js';
import { labelBranches } from '../../src/features/index.js';

type Row = Record<string, string>;
function csv(path: string): Row[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const cols = head.split(',');
  return lines.map((l) => {
    const v = l.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, v[i]]));
  });
}
const M = (...p: string[]) => join(SHARED, 'measurements', ...p);
const group = <T>(rows: Row[], key: string, f: (rs: Row[], k: string) => T): T[] => {
  const m = new Map<string, Row[]>();
  for (const r of rows) m.set(r[key], [...(m.get(r[key]) ?? []), r]);
  return [...m.entries()].map(([k, rs]) => f(rs, k));
};

/** Sign-restored current in model convention (flip = the device SETs at +V). */
function toCycle(
  device: string,
  cycle: number,
  v: number[],
  iAbs: number[],
  t: number[] | null,
  complianceA: number | null,
  flip: boolean,
): FitCycleInput {
  const vV = v.map((x) => (flip ? -x : x));
  return {
    device,
    cycle,
    vV,
    iA: vV.map((x, i) => Math.sign(x) * Math.abs(iAbs[i])),
    tS: t ?? [],
    timeSource: t ? 'file' : 'index',
    complianceA,
    features: { readVoltageV: 0.1 },
  };
}

interface Case {
  name: string;
  devices: { id: string; cycles: FitCycleInput[] }[];
  options: FitOptions;
  note: string;
}

function aguirref(): Case {
  const set = csv(M('aguirref-k4200-set-reset-10cyc', 'derived', 'set_cycles_long.csv'));
  const reset = csv(M('aguirref-k4200-set-reset-10cyc', 'derived', 'reset_cycles_long.csv'));
  const resets = new Map(group(reset, 'cycle', (rs, k) => [k, rs] as const));
  const cycles = group(set, 'cycle', (rs, k) => {
    const rr = resets.get(k) ?? [];
    const ts = rs.map((r) => +r.time_s);
    const t0 = ts[0];
    const tEnd = ts[ts.length - 1] - t0;
    const dtR = rr.length > 1 ? +rr[1].time_s - +rr[0].time_s : 0.04;
    const t = [...ts.map((x) => x - t0), ...rr.map((r, i) => tEnd + dtR * (i + 1))];
    const v = [...rs.map((r) => +r.V_V), ...rr.map((r) => +r.V_V)];
    const i = [...rs.map((r) => +r.I_A), ...rr.map((r) => +r.I_A)];
    return toCycle('M5', +k, v, i, t, 0.01, false);
  })
    .sort((a, b) => a.cycle - b.cycle)
    .map((c, j) => ({ ...c, cycle: j + 1 }));
  // mA-range cell: LRS ≈ 100 Ω is below the default line resistance R0 = 719 Ω, so R0 is fitted too.
  return {
    name: 'aguirref',
    devices: [{ id: 'M5', cycles }],
    options: { fitParams: ['rnew', 'lnew', 'Ndiscmin', 'RseriesTiOx', 'R0', 'phiBn0', 'dWa'] },
    note: 'K4200, 0→−2→0 V SET (10 mA compliance) + 0→2.1→0 V RESET, 5 mV steps, file time base',
  };
}

function ddas04Cycles(): Case {
  const rows = csv(M('ddas04-rram-100dev-100cyc', 'derived', 'cycles_one_device_long.csv'));
  const cycles = group(rows, 'cycle', (rs, k) =>
    toCycle(
      'ddas04',
      +k,
      rs.map((r) => +r.V_V),
      rs.map((r) => +r.I_abs_A),
      null,
      30e-6,
      true,
    ),
  );
  return {
    name: 'ddas04-cycles',
    devices: [{ id: 'ddas04', cycles }],
    options: { objective: { sweepRateVps: 1.5 } },
    note: 'B1500, SET +2 V (30 µA compliance) / RESET −1.6 V, 0.1 V steps, no time base (1.5 V/s assumed)',
  };
}

function ddas04Devices(): Case {
  const rows = csv(M('ddas04-rram-100dev-100cyc', 'derived', 'devices_first_cycle_long.csv'));
  const devices = group(rows, 'device', (rs, k) => ({
    id: `dev${k}`,
    cycles: [
      toCycle(
        `dev${k}`,
        1,
        rs.map((r) => +r.V_V),
        rs.map((r) => +r.I_abs_A),
        null,
        50e-6,
        true,
      ),
    ],
  }));
  return {
    name: 'ddas04-devices',
    devices,
    options: { objective: { sweepRateVps: 1.5 } },
    note: 'first cycle of 100 devices, SET +2.8 V (50 µA compliance), 0.1 V steps, 1.5 V/s assumed',
  };
}

function polimi(): Case {
  const rows = csv(M('polimi-siox-1t1r-bianchi2023', 'derived', 'Figure_1_b_experiments_long.csv'));
  const cycles = group(rows, 'experiment', (rs, k) =>
    toCycle(
      'polimi',
      +k,
      rs.map((r) => +r.V_V),
      rs.map((r) => +r.I_abs_A),
      null,
      +rs[0].icc_est_A,
      true,
    ),
  );
  return {
    name: 'polimi',
    devices: [{ id: 'polimi', cycles }],
    options: { objective: { sweepRateVps: 1 } },
    note: 'SiOx 1T1R, SET +2.5 V (transistor limit 54–166 µA) / RESET −1.6 V, 25/16 mV steps, 1 V/s assumed',
  };
}

const CASES: Record<string, () => Case> = { aguirref, 'ddas04-cycles': ddas04Cycles, 'ddas04-devices': ddas04Devices, polimi };

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (n: string) => {
    const i = args.indexOf(n);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const maxCycles = Number(flag('--max-cycles') ?? Infinity);
  const workers = Number(flag('--workers') ?? 0) || undefined;
  const fitOverride = flag('--fit');
  const tag = flag('--tag') ?? '';
  const seriesOhm = flag('--series-resistance');
  const floorA = flag('--floor');
  const returnWeight = flag('--return-weight');
  const cycleParams = flag('--cycle-params');
  const ci = args.indexOf('--carry-geometry');
  const carryGeometry = ci >= 0;
  if (ci >= 0) args.splice(ci, 1);
  const deviceCycles = flag('--device-cycles');
  const fix = flag('--fix');
  const rate = flag('--rate');
  const mode = flag('--mode');
  if (mode !== undefined && !['campaign', 'joint', 'independent'].includes(mode))
    throw new Error(`--mode: expected campaign, joint or independent, got '${mode}'`);
  const ai = args.indexOf('--adaptive-levels');
  const adaptiveLevels = ai >= 0;
  if (ai >= 0) args.splice(ai, 1);
  const names = args.length ? args : Object.keys(CASES);
  const outDir = join(REPO_ROOT, 'runs', 'fit-shared');
  mkdirSync(outDir, { recursive: true });
  for (const name of names) {
    const c = CASES[name]();
    let n = 0;
    c.devices = c.devices.map((d) => ({ ...d, cycles: d.cycles.filter(() => n++ < maxCycles) })).filter((d) => d.cycles.length > 0);
    if (fitOverride) c.options = { ...c.options, fitParams: fitOverride.split(',') as NonNullable<FitOptions['fitParams']> };
    if (tag) c.name = `${c.name}-${tag}`;
    if (seriesOhm) c.options = { ...c.options, objective: { ...c.options.objective, seriesOhm: Number(seriesOhm) } };
    if (floorA) c.options = { ...c.options, objective: { ...c.options.objective, floorA: Number(floorA) } };
    if (returnWeight) c.options = { ...c.options, objective: { ...c.options.objective, returnWeight: Number(returnWeight) } };
    if (rate) c.options = { ...c.options, objective: { ...c.options.objective, sweepRateVps: Number(rate) } };
    if (adaptiveLevels) c.options = { ...c.options, objective: { ...c.options.objective, adaptiveLevels: true } };
    if (deviceCycles) c.options = { ...c.options, deviceCycles: Number(deviceCycles) };
    if (fix)
      c.options = {
        ...c.options,
        fixed: {
          ...c.options.fixed,
          ...Object.fromEntries(
            fix.split(',').map((kv) => {
              const [k, v] = kv.split('=');
              return [k, Number(v)];
            }),
          ),
        },
      };
    if (cycleParams) c.options = { ...c.options, cycleParams: cycleParams.split(',') as NonNullable<FitOptions['cycleParams']> };
    if (carryGeometry) c.options = { ...c.options, carryGeometry: true };
    if (mode) c.options = { ...c.options, mode: mode as NonNullable<FitOptions['mode']> };
    const settings = resolveFitSettings({ ...c.options, seed: 1 });
    const total = c.devices.reduce((a, d) => a + d.cycles.length, 0);
    const progress = createProgress(c.name, total);
    const t0 = performance.now();
    const r = await fitDataset(c, settings, createWorkerPool(workers), {
      onRecord: (e) => {
        if (e.kind === 'cycle') progress.tick(1);
      },
    });
    progress.done();
    const dsPath = join(outDir, `${c.name}.dataset.json`);
    writeJsonAtomic(dsPath, {
      schema: 'jartcal.dataset/1',
      toolkitVersion: TOOLKIT_VERSION,
      createdAt: new Date().toISOString(),
      options: { source: 'scripts/studies/fit-shared.ts', note: c.note },
      devices: c.devices.map((d) => ({
        ...d,
        setPolarity: 'negative',
        complianceA: d.cycles[0].complianceA,
        metadata: {},
        // branch labels as ingest writes them (the inspector colours SET and RESET points by them)
        cycles: d.cycles.map((cy) => ({ ...cy, branch: labelBranches(cy.vV, findExcursions(cy.vV)) })),
      })),
    });
    const fits: FitsFile = {
      schema: FITS_SCHEMA,
      toolkitVersion: TOOLKIT_VERSION,
      createdAt: new Date().toISOString(),
      seed: 1,
      dataset: `${c.name}.dataset.json`,
      settings,
      devices: r.devices,
      cycles: r.cycles,
      summary: summarizeFits(r.cycles, r.devices.length, (performance.now() - t0) / 1000),
    };
    writeJsonAtomic(join(outDir, `${c.name}.fits.json`), fits);
    const rms = r.cycles.map((x) => x.rmsLog10).sort((a, b) => a - b);
    const q = (f: number) => rms[Math.min(rms.length - 1, Math.floor(f * rms.length))];
    const flags = new Map<string, number>();
    for (const x of r.cycles) for (const fl of x.flags) flags.set(fl.code, (flags.get(fl.code) ?? 0) + 1);
    const rs = r.devices
      .map((d) => d.circuit?.seriesOhm)
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    if (rs.length)
      console.log(
        `${c.name}: fitted seriesOhm per device: median ${rs[rs.length >> 1].toFixed(0)} Ω (min ${rs[0].toFixed(0)}, max ${rs[rs.length - 1].toFixed(0)}; ${rs.length} devices)`,
      );
    console.log(
      `${c.name}: ${rms.length} cycles; RMS log10 min ${q(0).toFixed(3)} / p25 ${q(0.25).toFixed(3)} / median ${q(0.5).toFixed(3)} / p75 ${q(0.75).toFixed(3)} / max ${rms[rms.length - 1].toFixed(3)}; ≤ 0.15: ${rms.filter((x) => x <= 0.15).length}; flags ${[...flags].map(([k, v]) => `${k} ${v}`).join(', ')}; ${fits.summary!.seconds.toFixed(0)} s`,
    );
    {
      const picks = [r.cycles[0], r.cycles[Math.floor(r.cycles.length / 2)], [...r.cycles].sort((a, b) => b.rmsLog10 - a.rmsLog10)[0]];
      for (const cf of picks) {
        const input = c.devices.find((d) => d.id === cf.device)!.cycles.find((x) => x.cycle === cf.cycle)!;
        const o = { ...settings.objective, ...(cf.circuit ?? {}) };
        const pc = prepareCycle(input, o);
        const ev = evaluateCycle(pc, cf.params, cf.ninit, o);
        const svg = lineChart({
          title: `${c.name} ${cf.device} cycle ${cf.cycle}: RMS ${cf.rmsLog10.toFixed(3)} dec${cf.circuit ? `, R_ext ${(cf.circuit.seriesOhm / 1e3).toPrecision(3)} kΩ` : ''}`,
          xLabel: 'V (model convention) [V]',
          yLabel: '|I| [A]',
          yLog: true,
          series: [
            { name: 'measured', x: Array.from(pc.vV), y: input.iA.map((i) => Math.max(Math.abs(i), 1e-13)), kind: 'points', size: 1.6 },
            { name: 'fitted', x: Array.from(pc.vV), y: Array.from(ev.iAModel, (i) => Math.max(Math.abs(i), 1e-13)) },
          ],
        });
        writePlot(join(outDir, `${c.name}-${cf.device}-cycle${cf.cycle}.svg`), svg);
      }
    }
  }
}
await main();
