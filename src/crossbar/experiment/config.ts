/**
 * Experiment configuration: options in (partial JSON), resolved config out. Defaults are the
 * paper's (Yu et al. 2022): 784-256-128-10 sigmoid MLP, zero init, lr 0.05 halved every 10 epochs,
 * batch 32, aihwkit IO/update defaults, digital bias, JART pulses −0.342 V / +0.7065 V, 1 µs. The JART
 * weight mapping is what the paper-era aihwkit C++ computed: its JARTv1b parameter struct shadows
 * w_min/w_max (defaults ±0.6) and derives the current↔weight map from those, while the configs' ±1.5 went
 * to the base class's weight bounds. So w is linear in the read current from −0.6 at N = 0.06 to +0.6 at
 * N = 1.9897, and the N clamp (the N of w = ±1.5) lies outside what the read current reaches: N moves in
 * the device's own [N_min, N_max] = [0.008, 20] (docs/crossbar.md, "Differences to aihwkit 0.6.0").
 * Unknown keys and wrong types are refused with the JSON path named.
 */
import { JartcalError } from '../../util/errors.js';
import { AIHWKIT_BACKWARD, AIHWKIT_FORWARD, type IOParams } from '../periphery/io.js';
import { AIHWKIT_UPDATE, type UpdateParams } from '../train/pulseUpdate.js';
import { NO_VAR, type VarSpec } from '../device/types.js';
import type { CrossbarPopulation } from '../device/population.js';
import { readPopulation } from '../../population/schema.js';

export type DeviceModel = 'aihwkit-jart' | 'jart' | 'soft-bounds' | 'ideal';

export interface JartDeviceConfig {
  vSetV: number;
  vResetV: number;
  widthS: number;
  dtS: number;
  vReadV: number;
  /** Mapping: weight wMin at N = nLo and wMax at N = nHi, linear in the read current. */
  nLo: number;
  nHi: number;
  wMin: number;
  wMax: number;
  /**
   * Device weight bounds (aihwkit PulsedDevice w_min/w_max): N is clamped after a pulse to the N of these
   * weights under the mapping (no clamp where that current is out of the read's range). Equal to wMin/wMax
   * → the peripheral clamp [nLo, nHi].
   */
  wBoundMin: number;
  wBoundMax: number;
  /**
   * aihwkit-jart only: the thermal resistance of a device with radius r — 'area' (default), Rth0·(r_nom/r)²,
   * as the paper-era fork computes it from 2022-10-24 (e443dbf); 'none', Rth0 for every radius, as its code
   * up to 2022-10-11 (397e4df) did (there only the SET field depends on r). docs/crossbar.md.
   */
  rthScaling: 'area' | 'none';
  /** Per-pulse engine: 'table' (ln ΔN(N, r) table, fast) or 'exact' (integrate every pulse). */
  engine: 'table' | 'exact';
  tablePoints: number;
  tableRadii: number;
  /** Points of the table's ln l axis when the disc length varies (aihwkit algorithm); 1 = 1/l scaling + exact large pulses. */
  tableLengths: number;
  /** Nominal (mean) device: filament radius and disc length (m), N bounds (1e26 m^-3). */
  nominal: { rM: number; lM: number; nMin: number; nMax: number };
  variability: { Ndiscmax: VarSpec; Ndiscmin: VarSpec; ldisc: VarSpec; rdisc: VarSpec; wBounds: VarSpec };
  /**
   * Full model with a population whose parameters other than the geometry and N bounds vary device to
   * device (phiBn0, dWa, ...): the number of kinetic classes, one pulse engine each (src/crossbar/device/population.ts).
   * 1 = every device on the population's central parameters.
   */
  kineticClasses: number;
  /**
   * Full model: 'config' (default) maps the weights on nLo … nHi as given; 'device' puts them at the paper's
   * relative ln N positions between the nominal device's own N bounds (src/crossbar/device/operatingPoint.ts).
   */
  nWindow: 'config' | 'device';
  /** Full model: > 0 chooses vSetV and vResetV so a full swing of the nominal device takes this many pulses each way; 0 = the given voltages. */
  pulseMatch: number;
}

export interface SoftBoundsConfig {
  dwMin: number;
  dwMinDtod: number;
  dwMinStd: number;
  upDown: number;
  upDownDtod: number;
  wMin: number;
  wMax: number;
  wMinDtod: number;
  wMaxDtod: number;
}

export interface ProgramConfig {
  method: 'write-verify' | 'open-loop' | 'ideal';
  tolerance: number;
  maxPulses: number;
  pulsesPerStep: number;
  /**
   * Write-verify pulse shape: 'none' = the configured pulse, in bursts (default); 'width' = one pulse at a
   * time whose width the programmer chooses per device from its response, within widthRange × the
   * configured width (program/writeVerify.ts, writeVerifyRamp).
   */
  ramp: 'none' | 'width';
  widthRange: number[];
}

export interface WireConfig {
  rWireOhm: number;
  vReadV: number;
  iterations: number;
  tol: number;
  /** Inference: further wire resistances (Ω per segment) evaluated on the same programmed draw. */
  sweepOhm: number[];
  /** IR-drop compensation: 'column-gain' scales each column's analog current by the ratio of the current its
   *  programmed devices should deliver with all rows at V_read to the current that arrives (a one-vector
   *  calibration per column, after programming); 'none' (default). */
  compensation: 'none' | 'column-gain';
}

export interface ExperimentConfig {
  name: string;
  description: string;
  seed: number;
  /** in-situ: pulsed training on the devices; digital: tfjs FP baseline; inference: tfjs training, then programming and analog inference. */
  mode: 'in-situ' | 'digital' | 'inference';
  /**
   * digitalBias: with bias on, keep it digital (a float added after the analog MVM, plain SGD) as aihwkit
   * 0.6.0 does by default (MappingParameter.digital_bias = True; the paper's AnalogLinear layers), or put it
   * on the tile as a column driven by an input of 1 (false).
   */
  network: { sizes: number[]; bias: boolean; digitalBias: boolean; init: 'zero' | 'uniform' };
  training: {
    epochs: number;
    batchSize: number;
    lr: number;
    lrStepEpochs: number;
    lrGamma: number;
    trainSamples: number;
    testSamples: number;
    repeats: number;
    shuffle: boolean;
  };
  tile: { maxInputSize: number; maxOutputSize: number };
  /**
   * population: devices drawn from a calibrated population (set by `--population`; the sampler's inputs of
   * the file, src/crossbar/device/population.ts), or null (the variability specs above).
   */
  device: { model: DeviceModel; jart: JartDeviceConfig; softBounds: SoftBoundsConfig; population: CrossbarPopulation | null };
  /** pairZero (differential pair): 'low' = w 0 at both devices' g = 0, a weight's magnitude on one device
   *  (in-situ training with one-sided SETs); 'mid' = w 0 at g = ½ on both, a weight split symmetrically (write-verify). */
  mapping: { kind: 'single-device' | 'differential-pair'; weightScale: number; pairZero: 'low' | 'mid' };
  forward: IOParams;
  backward: IOParams;
  update: UpdateParams;
  program: ProgramConfig;
  wire: WireConfig;
}

const v = (o: Partial<VarSpec> = {}): VarSpec => ({ ...NO_VAR, ...o });

export const DEFAULT_CONFIG: ExperimentConfig = {
  name: 'unnamed',
  description: '',
  seed: 1,
  mode: 'in-situ',
  network: { sizes: [784, 256, 128, 10], bias: true, digitalBias: true, init: 'zero' },
  training: {
    epochs: 30,
    batchSize: 32,
    lr: 0.05,
    lrStepEpochs: 10,
    lrGamma: 0.5,
    trainSamples: 60000,
    testSamples: 10000,
    repeats: 1,
    shuffle: true,
  },
  tile: { maxInputSize: 512, maxOutputSize: 512 },
  device: {
    model: 'aihwkit-jart',
    jart: {
      vSetV: -0.342,
      vResetV: 0.7065,
      widthS: 1e-6,
      dtS: 1e-8,
      vReadV: 0.2,
      nLo: 0.06,
      nHi: 1.9897452127440085,
      wMin: -0.6,
      wMax: 0.6,
      wBoundMin: -1.5,
      wBoundMax: 1.5,
      rthScaling: 'area',
      engine: 'table',
      tablePoints: 2049,
      tableRadii: 49,
      tableLengths: 5,
      nominal: { rM: 45e-9, lM: 0.4e-9, nMin: 0.008, nMax: 20 },
      variability: { Ndiscmax: v(), Ndiscmin: v(), ldisc: v(), rdisc: v(), wBounds: v() },
      kineticClasses: 64,
      nWindow: 'config',
      pulseMatch: 0,
    },
    softBounds: {
      dwMin: 0.001,
      dwMinDtod: 0.3,
      dwMinStd: 0.3,
      upDown: 0,
      upDownDtod: 0.01,
      wMin: -1.5,
      wMax: 1.5,
      wMinDtod: 0.3,
      wMaxDtod: 0.3,
    },
    population: null,
  },
  mapping: { kind: 'single-device', weightScale: 1, pairZero: 'low' },
  forward: AIHWKIT_FORWARD,
  backward: AIHWKIT_BACKWARD,
  update: AIHWKIT_UPDATE,
  program: { method: 'write-verify', tolerance: 0.02, maxPulses: 20000, pulsesPerStep: 1, ramp: 'none', widthRange: [0.001, 1000] },
  wire: { rWireOhm: 0, vReadV: 0.2, iterations: 500, tol: 1e-9, sweepOhm: [], compensation: 'none' },
};

function fail(path: string, what: string, file?: string): never {
  throw new JartcalError(`config ${path}: ${what}`, { code: 'bad_config', location: file ? { file } : undefined });
}

/** Deep-merges `input` over `defaults`, refusing unknown keys and type mismatches. */
function merge(defaults: unknown, input: unknown, path: string, file?: string): unknown {
  if (input === undefined) return defaults;
  if (Array.isArray(defaults)) {
    if (!Array.isArray(input) || !input.every((x) => typeof x === 'number' && Number.isFinite(x)))
      fail(path, 'expected an array of numbers', file);
    return input;
  }
  if (defaults !== null && typeof defaults === 'object') {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) fail(path, 'expected an object', file);
    const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
    for (const [k, val] of Object.entries(input as Record<string, unknown>)) {
      if (k.startsWith('$') || k === 'comment') continue;
      if (!(k in out)) fail(`${path}.${k}`, `unknown key (expected one of ${Object.keys(out).join(', ')})`, file);
      out[k] = merge(out[k], val, `${path}.${k}`, file);
    }
    return out;
  }
  if (typeof defaults === 'number') {
    if (typeof input !== 'number' || !Number.isFinite(input)) fail(path, `expected a finite number, got ${JSON.stringify(input)}`, file);
    return input;
  }
  if (typeof defaults === 'boolean') {
    if (typeof input !== 'boolean') fail(path, 'expected true or false', file);
    return input;
  }
  if (typeof defaults === 'string') {
    if (typeof input !== 'string') fail(path, 'expected a string', file);
    return input;
  }
  return input;
}

const ENUMS: [string, (c: ExperimentConfig) => string, string[]][] = [
  ['mode', (c) => c.mode, ['in-situ', 'digital', 'inference']],
  ['network.init', (c) => c.network.init, ['zero', 'uniform']],
  ['device.model', (c) => c.device.model, ['aihwkit-jart', 'jart', 'soft-bounds', 'ideal']],
  ['device.jart.engine', (c) => c.device.jart.engine, ['table', 'exact']],
  ['device.jart.rthScaling', (c) => c.device.jart.rthScaling, ['area', 'none']],
  ['device.jart.nWindow', (c) => c.device.jart.nWindow, ['config', 'device']],
  ['mapping.kind', (c) => c.mapping.kind, ['single-device', 'differential-pair']],
  ['mapping.pairZero', (c) => c.mapping.pairZero, ['low', 'mid']],
  ['forward.noiseManagement', (c) => c.forward.noiseManagement, ['abs_max', 'none']],
  ['forward.boundManagement', (c) => c.forward.boundManagement, ['iterative', 'none']],
  ['backward.noiseManagement', (c) => c.backward.noiseManagement, ['abs_max', 'none']],
  ['backward.boundManagement', (c) => c.backward.boundManagement, ['iterative', 'none']],
  ['program.method', (c) => c.program.method, ['write-verify', 'open-loop', 'ideal']],
  ['program.ramp', (c) => c.program.ramp, ['none', 'width']],
  ['wire.compensation', (c) => c.wire.compensation, ['none', 'column-gain']],
];

export function resolveConfig(input: unknown, file?: string): ExperimentConfig {
  // a deep copy: the merge shares the defaults' objects where the input has no key, and callers mutate the result
  const c = structuredClone(merge(DEFAULT_CONFIG, input, '$', file)) as ExperimentConfig;
  for (const [p, get, allowed] of ENUMS)
    if (!allowed.includes(get(c))) fail(p, `expected one of ${allowed.join(', ')}, got "${get(c)}"`, file);
  const t = c.training;
  const posInt = (x: number, p: string): void => {
    if (!Number.isInteger(x) || x < 1) fail(p, `expected a positive integer, got ${x}`, file);
  };
  posInt(t.epochs, 'training.epochs');
  posInt(t.batchSize, 'training.batchSize');
  posInt(t.repeats, 'training.repeats');
  posInt(t.trainSamples, 'training.trainSamples');
  posInt(t.testSamples, 'training.testSamples');
  if (t.trainSamples > 60000) fail('training.trainSamples', 'MNIST has 60000 training samples', file);
  if (t.testSamples > 10000) fail('training.testSamples', 'MNIST has 10000 test samples', file);
  if (c.network.sizes.length < 2 || c.network.sizes[0] !== 784 || c.network.sizes[c.network.sizes.length - 1] !== 10)
    fail('network.sizes', 'expected [784, ..., 10] for MNIST', file);
  if (!(c.training.lr > 0)) fail('training.lr', 'expected > 0', file);
  if (c.update.desiredBL < 1 || c.update.desiredBL > 32) fail('update.desiredBL', 'expected 1..32', file);
  if (!(c.update.dwMin > 0)) fail('update.dwMin', 'expected > 0', file);
  const j = c.device.jart;
  if (!(j.nLo > 0 && j.nHi > j.nLo)) fail('device.jart.nLo/nHi', 'expected 0 < nLo < nHi', file);
  if (!(j.wMax > j.wMin)) fail('device.jart.wMin/wMax', 'expected wMin < wMax', file);
  if (!(j.wBoundMax > j.wBoundMin)) fail('device.jart.wBoundMin/wBoundMax', 'expected wBoundMin < wBoundMax', file);
  if (j.widthS / j.dtS > 1e5 || !(j.dtS > 0)) fail('device.jart.dtS', 'expected 0 < dtS with widthS/dtS ≤ 1e5', file);
  if (!Number.isInteger(j.tablePoints) || j.tablePoints < 2) fail('device.jart.tablePoints', 'expected an integer ≥ 2', file);
  if (!Number.isInteger(j.tableRadii) || j.tableRadii < 1) fail('device.jart.tableRadii', 'expected an integer ≥ 1', file);
  if (!Number.isInteger(j.tableLengths) || j.tableLengths < 1) fail('device.jart.tableLengths', 'expected an integer ≥ 1', file);
  if (!Number.isInteger(j.kineticClasses) || j.kineticClasses < 1 || j.kineticClasses > 256)
    fail('device.jart.kineticClasses', 'expected an integer 1..256', file);
  const wr = c.program.widthRange;
  if (wr.length !== 2 || !(wr[0] > 0 && wr[0] <= 1 && wr[1] >= 1))
    fail('program.widthRange', 'expected [min, max] with 0 < min ≤ 1 ≤ max', file);
  if (c.device.population !== null) checkPopulation(c.device.population, file);
  if (!Number.isInteger(j.pulseMatch) || j.pulseMatch < 0) fail('device.jart.pulseMatch', 'expected 0 (off) or a pulse count ≥ 1', file);
  if ((j.nWindow !== 'config' || j.pulseMatch > 0) && c.device.model !== 'jart')
    fail(j.pulseMatch > 0 ? 'device.jart.pulseMatch' : 'device.jart.nWindow', 'applies to the full model (device.model "jart") only', file);
  if (j.rthScaling !== 'area' && c.device.model !== 'aihwkit-jart')
    fail(
      'device.jart.rthScaling',
      `"${j.rthScaling}" applies to device.model "aihwkit-jart" only (the full model computes its own heating)`,
      file,
    );
  if (!(c.wire.rWireOhm >= 0) || c.wire.sweepOhm.some((r) => !(r > 0)))
    fail('wire', 'expected rWireOhm ≥ 0 and every sweepOhm value > 0', file);
  if (c.wire.sweepOhm.length && c.mode !== 'inference')
    fail('wire.sweepOhm', 'a wire-resistance sweep is evaluated in inference mode only', file);
  if (c.mode === 'inference' && c.program.method === 'open-loop' && c.network.init !== 'zero')
    fail('program.method', 'open-loop programming counts its pulses from the zero-init state: network.init must be "zero"', file);
  return c;
}

/** A config's embedded population: the population reader's checks (schema, names, families, correlation). */
function checkPopulation(p: unknown, file?: string): void {
  if (p === null || typeof p !== 'object' || Array.isArray(p) || typeof (p as { file?: unknown }).file !== 'string')
    fail('device.population', 'expected null or {file, base, parameters, correlation}', file);
  const q = p as CrossbarPopulation;
  try {
    readPopulation({ schema: 'jartcal.population/1', base: q.base, parameters: q.parameters, correlation: q.correlation }, q.file);
  } catch (e) {
    fail('device.population', `(from ${q.file}) ${(e as Error).message}`, file);
  }
}
