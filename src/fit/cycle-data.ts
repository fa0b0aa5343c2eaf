/**
 * The part of an ingested cycle (CONTRACTS §2, `jartcal.dataset/1`) the fit reads, and its
 * preparation into a model stimulus and targets. Pure: no file system.
 */
import type { Waveform } from '../model/index.js';
import { DEFAULT_READ_VOLTAGE_V } from '../model/constants.js';
import { measuredSwitching, outwardMask, readResistances } from './features.js';
import { prepareCoarse, type CoarseGrid } from './coarse.js';

export interface FitCycleInput {
  device: string;
  cycle: number;
  tS: number[];
  timeSource: 'file' | 'sweep-rate' | 'index' | string;
  vV: number[];
  iA: number[];
  complianceA: number | null;
  branch?: number[];
  features?: { readVoltageV?: number } & Record<string, unknown>;
  currentFloorA?: number;
}

export interface ObjectiveOptions {
  /** Lower floor of |I| in the log residuals, A (the larger of this and the cycle's currentFloorA). */
  floorA: number;
  /** Samples with |V| below this carry no residual (instrument offset dominates there), V. */
  minAbsV: number;
  /** Scale of the switching-voltage residuals, ΔV / σ_V with σ_V = max(vSigmaV, vSigmaSteps × the
   *  cycle's median voltage step): the measured switching voltage is only known to about a step. */
  vSigmaV: number;
  vSigmaSteps: number;
  /** Target of the switching-voltage residuals: the midpoint of the measured step, or the step. */
  switchTarget: 'midpoint' | 'step';
  /** Residual given to samples between the model's and the data's switching voltage. */
  windowResidual: number;
  /** Width of the linear taper of the residuals next to that window, V. */
  taperV: number;
  /** Extra stimulus points (same piecewise-linear waveform) every refineV volts within ±refineZoneV
   *  of the measured switching voltages, so the model's switching voltage is resolved below the
   *  sample step and varies smoothly with the parameters (0 disables). */
  refineV: number;
  refineZoneV: number;
  /** Sweep rate used when the cycle has no time base (timeSource 'index'), V/s. */
  sweepRateVps: number;
  /** External series resistance of the measurement circuit, Ω. */
  seriesOhm: number;
  /** Model integration tolerances during the fit (0 = the model's defaults). The defaults, 3e-3 and
   *  0.3, take 2.5× fewer steps than the model's and move log10|I| by ≤ 2e-4 decade outside the
   *  switching samples on a ±1.3 V sweep (docs/fitting.md). */
  simRelTol: number;
  simMaxDlnN: number;
  /** Right-hand-side evaluations per stimulus point (at least 2e4 in all) after which a simulation
   *  is abandoned (its residuals become the NaN penalty): a pathological trial point must not stall
   *  a fit (a normal ±1.3 V, 5 mV sweep needs ~5 per point with the fit tolerances). */
  simMaxEvalsPerPoint: number;
  /** Refine the model's switching voltages in phase 2 too. Off by default: there the switching
   *  residuals weigh little, and skipping the sub-simulations made the single-cycle fit ~1.7× faster
   *  with the same recovery (docs/fitting.md). */
  refinePhase2: boolean;
  /** Internal simulation grid, V: on finer sweeps the model runs on points ≥ simStepV apart and the
   *  samples between are interpolated where N is quiet (|Δ ln N| ≤ quietDlnN per coarse step) or
   *  re-simulated where it is not (coarse.ts; 0 = simulate every sample). */
  simStepV: number;
  quietDlnN: number;
  /** Model switching voltages at the crossing of an adaptive N level (features.ts `switchingLevels`:
   *  √(N entering the polarity · extreme N reached)) instead of the fixed √(N_min·N_max). */
  adaptiveLevels: boolean;
  /** Weight of the residuals on the return branches (|V| decreasing: the state left by SET and
   *  RESET) relative to the outward ones (1 = equal). */
  returnWeight: number;
}

export const DEFAULT_OBJECTIVE: ObjectiveOptions = {
  floorA: 1e-12,
  minAbsV: 0.02,
  vSigmaV: 0.01,
  vSigmaSteps: 2,
  switchTarget: 'midpoint',
  windowResidual: 0,
  taperV: 0.01,
  refineV: 0,
  refineZoneV: 0.04,
  sweepRateVps: 1,
  seriesOhm: 0,
  simRelTol: 3e-3,
  simMaxDlnN: 0.3,
  simMaxEvalsPerPoint: 50,
  refinePhase2: false,
  simStepV: 0.005,
  quietDlnN: 0.05,
  returnWeight: 1,
  adaptiveLevels: false,
};

export interface PreparedCycle {
  device: string;
  cycle: number;
  /** The stimulus: the measured points plus refinement points. */
  wave: Waveform;
  /** Index of each measured sample in the stimulus. */
  at: Int32Array;
  /** The coarser internal simulation grid (null: simulate every stimulus point). */
  coarse: CoarseGrid | null;
  vV: Float64Array;
  logI: Float64Array;
  /** Indices of the samples that carry a residual. */
  idx: Int32Array;
  outward: Uint8Array;
  floorA: number;
  complianceA: number | null;
  vSetV: number | null;
  vResetV: number | null;
  /** The measured switching steps: a model switching voltage inside its step costs nothing. */
  setSpan: [number, number] | null;
  resetSpan: [number, number] | null;
  hrsOhm: number | null;
  lrsOhm: number | null;
  readV: number;
  /** Scale of this cycle's switching-voltage residuals, V. */
  vSigmaV: number;
  /** No window/taper: plain residuals (the second, statistically weighted LM phase). */
  plainResiduals?: boolean;
  /** Median voltage step of the measurement, V. */
  stepV: number;
  /** The cycle SETs first (starts in HRS) — the usual case in model convention. */
  setFirst: boolean;
}

/** Time base: the file's (made strictly increasing) or rebuilt from the sweep rate. */
function cycleTime(c: FitCycleInput, sweepRateVps: number): Float64Array {
  const n = c.vV.length;
  const t = new Float64Array(n);
  const useFile = c.timeSource !== 'index' && c.tS.length === n && c.tS.every(Number.isFinite);
  let minStep = Infinity;
  for (let i = 1; i < n; i++) {
    const d = Math.abs(c.vV[i] - c.vV[i - 1]);
    if (d > 0) minStep = Math.min(minStep, d);
  }
  if (!Number.isFinite(minStep)) minStep = 1e-3;
  for (let i = 1; i < n; i++) {
    let dt = useFile ? c.tS[i] - c.tS[i - 1] : Math.max(Math.abs(c.vV[i] - c.vV[i - 1]), minStep) / sweepRateVps;
    if (!(dt > 0)) dt = (minStep / sweepRateVps) * 1e-3;
    t[i] = t[i - 1] + dt;
  }
  return t;
}

export function prepareCycle(c: FitCycleInput, o: ObjectiveOptions): PreparedCycle {
  const n = c.vV.length;
  const vV = Float64Array.from(c.vV);
  const floorA = Math.max(o.floorA, c.currentFloorA ?? 0);
  const logI = Float64Array.from(c.iA, (i) => Math.log10(Math.max(Math.abs(i), floorA)));
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (Math.abs(vV[i]) >= o.minAbsV && Number.isFinite(c.iA[i])) idx.push(i);
  const sw = measuredSwitching(vV, c.iA, floorA, o.minAbsV);
  const readV = Number(c.features?.readVoltageV ?? DEFAULT_READ_VOLTAGE_V) || DEFAULT_READ_VOLTAGE_V;
  const rr = readResistances(vV, c.iA, readV, sw.vSetV);
  let setFirst = true;
  for (let i = 0; i < n; i++)
    if (Math.abs(vV[i]) >= o.minAbsV) {
      setFirst = vV[i] < 0;
      break;
    }
  const { wave, at } = refineWave(cycleTime(c, o.sweepRateVps), vV, [sw.vSetV, sw.vResetV], o.refineV, o.refineZoneV);
  return {
    device: c.device,
    cycle: c.cycle,
    wave,
    at,
    coarse: prepareCoarse(wave, o.simStepV ?? 0),
    vV,
    logI,
    idx: Int32Array.from(idx),
    outward: outwardMask(vV),
    floorA,
    complianceA: c.complianceA ?? null,
    vSetV: sw.vSetV,
    vResetV: sw.vResetV,
    setSpan: sw.setSpan,
    resetSpan: sw.resetSpan,
    hrsOhm: rr.hrsOhm,
    lrsOhm: rr.lrsOhm,
    readV,
    setFirst,
    vSigmaV: Math.max(o.vSigmaV, o.vSigmaSteps * medianStep(vV)),
    stepV: medianStep(vV),
  };
}

/** Inserts points on the outward segments whose voltage lies within ±zone of a target voltage. */
function refineWave(
  tS: Float64Array,
  vV: Float64Array,
  targets: (number | null)[],
  stepV: number,
  zoneV: number,
): { wave: Waveform; at: Int32Array } {
  const t: number[] = [],
    v: number[] = [];
  const at = new Int32Array(vV.length);
  const ts = targets.filter((x): x is number => x !== null);
  for (let i = 0; i < vV.length; i++) {
    if (i > 0 && stepV > 0) {
      const a = vV[i - 1],
        b = vV[i];
      const near = ts.some(
        (x) =>
          Math.sign(x) === Math.sign(b) &&
          Math.min(Math.abs(a - x), Math.abs(b - x), Math.abs(a - b) >= Math.abs(a - x) + Math.abs(b - x) - 1e-12 ? 0 : Infinity) <= zoneV,
      );
      const k = Math.floor(Math.abs(b - a) / stepV);
      if (near && k >= 2) {
        for (let j = 1; j < k; j++) {
          const f = j / k;
          t.push(tS[i - 1] + f * (tS[i] - tS[i - 1]));
          v.push(a + f * (b - a));
        }
      }
    }
    at[i] = t.length;
    t.push(tS[i]);
    v.push(vV[i]);
  }
  return { wave: { tS: Float64Array.from(t), vV: Float64Array.from(v) }, at };
}

/**
 * The sweep's typical voltage step: the upper middle of its non-zero steps, a step the instrument took (not the
 * shared median, which averages the two middle ones: on polimi's uneven steps that moves σ_V by up to 18 % and the
 * fits with it, so the change waits for the fit figures of docs/results to be measured again); 0 when none.
 */
function medianStep(vV: Float64Array): number {
  const d: number[] = [];
  for (let i = 1; i < vV.length; i++) {
    const x = Math.abs(vV[i] - vV[i - 1]);
    if (x > 0) d.push(x);
  }
  d.sort((a, b) => a - b);
  return d.length ? d[d.length >> 1] : 0;
}
