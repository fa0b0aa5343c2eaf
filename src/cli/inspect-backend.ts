/**
 * What the inspector and the report need from the other stages, in one place: the parameter table
 * (bounds, units: the model's PARAM_TABLE), the model curve at the measured points of a cycle, and
 * the single-cycle refit.
 */
import { PARAM_TABLE, resolveParams, simulate } from '../model/index.js';
import type { CurveModel } from '../inspect/quality.js';
import type { Refitter } from '../inspect/refit.js';
import type { CycleData } from '../inspect/schema.js';
import type { ParamBounds } from '../tui/format.js';

export interface InspectBackend { paramTable: readonly ParamBounds[]; model: CurveModel | null; refitter: Refitter | null; notes: string[] }

/** The measured time base when it is strictly increasing, else the point index (1 s per point). */
function timeBase(d: CycleData): Float64Array {
  const t = d.tS;
  let ok = Array.isArray(t) && t.length === d.vV.length;
  for (let i = 1; ok && i < t.length; i++) if (!(t[i] > t[i - 1])) ok = false;
  return ok ? Float64Array.from(t) : Float64Array.from(d.vV, (_, i) => i);
}

/**
 * The JART model driven by the measured waveform, with the cycle's compliance, from the fit's
 * parameters (Ninit is the fit's initial state). Returns the current at every measured point
 * (NaN where the simulation failed), or null for a parameter set the model refuses.
 */
export const modelCurve: CurveModel = (params, data) => {
  let p;
  try { p = resolveParams(params); } catch { return null; }
  const r = simulate(p, { tS: timeBase(data), vV: Float64Array.from(data.vV) }, { circuit: data.complianceA ? { complianceA: data.complianceA } : undefined });
  return r.iA;
};

export async function loadBackend(): Promise<InspectBackend> {
  return { paramTable: PARAM_TABLE, model: modelCurve, refitter: null, notes: ['refit not wired yet (the fit stage has not landed in this build)'] };
}
