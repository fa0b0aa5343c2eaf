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
import { betweenCovariance, correlationFrom, repairCorrelation, selectionCorrectedCovariance } from './correlation.js';
import { mean, normCdf, normalityTest, quantile, variance } from './stats.js';
import { isUnidentified, screenOutliers, selectionShift } from './screen.js';
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
  /** use per-cycle values the fit flagged `param_unidentified` (default false: treated as missing). */
  includeUnidentified?: boolean;
  /** within-device outlier screen (screen.ts): |deviation| > outlierZ × scale excludes a cycle's value (default 5; 0 = off). */
  outlierZ?: number;
  /** Pearson–Lawley correction of the d2d spread and correlation for the exclusion of unidentified values (default true). */
  selectionCorrection?: boolean;
  /** Take the centres and spreads from the fit's hierarchical population block when fits.json has one (default true). */
  useFitPopulation?: boolean;
  fitsPaths?: string[];
  datasetPaths?: string[];
  createdAt?: string;
}

export interface ResolvedEstimateOptions {
  seed: number;
  bootstrap: number;
  family: 'auto' | 'normal' | 'lognormal';
  truncMass: number;
  includeUnconverged: boolean;
  useStderr: boolean;
  includeUnidentified: boolean;
  outlierZ: number;
  selectionCorrection: boolean;
  useFitPopulation: boolean;
}

export function resolveEstimateOptions(o: EstimateOptions = {}): ResolvedEstimateOptions {
  return {
    seed: o.seed ?? 1,
    bootstrap: o.bootstrap ?? 200,
    family: o.family ?? 'auto',
    truncMass: o.truncMass ?? 1e-3,
    includeUnconverged: o.includeUnconverged ?? false,
    useStderr: o.useStderr ?? true,
    includeUnidentified: o.includeUnidentified ?? false,
    outlierZ: o.outlierZ ?? 5,
    selectionCorrection: o.selectionCorrection ?? true,
    useFitPopulation: o.useFitPopulation ?? true,
  };
}

interface Obs {
  device: string;
  cycle: number;
  y: number;
  se: number;
}

function groupsIn(obs: Obs[], log: boolean): ReGroup[] {
  const by = new Map<string, ReGroup>();
  for (const o of obs) {
    const z = log ? Math.log(o.y) : o.y;
    const s = log ? o.se / o.y : o.se;
    let g = by.get(o.device);
    if (!g) {
      g = { z: [], s2: [] };
      by.set(o.device, g);
    }
    g.z.push(z);
    g.s2.push(Number.isFinite(s) ? s * s : 0);
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
  const mus = new Map<ParamName, number>();
  const sigma2s = new Map<ParamName, number>();
  /** per parameter: the cycles whose value is not used (device#cycle), and why. */
  const dropped = new Map<ParamName, Map<string, 'unidentified' | 'outlier'>>();
  const key = (c: { device: string; cycle: number }): string => `${c.device}#${c.cycle}`;
  for (const name of PARAM_NAMES) {
    const level = cycleLevel.has(name) ? 'cycle' : deviceLevel.has(name) ? 'device' : null;
    if (!level) continue;
    const drop = new Map<string, 'unidentified' | 'outlier'>();
    dropped.set(name, drop);
    const withValue = cycles.filter((c) => c.fitted.includes(name) && Number.isFinite(c.params[name]));
    // A value the fit says its data do not determine (no HRS in the cycle, fit stage identify.ts) is missing.
    if (level === 'cycle' && !o.includeUnidentified)
      for (const c of withValue) if (isUnidentified(c.flags, name)) drop.set(key(c), 'unidentified');
    let obs: Obs[] =
      level === 'cycle'
        ? withValue
            .filter((c) => !drop.has(key(c)))
            .map((c) => ({ device: c.device, cycle: c.cycle, y: c.params[name] as number, se: c.stderr[name] ?? 0 }))
        : fits.devices
            .filter((d) => Number.isFinite(d.params[name]))
            .map((d) => ({ device: d.device, cycle: 0, y: d.params[name] as number, se: d.stderr[name] ?? 0 }));
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
    // Within-device outliers (a fit that went wrong but states a small error): screened in the family's space.
    if (level === 'cycle' && o.outlierZ > 0) {
      const out = screenOutliers(
        obs.map((x) => ({ device: x.device, z: log ? Math.log(x.y) : x.y, s2: (log ? x.se / x.y : x.se) ** 2 })),
        o.outlierZ,
      );
      if (out.size > 0) {
        obs.forEach((x, k) => {
          if (out.has(k)) drop.set(key(x), 'outlier');
        });
        obs = obs.filter((_x, k) => !out.has(k));
      }
    }
    const groups = groupsIn(obs, log);
    const fit = fitRandomEffectsCi(groups, rng.fork(PARAM_NAMES.indexOf(name)), o.bootstrap);
    tau2.set(name, fit.tau2);
    mus.set(name, fit.mu);
    sigma2s.set(name, fit.sigma2);
    // The fit's hierarchical population block (fits /2): its centre and spreads were estimated with the
    // individual values (not from shrunk estimates afterwards), so they replace the two-stage REML ones
    // in the same space; the REML figures stay in the diagnostics.
    const hp = o.useFitPopulation ? fits.population?.parameters[name] : undefined;
    let fromFit = '';
    if (hp && (hp.space === 'ln') === log) {
      const k = hp.space === 'linear' ? (hp.scale ?? 1) : 1;
      const reml = `two-stage REML: centre ${(log ? Math.exp(fit.mu) : fit.mu).toPrecision(4)}, d2d ${Math.sqrt(fit.tau2).toPrecision(3)}, c2c ${Math.sqrt(fit.sigma2).toPrecision(3)}`;
      fit.mu = log ? Math.log(hp.mean) : hp.mean;
      fit.tau2 = (hp.d2dSd * k) ** 2;
      fit.tauCi = [hp.d2dSdCi95[0] * k, hp.d2dSdCi95[1] * k];
      if (level === 'cycle' && hp.c2cSd !== undefined) {
        fit.sigma2 = (hp.c2cSd * k) ** 2;
        if (hp.c2cSdCi95) fit.sigmaCi = [hp.c2cSdCi95[0] * k, hp.c2cSdCi95[1] * k];
      }
      tau2.set(name, fit.tau2);
      mus.set(name, fit.mu);
      sigma2s.set(name, fit.sigma2);
      fromFit = `centre and spreads from the fit's hierarchical population block (${hp.level}-level; ${reml})`;
    }
    const tau = Math.sqrt(fit.tau2),
      sig = Math.sqrt(fit.sigma2);
    // Truncation at the valid range when the fitted marginal spills over it.
    let family: Family = log ? 'lognormal' : 'normal';
    let lower: number | undefined, upper: number | undefined;
    if (spillsOver(info, log, fit.mu, tau, o.truncMass)) {
      family = log ? 'trunclognormal' : 'truncnormal';
      lower = info!.min;
      upper = info!.max;
    }
    const kind = log ? 'ln' : 'absolute';
    const nUnid = [...drop.values()].filter((w) => w === 'unidentified').length,
      nOut = drop.size - nUnid;
    const devicesWith = new Set(obs.map((x) => x.device));
    const devicesLost = new Set(withValue.map((c) => c.device).filter((d) => !devicesWith.has(d))).size;
    const note = [
      nUnid ? `${nUnid} cycle value(s) flagged param_unidentified by the fit not used` : '',
      nOut ? `${nOut} within-device outlier(s) (> ${o.outlierZ} × scale) not used` : '',
      devicesLost ? `${devicesLost} device(s) left without a value` : '',
      fit.c2cIdentified ? '' : 'one observation per device: c2c not identifiable, reported as 0',
      obs.every((x) => x.se === 0) ? 'no standard errors in the fits: measurement error assumed 0' : '',
      fromFit,
    ]
      .filter(Boolean)
      .join('; ');
    parameters[name] = {
      family,
      d2d: {
        center: clampTo(info, log ? Math.exp(fit.mu) : fit.mu),
        spread: tau,
        spreadKind: kind,
        ...(lower !== undefined ? { lower, upper } : {}),
        ...(fit.tauCi ? { ci: fit.tauCi } : {}),
      },
      c2c: { spread: sig, spreadKind: kind, ...(fit.sigmaCi ? { ci: fit.sigmaCi } : {}) },
      diagnostics: {
        nDevices: fit.nGroups,
        nCycles: fit.nObs,
        level,
        gof,
        meanStderrTransformed: Math.sqrt(mean(groups.flatMap((g) => g.s2))),
        ...(drop.size > 0 ? { excluded: { unidentified: nUnid, outliers: nOut, devicesLost } } : {}),
        ...(note ? { note } : {}),
      },
    };
  }

  // d2d correlation among parameters with a d2d spread.
  const corrParams = PARAM_NAMES.filter((n) => parameters[n] && (tau2.get(n) ?? 0) > 0);
  const informative = (c: FitsIn['cycles'][number], n: ParamName): boolean => {
    // a cycle whose fit error exceeds the population's whole spread says nothing about where its device sits
    const v = c.params[n],
      se = c.stderr[n];
    if (v === undefined || se === undefined || !o.useStderr) return true;
    const s = chosenLog.get(n) ? se / v : se;
    return s * s <= (tau2.get(n) ?? 0) + (sigma2s.get(n) ?? 0);
  };
  const usable = (c: FitsIn['cycles'][number], n: ParamName): boolean =>
    !dropped.get(n)?.has(key(c)) && (!cycleLevel.has(n) || informative(c, n));
  // Selection correction: parameters some of whose values were unidentified (y) on those with all values (x).
  const unidOf = (n: ParamName): number => [...(dropped.get(n)?.values() ?? [])].filter((w) => w === 'unidentified').length;
  const selY = corrParams.filter((n) => unidOf(n) > 0),
    selX = corrParams.filter((n) => unidOf(n) === 0);
  const selection = o.selectionCorrection && selY.length && selX.length ? { x: selX, y: selY } : null;
  const { correlation, d2dFactor } = estimateCorrelation(
    fits,
    cycles,
    corrParams,
    chosenLog,
    tau2,
    cycleLevel,
    usable,
    o.useStderr,
    selection,
  );
  for (const [n, f] of d2dFactor) {
    const spec = parameters[n];
    if (!spec || !(f > 0)) continue;
    const k = Math.sqrt(f);
    spec.d2d.spread *= k;
    if (spec.d2d.ci) spec.d2d.ci = [spec.d2d.ci[0] * k, spec.d2d.ci[1] * k];
    tau2.set(n, (tau2.get(n) ?? 0) * f);
    if (spec.diagnostics?.excluded)
      spec.diagnostics.excluded.selectionCorrection = { d2dSpreadFactor: Math.round(k * 1e4) / 1e4, on: selX };
    // the wider marginal may now spill over the valid range
    const info = paramInfo(n),
      log = chosenLog.get(n) ?? false;
    if (
      (spec.family === 'normal' || spec.family === 'lognormal') &&
      spillsOver(info, log, mus.get(n) ?? NaN, spec.d2d.spread, o.truncMass)
    ) {
      spec.family = log ? 'trunclognormal' : 'truncnormal';
      spec.d2d.lower = info!.min;
      spec.d2d.upper = info!.max;
    }
  }
  // Selection by the exclusions: where the dropped cycles sit in the other parameters' d2d distributions.
  for (const [n, drop] of dropped) {
    const spec = parameters[n];
    if (!spec?.diagnostics?.excluded || drop.size === 0) continue;
    const shifts = selectionShift(
      cycles.filter((c) => drop.has(key(c))),
      [...cycleLevel].filter((q) => q !== n && parameters[q]),
      chosenLog,
      mus,
      tau2,
    );
    if (shifts.length) spec.diagnostics.excluded.selection = shifts;
  }
  const exclusions = Object.fromEntries(
    [...dropped].filter(([n, d]) => d.size > 0 && parameters[n]).map(([n]) => [n, parameters[n]!.diagnostics!.excluded!]),
  );

  // Fixed parameters: median over the cycles' resolved sets (or the devices' shared values).
  const base: PopulationFile['base'] = {};
  for (const n of PARAM_NAMES) {
    if (parameters[n]) continue;
    // values the fit flagged unidentified only when there is nothing else
    const fin = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);
    const ident = cycles
      .filter((c) => !isUnidentified(c.flags, n))
      .map((c) => c.params[n])
      .filter(fin);
    const vals = ident.length ? ident : cycles.map((c) => c.params[n]).filter(fin);
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
  // the fitted external series resistance of each device (a fit with seriesOhm free): lognormal over devices
  const rs = fits.devices.map((d) => d.circuit?.seriesOhm).filter((r): r is number => r !== undefined && Number.isFinite(r));
  let circuit: PopulationFile['circuit'];
  if (rs.length) {
    const r1 = rs.map((r) => Math.max(r, 1)); // 0 Ω (no resistor found) counts as 1 Ω on the log scale
    circuit = {
      seriesOhm: {
        family: 'lognormal',
        center: quantile(r1, 0.5),
        spread: Math.sqrt(variance(r1.map(Math.log))),
        spreadKind: 'ln',
        n: rs.length,
      },
    };
  }
  return {
    schema: POPULATION_SCHEMA,
    toolkitVersion: TOOLKIT_VERSION,
    createdAt: options.createdAt ?? new Date().toISOString(),
    seed: o.seed,
    provenance: {
      fits: options.fitsPaths ?? [],
      datasets,
      fitSettings: fits.settings,
      ...(Object.keys(exclusions).length ? { exclusions } : {}),
      method: `REML random effects ${o.useStderr ? 'with known fit standard errors' : 'ignoring the fit standard errors (fit noise counted as c2c)'}; family by Anderson-Darling on device means; ${o.bootstrap}-replicate parametric bootstrap CIs (95 %, percentile); Gaussian copula, moment estimator of the between-device covariance`,
    },
    base,
    parameters,
    correlation,
    ...(circuit ? { circuit } : {}),
  };
}

/** True when a normal (in the family's space) marginal at (mu, tau) puts more than `mass` outside the valid range. */
function spillsOver(info: { min: number; max: number } | undefined, log: boolean, mu: number, tau: number, mass: number): boolean {
  if (!info || !(tau > 0) || !Number.isFinite(mu)) return false;
  const lo = log ? (info.min > 0 ? Math.log(info.min) : -Infinity) : info.min;
  const hi = log ? Math.log(info.max) : info.max;
  return normCdf((lo - mu) / tau) + 1 - normCdf((hi - mu) / tau) > mass;
}

/** Rounding (exp of a mean of logs) can step a hair outside the valid range: clamp into it. */
function clampTo(info: { min: number; max: number } | undefined, x: number): number {
  return info ? Math.min(info.max, Math.max(info.min, x)) : x;
}

interface CorrRow {
  device: string;
  z: number[];
  s2: number[];
}

function groupRows(rows: CorrRow[]): CorrRow[][] {
  const by = new Map<string, CorrRow[]>();
  for (const r of rows) (by.get(r.device) ?? by.set(r.device, []).get(r.device)!).push(r);
  return [...by.values()];
}

interface CorrelationResult {
  correlation: PopulationFile['correlation'];
  d2dFactor: Map<ParamName, number>;
}

/**
 * The d2d correlation of `names` (moment covariance of the usable cycles, REML variances on the
 * diagonal). `selection` (x: parameters with every value used, y: parameters some of whose values were
 * left out as unidentified): the Pearson–Lawley correction (correlation.ts) for the devices and cycles the
 * exclusion removed, assuming the exclusion depends on the x parameters only; `d2dFactor` then holds the
 * corrected/selected ratio of each y's d2d variance.
 */
function estimateCorrelation(
  fits: FitsIn,
  cycles: FitsIn['cycles'],
  names: ParamName[],
  log: Map<ParamName, boolean>,
  tau2: Map<ParamName, number>,
  cycleLevel: Set<ParamName>,
  usable: (c: FitsIn['cycles'][number], n: ParamName) => boolean,
  useStderr: boolean,
  selection: { x: ParamName[]; y: ParamName[] } | null,
): CorrelationResult {
  const d2dFactor = new Map<ParamName, number>();
  if (names.length < 2) return { correlation: { params: names, matrix: names.map(() => [1]), method: 'moment' }, d2dFactor };
  const devRec = new Map(fits.devices.map((d) => [d.device, d] as const));
  const anyCycle = names.some((n) => cycleLevel.has(n));
  const rowsOf = (ns: ParamName[]): CorrRow[] => {
    // a cycle's value that is not used for its parameter (unidentified, outlier, less precise than the population spread) leaves the row out
    const src = anyCycle
      ? cycles
          .filter((c) => ns.every((n) => !cycleLevel.has(n) || usable(c, n)))
          .map((c) => {
            const d = devRec.get(c.device);
            return { device: c.device, params: { ...d?.params, ...c.params }, stderr: { ...d?.stderr, ...c.stderr } };
          })
      : fits.devices;
    const out: CorrRow[] = [];
    for (const r of src) {
      const z = ns.map((n) => {
        const v = r.params[n];
        return v === undefined ? NaN : log.get(n) ? Math.log(v) : v;
      });
      if (z.some((x) => !Number.isFinite(x))) continue;
      const s2 = ns.map((n) => {
        const v = r.params[n] as number,
          se = useStderr ? (r.stderr[n] ?? 0) : 0;
        const s = log.get(n) ? se / v : se;
        return Number.isFinite(s) ? s * s : 0;
      });
      out.push({ device: r.device, z, s2 });
    }
    return out;
  };
  const rows = rowsOf(names);
  const grouped = groupRows(rows);
  const cov = betweenCovariance(
    grouped.map((g) => g.map((r) => r.z)),
    names.length,
  );
  let raw = correlationFrom(
    cov,
    names.map((n) => tau2.get(n) ?? 0),
  );
  let corrected = false;
  if (selection && selection.x.length > 0 && selection.y.length > 0) {
    const x = selection.x.map((n) => names.indexOf(n)),
      y = selection.y.map((n) => names.indexOf(n));
    // S: the selected rows' covariance, REML variances of the same rows on the diagonal
    const S = cov.map((r, a) =>
      r.map((v, b) => (a === b ? fitRandomEffects(grouped.map((g) => ({ z: g.map((q) => q.z[a]), s2: g.map((q) => q.s2[a]) }))).tau2 : v)),
    );
    // Σ_xx: the x parameters over all their usable rows, the REML variances on the diagonal
    const rowsX = rowsOf(selection.x);
    const covX = betweenCovariance(
      groupRows(rowsX).map((g) => g.map((r) => r.z)),
      selection.x.length,
    );
    const fullXX = covX.map((r, a) => r.map((v, b) => (a === b ? (tau2.get(selection.x[a]) ?? 0) : v)));
    const sigma = S.every((r, a) => r[a] > 0) ? selectionCorrectedCovariance(S, fullXX, x, y) : null;
    if (sigma) {
      raw = sigma.map((r, a) => r.map((v, b) => (a === b ? 1 : Math.max(-1, Math.min(1, v / Math.sqrt(sigma[a][a] * sigma[b][b]))))));
      for (const yi of y) d2dFactor.set(names[yi], sigma[yi][yi] / S[yi][yi]);
      corrected = true;
    }
  }
  const rep = repairCorrelation(raw);
  return {
    correlation: {
      params: names,
      matrix: rep.matrix,
      repaired: rep.repaired,
      minEigenvalueBefore: rep.minEigenvalueBefore,
      method:
        'moment (MANOVA) covariance / REML variances, eigenvalue-clipping repair; cycles whose value is unidentified, an outlier or less precise than the population spread (se² > τ² + σ²) left out' +
        (corrected ? `; Pearson–Lawley selection correction of ${selection!.y.join(', ')} on ${selection!.x.join(', ')}` : ''),
      ...(corrected ? { selectionCorrected: { y: selection!.y, x: selection!.x } } : {}),
    },
    d2dFactor,
  };
}

/** Re-fit helper for tests and the check script: the bare REML decomposition of one parameter's groups. */
