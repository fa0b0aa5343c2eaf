/**
 * The device interface every crossbar cell model implements: pulse update + read, over typed
 * arrays of `size` devices (one tile). Weights are in weight units (the tile's mapping); the
 * tile keeps a Float32Array copy of every device's weight for the MVM kernels.
 */
export interface DeviceArray {
  readonly kind: string;
  readonly size: number;
  /** Weight of device k as read (mapping applied). */
  weight(k: number): number;
  /**
   * Apply |count| identical pulses to device k: count > 0 potentiates (SET, weight up), count < 0
   * depresses (RESET, weight down). Pulses at a bound are skipped (as in aihwkit). Returns the new weight.
   */
  pulse(k: number, count: number): number;
  /**
   * Optional: one pulse of `widthFactor` times the nominal width (dir > 0 potentiates), at `amplitudeFactor`
   * (default 1; one of `amplitudeFactors`) times the configured amplitude of that polarity. Devices that
   * have it can be programmed with width ramping, and with amplitude ramping when they list
   * `amplitudeFactors` (program/writeVerify.ts).
   */
  pulseWidth?(k: number, dir: number, widthFactor: number, amplitudeFactor?: number): number;
  /** Optional: the amplitude ladder (factors on the configured amplitudes, ascending, holding 1) `pulseWidth` takes. */
  readonly amplitudeFactors?: readonly number[];
  /** Put device k in the state whose weight is closest to w (an ideal "set_weights", no pulses). */
  setWeight(k: number, w: number): void;
  /** Read current of device k at the read voltage (A); for behavioural devices a proportional stand-in. */
  readCurrentA(k: number): number;
  /** Lower / upper weight of device k (its reachable range). */
  wMin(k: number): number;
  wMax(k: number): number;
  /** Pulses actually applied (not skipped) since construction. */
  pulsesApplied: number;
  /** The mutable per-device state (live arrays), for checkpoints; construction values are re-drawn from the seed. */
  stateArrays(): Float64Array[];
}

/** Parameters of one varied quantity (aihwkit JARTv1bDevice semantics, spec §8). */
export interface VarSpec {
  /** Device-to-device relative sigma (X_dev = X·(1 + dtod·ξ), ξ ~ N(0,1)), clipped to [dtodLower, dtodUpper] (absolute, 0 = none). */
  dtod: number;
  dtodLower: number;
  dtodUpper: number;
  /** Cycle-to-cycle after every applied pulse: X ← X·(1 + std·U(−1,1) + ratio·slope·U(−1,1)), clamped to X_dev·(1+ctocLower)…X_dev·(1+ctocUpper). */
  std: number;
  slope: number;
  ctocLower: number;
  ctocUpper: number;
}

export const NO_VAR: VarSpec = { dtod: 0, dtodLower: 0, dtodUpper: 0, std: 0, slope: 0, ctocLower: 0, ctocUpper: 0 };
