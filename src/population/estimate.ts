/**
 * fits (jartcal.fits/1) → population (jartcal.population/1).
 * Per varying parameter: REML random-effects decomposition (reml.ts) in the family's space, family
 * chosen by the Anderson–Darling statistic of the device means (normal vs ln space for positive
 * parameters), truncation at the parameter's valid range when the fitted marginal puts more than
 * `truncMass` outside it, bootstrap CIs; then the d2d copula correlation (correlation.ts).
 */
import { createRng } from '../util/rng.js';
import { TOOLKIT_VERSION } from '../version.js';
import type { FitsIn } from './fits.js';
import { PARAM_NAMES, paramInfo, type ParamName } from './params.js';
import { fitRandomEffects, fitRandomEffectsCi, type ReGroup } from './reml.js';
import { betweenCovariance, correlationFrom, repairCorrelation } from './correlation.js';
import { mean, normCdf, normalityTest, quantile } from './stats.js';
import { POPULATION_SCHEMA, type Family, type ParameterSpec, type PopulationFile } from './types.js';

export interface EstimateOptions {
  seed?: number;
  /** parametric bootstrap replicates for the CIs (0 = none). */
  bootstrap?: number;
  /** 'auto' (default): chosen by the data; or force one for all positive parameters. */
  family?: 'auto' | 'normal' | 'lognormal';
  /** probability mass outside the valid range above which a truncated family is used. */
  truncMass?: number;
  /** keep cycles whose fit did not converge. */
  includeUnconverged?: boolean;
  /** use the fits' standard errors as known measurement error (default true); false: fit noise goes into c2c. */
  useStderr?: boolean;
  fitsPaths?: string[];
  datasetPaths?: string[];
  createdAt?: string;
}

export interface ResolvedEstimateOptions { seed: number; bootstrap: number; family: 'auto' | 'normal' | 'lognormal'; truncMass: number; includeUnconverged: boolean; useStderr: boolean }

export function resolveEstimateOptions(o: EstimateOptions = {}): ResolvedEstimateOptions {
  return { seed: o.seed ?? 1, bootstrap: o.bootstrap ?? 200, family: o.family ?? 'auto', truncMass: o.truncMass ?? 1e-3, includeUnconverged: o.includeUnconverged ?? false, useStderr: o.useStderr ?? true };
}

interface Obs { device: string; cycle: number; y: number; se: number }

function groupsIn(obs: Obs[], log: boolean): ReGroup[] {
  const by = new Map<string, ReGroup>();
  for (const o of obs) {
    const z = log ? Math.log(o.y) : o.y;
    const s = log ? o.se / o.y : o.se;
    let g = by.get(o.device);
    if (!g) { g = { z: [], s2: [] }; by.set(o.device, g); }
    g.z.push(z); g.s2.push(Number.isFinite(s) ? s * s : 0);
  }
  return [...by.values()];
}

export function estimatePopulation(fits: FitsIn, options: EstimateOptions = {}): PopulationFile {
  const o = resolveEstimateOptions(options);
  const rng = createRng(o.seed);
  const cycles = fits.cycles.filter((c) => o.includeUnconverged || c.converged);
  // Levels: a parameter in a device record (devices[].params) is device-level (d2d only), even if the
  // device-stage cycles list it as fitted; one fitted per cycle (and in settings.cycleParams, when given)
  // is cycle-level.
  const deviceLevel = new Set<ParamName>();
  for (const d of fits.devices) for (const n of Object.keys(d.params) as ParamName[]) deviceLevel.add(n);
  const allowed = Array.isArray(fits.settings.cycleParams) ? new Set(fits.settings.cycleParams) : null;
  const cycleLevel = new Set<ParamName>();
  for (const c of cycles) for (const n of c.fitted) if (!deviceLevel.has(n) && (!allowed || allowed.has(n))) cycleLevel.add(n);

  const parameters: PopulationFile['parameters'] = {};
  const chosenLog = new Map<ParamName, boolean>();
  const tau2 = new Map<ParamName, number>();
  for (const name of PARAM_NAMES) {
    const level = cycleLevel.has(name) ? 'cycle' : deviceLevel.has(name) ? 'device' : null;
    if (!level) continue;
    const obs: Obs[] = level === 'cycle'
      ? cycles.filter((c) => c.fitted.includes(name) && Number.isFinite(c.params[name])).map((c) => ({ device: c.device, cycle: c.cycle, y: c.params[name] as number, se: c.stderr[name] ?? 0 }))
      : fits.devices.filter((d) => Number.isFinite(d.params[name])).map((d) => ({ device: d.device, cycle: 0, y: d.params[name] as number, se: d.stderr[name] ?? 0 }));
    if (obs.length < 2) continue;
    if (!o.useStderr) for (const x of obs) x.se = 0;
    const info = paramInfo(name);
    const positive = (info?.positive ?? false) || obs.every((x) => x.y > 0);
    const canLog = positive && obs.every((x) => x.y > 0);
    // Family by the data: AD normality of the device means in raw and in ln space.
    const gof: NonNullable<ParameterSpec['diagnostics']>['gof'] = [];
    const test = (log: boolean): number => {
      const means = groupsIn(obs, log).map((g) => mean(g.z));
      const t = normalityTest(means);
      gof.push({ family: log ? 'lognormal' : 'normal', ...t });
      return t.adStatistic;
    };
    const adN = test(false);
    const adL = canLog ? test(true) : Infinity;
    const log = o.family === 'lognormal' ? canLog : o.family === 'normal' ? false : canLog && !(adN < adL);
    chosenLog.set(name, log);
    const groups = groupsIn(obs, log);
    const fit = fitRandomEffectsCi(groups, rng.fork(PARAM_NAMES.indexOf(name)), o.bootstrap);
    tau2.set(name, fit.tau2);
    const tau = Math.sqrt(fit.tau2), sig = Math.sqrt(fit.sigma2);
    // Truncation at the valid range when the fitted marginal spills over it.
    let family: Family = log ? 'lognormal' : 'normal';
    let lower: number | undefined, upper: number | undefined;
    if (info && tau > 0) {
      const lo = log ? (info.min > 0 ? Math.log(info.min) : -Infinity) : info.min;
      const hi = log ? Math.log(info.max) : info.max;
      const out = normCdf((lo - fit.mu) / tau) + 1 - normCdf((hi - fit.mu) / tau);
      if (out > o.truncMass) { family = log ? 'trunclognormal' : 'truncnormal'; lower = info.min; upper = info.max; }
    }
    const kind = log ? 'ln' : 'absolute';
    const note = [
      fit.c2cIdentified ? '' : 'one observation per device: c2c not identifiable, reported as 0',
      obs.every((x) => x.se === 0) ? 'no standard errors in the fits: measurement error assumed 0' : '',
    ].filter(Boolean).join('; ');
    parameters[name] = {
      family,
      d2d: { center: clampTo(info, log ? Math.exp(fit.mu) : fit.mu), spread: tau, spreadKind: kind, ...(lower !== undefined ? { lower, upper } : {}), ...(fit.tauCi ? { ci: fit.tauCi } : {}) },
      c2c: { spread: sig, spreadKind: kind, ...(fit.sigmaCi ? { ci: fit.sigmaCi } : {}) },
      diagnostics: {
        nDevices: fit.nGroups, nCycles: fit.nObs, level, gof,
        meanStderrTransformed: Math.sqrt(mean(groups.flatMap((g) => g.s2))),
        ...(note ? { note } : {}),
      },
    };
  }

  // d2d correlation among parameters with a d2d spread.
  const corrParams = PARAM_NAMES.filter((n) => parameters[n] && (tau2.get(n) ?? 0) > 0);
  const correlation = estimateCorrelation(fits, cycles, corrParams, chosenLog, tau2, cycleLevel);

  // Fixed parameters: median over the cycles' resolved sets (or the devices' shared values).
  const base: PopulationFile['base'] = {};
  for (const n of PARAM_NAMES) {
    if (parameters[n]) continue;
    const vals = cycles.map((c) => c.params[n]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const dv = fits.devices.map((d) => d.params[n]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const src = vals.length ? vals : dv;
    if (src.length) base[n] = quantile(src, 0.5);
  }
  // Ninit tied to a varying Ndiscmin (the default Ninit = Ndiscmin): leave it out so each device starts at its own Ndiscmin.
  if (parameters.Ndiscmin && base.Ninit !== undefined) {
    const tied = cycles.filter((c) => c.params.Ninit !== undefined && c.params.Ninit === c.params.Ndiscmin).length;
    if (tied >= 0.9 * cycles.length) delete base.Ninit;
  }
  const datasets = options.datasetPaths ?? (fits.dataset ? [fits.dataset] : []);
  return {
    schema: POPULATION_SCHEMA, toolkitVersion: TOOLKIT_VERSION, createdAt: options.createdAt ?? new Date().toISOString(), seed: o.seed,
    provenance: {
      fits: options.fitsPaths ?? [], datasets, fitSettings: fits.settings,
      method: `REML random effects ${o.useStderr ? 'with known fit standard errors' : 'ignoring the fit standard errors (fit noise counted as c2c)'}; family by Anderson-Darling on device means; ${o.bootstrap}-replicate parametric bootstrap CIs (95 %, percentile); Gaussian copula, moment estimator of the between-device covariance`,
    },
    base, parameters, correlation,
  };
}

/** Rounding (exp of a mean of logs) can step a hair outside the valid range: clamp into it. */
function clampTo(info: { min: number; max: number } | undefined, x: number): number {
  return info ? Math.min(info.max, Math.max(info.min, x)) : x;
}

function estimateCorrelation(fits: FitsIn, cycles: FitsIn['cycles'], names: ParamName[], log: Map<ParamName, boolean>, tau2: Map<ParamName, number>, cycleLevel: Set<ParamName>): PopulationFile['correlation'] {
  if (names.length < 2) return { params: names, matrix: names.map(() => [1]), method: 'moment' };
  const devParams = new Map(fits.devices.map((d) => [d.device, d.params] as const));
  const byDev = new Map<string, number[][]>();
  const tf = (n: ParamName, v: number | undefined): number => (v === undefined ? NaN : log.get(n) ? Math.log(v) : v);
  const anyCycle = names.some((n) => cycleLevel.has(n));
  const rowsSrc = anyCycle ? cycles.map((c) => ({ device: c.device, params: { ...devParams.get(c.device), ...c.params } })) : fits.devices;
  for (const r of rowsSrc) {
    const vec = names.map((n) => tf(n, r.params[n]));
    if (vec.some((x) => !Number.isFinite(x))) continue;
    let arr = byDev.get(r.device);
    if (!arr) { arr = []; byDev.set(r.device, arr); }
    arr.push(vec);
  }
  const cov = betweenCovariance([...byDev.values()], names.length);
  const raw = correlationFrom(cov, names.map((n) => tau2.get(n) ?? 0));
  const rep = repairCorrelation(raw);
  return { params: names, matrix: rep.matrix, repaired: rep.repaired, minEigenvalueBefore: rep.minEigenvalueBefore, method: 'moment (MANOVA) covariance / REML variances, eigenvalue-clipping repair' };
}

/** Re-fit helper for tests and the check script: the bare REML decomposition of one parameter's groups. */
export { fitRandomEffects };
