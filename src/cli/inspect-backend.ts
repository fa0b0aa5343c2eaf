/**
 * What the inspector and the report need from the other stages, in one place: the parameter table
 * (bounds, units: the model's PARAM_TABLE), the model curve at the measured points of a cycle, and
 * the single-cycle refit.
 */
import { PARAM_TABLE } from '../model/index.js';
import { jartCurve } from '../inspect/jart.js';
import { createThreadRefitter } from './refit-thread.js';
import type { CurveModel } from '../inspect/quality.js';
import type { Refitter } from '../inspect/refit.js';
import type { ParamBounds } from '../tui/format.js';

export interface InspectBackend {
  paramTable: readonly ParamBounds[];
  model: CurveModel | null;
  refitter: Refitter | null;
  notes: string[];
}

export async function loadBackend(): Promise<InspectBackend> {
  return { paramTable: PARAM_TABLE, model: jartCurve, refitter: createThreadRefitter(), notes: [] };
}
