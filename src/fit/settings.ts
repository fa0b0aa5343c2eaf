/** Fit settings: options in, one resolved object out (recorded in fits.json). */
import { PARAM_TABLE, type JartParams, type ParamName } from '../model/index.js';
import { JartcalError } from '../util/errors.js';
import { DEFAULT_OBJECTIVE, type ObjectiveOptions } from './cycle-data.js';

export const DEFAULT_FIT_PARAMS: ParamName[] = ['rnew', 'lnew', 'Ndiscmin', 'RseriesTiOx', 'phiBn0', 'dWa'];
/** The v1b var quantities: free per cycle in a campaign (when they are fitted at all). */
export const V1B_VAR_PARAMS: ParamName[] = ['rnew', 'lnew', 'Ndiscmin', 'Ndiscmax'];

export interface FitSettings {
  fitParams: ParamName[];
  cycleParams: ParamName[];
  fixed: Partial<JartParams>;
  objective: ObjectiveOptions;
  /** 'campaign': device-level + per-cycle parameters; 'joint': every cycle of a device shares all parameters; 'independent': every cycle on its own. */
  mode: 'campaign' | 'joint' | 'independent';
  /** Cycles fitted jointly to determine the device-level parameters (campaign mode). */
  deviceCycles: number;
  /** Multi-start: number of starting points tried when the first-guess fit is poor. */
  starts: number;
  /** Half-width of the start design in transformed units (ln for positive parameters). */
  startSpread: number;
  maxEvaluations: number;
  relTol: number;
  gradientStep: number;
  /** RMS log10 error above which a cycle is flagged poor_fit (and multi-start is tried). */
  poorFitRms: number;
  /** Condition number of the scaled Jacobian above which a fit is flagged ill_conditioned. */
  illConditioned: number;
  guess: boolean;
  /** Clamp the state carried over from the previous cycle into the cycle's [Ndiscmin, Ndiscmax]. */
  clampCarried: boolean;
  /** Carry the filament geometry (r_var, l_var) over from the previous cycle, like N: a cycle starts
   *  with the geometry the previous one ended in and moves to its own rnew, lnew with the switching
   *  progress (v1b var, one draw per cycle held for its SET and RESET; docs/fitting.md). */
  carryGeometry: boolean;
  /** Second LM phase with the switching-voltage residuals weighted by their quantisation error. */
  statWeights: boolean;
  seed: number;
}

export interface FitOptions extends Partial<Omit<FitSettings, 'objective'>> { objective?: Partial<ObjectiveOptions> }

const NAMES = new Set(PARAM_TABLE.map((p) => p.name));

export function checkParamNames(names: string[], what: string): ParamName[] {
  for (const n of names) {
    if (!NAMES.has(n as ParamName)) throw new JartcalError(`${what}: unknown parameter "${n}" (known: ${[...NAMES].join(', ')})`, { code: 'bad_arguments' });
  }
  return names as ParamName[];
}

export function resolveFitSettings(o: FitOptions = {}): FitSettings {
  const fixed = o.fixed ?? {};
  const fitParams = checkParamNames(o.fitParams ?? DEFAULT_FIT_PARAMS.filter((n) => !(n in fixed)), 'fit parameters');
  if (fitParams.length === 0) throw new JartcalError('fit: no free parameter left (every one is fixed).', { code: 'bad_arguments' });
  for (const n of fitParams) if (n in fixed) throw new JartcalError(`fit: "${n}" is both fitted and fixed.`, { code: 'bad_arguments' });
  if (new Set(fitParams).size !== fitParams.length) throw new JartcalError('fit: a parameter is listed twice in --fit.', { code: 'bad_arguments' });
  const cycleParams = checkParamNames(o.cycleParams ?? V1B_VAR_PARAMS.filter((n) => fitParams.includes(n)), 'cycle parameters');
  for (const n of cycleParams) if (!fitParams.includes(n)) throw new JartcalError(`fit: cycle parameter "${n}" is not among the fitted ones.`, { code: 'bad_arguments' });
  const s: FitSettings = {
    fitParams, cycleParams, fixed,
    objective: { ...DEFAULT_OBJECTIVE, ...(o.objective ?? {}) },
    mode: o.mode ?? 'campaign',
    deviceCycles: o.deviceCycles ?? 3,
    starts: o.starts ?? 6,
    startSpread: o.startSpread ?? 0.5,
    maxEvaluations: o.maxEvaluations ?? 250,
    relTol: o.relTol ?? 1e-3,
    gradientStep: o.gradientStep ?? 3e-3,
    poorFitRms: o.poorFitRms ?? 0.15,
    illConditioned: o.illConditioned ?? 1e4,
    guess: o.guess ?? true,
    statWeights: o.statWeights ?? true,
    clampCarried: o.clampCarried ?? true,
    carryGeometry: o.carryGeometry ?? false,
    seed: o.seed ?? 1,
  };
  if (!['campaign', 'joint', 'independent'].includes(s.mode)) throw new JartcalError(`fit: unknown mode "${s.mode}" (campaign, joint, independent).`, { code: 'bad_arguments' });
  for (const [k, v] of Object.entries({ deviceCycles: s.deviceCycles, starts: s.starts, maxEvaluations: s.maxEvaluations })) {
    if (!Number.isInteger(v) || v < 1) throw new JartcalError(`fit: ${k} must be a positive integer, got ${v}.`, { code: 'bad_arguments' });
  }
  return s;
}
