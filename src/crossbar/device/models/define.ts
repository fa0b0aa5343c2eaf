/**
 * What a crossbar device model registers (src/crossbar/device/models/registry.ts): its name, the config
 * section it reads (whose zod schema holds its defaults), whether it needs a JART pulse engine, its own
 * config checks and its factory. Adding a model is one file here and one line in the registry.
 */
import type { Rng } from '../../../util/rng.js';
import type { ExperimentConfig } from '../../experiment/config.js';
import type { PulseEngine } from '../jartEngine.js';
import type { DeviceArray } from '../types.js';
import type { KineticEngines } from '../factory.js';
import type { AmplitudeLadder } from '../jartArray.js';

/** What the factory hands a model when it builds one tile's devices. */
export interface DeviceContext {
  config: ExperimentConfig;
  size: number;
  rng: Rng;
  /** the nominal pulse engine (models with `pulseEngine`), else null */
  engine: PulseEngine | null;
  /** N clamp of the nominal weight bounds and the clamp of any weight bound (pulse-engine models) */
  clamp: [number, number] | null;
  clampOf: ((w: number, upper: boolean) => number) | undefined;
  kinetic: KineticEngines | null;
  /** geometry ranges the engines cover (a population's drawn devices are kept inside) */
  ranges: { r: [number, number]; l: [number, number] } | null;
  /** the longest disc a device may have (m) */
  lMaxM: number;
  /** write-verify with amplitude ramping: the amplitude ladder and its engines (pulse-engine models) */
  amplitude?: AmplitudeLadder;
}

/** A config problem a model reports: a JSON path below the config and what was expected there. */
export type ConfigIssue = (path: (string | number)[], expected: string) => void;

export interface DeviceModelDef<N extends string = string> {
  name: N;
  /** one line for docs/formats.md and the help */
  summary: string;
  /** the `device` sections it reads (`device.jart`, `device.softBounds`) */
  sections: readonly string[];
  /** needs a JART pulse engine (src/crossbar/device/jartEngine.ts) */
  pulseEngine: boolean;
  /** config checks that depend on the model (options that apply to other models only) */
  check?(config: ExperimentConfig, issue: ConfigIssue): void;
  make(ctx: DeviceContext): DeviceArray;
}
