/**
 * THE parameter table of JART VCM v1b (shared spec §4, units of §13): name, unit, default, valid
 * range, meaning. Every other part of jartcal (file readers, fits, populations, docs) uses it.
 * Lengths in metres, N in 1e26 m^-3, energies in eV, resistances in Ω.
 */
import { JartcalError, type ErrorLocation } from '../util/errors.js';

export interface ParamSpec<N extends string = ParamName> {
  name: N;
  unit: string;
  default: number;
  min: number;
  max: number;
  meaning: string;
  /** Strictly positive over its whole range: fits may use ln(value). */
  positive: boolean;
  /** Varied device-to-device and cycle-to-cycle in JART v1b var (spec §6). */
  variability: 'd2d+c2c' | 'none';
}

export type JartParams = { [K in ParamName]: number };

function spec<N extends string>(
  name: N,
  unit: string,
  def: number,
  min: number,
  max: number,
  meaning: string,
  variability: 'd2d+c2c' | 'none' = 'none',
): ParamSpec<N> {
  return { name, unit, default: def, min, max, meaning, positive: min > 0, variability };
}

/**
 * Ranges: the Verilog-A ranges of spec §4 where it gives one. Where it gives none (epsphib, R0,
 * Rthline, alphaline, T0) the range is our own choice, wide around the default, stated here.
 */
const TABLE = [
  spec('eps', '1', 17, 10, 25, 'static relative permittivity of the oxide (TFE, W00)'),
  spec('epsphib', '1', 5.5, 2, 25, 'relative permittivity for image-force barrier lowering (range: jartcal choice)'),
  spec('phiBn0', 'eV', 0.18, 0.1, 0.5, 'nominal Schottky barrier height'),
  spec('phin', 'eV', 0.1, 0.1, 0.3, 'E_C - E_F in the oxide'),
  spec('un', 'm^2/(V s)', 4e-6, 1e-6, 1e-5, 'electron mobility in disc and plug'),
  spec('Ndiscmax', '1e26 m^-3', 20, 0.001, 1100, 'upper bound of the disc vacancy concentration N', 'd2d+c2c'),
  spec('Ndiscmin', '1e26 m^-3', 0.008, 0.0001, 100, 'lower bound of the disc vacancy concentration N', 'd2d+c2c'),
  spec('Ninit', '1e26 m^-3', 0.008, 0.0001, 1000, 'initial disc vacancy concentration (default: Ndiscmin)'),
  spec('Nplug', '1e26 m^-3', 20, 0.001, 100, 'plug vacancy concentration'),
  spec('a', 'm', 0.25e-9, 0.1e-9, 1e-9, 'ion hopping distance'),
  spec('ny0', 'Hz', 2e13, 1e10, 1e14, 'attempt frequency'),
  spec('dWa', 'eV', 1.35, 0.8, 1.5, 'hopping activation energy'),
  spec('Rth0', 'K/W', 15.72e6, 1e6, 20e6, 'filament thermal resistance at the nominal radius rdet'),
  spec('rdet', 'm', 45e-9, 5e-9, 100e-9, 'nominal filament radius (reference of the R_th scaling)'),
  spec('rnew', 'm', 45e-9, 5e-9, 100e-9, 'filament radius of this device/cycle (v1b var; default: rdet)', 'd2d+c2c'),
  spec('lcell', 'm', 3e-9, 2e-9, 5e-9, 'disc + plug length'),
  spec('ldet', 'm', 0.4e-9, 0.1e-9, 5e-9, 'nominal disc length'),
  spec('lnew', 'm', 0.4e-9, 0.1e-9, 5e-9, 'disc length of this device/cycle (v1b var; default: ldet)', 'd2d+c2c'),
  spec('Rtheff_scaling', '1', 0.27, 0.1, 1, 'R_th factor for V > 0 (RESET)'),
  spec('RseriesTiOx', 'Ohm', 650, 0, 5000, 'TiOx series resistance'),
  spec('R0', 'Ohm', 719.2437, 0, 1e4, 'line resistance at I = 0 (range: jartcal choice)'),
  spec('Rthline', 'K/W', 90471.47, 0, 1e6, 'thermal resistance of the lines (range: jartcal choice)'),
  spec('alphaline', '1/K', 3.92e-3, 0, 1e-2, 'temperature coefficient of the line resistance (range: jartcal choice)'),
  spec('T0', 'K', 293, 200, 400, 'ambient temperature (range: jartcal choice)'),
] as const;

/** A JART parameter name: the names of the table below, derived from it. */
export type ParamName = (typeof TABLE)[number]['name'];

export const PARAM_TABLE: readonly ParamSpec[] = Object.freeze(TABLE);

/**
 * The quantities JART v1b var varies device to device and cycle to cycle (spec §6): exactly the rows
 * marked 'd2d+c2c' above (checked at load), in the order fits, populations and exports list them.
 */
export const V1B_VAR_PARAMS: readonly ParamName[] = Object.freeze(['rnew', 'lnew', 'Ndiscmin', 'Ndiscmax'] as const);
{
  const marked = TABLE.filter((s) => s.variability === 'd2d+c2c')
    .map((s) => s.name as string)
    .sort()
    .join();
  if ([...V1B_VAR_PARAMS].sort().join() !== marked) throw new Error(`V1B_VAR_PARAMS differs from the table's d2d+c2c rows (${marked})`);
}

export const PARAM_NAMES: readonly ParamName[] = PARAM_TABLE.map((s) => s.name);
const BY_NAME = new Map<string, ParamSpec>(PARAM_TABLE.map((s) => [s.name, s]));

export function paramSpec(name: ParamName): ParamSpec {
  return BY_NAME.get(name) as ParamSpec;
}

export function isParamName(name: string): name is ParamName {
  return BY_NAME.has(name);
}

/** Cüppers 2019 defaults; Ninit = Ndiscmin, rnew = rdet, lnew = ldet. */
export const DEFAULT_PARAMS: Readonly<JartParams> = Object.freeze(
  Object.fromEntries(PARAM_TABLE.map((s) => [s.name, s.default])) as JartParams,
);

/**
 * Validates a partial parameter set and fills the defaults. Unknown name, non-number, non-finite
 * or out-of-range value → JartcalError (naming the parameter, its range and `where`).
 * Missing rnew → rdet, lnew → ldet, Ninit → Ndiscmin (of the resolved set).
 */
export function resolveParams(partial: Record<string, unknown>, where?: ErrorLocation): JartParams {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw new JartcalError('parameters must be an object of NAME: number', { code: 'bad_params', location: where });
  }
  const out: Partial<JartParams> = {};
  for (const [key, value] of Object.entries(partial)) {
    const s = BY_NAME.get(key);
    if (!s) {
      throw new JartcalError(`unknown parameter "${key}" (known: ${PARAM_NAMES.join(', ')})`, { code: 'unknown_param', location: where });
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new JartcalError(`parameter "${key}" must be a finite number, got ${JSON.stringify(value)}`, {
        code: 'bad_param_value',
        location: where,
      });
    }
    if (value < s.min || value > s.max) {
      throw new JartcalError(`parameter "${key}" = ${value} ${s.unit} is outside its valid range [${s.min}, ${s.max}] ${s.unit}`, {
        code: 'param_out_of_range',
        location: where,
      });
    }
    out[s.name] = value;
  }
  const p = { ...DEFAULT_PARAMS, ...out } as JartParams;
  if (out.rnew === undefined) p.rnew = p.rdet;
  if (out.lnew === undefined) p.lnew = p.ldet;
  if (out.Ninit === undefined) p.Ninit = p.Ndiscmin;
  if (p.Ndiscmin >= p.Ndiscmax) {
    throw new JartcalError(`Ndiscmin (${p.Ndiscmin}) must be below Ndiscmax (${p.Ndiscmax})`, {
      code: 'param_out_of_range',
      location: where,
    });
  }
  if (p.lnew >= p.lcell || p.ldet >= p.lcell) {
    throw new JartcalError(`the disc length (ldet ${p.ldet} m, lnew ${p.lnew} m) must be shorter than lcell (${p.lcell} m)`, {
      code: 'param_out_of_range',
      location: where,
    });
  }
  return p;
}
