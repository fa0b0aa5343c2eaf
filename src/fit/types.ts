/** fits.json, schema jartcal.fits/2 (CONTRACTS §3; documented in docs/formats.md). /2 = /1 plus the
 *  optional fields of the hierarchical fit (ci95, device cycleMean/shrinkage, population; see
 *  hier/format.ts). */
import type { JartParams, ParamName } from '../model/index.js';
import type { FitSettings } from './settings.js';
import type { HierPopulationBlock } from './hier/format.js';

export const FITS_SCHEMA = 'jartcal.fits/2';
/** Schemas a reader accepts: /1 is /2 without the hierarchical fields. */
export const FITS_SCHEMAS_READ = ['jartcal.fits/1', 'jartcal.fits/2'] as const;
/** 95 % intervals in parameter units (hierarchical fit). */
export type Ci95 = Record<string, [number, number]>;

/** Circuit parameters of a fit (the measurement circuit, not JART): external series resistance, Ω. */
export interface CircuitValues {
  seriesOhm: number;
}

/** Every code a fit flag can carry (docs/formats.md). */
export const FIT_FLAG_CODES = [
  'param_at_bound',
  'ill_conditioned',
  'not_converged',
  'poor_fit',
  'reset_incomplete',
  'param_unidentified',
  'far_from_population',
  'above_noise_floor',
] as const;
export type FitFlagCode = (typeof FIT_FLAG_CODES)[number];

export interface FitFlag {
  code: FitFlagCode;
  /** A JART parameter name, or a circuit parameter (`seriesOhm`). */
  param?: ParamName | 'seriesOhm';
  bound?: 'min' | 'max';
  detail?: string;
}

export interface CycleFit {
  device: string;
  cycle: number;
  params: JartParams;
  fitted: ParamName[];
  stderr: Partial<Record<ParamName, number>>;
  correlation: { params: ParamName[]; matrix: number[][] } | null;
  rmsLog10: number;
  converged: boolean;
  flags: FitFlag[];
  metrics: {
    rmsLog10: number;
    dVSetV: number | null;
    dVResetV: number | null;
    hrsRelErr: number | null;
    lrsRelErr: number | null;
    evaluations: number;
    seconds: number;
    /** Extra: measured and model switching voltages, the fit's stop reason, starts tried. */
    vSetDataV?: number | null;
    vResetDataV?: number | null;
    stopReason?: string;
    starts?: number;
    /** Extra: lowest ln-position of the model's N in [Ndiscmin, Ndiscmax] with the cycle's own values (identify.ts; 0 = HRS, 1 = LRS). */
    hrsPosition?: number | null;
  };
  /** Extra: initial and final N of this cycle (the carried-over state). */
  ninit: number;
  endNdisc: number;
  /** Extra: filament geometry at the end of the cycle, m (present with settings.carryGeometry). */
  endGeometry?: { rM: number; lM: number };
  /** Extra: the measurement circuit the cycle was evaluated with (present when the external series
   *  resistance is fitted or non-zero): a fitted value is the device's (devices[].circuit). */
  circuit?: CircuitValues;
  /** Extra: standard errors of the circuit parameters fitted with this cycle (device-stage, joint
   *  and independent fits; a later campaign cycle holds the device's value and has none). */
  circuitStderr?: Partial<CircuitValues>;
  /** Extra: 'device' = fitted in the device stage jointly with other cycles; 'cycle' = on its own;
   *  'hierarchical' = the campaign's hierarchical fit (hier/). */
  stage: 'device' | 'cycle' | 'joint' | 'independent' | 'hierarchical';
  /** Hierarchical fit: 95 % posterior intervals of the fitted parameters (hier/format.ts). */
  ci95?: Ci95;
  /** How each interval of `ci95` was found: `posterior` (the Laplace posterior, linearised) or `profile` (profile likelihood). */
  ci95Method?: Record<string, 'posterior' | 'profile'>;
}

export interface DeviceFit {
  device: string;
  params: Partial<JartParams>;
  stderr: Partial<JartParams>;
  /** Extra: the cycles the device-level parameters were determined from. */
  fromCycles: number[];
  /** Extra: fitted circuit parameters (device-level; `--fit ...,seriesOhm`) and their standard
   *  errors. Not JART parameters, so not in `params` (population/export read `params`). */
  circuit?: Partial<CircuitValues>;
  circuitStderr?: Partial<CircuitValues>;
  /** Hierarchical fit (hier/format.ts): intervals of `params`, the device mean of its cycle-level
   *  parameters with intervals, and the shrinkage per parameter. */
  ci95?: Ci95;
  ci95Method?: Record<string, 'posterior' | 'profile'>;
  cycleMean?: Partial<JartParams>;
  cycleMeanCi95?: Ci95;
  shrinkage?: Record<string, number>;
}

export interface FitsFile {
  schema: (typeof FITS_SCHEMAS_READ)[number];
  toolkitVersion: string;
  createdAt: string;
  seed: number;
  dataset: string;
  settings: FitSettings & { workers?: number };
  devices: DeviceFit[];
  cycles: CycleFit[];
  /** Hierarchical fit: population-level estimates and intervals (hier/format.ts). */
  population?: HierPopulationBlock;
  /** Jobs of a queue run that ended failed (bad input, or crashed their workers repeatedly): their devices and the error. */
  failed?: { devices: string[]; error: string }[];
  summary?: { cycles: number; devices: number; medianRmsLog10: number | null; flagged: number; seconds: number };
}
