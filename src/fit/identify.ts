/**
 * Which per-cycle parameters a cycle's data can determine at all (beyond the linearised standard
 * error, which is local and can claim precision on a flat, non-quadratic valley).
 *
 * Physics (spec §6.3): the disc geometry enters the current through the disc's resistance, which
 * matters only while the disc is depleted (low N, the HRS: I ∝ r²/l there); in the LRS the plug and
 * the series resistance carry the voltage and the disc geometry hardly shows (rnew still does, through
 * the filament area; lnew, the disc length, does not). Likewise Ndiscmin is the RESET's end point.
 * So a cycle's own lnew (and its own Ndiscmin) is identified only if the model visits the HRS with the
 * cycle's own values somewhere in the measured sweep:
 *  - with a carried geometry (settings.carryGeometry, v1b var): the cycle starts with the previous
 *    cycle's geometry and reaches its own targets through its switching, so the HRS must be reached
 *    *after* the LRS peak, i.e. the RESET inside the sweep must be complete;
 *  - without it: the cycle runs at its own values throughout, so an HRS anywhere in the sweep counts
 *    (e.g. the HRS branch before a SET).
 * "HRS reached" = ln N within the lower half of the cycle's window [ln Ndiscmin, ln Ndiscmax]
 * (position ≤ HRS_POSITION). A device whose RESET voltage lies beyond the sweep stays near its LRS
 * (position ≈ 1); a completed RESET ends at position ≈ 0.
 */
import type { JartParams, ParamName } from '../model/index.js';
import type { FitFlag } from './types.js';

/** Window position at or below which the model is counted as in its HRS. */
export const HRS_POSITION = 0.5;

/** Parameters of a cycle that only its HRS determines. */
const HRS_ONLY_PARAMS: readonly ParamName[] = ['lnew', 'Ndiscmin'];

/** ln-position of N in [Ndiscmin, Ndiscmax]: 0 at Ndiscmin (HRS), 1 at Ndiscmax (LRS). */
function windowPosition(n: number, p: Pick<JartParams, 'Ndiscmin' | 'Ndiscmax'>): number {
  const lo = Math.log(p.Ndiscmin),
    hi = Math.log(p.Ndiscmax);
  return hi > lo ? (Math.log(n) - lo) / (hi - lo) : NaN;
}

export interface HrsVisit {
  /** lowest window position with the cycle's own values (see above); NaN if the simulation failed. */
  lowest: number;
  /** window position at the end of the cycle. */
  end: number;
  /** lowest position after the LRS peak (the RESET's depth). */
  afterPeak: number;
}

export function hrsVisit(ndisc: ArrayLike<number>, p: Pick<JartParams, 'Ndiscmin' | 'Ndiscmax'>, carriedGeometry: boolean): HrsVisit {
  let kPeak = -1,
    peak = -Infinity;
  for (let k = 0; k < ndisc.length; k++)
    if (ndisc[k] > peak) {
      peak = ndisc[k];
      kPeak = k;
    }
  let all = Infinity,
    after = Infinity;
  for (let k = 0; k < ndisc.length; k++) {
    const x = windowPosition(ndisc[k], p);
    if (!Number.isFinite(x)) continue;
    if (x < all) all = x;
    if (k >= kPeak && x < after) after = x;
  }
  const end = ndisc.length ? windowPosition(ndisc[ndisc.length - 1], p) : NaN;
  const fin = (x: number) => (Number.isFinite(x) ? x : NaN);
  return { lowest: fin(carriedGeometry ? after : all), end: fin(end), afterPeak: fin(after) };
}

/**
 * Flags for a cycle whose own HRS-only parameters the data cannot determine. `perCycle`: the
 * parameters fitted for this cycle alone (device-level ones are determined jointly, not here).
 * `carriedFromUnidentified`: the cycle starts with a geometry carried from a cycle whose lnew was
 * unidentified (only meaningful with a carried geometry): its RESET then moves from an undetermined
 * start, and the fit compensates the start with this cycle's lnew.
 * Returns the flags and the parameter names marked unidentified (their stderr is dropped).
 */
export function identifiabilityFlags(
  visit: HrsVisit,
  perCycle: ParamName[],
  dataHasReset: boolean,
  carriedFromUnidentified: boolean,
): { flags: FitFlag[]; unidentified: ParamName[] } {
  const flags: FitFlag[] = [];
  const hrsParams = perCycle.filter((n) => HRS_ONLY_PARAMS.includes(n));
  const reached = visit.lowest <= HRS_POSITION;
  const unidentified = new Set<ParamName>();
  if (!reached) {
    flags.push({
      code: 'reset_incomplete',
      detail: `model does not reach its HRS with this cycle's own values: lowest ln-position in [Ndiscmin, Ndiscmax] ${Number.isFinite(visit.lowest) ? visit.lowest.toFixed(3) : 'n/a'} > ${HRS_POSITION} (end ${Number.isFinite(visit.end) ? visit.end.toFixed(3) : 'n/a'}); the data ${dataHasReset ? 'show' : 'show no'} RESET`,
    });
    for (const n of hrsParams) unidentified.add(n);
  }
  if (carriedFromUnidentified) for (const n of hrsParams) if (n === 'lnew') unidentified.add(n);
  for (const n of unidentified) {
    flags.push({
      code: 'param_unidentified',
      param: n,
      detail: !reached
        ? 'the cycle has no HRS with its own values (no complete RESET in the sweep): the data do not constrain it; its linearised standard error is dropped'
        : 'the cycle starts from a geometry carried over from a cycle whose lnew was unidentified; the fit compensates that start with this value',
    });
  }
  return { flags, unidentified: [...unidentified] };
}

/** True when a cycle record says its value of `name` is not determined by its data. */
export function isUnidentified(flags: readonly { code: string; param?: string }[], name: string): boolean {
  return flags.some((f) => f.code === 'param_unidentified' && f.param === name);
}
