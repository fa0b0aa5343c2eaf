/**
 * The inspector's links to the model and fit stages: the model curve of a cycle fit, computed
 * exactly as the fit's objective computes it (prepareCycle + evaluateCycle: the measured waveform,
 * compliance, series resistance and the cycle's initial state), and the single-cycle refit
 * (the fit stage's fitGroup on one cycle with the chosen free parameters). Pure: no file system.
 */
import { resolveParams, type JartParams, type ParamName } from '../model/index.js';
import {
  createLayout,
  evaluateCycle,
  fitGroup,
  prepareCycle,
  resolveFitSettings,
  DEFAULT_OBJECTIVE,
  type FitCycleInput,
  type FitOptions,
  type ObjectiveOptions,
} from '../fit/index.js';
import { startValue } from '../fit/group.js';
import { hashString } from '../fit/campaign.js';
import { cycleFitsFromGroup } from '../fit/result.js';
import { createRng } from '../util/rng.js';
import { JartcalError } from '../util/errors.js';
import type { CurveModel } from './quality.js';
import type { Refitter } from './refit.js';
import type { CycleFitView } from './schema.js';

/** The fit's objective options, with the cycle's fitted external series resistance (`circuit`). */
function objectiveOf(settings: unknown, fit?: object): ObjectiveOptions {
  const o = (settings as { objective?: Partial<ObjectiveOptions> } | undefined)?.objective;
  const r = (fit as { circuit?: { seriesOhm?: unknown } } | undefined)?.circuit?.seriesOhm;
  return { ...DEFAULT_OBJECTIVE, ...(o ?? {}), ...(typeof r === 'number' && r >= 0 ? { seriesOhm: r } : {}) };
}

/** The cycle's initial state: the fit's recorded `ninit` (the carried-over state), else Ninit. */
function ninitOf(fit: object | undefined, p: JartParams): number {
  const n = (fit as { ninit?: unknown } | undefined)?.ninit;
  return typeof n === 'number' && n > 0 ? n : p.Ninit;
}

/** Model current at every measured sample (null when the parameters are refused). */
export const jartCurve: CurveModel = (params, data, ctx) => {
  let p: JartParams;
  try {
    p = resolveParams(params);
  } catch {
    return null;
  }
  const o = objectiveOf(ctx?.settings, ctx?.fit);
  const pc = prepareCycle(data as unknown as FitCycleInput, o);
  return evaluateCycle(pc, p, ninitOf(ctx?.fit, p), o).iAModel;
};

/** Settings recorded in fits.json, with the free set replaced and nothing per-cycle (one cycle alone). */
export function refitSettings(recorded: unknown, free: string[], fit: object) {
  const r = (recorded ?? {}) as FitOptions & Record<string, unknown>;
  const pick = <K extends keyof FitOptions>(k: K): FitOptions[K] | undefined => (r[k] !== undefined ? (r[k] as FitOptions[K]) : undefined);
  return resolveFitSettings({
    fitParams: free as ParamName[],
    cycleParams: [],
    fixed: {},
    mode: 'independent',
    objective: objectiveOf(recorded, fit),
    starts: pick('starts'),
    startSpread: pick('startSpread'),
    maxEvaluations: pick('maxEvaluations'),
    relTol: pick('relTol'),
    gradientStep: pick('gradientStep'),
    poorFitRms: pick('poorFitRms'),
    illConditioned: pick('illConditioned'),
    guess: false,
    seed: pick('seed'),
  });
}

/** Refits one cycle with the fit stage: free = the chosen parameters, every other one held at its value. */
export function createJartRefitter(opts: { now?: () => number } = {}): Refitter {
  const now = opts.now ?? (() => performance.now());
  return {
    async refit(req) {
      if (!req.data) throw new JartcalError(`no measured data for ${req.fit.device}#${req.fit.cycle}: cannot refit (give --dataset)`);
      if (req.free.length === 0) throw new JartcalError('no free parameter to refit');
      const t0 = now();
      const settings = refitSettings(req.settings, req.free, req.fit);
      const base = resolveParams({ ...req.fit.params, ...req.fixed });
      const pc = prepareCycle(req.data as unknown as FitCycleInput, settings.objective);
      const layout = createLayout(settings.fitParams, [], 1, base);
      const start = settings.fitParams.map((n) =>
        n in req.fit.params ? req.fit.params[n as keyof typeof req.fit.params] : startValue(n, base, settings.objective),
      );
      const rng = createRng((settings.seed ^ hashString(`${req.fit.device}#${req.fit.cycle}#refit`)) >>> 0);
      const g = fitGroup([pc], layout, base, start, settings, rng, ninitOf(req.fit, base));
      const fit = cycleFitsFromGroup(g, [pc], base, settings, 'cycle', (now() - t0) / 1000)[0];
      return { ...fit, stage: 'refit' } as unknown as CycleFitView;
    },
  };
}
