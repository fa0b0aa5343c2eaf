/**
 * The hierarchical fit as jobs. Each outer pass's device fits — the E-step and Laplace posterior of
 * one device under the current population prior — are independent of each other: they are jobs a
 * FitScheduler runs anywhere (this thread, worker threads, queue workers). The population update
 * (M-step) runs in the driver between passes, and results are combined in the devices' fixed order.
 *
 * A job and its result are plain JSON: the device's measured cycles, its state and the population
 * as little-endian float64 in base64, so NaN, ±Infinity and −0 cross any transport (structured
 * clone, Redis) bit for bit. Every scheduler runs the same `runHierStep` on the same data, so the
 * fit does not depend on where its jobs ran, how many ran at once, or the order they finished in.
 */
import { resolveParams } from '../../model/index.js';
import { median } from '../../util/stats.js';
import { prepareCycle, type FitCycleInput, type PreparedCycle } from '../cycle-data.js';
import type { FitSettings } from '../settings.js';
import {
  createContext,
  emptyState,
  eStep,
  initialPopulation,
  initScale,
  mStep,
  posterior,
  profileIntervals,
  runChain,
  startState,
  type DeviceState,
  type HierContext,
  type HierOptions,
  type HierResult,
  type Population,
} from './em.js';
import type { Mat } from './linalg.js';

/** float64 values as base64 (exact, NaN/±Infinity/−0 included). */
export type F64 = string;

function f64(x: ArrayLike<number>): F64 {
  const a = Float64Array.from(x);
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}
function unf64(s: F64): Float64Array {
  const b = Buffer.from(s, 'base64');
  if (b.byteLength % 8 !== 0) throw new Error('hierarchical step: a float64 field of a length not a multiple of 8 bytes');
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}
const mat = (m: Mat): F64[] => m.map(f64);
const unmat = (m: F64[]): Mat => m.map((r) => Array.from(unf64(r)));

/** A device's state between passes: what the next step starts from and what the M-step and the records read. */
export interface HierWireState {
  v: F64;
  theta: F64[];
  /** s, evaluations, lastMove, starts, dataCost, nData */
  scalars: F64;
  lmConverged: boolean;
  lmStop: string;
  a: F64;
  covA: F64[];
  covThetaA: F64[][];
  cov: F64[];
  prec: F64[];
  numShift: F64;
  infoC: F64[][];
  /** Profile-likelihood interval ends in u, as (coordinate, low, high) triples. */
  profiles: F64;
}

export interface HierWirePopulation {
  mV: F64;
  omV: F64[];
  varMV: F64[] | null;
  mA: F64;
  omD: F64[];
  omC: F64[];
}

/**
 * One step of one device: `init` (its residual scale at the start values), `estep` (E-step under
 * the population prior, then its posterior) or `posterior` (the posterior under the final population).
 */
export interface HierStepJob {
  step: 'init' | 'estep' | 'posterior';
  device: {
    id: string;
    cycles: FitCycleInput[];
    /** rms (log10) of each cycle in the device's start fit (the statistical weights of the switching voltages); null: none. */
    startRms: (number | null)[];
  };
  state: HierWireState;
  /** The current population prior (absent for `init`). */
  pop: HierWirePopulation | null;
  options: HierOptions;
  firstPass: boolean;
  /** The device fits well above the campaign's noise (more starts). */
  poor: boolean;
  /** Device-level values and cycle-level medians of the campaign's well-fitted devices (starts of a poor device). */
  donors: { v: F64; a: F64; theta?: F64[] }[];
  /** The device fits above the campaign's typical noise (compensating and own-median starts). */
  above: boolean;
}

export type HierStepResult = HierWireState;

/** Runs a batch of steps wherever the scheduler runs jobs; results in the jobs' order. */
export type HierExecutor = (jobs: HierStepJob[]) => Promise<HierStepResult[]>;

export function stateToWire(d: DeviceState): HierWireState {
  return {
    v: f64(d.v),
    theta: d.theta.map(f64),
    scalars: f64([d.s, d.evaluations, d.lastMove, d.starts, d.dataCost, d.nData]),
    lmConverged: d.lmConverged,
    lmStop: d.lmStop,
    a: f64(d.a),
    covA: mat(d.covA),
    covThetaA: d.covThetaA.map(mat),
    cov: mat(d.cov),
    prec: mat(d.prec),
    numShift: f64(d.numShift),
    infoC: d.infoC.map(mat),
    profiles: f64([...d.profiles].flatMap(([k, [lo, hi]]) => [k, lo, hi])),
  };
}

export function applyWire(d: DeviceState, w: HierWireState): void {
  d.v = unf64(w.v);
  d.theta = w.theta.map(unf64);
  const [s, evaluations, lastMove, starts, dataCost, nData] = unf64(w.scalars);
  Object.assign(d, { s, evaluations, lastMove, starts, dataCost, nData, lmConverged: w.lmConverged, lmStop: w.lmStop });
  d.a = Array.from(unf64(w.a));
  d.covA = unmat(w.covA);
  d.covThetaA = w.covThetaA.map(unmat);
  d.cov = unmat(w.cov);
  d.prec = unmat(w.prec);
  d.numShift = Array.from(unf64(w.numShift));
  d.infoC = w.infoC.map(unmat);
  const pr = unf64(w.profiles);
  d.profiles = new Map();
  for (let i = 0; i + 2 < pr.length; i += 3) d.profiles.set(pr[i], [pr[i + 1], pr[i + 2]]);
}

const popToWire = (p: Population): HierWirePopulation => ({
  mV: f64(p.mV),
  omV: mat(p.omV),
  varMV: p.varMV ? mat(p.varMV) : null,
  mA: f64(p.mA),
  omD: mat(p.omD),
  omC: mat(p.omC),
});
const popFromWire = (w: HierWirePopulation): Population => ({
  mV: Array.from(unf64(w.mV)),
  omV: unmat(w.omV),
  ...(w.varMV ? { varMV: unmat(w.varMV) } : {}),
  mA: Array.from(unf64(w.mA)),
  omD: unmat(w.omD),
  omC: unmat(w.omC),
});

/**
 * A device's cycles as the hierarchical objective sees them: with `settings.statWeights`, plain
 * residuals and the switching voltages weighted by their quantisation error in units of the
 * start fit's sample residuals (the objective of the fit's second phase, group.ts).
 */
export function prepareHierCycles(cycles: FitCycleInput[], startRms: (number | null)[], settings: FitSettings): PreparedCycle[] {
  return cycles.map((input, k) => {
    const pc = prepareCycle(input, settings.objective);
    if (!settings.statWeights) return pc;
    const sigmaS = Math.max(startRms[k] ?? 0.005, 0.005);
    return { ...pc, plainResiduals: true, vSigmaV: Math.max(pc.vSigmaV, pc.stepV / Math.sqrt(12) / sigmaS) };
  });
}

const contexts = new Map<string, HierContext>();
/** The fit's context for `settings` (kept: a worker runs many steps of the same fit). */
export function hierContext(settings: FitSettings): HierContext {
  const key = JSON.stringify(settings);
  let ctx = contexts.get(key);
  if (!ctx) {
    if (contexts.size > 8) contexts.clear();
    ctx = createContext(settings, resolveParams(settings.fixed as Record<string, unknown>));
    contexts.set(key, ctx);
  }
  return ctx;
}

/** Runs one step (in whatever thread or process holds the job); depends only on the job and the settings. */
export function runHierStep(job: HierStepJob, settings: FitSettings): HierStepResult {
  const ctx = hierContext(settings);
  const cycles = prepareHierCycles(job.device.cycles, job.device.startRms, settings);
  const dev = emptyState(job.device.id, cycles);
  applyWire(dev, job.state);
  if (dev.theta.length !== cycles.length)
    throw new Error(`device ${job.device.id}: ${dev.theta.length} cycle states for ${cycles.length} cycles`);
  if (job.step === 'init') initScale(ctx, dev);
  else {
    if (!job.pop) throw new Error(`device ${job.device.id}: a ${job.step} step needs the population prior`);
    const pop = popFromWire(job.pop);
    if (job.step === 'estep')
      eStep(
        ctx,
        dev,
        pop,
        job.options,
        job.firstPass,
        job.poor,
        job.donors.map((x) => ({ v: unf64(x.v), a: unf64(x.a), ...(x.theta ? { theta: x.theta.map(unf64) } : {}) })),
        job.above,
      );
    else runChain(ctx, dev);
    posterior(ctx, dev, pop, job.options);
    // the records' intervals under the final population: profile-likelihood ends where the linearisation misleads
    if (job.step === 'posterior' && job.options.profile) profileIntervals(ctx, dev, pop);
  }
  return stateToWire(dev);
}

/** Runs the steps one after the other in this thread. */
export const inlineHierExecutor =
  (settings: FitSettings): HierExecutor =>
  async (jobs) => {
    const out: HierStepResult[] = [];
    for (const j of jobs) {
      out.push(runHierStep(j, settings));
      await new Promise((r) => setImmediate(r));
    }
    return out;
  };

export interface HierDriverDevice {
  id: string;
  cycles: FitCycleInput[];
  startRms: (number | null)[];
  prepared: PreparedCycle[];
  start: { device: Record<string, number>; cycles: Record<string, number>[] };
}

/**
 * The EM driver: the start scales, then per pass the E-steps of every device as one batch of jobs
 * and the M-step here, until the population settles; last, the posteriors under the final
 * population. `onPass` reports progress.
 */
export async function runEm(
  ctx: HierContext,
  devices: HierDriverDevice[],
  opt: HierOptions,
  exec: HierExecutor,
  onPass?: (pass: number, info: { maxMeanMove: number; maxSdMove: number }) => void,
): Promise<HierResult> {
  const devs = devices.map((d) => startState(ctx, { id: d.id, cycles: d.prepared, start: d.start }));
  const job = (k: number, step: HierStepJob['step'], pop: Population | null, extra: Partial<HierStepJob> = {}): HierStepJob => ({
    step,
    device: { id: devices[k].id, cycles: devices[k].cycles, startRms: devices[k].startRms },
    state: stateToWire(devs[k]),
    pop: pop ? popToWire(pop) : null,
    options: opt,
    firstPass: false,
    poor: false,
    donors: [],
    above: false,
    ...extra,
  });
  const apply = (res: HierStepResult[]) => {
    if (res.length !== devs.length) throw new Error(`hierarchical fit: ${res.length} step results for ${devs.length} devices`);
    res.forEach((w, k) => applyWire(devs[k], w));
  };
  apply(await exec(devs.map((_, k) => job(k, 'init', null))));
  let pop = initialPopulation(devs, ctx.q, ctx.p, opt);
  const history: HierResult['history'] = [];
  let converged = false;
  let pass = 0;
  const sds = (P: Population) => [
    ...P.omV.map((r, i) => Math.sqrt(r[i])),
    ...P.omD.map((r, i) => Math.sqrt(r[i])),
    ...P.omC.map((r, i) => Math.sqrt(r[i])),
  ];
  while (pass < opt.maxPasses) {
    const t0 = performance.now();
    pass++;
    const sMed = median(devs.map((d) => d.s));
    const donors = devs
      .filter((d) => d.s <= 1.3 * sMed)
      .map((d) => ({
        id: d.id,
        v: f64(d.v),
        a: f64(Float64Array.from(d.theta[0], (_, i) => median(d.theta.map((t) => t[i])))),
        theta: d.theta.map(f64),
      }));
    const p = pop;
    apply(
      await exec(
        devs.map((d, k) =>
          job(k, 'estep', p, {
            firstPass: pass === 1,
            poor: d.s > 1.3 * sMed,
            donors: donors.filter((x) => x.id !== d.id).map(({ v, a, theta }) => ({ v, a, theta })),
            above: d.s > 1.05 * sMed,
          }),
        ),
      ),
    );
    const next = mStep(ctx, devs, pop, opt);
    const maxMeanMove = Math.max(0, ...next.mV.map((x, i) => Math.abs(x - pop.mV[i])), ...next.mA.map((x, i) => Math.abs(x - pop.mA[i])));
    const a = sds(pop),
      b = sds(next);
    const maxSdMove = Math.max(0, ...a.map((x, i) => Math.abs(b[i] - x) / Math.max(x, opt.sharedSd)));
    const maxDevMove = Math.max(0, ...devs.map((d) => d.lastMove));
    pop = next;
    history.push({ maxMeanMove, maxSdMove, seconds: (performance.now() - t0) / 1000 });
    onPass?.(pass, { maxMeanMove, maxSdMove });
    if (pass > 1 && maxMeanMove < opt.tol && maxSdMove < 10 * opt.tol * 5 && maxDevMove < 10 * opt.tol) {
      converged = true;
      break;
    }
  }
  // the records describe the estimate under the final population
  const fin = pop;
  apply(await exec(devs.map((_, k) => job(k, 'posterior', fin))));
  // the simulated chain at the final estimate (residuals and start states of the records), here
  for (const d of devs) runChain(ctx, d);
  return {
    layout: ctx.layout,
    devNames: ctx.devNames,
    cycNames: ctx.cycNames,
    pop,
    devices: devs,
    passes: pass,
    converged,
    history,
    options: opt,
  };
}
