/** The population file, schema `jartcal.population/1` (CONTRACTS §4, docs/formats.md). */
import type { ParamName } from './params.js';

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
    nDevices: number; nCycles: number; level: 'cycle' | 'device';
    gof: { family: string; adStatistic: number; adPValue: number; ksStatistic: number; n: number }[];
    meanStderrTransformed: number; note?: string;
  };
}

export interface PopulationFile {
  schema: typeof POPULATION_SCHEMA;
  toolkitVersion: string;
  createdAt: string;
  seed: number;
  provenance: { fits: string[]; datasets: string[]; fitSettings?: unknown; preset?: string; source?: string; method?: string };
  base: Partial<Record<ParamName, number>>;
  parameters: Partial<Record<ParamName, ParameterSpec>>;
  correlation: { params: ParamName[]; matrix: number[][]; repaired?: boolean; minEigenvalueBefore?: number; method?: string };
  validity?: { ranges?: Partial<Record<ParamName, [number, number]>>; note?: string };
  profile?: unknown;
  /** verbatim aihwkit JARTv1bDevice noise fields when the population came from an aihwkit config (presets). */
  aihwkit?: Record<string, number>;
}
