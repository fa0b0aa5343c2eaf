/**
 * Refitting one cycle from the inspector: the injected `Refitter` (the fit stage's single-cycle fit in
 * the CLI, a test double in tests), the free/fixed bookkeeping, the old-vs-new comparison and the
 * replacement of a cycle's fit in a fits file (a new object; the caller writes it atomically).
 */
import type { CycleData, CycleFitView, FitsFileView, ParamValues } from './schema.js';

export interface RefitRequest {
  /** The current fit of the cycle (its params are the start point and the values of fixed parameters). */
  fit: CycleFitView;
  /** The measured cycle (null when the dataset could not be read; refitters may refuse then). */
  data: CycleData | null;
  /** Parameters to fit; every other parameter is held at `fixed` (or the fit's value). */
  free: string[];
  /** Values of the non-free parameters (the fit's params with the user's edits). */
  fixed: ParamValues;
  settings: FitsFileView['settings'];
}

export interface Refitter {
  /** Fits one cycle again; resolves with the new cycle fit (schema jartcal.fits/1 `CycleFit`). An abort rejects it. */
  refit(req: RefitRequest, signal?: AbortSignal): Promise<CycleFitView>;
}

/** Fixes a free parameter (at its current value) or frees a fixed one. */
export function toggleFree(free: readonly string[], name: string): string[] {
  return free.includes(name) ? free.filter((n) => n !== name) : [...free, name];
}

export function buildRequest(
  fit: CycleFitView,
  data: CycleData | null,
  free: readonly string[],
  settings: FitsFileView['settings'],
): RefitRequest {
  const fixed: ParamValues = {};
  for (const [k, v] of Object.entries(fit.params)) if (!free.includes(k)) fixed[k] = v;
  return { fit, data, free: [...free], fixed, settings };
}

export interface ParamChange {
  name: string;
  old: number;
  new: number;
  oldErr: number | null;
  newErr: number | null;
  relChange: number;
  oldFree: boolean;
  newFree: boolean;
}
export interface FitComparison {
  oldRms: number;
  newRms: number;
  better: boolean;
  params: ParamChange[];
}

export function compareFits(a: CycleFitView, b: CycleFitView): FitComparison {
  const names = Array.from(new Set([...a.fitted, ...b.fitted, ...Object.keys(b.params)]));
  const params = names
    .filter((n) => a.fitted.includes(n) || b.fitted.includes(n) || a.params[n] !== b.params[n])
    .map((name) => {
      const o = a.params[name];
      const n = b.params[name];
      return {
        name,
        old: o,
        new: n,
        oldErr: a.stderr[name] ?? null,
        newErr: b.stderr[name] ?? null,
        relChange: o !== 0 ? (n - o) / Math.abs(o) : n - o,
        oldFree: a.fitted.includes(name),
        newFree: b.fitted.includes(name),
      };
    });
  const finite = (x: number): number => (Number.isFinite(x) ? x : Infinity);
  return { oldRms: a.rmsLog10, newRms: b.rmsLog10, better: finite(b.rmsLog10) < finite(a.rmsLog10), params };
}

/** A new fits file with cycle `index` replaced by `fit` (other fields, known or not, kept as they were). */
export function replaceCycleFit(fits: FitsFileView, index: number, fit: CycleFitView): FitsFileView {
  const old = fits.cycles[index];
  if (!old || old.device !== fit.device || old.cycle !== fit.cycle) {
    throw new Error(`replaceCycleFit: cycle ${index} is ${old?.device}#${old?.cycle}, not ${fit.device}#${fit.cycle}`);
  }
  const cycles = fits.cycles.slice();
  cycles[index] = { ...old, ...fit };
  return { ...fits, cycles };
}
