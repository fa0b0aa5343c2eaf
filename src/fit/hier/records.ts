/** The hierarchical fit's result as fits.json records (per cycle, per device) and the population block. */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { PARAM_TABLE, type ParamName } from '../../model/index.js';
import type { GroupFit } from '../group.js';
import { cycleFitsFromGroup } from '../result.js';
import { CIRCUIT_PARAMS, isCircuitParam, type FitSettings } from '../settings.js';
import type { CycleFit, DeviceFit } from '../types.js';
import type { HierResult, DeviceState, HierContext } from './em.js';
import type { HierParamPopulation, HierPopulationBlock } from './format.js';
import { correlationOf, invSym, mul, scale, transpose, type Mat } from './linalg.js';

const Z95 = 1.959964;
/** Cycles above this multiple of the campaign's noise floor are flagged `above_noise_floor`. */
const ABOVE_FLOOR_FACTOR = 3;

function conditionOf(info: Mat): number {
  const n = info.length;
  if (n === 0) return 1;
  const d = info.map((r, i) => Math.sqrt(r[i]) || 1);
  const e = new EigenvalueDecomposition(new Matrix(info.map((r, i) => r.map((x, j) => x / (d[i] * d[j])))), { assumeSymmetric: true });
  const ev = e.realEigenvalues.map((x) => Math.max(x, 0));
  const mx = Math.max(...ev),
    mn = Math.min(...ev);
  return mn > 0 ? Math.sqrt(mx / mn) : Infinity;
}

const round6 = (x: number) => Number(x.toPrecision(6));

/** Chi-square quantile (Wilson–Hilferty). */
function chi2q(nu: number, z: number): number {
  const a = 2 / (9 * nu);
  return nu * Math.max(1e-6, 1 - a + z * Math.sqrt(a)) ** 3;
}
/** 95 % interval of a standard deviation estimated with ν degrees of freedom. */
function sdCi(sd: number, nu: number): [number, number] {
  if (!(nu >= 1)) return [0, Infinity];
  return [round6(sd * Math.sqrt(nu / chi2q(nu, Z95))), round6(sd * Math.sqrt(nu / chi2q(nu, -Z95)))];
}

function spaceInfo(name: string): { space: 'ln' | 'linear'; scale?: number } {
  const c = CIRCUIT_PARAMS.find((x) => x.name === name);
  if (c) return { space: 'ln' };
  const s = PARAM_TABLE.find((p) => p.name === name)!;
  if (s.positive) return { space: 'ln' };
  return { space: 'linear', scale: Math.max(Math.abs(s.default), (s.max - s.min) / 10) || 1 };
}

export function hierRecords(
  ctx: HierContext,
  res: HierResult,
  settings: FitSettings,
  init: Map<string, { cycles: CycleFit[]; device?: DeviceFit }>,
  seconds: number,
): { devices: DeviceFit[]; cycles: CycleFit[]; population: HierPopulationBlock } {
  const { layout, q, p, devNames, cycNames } = ctx;
  const { space } = layout;
  const { pop } = res;
  const toP = (v: ArrayLike<number>, th: ArrayLike<number>) => space.fromU([...Array.from(v), ...Array.from(th)]);
  // interval in u → parameter units (through the same map, so clamped to the bounds)
  const interval = (uVec: number[], k: number, se: number): [number, number] => {
    const lo = [...uVec],
      hi = [...uVec];
    lo[k] -= Z95 * se;
    hi[k] += Z95 * se;
    return [round6(space.fromU(space.clampU(Float64Array.from(lo)))[k]), round6(space.fromU(space.clampU(Float64Array.from(hi)))[k])];
  };
  // a profile-likelihood interval (u ends), widened by the variance the posterior does not hold (the
  // shared constants' own error, the numerical error) the same way the linearised one is
  const profiled = (uVec: number[], k: number, ends: [number, number], extraVar: number): [number, number] => {
    const x = uVec[k];
    const w = Z95 * Z95 * Math.max(0, extraVar);
    const lo = [...uVec],
      hi = [...uVec];
    lo[k] = x - Math.sqrt((x - ends[0]) ** 2 + w);
    hi[k] = x + Math.sqrt((ends[1] - x) ** 2 + w);
    return [round6(space.fromU(space.clampU(Float64Array.from(lo)))[k]), round6(space.fromU(space.clampU(Float64Array.from(hi)))[k])];
  };
  const rmsAll: number[] = [];
  for (const d of res.devices) for (const ev of d.evals) rmsAll.push(ev.rmsLog10);
  const sorted = [...rmsAll].sort((a, b) => a - b);
  const floor = sorted.length ? sorted[Math.floor(0.25 * (sorted.length - 1))] : NaN;
  const sdV = pop.omV.map((r, i) => Math.sqrt(r[i]));
  const sdD = pop.omD.map((r, i) => Math.sqrt(r[i]));
  const sdC = pop.omC.map((r, i) => Math.sqrt(r[i]));
  const cycles: CycleFit[] = [];
  const devices: DeviceFit[] = [];
  for (const d of res.devices) {
    const C = d.cycles.length;
    const idxOf = (c: number) => [...Array.from({ length: q }, (_, i) => i), ...Array.from({ length: p }, (_, i) => q + c * p + i)];
    // flags of the device: far from the population in a direction its data barely constrain
    const deviceFlags: CycleFit['flags'] = [];
    devNames.forEach((n, i) => {
      const z = (d.v[i] - pop.mV[i]) / sdV[i];
      const ratio = Math.sqrt(Math.max(0, d.cov[i][i])) / sdV[i];
      if (Math.abs(z) > 3 && ratio > 0.5 && sdV[i] > res.options.sharedSd)
        deviceFlags.push({
          code: 'far_from_population',
          param: n as ParamName,
          detail: `device value ${z.toFixed(1)} population spreads from the population mean; its own data constrain it to ${(ratio * 100).toFixed(0)} % of the spread`,
        });
    });
    if (p > 0)
      cycNames.forEach((n, i) => {
        const z = (d.a[i] - pop.mA[i]) / sdD[i];
        const ratio = Math.sqrt(Math.max(0, d.covA[i][i])) / sdD[i];
        if (Math.abs(z) > 3 && ratio > 0.5)
          deviceFlags.push({
            code: 'far_from_population',
            param: n,
            detail: `device mean ${z.toFixed(1)} population spreads from the population mean; its own data constrain it to ${(ratio * 100).toFixed(0)} % of the spread`,
          });
      });
    const initRec = init.get(d.id);
    for (let c = 0; c < C; c++) {
      const idx = idxOf(c);
      const cov = idx.map((a) => idx.map((b) => d.cov[a][b]));
      // the uncertainty of the population's device-level mean (a campaign-shared constant's own
      // error) carried into the device's values: ∂v̂/∂mV = Cov_vv ΩV⁻¹, ∂θ̂_c/∂v = −P_cc⁻¹ P_cv
      if (q > 0 && pop.varMV) {
        const covVV = d.cov.slice(0, q).map((r) => r.slice(0, q));
        const G = mul(covVV, invSym(pop.omV));
        const Pcc = idx.slice(q).map((a) => idx.slice(q).map((b) => d.prec[a][b]));
        const Pcv = idx.slice(q).map((a) => idx.slice(0, q).map((b) => d.prec[a][b]));
        const B = p > 0 ? scale(mul(invSym(Pcc), Pcv), -1) : [];
        const Jm = [...G, ...(p > 0 ? mul(B, G) : [])];
        const extra = mul(mul(Jm, pop.varMV), transpose(Jm));
        for (let i = 0; i < cov.length; i++) for (let j = 0; j < cov.length; j++) cov[i][j] += extra[i][j];
      }
      const uVec = [...Array.from(d.v), ...Array.from(d.theta[c])];
      // the numerical error's first-order shift adds to the statistical variance (a bias of unknown size is not removed)
      idx.forEach((a, i) => {
        cov[i][i] += (d.numShift[a] ?? 0) ** 2;
      });
      const seU = Float64Array.from(cov.map((r, i) => Math.sqrt(Math.max(0, r[i]))));
      const dpdu = space.dpdu(Float64Array.from(uVec));
      const seP = Float64Array.from(seU, (s, k) => s * dpdu[k]);
      const values = toP(d.v, d.theta[c]);
      const g: GroupFit = {
        layout,
        values,
        u: Float64Array.from(uVec),
        evals: [d.evals[c]],
        ninits: [d.ninits[c]],
        lm: {
          u: Float64Array.from(uVec),
          residuals: d.evals[c].residuals,
          cost: 0,
          evaluations: d.evaluations,
          iterations: 0,
          converged: res.converged || d.lmConverged,
          stopReason: (res.converged ? 'relative' : d.lmStop) as never,
          errors: [],
          jacobian: [],
          starts: d.starts,
          bestStart: 0,
          totalEvaluations: d.evaluations,
        },
        unc: { seU, correlation: correlationOf(cov), condition: conditionOf(d.infoC[c] ?? []), s2: d.s * d.s },
        seU,
        seP,
      };
      const rec = cycleFitsFromGroup(
        g,
        [d.cycles[c]],
        ctx.base,
        settings,
        'hierarchical' as CycleFit['stage'],
        seconds / Math.max(1, rmsAll.length),
      )[0];
      const ci95: Record<string, [number, number]> = {};
      const ci95Method: Record<string, 'posterior' | 'profile'> = {};
      layout.entries.forEach((e, k) => {
        if (isCircuitParam(e.name)) return;
        const ends = d.profiles.get(idx[k]);
        ci95[e.name] = ends ? profiled(uVec, k, ends, cov[k][k] - d.cov[idx[k]][idx[k]]) : interval(uVec, k, seU[k]);
        ci95Method[e.name] = ends ? 'profile' : 'posterior';
      });
      // a cycle's own deviation from its device mean, far in a direction its data barely constrain
      const flags = [...rec.flags, ...deviceFlags];
      if (p > 0)
        cycNames.forEach((n, i) => {
          const z = (d.theta[c][i] - d.a[i]) / sdC[i];
          const ratio = Math.sqrt(Math.max(0, d.cov[q + c * p + i][q + c * p + i])) / sdC[i];
          if (Math.abs(z) > 3.5 && ratio > 0.5)
            flags.push({
              code: 'far_from_population',
              param: n,
              detail: `cycle value ${z.toFixed(1)} cycle-to-cycle spreads from its device mean, poorly constrained by its data`,
            });
        });
      if (rec.rmsLog10 > ABOVE_FLOOR_FACTOR * floor)
        flags.push({
          code: 'above_noise_floor',
          detail: `RMS ${rec.rmsLog10.toFixed(3)} decades > ${ABOVE_FLOOR_FACTOR} × the campaign's noise floor ${floor.toFixed(3)}`,
        });
      const prevStage = initRec?.cycles.find((x) => x.cycle === d.cycles[c].cycle);
      cycles.push({ ...rec, ci95, ci95Method, flags, ...(prevStage ? {} : {}) });
    }
    // device record
    const params: Record<string, number> = {},
      stderr: Record<string, number> = {},
      ci95: Record<string, [number, number]> = {};
    const ci95Method: Record<string, 'posterior' | 'profile'> = {};
    const circuit: Record<string, number> = {},
      circuitStderr: Record<string, number> = {};
    const shrinkage: Record<string, number> = {};
    const vals = toP(d.v, p > 0 ? d.a : []);
    const uv = [...Array.from(d.v), ...(p > 0 ? d.a : [])];
    const dp = space.dpdu(Float64Array.from(uv.length === q + p ? uv : [...uv, ...new Array<number>(q + p - uv.length).fill(0)]));
    const Gd =
      q > 0 && pop.varMV
        ? mul(
            d.cov.slice(0, q).map((r) => r.slice(0, q)),
            invSym(pop.omV),
          )
        : [];
    const extraV = q > 0 && pop.varMV ? mul(mul(Gd, pop.varMV), transpose(Gd)) : [];
    devNames.forEach((n, i) => {
      const se = Math.sqrt(Math.max(0, d.cov[i][i] + (extraV[i]?.[i] ?? 0) + (d.numShift[i] ?? 0) ** 2));
      const [pv, sv] = isCircuitParam(n) ? [circuit, circuitStderr] : [params, stderr];
      pv[n] = vals[i];
      sv[n] = se * dp[i];
      const ends = d.profiles.get(i);
      if (!isCircuitParam(n)) {
        ci95[n] = ends ? profiled(uv, i, ends, se * se - d.cov[i][i]) : interval(uv, i, se);
        ci95Method[n] = ends ? 'profile' : 'posterior';
      }
      shrinkage[n] = round6(Math.max(0, 1 - d.cov[i][i] / pop.omV[i][i]));
    });
    const cycleMean: Record<string, number> = {},
      cycleMeanCi95: Record<string, [number, number]> = {};
    if (p > 0)
      cycNames.forEach((n, i) => {
        cycleMean[n] = round6(vals[q + i]);
        cycleMeanCi95[n] = interval(uv, q + i, Math.sqrt(Math.max(0, d.covA[i][i])));
        shrinkage[n] = round6(Math.max(0, 1 - d.covA[i][i] / pop.omD[i][i]));
      });
    devices.push({
      device: d.id,
      params,
      stderr,
      fromCycles: d.cycles.map((pc) => pc.cycle),
      ...(Object.keys(circuit).length ? { circuit, circuitStderr } : {}),
      ci95,
      ci95Method,
      cycleMean,
      cycleMeanCi95,
      shrinkage,
    } as DeviceFit);
  }
  // population block
  const D = res.devices.length;
  const nCyc = rmsAll.length;
  const mUV = toP(pop.mV, pop.mA);
  const parameters: Record<string, HierParamPopulation> = {};
  const campaign: string[] = [],
    device: string[] = [];
  const meanCi = (k: number, varMean: number): [number, number] => interval([...pop.mV, ...pop.mA], k, Math.sqrt(Math.max(0, varMean)));
  devNames.forEach((n, i) => {
    const shared = sdV[i] <= res.options.sharedSd;
    (shared ? campaign : device).push(n);
    parameters[n] = {
      ...spaceInfo(n),
      level: shared ? 'campaign' : 'device',
      mean: round6(mUV[i]),
      meanCi95: meanCi(i, pop.varMV ? pop.varMV[i][i] : pop.omV[i][i] / Math.max(1, D) + meanPostVar(res.devices, i, i) / Math.max(1, D)),
      d2dSd: round6(sdV[i]),
      d2dSdCi95: sdCi(sdV[i], D - 1),
    };
  });
  cycNames.forEach((n, i) => {
    parameters[n] = {
      ...spaceInfo(n),
      level: 'cycle',
      mean: round6(mUV[q + i]),
      meanCi95: meanCi(q + i, pop.omD[i][i] / Math.max(1, D)),
      d2dSd: round6(sdD[i]),
      d2dSdCi95: sdCi(sdD[i], D - 1),
      c2cSd: round6(sdC[i]),
      c2cSdCi95: sdCi(sdC[i], nCyc - D),
    };
  });
  const corr = (names: string[], m: Mat) => ({ params: names, matrix: correlationOf(m).map((r) => r.map(round6)) });
  const population: HierPopulationBlock = {
    method: 'laplace-em',
    levels: { campaign, device, cycle: [...cycNames] },
    parameters,
    correlation: { device: corr(devNames, pop.omV), d2d: corr(cycNames, pop.omD), c2c: corr(cycNames, pop.omC) },
    noiseFloorLog10: round6(floor),
    aboveFloorFactor: ABOVE_FLOOR_FACTOR,
    devices: D,
    cycles: nCyc,
    passes: res.passes,
    converged: res.converged,
    seconds: round6(seconds),
  };
  return { devices, cycles, population };
}

/** Mean posterior variance of entry (i, j) of the devices' [v] block. */
function meanPostVar(devs: DeviceState[], i: number, j: number): number {
  return devs.reduce((s, d) => s + d.cov[i][j], 0) / Math.max(1, devs.length);
}
