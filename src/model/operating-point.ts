/** Static operating points (no history: the smallest-|V_S| root, spec §5.5) and read currents. */
import { Driver } from './circuit.js';
import type { JartParams } from './params.js';

export interface OperatingPoint {
  /** Cell current, A (sign of V). */
  iA: number;
  /** Schottky voltage V_S, V. */
  vsV: number;
  /** Filament temperature, K. */
  tempK: number;
  /** dN/dt with window and bounds, 1e26 m^-3/s. */
  dndtPerS: number;
}

/** Operating point at cell voltage vV and state ndisc, geometry rnew/lnew of p. */
export function operatingPoint(p: JartParams, vV: number, ndisc: number): OperatingPoint {
  const d = new Driver(p);
  d.cell.setN(ndisc);
  d.solve(vV);
  return { iA: d.iA, vsV: d.vsV, tempK: d.tempK, dndtPerS: d.dndt() };
}

/** Static read current at vReadV for state ndisc, A. */
export function readCurrent(p: JartParams, ndisc: number, vReadV: number): number {
  const d = new Driver(p);
  d.cell.setN(ndisc);
  d.solve(vReadV);
  return d.iA;
}
