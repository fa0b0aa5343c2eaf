/**
 * The JART v1b parameter names, defaults and ranges this stage needs (spec §4, file units of §13:
 * lengths in metres, N in 1e26 m^-3). The model stage owns THE parameter table (`PARAM_TABLE` in
 * src/model); this is a local mirror so the population stage builds on its own. `resolveParams` of
 * the model is not needed here: population files carry only the parameters they vary or fix.
 */
export type ParamName = 'eps' | 'epsphib' | 'phiBn0' | 'phin' | 'un' | 'Ndiscmax' | 'Ndiscmin' | 'Ninit'
  | 'Nplug' | 'a' | 'ny0' | 'dWa' | 'Rth0' | 'rdet' | 'rnew' | 'lcell' | 'ldet' | 'lnew' | 'Rtheff_scaling'
  | 'RseriesTiOx' | 'R0' | 'Rthline' | 'alphaline' | 'T0';

export interface ParamInfo { name: ParamName; default: number; min: number; max: number; positive: boolean }

/** name, default, VA range (min, max), positive. Ranges without a VA range are wide physical limits. */
const ROWS: [ParamName, number, number, number, boolean][] = [
  ['eps', 17, 10, 25, true],
  ['epsphib', 5.5, 1, 50, true],
  ['phiBn0', 0.18, 0.1, 0.5, true],
  ['phin', 0.1, 0.1, 0.3, true],
  ['un', 4e-6, 1e-6, 1e-5, true],
  ['Ndiscmax', 20, 0.001, 1100, true],
  ['Ndiscmin', 0.008, 0.0001, 100, true],
  ['Ninit', 0.008, 0.0001, 1000, true],
  ['Nplug', 20, 0.001, 100, true],
  ['a', 0.25e-9, 0.1e-9, 1e-9, true],
  ['ny0', 2e13, 1e10, 1e14, true],
  ['dWa', 1.35, 0.8, 1.5, true],
  ['Rth0', 15.72e6, 1e6, 20e6, true],
  ['rdet', 45e-9, 5e-9, 100e-9, true],
  ['rnew', 45e-9, 5e-9, 100e-9, true],
  ['lcell', 3e-9, 2e-9, 5e-9, true],
  ['ldet', 0.4e-9, 0.1e-9, 5e-9, true],
  ['lnew', 0.4e-9, 0.1e-9, 5e-9, true],
  ['Rtheff_scaling', 0.27, 0.1, 1, true],
  ['RseriesTiOx', 650, 0, 5000, false],
  ['R0', 719.2437, 0, 1e6, false],
  ['Rthline', 90471.47, 0, 1e9, false],
  ['alphaline', 3.92e-3, 0, 1, false],
  ['T0', 293, 1, 1000, true],
];

export const PARAMS: readonly ParamInfo[] = ROWS.map(([name, def, min, max, positive]) => ({ name, default: def, min, max, positive }));
export const PARAM_NAMES: readonly ParamName[] = PARAMS.map((p) => p.name);
const BY_NAME = new Map(PARAMS.map((p) => [p.name, p] as const));

export function paramInfo(name: string): ParamInfo | undefined {
  return BY_NAME.get(name as ParamName);
}

export function isParamName(name: string): name is ParamName {
  return BY_NAME.has(name as ParamName);
}

/** The four quantities JART v1b var varies device-to-device and cycle-to-cycle (spec §6). */
export const V1B_VAR: readonly ParamName[] = ['rnew', 'lnew', 'Ndiscmin', 'Ndiscmax'];
