/**
 * What the inspector and the report need from the other stages, in one place: the parameter table
 * (bounds, units), the model curve at the measured points of a cycle, and the single-cycle refit.
 */
import type { CurveModel } from '../inspect/quality.js';
import type { Refitter } from '../inspect/refit.js';
import type { ParamBounds } from '../tui/format.js';

export interface InspectBackend { paramTable: readonly ParamBounds[]; model: CurveModel | null; refitter: Refitter | null; notes: string[] }

export async function loadBackend(): Promise<InspectBackend> {
  return { paramTable: [], model: null, refitter: null, notes: ['model and fit stages not wired in this build: no model curve, no refit'] };
}
