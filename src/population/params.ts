/**
 * The parameter names, defaults and ranges this stage uses: THE table of the model stage
 * (src/model/params.ts, spec §4, file units of §13), re-exported with the helpers used here.
 */
import { PARAM_TABLE, V1B_VAR_PARAMS, type ParamName, type ParamSpec } from '../model/index.js';

export type { ParamName };
export type ParamInfo = ParamSpec;

export const PARAM_NAMES: readonly ParamName[] = PARAM_TABLE.map((p) => p.name);
const BY_NAME = new Map(PARAM_TABLE.map((p) => [p.name, p] as const));

export function paramInfo(name: string): ParamInfo | undefined {
  return BY_NAME.get(name as ParamName);
}

export function isParamName(name: string): name is ParamName {
  return BY_NAME.has(name as ParamName);
}

/** The four quantities JART v1b var varies device-to-device and cycle-to-cycle (spec §6; the model's table). */
export const V1B_VAR: readonly ParamName[] = V1B_VAR_PARAMS;
