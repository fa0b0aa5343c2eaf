/**
 * Reader-side views of the three files the inspector and the report read (CONTRACTS §2–§4):
 * dataset.json (jartcal.dataset/1), fits.json (jartcal.fits/1), population.json (jartcal.population/1).
 * Only the fields these tools use are typed; `validate*` checks them once and throws a JartcalError
 * naming the file and the JSON path of the first bad field. Unknown fields are kept untouched.
 */
import { parseWith } from '../schema/issues.js';
import { fitsSchema } from '../schema/fits.js';
import { populationSchema } from '../schema/population.js';
import { datasetSchema } from '../schema/dataset.js';
import { DEFAULT_READ_VOLTAGE_V } from '../model/constants.js';
import type { CycleFit } from '../fit/types.js';
import type { CycleFeatures } from '../ingest/types.js';

export type ParamValues = Record<string, number>;

export interface FitFlag {
  code: string;
  param?: string;
  bound?: 'min' | 'max';
  detail?: string;
}

export interface CycleFitView {
  device: string;
  cycle: number;
  params: ParamValues;
  fitted: string[];
  stderr: ParamValues;
  correlation: { params: string[]; matrix: number[][] } | null;
  rmsLog10: number;
  converged: boolean;
  flags: FitFlag[];
  /** the fit stage's metrics (src/fit/types.ts), unknown extras kept */
  metrics: CycleFit['metrics'] & { [k: string]: unknown };
  [k: string]: unknown;
}

export interface FitsFileView {
  schema: 'jartcal.fits/1' | 'jartcal.fits/2';
  toolkitVersion: string;
  createdAt: string;
  seed: number;
  dataset: string;
  settings: { fitParams: string[]; cycleParams: string[]; fixed: ParamValues; [k: string]: unknown };
  devices: { device: string; params: ParamValues; stderr: ParamValues }[];
  cycles: CycleFitView[];
  [k: string]: unknown;
}

/** A cycle's switching features as ingest writes them (src/ingest/types.ts). */
export type { CycleFeatures };

export interface CycleData {
  device: string;
  cycle: number;
  tS: number[];
  vV: number[];
  iA: number[];
  branch: number[];
  complianceA: number | null;
  features: CycleFeatures;
  currentFloorA?: number;
  provenance?: { file: string; sheet?: string; rowStart: number; rowEnd: number };
  [k: string]: unknown;
}

export interface DatasetView {
  schema: 'jartcal.dataset/1' | 'jartcal.dataset/2';
  devices: { id: string; setPolarity: string; complianceA: number | null; cycles: CycleData[] }[];
  [k: string]: unknown;
}

export type SpreadKind = 'absolute' | 'relative' | 'ln';
export interface PopulationParam {
  family: 'normal' | 'lognormal' | 'truncnormal' | 'trunclognormal';
  d2d: { center: number; spread: number; spreadKind: SpreadKind; lower?: number; upper?: number; ci?: [number, number] };
  c2c: { spread: number; spreadKind: SpreadKind; ci?: [number, number] };
}
export interface PopulationView {
  schema: 'jartcal.population/1';
  seed: number;
  base: ParamValues;
  parameters: Record<string, PopulationParam>;
  correlation: { params: string[]; matrix: number[][] };
  profile?: unknown;
  [k: string]: unknown;
}

/** fits.json through its one schema (src/schema/fits.ts); defaults filled, unknown fields kept. */
export function validateFits(x: unknown, file: string): FitsFileView {
  return parseWith(fitsSchema, x, file, 'bad_fits') as unknown as FitsFileView;
}

/** dataset.json through its one schema (src/schema/dataset.ts); unlabelled branches (-1) and empty features filled for display. */
export function validateDataset(x: unknown, file: string): DatasetView {
  const d = parseWith(datasetSchema, x, file, 'bad_dataset');
  const devices = d.devices.map((dev) => ({
    ...dev,
    cycles: dev.cycles.map((c) => ({
      ...c,
      device: c.device ?? dev.id,
      branch: c.branch ?? c.vV.map(() => -1),
      features: {
        vSetV: null,
        vResetV: null,
        readVoltageV: DEFAULT_READ_VOLTAGE_V,
        hrsOhm: null,
        lrsOhm: null,
        onOff: null,
        resetPeakA: null,
        complianceHit: false,
        ...c.features,
      },
    })),
  }));
  return { ...d, devices } as unknown as DatasetView;
}

/** population.json through its one schema (src/schema/population.ts). */
export function validatePopulation(x: unknown, file: string): PopulationView {
  return parseWith(populationSchema, x, file, 'bad_population') as unknown as PopulationView;
}

/** Finds the measured cycle of a fit (by device id and cycle index), or undefined. */
export function indexDataset(ds: DatasetView | null): Map<string, CycleData> {
  const m = new Map<string, CycleData>();
  if (ds) for (const d of ds.devices) for (const cy of d.cycles) m.set(cycleKey(cy.device, cy.cycle), cy);
  return m;
}

export const cycleKey = (device: string, cycle: number): string => `${device}#${cycle}`;
