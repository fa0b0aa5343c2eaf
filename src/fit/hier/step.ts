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
  predictedMove,
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
import { addCost, emptyCost, inPhase, startCost, takeCost, type HierCost } from './cost.js';

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
 * the population prior, then its posterior), `refresh` (its posterior under the pass's population,
 * the estimate kept: a device the population's change does not move) or `posterior` (the posterior
 * under the final population, with the numerical check and the profile-likelihood ends).
 */
export interface HierStepJob {
  step: 'init' | 'estep' | 'refresh' | 'posterior';
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

/** The device's state after the step, and where the step's time went (absent from older workers). */
export type HierStepResult = HierWireState & { cost?: HierCost };

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
  startCost(job.step === 'init' ? 'init' : job.step === 'estep' ? 'estep' : 'posterior');
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
    else inPhase('posterior', () => runChain(ctx, dev));
    // the numerical check's shift only widens the records' intervals: under the final population only
    const final = job.step === 'posterior';
    inPhase('posterior', () => posterior(ctx, dev, pop, final ? job.options : { ...job.options, numericalCheck: false }));
    // the records' intervals under the final population: profile-likelihood ends where the linearisation misleads
    if (final && job.options.profile) inPhase('profile', () => profileIntervals(ctx, dev, pop, job.options));
  }
  return { ...stateToWire(dev), cost: takeCost() };
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
 * The EM's state after a pass: everything the next pass reads (the population, every device's state
 * and the population its estimate was last fitted under, bit for bit), so that a run resumed from it
 * ends exactly where the uninterrupted run ends.
 */
export interface HierSnapshot {
  pass: number;
  converged: boolean;
  history: HierResult['history'];
  pop: HierWirePopulation;
  devices: { id: string; state: HierWireState; fittedUnder: HierWirePopulation | null }[];
}

/** Resuming and saving the EM between passes (the CLI keeps the snapshot beside fits.json). */
export interface HierPassCheckpoint {
  /** The last pass of an interrupted run; ignored unless it holds exactly these devices. */
  resume?: HierSnapshot | null;
  /** Called after each pass with the state the next pass starts from. */
  save?: (s: HierSnapshot) => void;
}

/**
 * The EM driver: the start scales, then per pass the E-steps of every device as one batch of jobs
 * and the M-step here, until the population settles; last, the posteriors under the final
 * population. `onPass` reports progress; `checkpoint` resumes from and saves the state between passes.
 */
export async function runEm(
  ctx: HierContext,
  devices: HierDriverDevice[],
  opt: HierOptions,
  exec: HierExecutor,
  onPass?: (pass: number, info: { maxMeanMove: number; maxSdMove: number; skipped: number; cost: HierCost }) => void,
  checkpoint: HierPassCheckpoint = {},
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
  // each device's CPU seconds in its last step: the next batch is handed out costliest first, so that
  // no worker is left with a long device while the others idle at the end of a pass
  const weight = devs.map((d) => d.cycles.length);
  const costs: HierResult['costs'] = { init: emptyCost(), passes: [], final: emptyCost() };
  const run = async (jobs: HierStepJob[], into: HierCost): Promise<void> => {
    const order = jobs.map((_, k) => k).sort((a, b) => weight[b] - weight[a] || a - b);
    const got = await exec(order.map((k) => jobs[k]));
    if (got.length !== devs.length) throw new Error(`hierarchical fit: ${got.length} step results for ${devs.length} devices`);
    got.forEach((w, j) => {
      const k = order[j];
      const { cost, ...state } = w;
      applyWire(devs[k], state);
      addCost(into, cost);
      if (cost) weight[k] = Object.values(cost).reduce((s, x) => s + x[0], 0);
    });
  };
  // the population each device's estimate was last fitted under (its last E-step)
  const fittedUnder: (Population | null)[] = devs.map(() => null);
  let pop: Population;
  let history: HierResult['history'] = [];
  let converged = false;
  let pass = 0;
  const snap = checkpoint.resume;
  const resumable =
    !!snap &&
    snap.devices.length === devs.length &&
    snap.devices.every((d, k) => d.id === devs[k].id && d.state.theta.length === devs[k].theta.length);
  if (snap && resumable) {
    snap.devices.forEach((d, k) => {
      applyWire(devs[k], d.state);
      fittedUnder[k] = d.fittedUnder ? popFromWire(d.fittedUnder) : null;
    });
    pop = popFromWire(snap.pop);
    history = snap.history.map((h) => ({ ...h }));
    converged = snap.converged;
    pass = snap.pass;
  } else {
    await run(
      devs.map((_, k) => job(k, 'init', null)),
      costs.init,
    );
    pop = initialPopulation(devs, ctx.q, ctx.p, opt);
  }
  const save = () =>
    checkpoint.save?.({
      pass,
      converged,
      history,
      pop: popToWire(pop),
      devices: devs.map((d, k) => {
        const under = fittedUnder[k];
        return { id: d.id, state: stateToWire(d), fittedUnder: under ? popToWire(under) : null };
      }),
    });
  const sds = (P: Population) => [
    ...P.omV.map((r, i) => Math.sqrt(r[i])),
    ...P.omD.map((r, i) => Math.sqrt(r[i])),
    ...P.omC.map((r, i) => Math.sqrt(r[i])),
  ];
  while (!converged && pass < opt.maxPasses) {
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
    const passCost = emptyCost();
    costs.passes.push(passCost);
    // a device settled under the population it was fitted under, which the population's change since
    // would move by less than the tolerance too, keeps its estimate (its posterior refreshed)
    const settled = devs.map((d, k) => {
      const under = fittedUnder[k];
      if (!opt.skipSettled || !under || !(d.lastMove < opt.tol)) return false;
      // below the tolerance, and well inside every interval (a campaign-shared constant's can be narrower than tol)
      const move = predictedMove(ctx, d, under, p);
      if (!(move.abs < opt.tol && move.rel < 0.1)) return false;
      d.lastMove = move.abs;
      return true;
    });
    await run(
      devs.map((d, k) =>
        settled[k]
          ? job(k, 'refresh', p)
          : job(k, 'estep', p, {
              firstPass: pass === 1,
              poor: d.s > 1.3 * sMed,
              donors: donors.filter((x) => x.id !== d.id).map(({ v, a, theta }) => ({ v, a, theta })),
              above: d.s > 1.05 * sMed,
            }),
      ),
      passCost,
    );
    devs.forEach((_, k) => {
      if (!settled[k]) fittedUnder[k] = p;
    });
    const next = mStep(ctx, devs, pop, opt);
    const maxMeanMove = Math.max(0, ...next.mV.map((x, i) => Math.abs(x - pop.mV[i])), ...next.mA.map((x, i) => Math.abs(x - pop.mA[i])));
    const a = sds(pop),
      b = sds(next);
    const maxSdMove = Math.max(0, ...a.map((x, i) => Math.abs(b[i] - x) / Math.max(x, opt.sharedSd)));
    const maxDevMove = Math.max(0, ...devs.map((d) => d.lastMove));
    pop = next;
    history.push({ maxMeanMove, maxSdMove, seconds: (performance.now() - t0) / 1000, skipped: settled.filter(Boolean).length });
    onPass?.(pass, { maxMeanMove, maxSdMove, skipped: settled.filter(Boolean).length, cost: passCost });
    if (pass > 1 && maxMeanMove < opt.tol && maxSdMove < 10 * opt.tol * 5 && maxDevMove < 10 * opt.tol) converged = true;
    save();
  }
  // the records describe the estimate under the final population
  const fin = pop;
  await run(
    devs.map((_, k) => job(k, 'posterior', fin)),
    costs.final,
  );
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
    costs,
    options: opt,
  };
}
