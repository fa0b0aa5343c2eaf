/** The population file, schema `jartcal.population/1` (CONTRACTS §4, docs/formats.md). */
import type { ParamName } from './params.js';
import type { ProfileFile } from '../schema/profile.js';

export const POPULATION_SCHEMA = 'jartcal.population/1';

export type Family = 'normal' | 'lognormal' | 'truncnormal' | 'trunclognormal';
export type SpreadKind = 'absolute' | 'relative' | 'ln';

export interface D2dSpec {
  /** normal families: the mean (before truncation); lognormal families: the median exp(μ). */
  center: number;
  /** absolute: σ in the parameter's unit; relative: σ / center; ln: σ of ln(value). */
  spread: number;
  spreadKind: SpreadKind;
  /** absolute truncation bounds (truncated families), in the parameter's unit. */
  lower?: number;
  upper?: number;
  /** 95 % confidence interval of `spread` (same kind). */
  ci?: [number, number];
  /** How draws outside [lower, upper] are handled: 'truncate' (redraw, default) or 'clip' (aihwkit: set to the bound). */
  bounding?: 'truncate' | 'clip';
}

export interface C2cSpec {
  /** spread of a cycle's value around the device's own value; same kinds as d2d. */
  spread: number;
  spreadKind: SpreadKind;
  ci?: [number, number];
  /** 'normal' (default: normal in the family's space) or 'uniform' (x_dev·(1 + spread·U(−1, 1)), aihwkit-style). */
  distribution?: 'normal' | 'uniform';
  /** aihwkit `*_std_slope` (update-scaled c2c term); informational for exporters and the crossbar. */
  slope?: number;
  /** relative clamp of a cycle's value: x_dev·(1 + lower) … x_dev·(1 + upper) (aihwkit ctoc bounds). */
  lower?: number;
  upper?: number;
}

export interface ParameterSpec {
  family: Family;
  d2d: D2dSpec;
  c2c: C2cSpec;
  /** estimation diagnostics (present when estimated from fits). */
  diagnostics?: {
    nDevices: number;
    nCycles: number;
    level: 'cycle' | 'device';
    gof: { family: string; adStatistic: number; adPValue: number; ksStatistic: number; n: number }[];
    meanStderrTransformed: number;
    note?: string;
    /** cycle values not used: flagged param_unidentified by the fit, within-device outliers; devices left
     *  without any value; `selection`: mean d2d z-score of the excluded cycles in the other parameters. */
    excluded?: {
      unidentified: number;
      outliers: number;
      devicesLost: number;
      selection?: { param: ParamName; meanZ: number; n: number }[];
      /** the d2d spread was multiplied by this factor (Pearson–Lawley selection correction on the `on` parameters). */
      selectionCorrection?: { d2dSpreadFactor: number; on: ParamName[] };
    };
  };
}

export interface PopulationFile {
  schema: typeof POPULATION_SCHEMA;
  toolkitVersion: string;
  createdAt: string;
  seed: number;
  provenance: {
    fits: string[];
    datasets: string[];
    fitSettings?: unknown;
    preset?: string;
    source?: string;
    method?: string;
    /** per parameter: the excluded cycle values (same as parameters[name].diagnostics.excluded). */
    exclusions?: Record<string, unknown>;
  };
  base: Partial<Record<ParamName, number>>;
  parameters: Partial<Record<ParamName, ParameterSpec>>;
  correlation: {
    params: ParamName[];
    matrix: number[][];
    repaired?: boolean;
    minEigenvalueBefore?: number;
    method?: string;
    /** the Pearson–Lawley selection correction was applied: y's values were partly excluded, x's complete. */
    selectionCorrected?: { y: ParamName[]; x: ParamName[] };
  };
  validity?: { ranges?: Partial<Record<ParamName, [number, number]>>; note?: string };
  /**
   * The measurement circuit of the fits (not a device property): the external series resistance each device
   * was fitted with (`--fit ...,seriesOhm`), lognormal over devices — median `center` (Ω), `spread` = sd of
   * ln R, from `n` devices. The variability profile draws one per simulated device; independent of the JART
   * parameters (no copula term).
   */
  circuit?: { seriesOhm: { family: 'lognormal'; center: number; spread: number; spreadKind: 'ln'; n: number } };
  /** the variability profile attached by `jartcal profile --attach` (schema jartcal.profile/1) */
  profile?: ProfileFile;
  /** how the population was calibrated against the measured switching statistics (`jartcal population --refine`) */
  refinement?: RefinementRecord;
  /** verbatim aihwkit JARTv1bDevice noise fields when the population came from an aihwkit config (presets). */
  aihwkit?: Record<string, number>;
}

/**
 * A refinable quantity: `rnew.center`, `rnew.d2d`, `rnew.c2c`, `seriesOhm.center`, `seriesOhm.d2d`, or a
 * copula correlation `copula.rnew.lnew`.
 */
export type RefineTerm = `${ParamName | 'seriesOhm'}.${'center' | 'd2d' | 'c2c'}` | `copula.${ParamName}.${ParamName}`;

/**
 * The check that a statistic is beyond the model: after the refinement, rows still outside the tolerance
 * are refined again with every population parameter free (every centre, d2d and c2c spread — zero ones
 * too —, every copula correlation, the circuit block); a row that still misses is beyond JART v1b, with
 * the evidence: the value at the all-free optimum and the closest any evaluated population came.
 */
export interface BeyondModelRecord {
  /** a row misses when |relative difference| exceeds this (levels of resistances: the ratio − 1) */
  tolerance: number;
  free: RefineTerm[];
  evaluations: number;
  objectiveBefore: number;
  objectiveAfter: number;
  /** the all-free optimum became the refined population (its objective is below the first stage's) */
  adopted: boolean;
  /** the rows that missed after the first stage, and what the all-free stage reached for them */
  rows: {
    name: string;
    measured: number;
    /** the first stage's value and relative difference */
    refined: number | null;
    refinedRelDiff: number;
    /** at the all-free optimum */
    allFree: number | null;
    allFreeRelDiff: number;
    /** the value closest to the measured one over every population evaluated with everything free */
    closest: number | null;
    closestRelDiff: number;
    /** the lowest and highest value over every population evaluated with everything free */
    reached?: [number, number];
    /** evaluated populations lie on both sides of the measured value (so one between them reaches it) */
    bracketed?: boolean;
    /** still outside the tolerance with everything free, and never bracketed */
    beyondModel: boolean;
  }[];
}

export interface RefinementRecord {
  method: 'simulated-moments';
  seed: number;
  simulated: { devices: number; cycles: number; protocols: number };
  free: RefineTerm[];
  evaluations: number;
  objectiveBefore: number;
  objectiveAfter: number;
  /** per moment: measured, simulated before and after, z after */
  rows: {
    name: string;
    measured: number;
    measuredSe: number;
    /** the simulated moment's sampling error the objective weighs it with (fixed before the search; absent in older files) */
    simulatedSe?: number;
    before: number | null;
    after: number | null;
    zBefore: number;
    zAfter: number;
  }[];
  /** terms whose refined value sits at the edge of what the model's parameter ranges allow */
  atBounds: RefineTerm[];
  /** the population as estimated (before refinement): its parameters and circuit, for the profile's "before" */
  estimate?: { parameters: PopulationFile['parameters']; circuit?: PopulationFile['circuit'] };
  /** how the simulated devices were driven: 'replay' (each cycle on a measured cycle's protocol) or 'median-sweep' */
  protocol?: 'replay' | 'median-sweep';
  /** the all-free second stage, when rows missed after the first */
  beyondModel?: BeyondModelRecord;
  /**
   * the joint pilot before the per-term search: every non-zero c2c spread and every d2d spread (the circuit's
   * too) scaled by one factor each, the factors at its optimum and the evaluations it spent
   */
  pilot?: { c2cFactor: number; d2dFactor: number; evaluations: number };
}
