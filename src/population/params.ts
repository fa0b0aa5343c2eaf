/**
 * The parameter names, defaults and ranges this stage uses: THE table of the model stage
 * (src/model/params.ts, spec §4, file units of §13), re-exported under the names used here.
 */
import { paramSpec, V1B_VAR_PARAMS, isParamName, type ParamName, type ParamSpec } from '../model/index.js';

export { PARAM_NAMES, type ParamName } from '../model/index.js';
export type ParamInfo = ParamSpec;

/** The table's row of a parameter, or undefined for a name that is not a JART parameter. */
export function paramInfo(name: string): ParamInfo | undefined {
  return isParamName(name) ? paramSpec(name) : undefined;
}

/** The four quantities JART v1b var varies device-to-device and cycle-to-cycle (spec §6; the model's table). */
export const V1B_VAR: readonly ParamName[] = V1B_VAR_PARAMS;
