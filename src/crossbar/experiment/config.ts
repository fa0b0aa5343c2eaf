/**
 * Experiment configuration: options in (partial JSON), resolved config out. Defaults are the
 * paper's (Yu et al. 2022): 784-256-128-10 sigmoid MLP, zero init, lr 0.05 halved every 10 epochs,
 * batch 32, aihwkit IO/update defaults, digital bias, JART pulses −0.342 V / +0.7065 V, 1 µs. The JART
 * weight mapping is what the paper-era aihwkit C++ computed: its JARTv1b parameter struct shadows
 * w_min/w_max (defaults ±0.6) and derives the current↔weight map from those, while the configs' ±1.5 went
 * to the base class's weight bounds. So w is linear in the read current from −0.6 at N = 0.06 to +0.6 at
 * N = 1.9897, and the N clamp (the N of w = ±1.5) lies outside what the read current reaches: N moves in
 * the device's own [N_min, N_max] = [0.008, 20] (docs/crossbar.md, "Differences to aihwkit 0.6.0").
 * The schema, its defaults and its checks are in src/schema/experiment.ts; unknown keys and wrong types
 * are refused with the JSON path named.
 */
import { experimentConfigSchema, type ExperimentConfig } from '../../schema/experiment.js';
import { parseWith } from '../../schema/issues.js';

export type { ExperimentConfig } from '../../schema/experiment.js';
export type { DeviceModel } from '../device/models/registry.js';
export type { JartDeviceConfig } from '../device/models/jart-section.js';
export type { SoftBoundsConfig } from '../device/models/soft-bounds.js';

/** A config's notes: keys starting with `$` (e.g. `$schema`) and `comment`, at any depth. */
function withoutNotes(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutNotes);
  if (x === null || typeof x !== 'object') return x;
  return Object.fromEntries(
    Object.entries(x as Record<string, unknown>)
      .filter(([k]) => !k.startsWith('$') && k !== 'comment')
      .map(([k, v]) => [k, k === 'population' ? v : withoutNotes(v)]),
  );
}

/** The resolved config of a partial one (parsed JSON, or an already resolved config to re-check); `file` names it in errors. */
export function resolveConfig(input: unknown, file = 'config'): ExperimentConfig {
  // a deep copy: callers mutate the result
  return structuredClone(parseWith(experimentConfigSchema, withoutNotes(input ?? {}), file, 'bad_config'));
}

/** Every default (`resolveConfig({})`). */
export const DEFAULT_CONFIG: ExperimentConfig = resolveConfig({});
