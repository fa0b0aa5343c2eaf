/**
 * End-to-end check of the population stage (issue 5): a KNOWN population is sampled, every device is
 * simulated through the JART model for C consecutive sweeps (one v1b var draw per cycle, see below),
 * the curves are written as a jartcal.dataset/1 file, fitted by the fit stage (`jartcal fit`), and the
 * population is re-estimated from the fits and compared with the truth.
 *
 *   node --import tsx scripts/studies/population-check.ts [--devices 30] [--cycles 6] [--seed 1] [--dir runs/population-check]
 *        [--noise-dec 0.01] [--v-reset 1.3] [--fit-args="--fit rnew,lnew --cycle-params rnew,lnew --carry-geometry --workers 2"]
 *        [--fits existing-fits.json] [--include-unidentified] [--outlier-z 5] [--no-selection-correction]
 *
 * Cycle-to-cycle semantics: one v1b var draw per cycle, held for its SET and RESET, the geometry carried
 * over from cycle to cycle (cycleSampler, used by simulateDeviceSweeps); the fit models the same with
 * --carry-geometry. Measurement noise: |I| × 10^(noise·N(0,1)), i.i.d. per sample (default 0.01 decade),
 * so that the fits' standard errors mean something (noise-free curves give s² ≈ 0 and so se ≈ 0).
 *
 * Steps: 1. truth.json (population) + dataset.json; 2. fits.json via the fit stage's `fit` command (skipped
 * when --fits is given); 3.
 * population.json via estimatePopulation; 4. a table truth vs estimate (relative sd of d2d and c2c, the
 * rnew–lnew correlation) printed and written to DIR/check.json.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { createRng } from '../../src/util/rng.js';
import { TOOLKIT_VERSION } from '../../src/version.js';
import { writeJsonAtomic } from '../../src/io/atomic.js';
import { COMMANDS } from '../../src/cli/commands.js';
import {
  estimatePopulation,
  readPopulation,
  relativeSd,
  samplePopulation,
  simulateDeviceSweeps,
  sweepFeatures,
  type ParameterSpec,
  type PopulationFile,
  type SweepConditions,
} from '../../src/population/index.js';
import { readFitsFile } from '../../src/io/population.js';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '30' },
    cycles: { type: 'string', default: '6' },
    seed: { type: 'string', default: '1' },
    dir: { type: 'string', default: 'runs/population-check' },
    'noise-dec': { type: 'string', default: '0.01' },
    'v-reset': { type: 'string', default: '1.3' },
    'fit-args': { type: 'string', default: '' },
    fits: { type: 'string' },
    'include-unidentified': { type: 'boolean' },
    'outlier-z': { type: 'string', default: '5' },
    'no-selection-correction': { type: 'boolean' },
  },
});
const nDev = Number(values.devices),
  nCyc = Number(values.cycles),
  seed = Number(values.seed),
  dir = values.dir as string;
const noiseDec = Number(values['noise-dec']);

// The known population: the v1b var quantities a sweep constrains best, with a d2d correlation.
const TRUTH: PopulationFile = readPopulation({
  schema: 'jartcal.population/1',
  toolkitVersion: TOOLKIT_VERSION,
  createdAt: new Date().toISOString(),
  seed,
  provenance: { fits: [], datasets: [], source: 'scripts/studies/population-check.ts known population' },
  base: {},
  parameters: {
    rnew: { family: 'lognormal', d2d: { center: 45e-9, spread: 0.08, spreadKind: 'ln' }, c2c: { spread: 0.04, spreadKind: 'ln' } },
    lnew: { family: 'lognormal', d2d: { center: 0.4e-9, spread: 0.06, spreadKind: 'ln' }, c2c: { spread: 0.05, spreadKind: 'ln' } },
  },
  correlation: {
    params: ['rnew', 'lnew'],
    matrix: [
      [1, 0.6],
      [0.6, 1],
    ],
  },
});
const SWEEP: SweepConditions = {
  vSetV: -1.3,
  vResetV: Number(values['v-reset']),
  rateVps: 1,
  stepV: 0.01,
  readVoltageV: 0.2,
  complianceA: null,
};

function branchesOf(vV: Float64Array): number[] {
  let iMin = 0,
    iMax = 0;
  for (let k = 0; k < vV.length; k++) {
    if (vV[k] < vV[iMin]) iMin = k;
    if (vV[k] > vV[iMax]) iMax = k;
  }
  return Array.from(vV, (v, k) => (k <= iMin ? 0 : v < 0 ? 1 : k <= iMax ? 2 : 3));
}

async function run(): Promise<void> {
  const datasetPath = join(dir, 'dataset.json'),
    fitsPath = values.fits ?? join(dir, 'fits.json');
  writeJsonAtomic(join(dir, 'truth.json'), TRUTH);
  if (!values.fits) {
    const rng = createRng(seed);
    const devices = samplePopulation(TRUTH, nDev, rng.fork(1));
    const cr = rng.fork(2),
      nr = rng.fork(3);
    const t0 = Date.now();
    const recs = devices.map((d) => {
      const sweeps = simulateDeviceSweeps(TRUTH, d, nCyc, SWEEP, cr.fork(d.index));
      const noise = nr.fork(d.index);
      for (const s of sweeps) if (noiseDec > 0) for (let k = 0; k < s.iA.length; k++) s.iA[k] *= 10 ** (noiseDec * noise.normal());
      return {
        id: `D${d.index}`,
        setPolarity: 'negative',
        complianceA: null,
        metadata: { truth: JSON.stringify(d.values) },
        cycles: sweeps
          .filter((s) => s.ok)
          .map((s, c) => ({
            device: `D${d.index}`,
            cycle: c + 1,
            tS: Array.from(s.tS),
            timeSource: 'file',
            vV: Array.from(s.vV),
            iA: Array.from(s.iA),
            complianceA: null,
            branch: branchesOf(s.vV),
            features: {
              ...sweepFeatures(s.vV, s.iA, SWEEP.readVoltageV),
              readVoltageV: SWEEP.readVoltageV,
              resetPeakA: null,
              complianceHit: false,
            },
            provenance: { file: 'synthetic', rowStart: 0, rowEnd: s.vV.length - 1 },
          })),
      };
    });
    writeJsonAtomic(datasetPath, {
      schema: 'jartcal.dataset/1',
      toolkitVersion: TOOLKIT_VERSION,
      createdAt: new Date().toISOString(),
      options: { source: 'scripts/studies/population-check.ts', seed, sweep: SWEEP, noiseDec },
      devices: recs,
    });
    process.stderr.write(`simulated ${nDev} devices × ${nCyc} cycles in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${datasetPath}\n`);
    // The fit stage's command (registered, or its module directly while the registry line is pending).
    const { command: fit } = await (COMMANDS.fit ?? (() => import('../../src/cli/fit.js')))();
    const args = [datasetPath, '--out', fitsPath, ...(values['fit-args'] as string).split(/\s+/).filter(Boolean)];
    process.stderr.write(`jartcal fit ${args.join(' ')}\n`);
    const t1 = Date.now();
    const code = await fit.run(args);
    if (code !== 0) {
      process.stderr.write(`fit exited with ${code}\n`);
      process.exitCode = code;
      return;
    }
    process.stderr.write(`fit took ${((Date.now() - t1) / 1000).toFixed(0)} s\n`);
  }
  const fits = readFitsFile(fitsPath);
  const est = estimatePopulation(fits, {
    seed,
    bootstrap: 200,
    fitsPaths: [fitsPath],
    includeUnidentified: Boolean(values['include-unidentified']),
    outlierZ: Number(values['outlier-z']),
    selectionCorrection: !values['no-selection-correction'],
  });
  writeJsonAtomic(join(dir, 'population.json'), est);
  const rows: Record<string, unknown>[] = [];
  for (const n of ['rnew', 'lnew'] as const) {
    const t = TRUTH.parameters[n] as ParameterSpec,
      e = est.parameters[n];
    const rel = (p: ParameterSpec, w: 'd2d' | 'c2c'): number => relativeSd(p.family, p.d2d.center, p[w].spread, p[w].spreadKind);
    rows.push({
      parameter: n,
      family: e?.family ?? 'not estimated',
      centerTrue: t.d2d.center,
      centerEst: e?.d2d.center,
      d2dTrue: rel(t, 'd2d'),
      d2dEst: e ? rel(e, 'd2d') : NaN,
      d2dRelErr: e ? rel(e, 'd2d') / rel(t, 'd2d') - 1 : NaN,
      c2cTrue: rel(t, 'c2c'),
      c2cEst: e ? rel(e, 'c2c') : NaN,
      c2cRelErr: e ? rel(e, 'c2c') / rel(t, 'c2c') - 1 : NaN,
    });
  }
  const ir = est.correlation.params.indexOf('rnew'),
    il = est.correlation.params.indexOf('lnew');
  const rho = ir >= 0 && il >= 0 ? est.correlation.matrix[ir][il] : NaN;
  const conv = fits.cycles.filter((c) => c.converged).length;
  // the devices actually drawn (the dataset's metadata): their ln sd and correlation
  let drawn = '';
  if (existsSync(datasetPath)) {
    const ds = JSON.parse(readFileSync(datasetPath, 'utf8')) as { devices: { metadata?: { truth?: string } }[] };
    const t = ds.devices
      .map((d) => JSON.parse(d.metadata?.truth ?? '{}') as { rnew: number; lnew: number })
      .filter((v) => v.rnew > 0 && v.lnew > 0);
    const a = t.map((v) => Math.log(v.rnew)),
      b = t.map((v) => Math.log(v.lnew));
    const m = (x: number[]) => x.reduce((p, q) => p + q, 0) / x.length;
    const cv = (x: number[], y: number[]) => {
      const mx = m(x),
        my = m(y);
      return x.reduce((p, q, k) => p + (q - mx) * (y[k] - my), 0) / (x.length - 1);
    };
    drawn = ` (the ${t.length} devices drawn: ln sd rnew ${Math.sqrt(cv(a, a)).toFixed(4)}, lnew ${Math.sqrt(cv(b, b)).toFixed(4)}, correlation ${(cv(a, b) / Math.sqrt(cv(a, a) * cv(b, b))).toFixed(3)})`;
  }
  console.table(rows);
  console.log(
    `rnew–lnew correlation: true 0.6${drawn}, estimated ${rho.toFixed(3)}; cycles fitted ${fits.cycles.length}, converged ${conv}`,
  );
  const flagged = (code: string) => fits.cycles.filter((c) => c.flags.some((f) => f.code === code)).length;
  console.log(
    `fit flags: reset_incomplete ${flagged('reset_incomplete')}, param_unidentified ${flagged('param_unidentified')}, poor_fit ${flagged('poor_fit')}; estimator exclusions: ${JSON.stringify(est.provenance.exclusions ?? {})}`,
  );
  console.log(
    'other estimated parameters:',
    Object.entries(est.parameters)
      .filter(([n]) => n !== 'rnew' && n !== 'lnew')
      .map(([n, p]) => `${n}: ${p.family} d2d ${p.d2d.spread.toPrecision(3)} ${p.d2d.spreadKind}, c2c ${p.c2c.spread.toPrecision(3)}`)
      .join('; '),
  );
  writeJsonAtomic(join(dir, 'check.json'), {
    toolkitVersion: TOOLKIT_VERSION,
    seed,
    noiseDec,
    devices: nDev,
    cycles: nCyc,
    fitArgs: values['fit-args'],
    rows,
    rho,
    exclusions: est.provenance.exclusions ?? null,
    fitsCycles: fits.cycles.length,
    converged: conv,
  });
}

run().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
