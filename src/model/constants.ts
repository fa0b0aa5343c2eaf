/** Physical constants exactly as hard-coded in the JART Verilog-A (shared spec §3). SI units. */
export const Q_E = 1.602e-19; // C
const K_B = 1.3807e-23; // J/K
export const K_B_OVER_E = K_B / Q_E; // V/K (8.61860174781523e-5)
export const A_STAR = 6.01e5; // A m^-2 K^-2 (Richardson constant)
export const M_DIEL = 9.10938e-31; // kg (tunnelling mass)
export const H_PLANCK = 6.626e-34; // J s
export const Z_VO = 2; // charge number of an oxygen vacancy
export const EPS0 = 8.854e-12; // F/m
/** N is carried in units of 1e26 m^-3. */
export const N_UNIT = 1e26;
/** |V| below which the applied voltage counts as zero (v1b var zero-crossing events, spec §6.1). */
export const V_ZERO_BAND = 1.5e-5;

/**
 * Default read voltage magnitude, V: where HRS and LRS are read (ingest features, the population
 * profile's simulated sweeps). 0.1 V: well below the switching voltages of the example campaign and the
 * JART defaults (|V_SET|, V_RESET ≥ 0.5 V), so reading does not disturb the state.
 */
export const DEFAULT_READ_VOLTAGE_V = 0.1;
