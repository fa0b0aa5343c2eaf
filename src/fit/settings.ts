/** Fit settings: options in, one resolved object out (recorded in fits.json). */
import { PARAM_TABLE, V1B_VAR_PARAMS, type JartParams, type ParamName } from '../model/index.js';
import { JartcalError } from '../util/errors.js';
import { DEFAULT_OBJECTIVE, type ObjectiveOptions } from './cycle-data.js';

export const DEFAULT_FIT_PARAMS: ParamName[] = ['rnew', 'lnew', 'Ndiscmin', 'RseriesTiOx', 'phiBn0', 'dWa'];
/** The v1b var quantities (src/model/params.ts) are free per cycle in a campaign (when they are fitted at all). */
export { V1B_VAR_PARAMS };

/**
 * Parameters of the measurement circuit that can be fitted like model parameters (not JART
 * parameters: they live in the objective's circuit options and in fits.json's `circuit` records).
 * `seriesOhm`: the external series resistance (cables, probe, a 1T1R select transistor in RESET),
 * Ω, device-level. Transform u = ln(R + offsetOhm): 0 Ω is reachable (u = ln offsetOhm), and above
 * a few offsets it is a plain log parameter (docs/fitting.md).
 */
export interface CircuitParamSpec {
  name: CircuitParamName;
  min: number;
  max: number;
  default: number;
  offset: number;
  unit: string;
}
export type CircuitParamName = 'seriesOhm';
export const CIRCUIT_PARAMS: readonly CircuitParamSpec[] = [{ name: 'seriesOhm', min: 0, max: 1e6, default: 0, offset: 100, unit: 'Ω' }];
/** A name the fit can free: a JART parameter or a circuit parameter. */
export type FitParamName = ParamName | CircuitParamName;
export const isCircuitParam = (n: string): n is CircuitParamName => CIRCUIT_PARAMS.some((c) => c.name === n);
/** Start values of the external series resistance tried by the multi-start (Ω) when it is free
 *  and the first fit is poor: one per decade (the cost has separate minima, docs/fitting.md). */
export const SERIES_OHM_STARTS = [1e3, 1e4, 1e5];

export interface FitSettings {
  /** The free parameters: JART names and circuit names (`seriesOhm`, device-level). */
  fitParams: FitParamName[];
  cycleParams: ParamName[];
  fixed: Partial<JartParams>;
  objective: ObjectiveOptions;
  /** 'hierarchical': the campaign as one mixed-effects model (fit/hier, started from the 'campaign' fit);
   *  'campaign': device-level + per-cycle parameters per device; 'joint': every cycle of a device shares all parameters; 'independent': every cycle on its own. */
  mode: 'hierarchical' | 'campaign' | 'joint' | 'independent';
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
  /** Jacobian of the LM: 'sensitivities' (default; the model's forward sensitivities where the free
   *  parameters allow, else finite differences) or 'fd' (forward differences throughout). */
  jacobian?: 'sensitivities' | 'fd';
}

/**
 * The default of every fit setting: the one table resolveFitSettings, the CLI and its help text
 * (`jartcal fit --help`) read. The objective's defaults are DEFAULT_OBJECTIVE (src/fit/cycle-data.ts).
 */
export const DEFAULT_FIT_SETTINGS = {
  mode: 'campaign',
  deviceCycles: 3,
  starts: 6,
  startSpread: 0.5,
  maxEvaluations: 250,
  relTol: 1e-3,
  gradientStep: 3e-3,
  poorFitRms: 0.15,
  illConditioned: 1e4,
  guess: true,
  statWeights: true,
  clampCarried: true,
  carryGeometry: false,
  seed: 1,
} as const satisfies Omit<FitSettings, 'fitParams' | 'cycleParams' | 'fixed' | 'objective' | 'jacobian'>;

/** The object without its undefined fields (an option not given takes its default). */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface FitOptions extends Partial<Omit<FitSettings, 'objective' | 'fixed'>> {
  objective?: Partial<ObjectiveOptions>;
  /** Fixed values: JART parameters, or a circuit parameter (`seriesOhm`, moved into the objective). */
  fixed?: Partial<JartParams> & Partial<Record<CircuitParamName, number>>;
}

const NAMES = new Set(PARAM_TABLE.map((p) => p.name));

/** Checks JART parameter names (and, with `circuit`, the circuit parameters `seriesOhm`). */
export function checkParamNames(names: string[], what: string, circuit = false): ParamName[] {
  for (const n of names) {
    if (circuit && isCircuitParam(n)) continue;
    if (!NAMES.has(n as ParamName))
      throw new JartcalError(
        `${what}: unknown parameter "${n}" (known: ${[...NAMES, ...(circuit ? CIRCUIT_PARAMS.map((c) => c.name) : [])].join(', ')})`,
        { code: 'bad_arguments' },
      );
  }
  return names as ParamName[];
}

export function resolveFitSettings(o: FitOptions = {}): FitSettings {
  // a fixed circuit parameter is a circuit option: `--fix seriesOhm=R` ≡ `--series-resistance R`
  const fixed: Partial<JartParams> = { ...(o.fixed ?? {}) };
  const circuitFixed: Partial<Record<CircuitParamName, number>> = {};
  for (const c of CIRCUIT_PARAMS) {
    const rec = fixed as Record<string, number>;
    if (c.name in rec) {
      const v = rec[c.name];
      if (!(v >= c.min && v <= c.max))
        throw new JartcalError(`fit: ${c.name} must be within [${c.min}, ${c.max}] ${c.unit}, got ${v}.`, { code: 'bad_arguments' });
      circuitFixed[c.name] = v;
      delete rec[c.name];
    }
  }
  const fitParams = checkParamNames(
    o.fitParams ?? DEFAULT_FIT_PARAMS.filter((n) => !(n in fixed)),
    'fit parameters',
    true,
  ) as FitParamName[];
  if (fitParams.includes('seriesOhm') && fitParams.includes('RseriesTiOx')) {
    throw new JartcalError(
      'fit: seriesOhm and RseriesTiOx cannot both be free: in the model they enter only as their sum (both are linear resistors in the load line and neither heats the filament), so only the sum is identifiable. Fit seriesOhm with RseriesTiOx fixed (its default, or --fix RseriesTiOx=...), or fit RseriesTiOx alone.',
      { code: 'bad_arguments' },
    );
  }
  for (const n of Object.keys(circuitFixed))
    if (fitParams.includes(n as FitParamName)) throw new JartcalError(`fit: "${n}" is both fitted and fixed.`, { code: 'bad_arguments' });
  if (fitParams.length === 0) throw new JartcalError('fit: no free parameter left (every one is fixed).', { code: 'bad_arguments' });
  for (const n of fitParams) if (n in fixed) throw new JartcalError(`fit: "${n}" is both fitted and fixed.`, { code: 'bad_arguments' });
  if (new Set(fitParams).size !== fitParams.length)
    throw new JartcalError('fit: a parameter is listed twice in --fit.', { code: 'bad_arguments' });
  const cycleParams = checkParamNames(
    o.cycleParams ?? V1B_VAR_PARAMS.filter((n) => fitParams.includes(n)),
    'cycle parameters (circuit parameters are device-level)',
  );
  for (const n of cycleParams)
    if (!fitParams.includes(n))
      throw new JartcalError(`fit: cycle parameter "${n}" is not among the fitted ones.`, { code: 'bad_arguments' });
  const d = DEFAULT_FIT_SETTINGS;
  const s: FitSettings = {
    fitParams,
    cycleParams,
    fixed,
    objective: { ...DEFAULT_OBJECTIVE, ...definedOnly(o.objective ?? {}), ...circuitFixed },
    mode: o.mode ?? d.mode,
    deviceCycles: o.deviceCycles ?? d.deviceCycles,
    starts: o.starts ?? d.starts,
    startSpread: o.startSpread ?? d.startSpread,
    maxEvaluations: o.maxEvaluations ?? d.maxEvaluations,
    relTol: o.relTol ?? d.relTol,
    gradientStep: o.gradientStep ?? d.gradientStep,
    poorFitRms: o.poorFitRms ?? d.poorFitRms,
    illConditioned: o.illConditioned ?? d.illConditioned,
    guess: o.guess ?? d.guess,
    statWeights: o.statWeights ?? d.statWeights,
    clampCarried: o.clampCarried ?? d.clampCarried,
    carryGeometry: o.carryGeometry ?? d.carryGeometry,
    seed: o.seed ?? d.seed,
    ...(o.jacobian ? { jacobian: o.jacobian } : {}),
  };
  if (!['hierarchical', 'campaign', 'joint', 'independent'].includes(s.mode))
    throw new JartcalError(`fit: unknown mode "${s.mode}" (hierarchical, campaign, joint, independent).`, { code: 'bad_arguments' });
  for (const [k, v] of Object.entries({ deviceCycles: s.deviceCycles, starts: s.starts, maxEvaluations: s.maxEvaluations })) {
    if (!Number.isInteger(v) || v < 1) throw new JartcalError(`fit: ${k} must be a positive integer, got ${v}.`, { code: 'bad_arguments' });
  }
  return s;
}
