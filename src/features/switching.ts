/**
 * The one switching-feature extractor: every stage that reads HRS, LRS, V_SET, V_RESET or on/off off an
 * I-V curve calls it — the ingest stage on measured cycles, the variability profile and the population
 * refinement on simulated ones — so measured and simulated features have the same definitions.
 *
 * Switching features of one cycle, in the model convention (SET at negative V). Definitions
 * (docs/ingest.md): V_SET = voltage of the sample that ends the largest one-step rise of the
 * conductance log10(|I|/|V|) on the SET-out branch, among steps starting above 20 % of the branch's
 * peak |V| and not after the compliance is first reached; V_RESET = voltage of the largest |I| on the RESET-out branch (the RESET
 * onset), null if |I| never falls before the turning point; RESET peak = that |I|; HRS/LRS =
 * |V|/|I| at |V| = read voltage, interpolated on the SET-out (HRS) and SET-back (LRS) branches
 * (falling back to RESET-back / RESET-out); on/off = HRS/LRS; compliance hit = a SET-branch |I|
 * within 1 % of the compliance.
 */
import { findExcursions } from '../ingest/excursions.js';

import type { CycleFeatures } from '../ingest/types.js';

export type { CycleFeatures };
type Series = ArrayLike<number>;

function rAt(vV: Series, iA: Series, idx: number[], vr: number): number | null {
  for (let j = 0; j < idx.length; j++) {
    const k = idx[j];
    if (Math.abs(Math.abs(vV[k]) - vr) <= 1e-9 * Math.max(1, vr)) {
      const i = Math.abs(iA[k]);
      return i > 0 ? vr / i : null;
    }
    if (j === 0) continue;
    const p = idx[j - 1];
    const a = Math.abs(vV[p]),
      b = Math.abs(vV[k]);
    if ((a - vr) * (b - vr) < 0) {
      const f = (vr - a) / (b - a);
      const i = Math.abs(iA[p]) + f * (Math.abs(iA[k]) - Math.abs(iA[p]));
      return i > 0 ? vr / i : null;
    }
  }
  return null;
}

/** Features of a cycle whose samples carry branch labels (labelBranches): the ingest stage's call. */
export function computeFeatures(vV: Series, iA: Series, branch: Series, readV: number, complianceA: number | null): CycleFeatures {
  const idx: number[][] = [[], [], [], []];
  for (let k = 0; k < branch.length; k++) if (branch[k] >= 0) idx[branch[k]].push(k);
  let vSetV: number | null = null;
  const so = idx[0];
  if (so.length >= 3) {
    // largest one-step rise of the conductance |I|/|V| (excluding steps from ~0 V and from the noise floor)
    let imin = Infinity;
    for (const k of so) if (Math.abs(iA[k]) > 0) imin = Math.min(imin, Math.abs(iA[k]));
    let vmax = 0;
    for (const k of so) vmax = Math.max(vmax, Math.abs(vV[k]));
    let stop = so.length;
    if (complianceA !== null) {
      const q = so.findIndex((k) => Math.abs(iA[k]) >= 0.99 * complianceA);
      if (q > 0) stop = q + 1;
    }
    let best = -Infinity,
      at = -1;
    for (let j = 1; j < stop; j++) {
      const p = so[j - 1],
        k = so[j];
      const va = Math.abs(vV[p]),
        vb = Math.abs(vV[k]);
      const a = Math.abs(iA[p]),
        b = Math.abs(iA[k]);
      if (va < 0.2 * vmax || vb <= 0 || a <= 3 * imin || b <= 0) continue;
      const d = Math.log10(b / vb) - Math.log10(a / va);
      if (d > best) {
        best = d;
        at = k;
      }
    }
    if (at >= 0 && best > 0) vSetV = vV[at];
  }
  let vResetV: number | null = null,
    resetPeakA: number | null = null;
  const ro = idx[2];
  if (ro.length >= 2) {
    let at = ro[0];
    for (const k of ro) if (Math.abs(iA[k]) > Math.abs(iA[at])) at = k;
    resetPeakA = Math.abs(iA[at]);
    const last = ro[ro.length - 1];
    if (at !== last) vResetV = vV[at];
  }
  const hrsOhm = rAt(vV, iA, idx[0], readV) ?? rAt(vV, iA, idx[3], readV);
  const lrsOhm = rAt(vV, iA, idx[1], readV) ?? rAt(vV, iA, idx[2], readV);
  const onOff = hrsOhm !== null && lrsOhm !== null && lrsOhm > 0 ? hrsOhm / lrsOhm : null;
  let complianceHit = false;
  if (complianceA !== null) {
    for (const k of [...idx[0], ...idx[1]])
      if (Math.abs(iA[k]) >= 0.99 * complianceA) {
        complianceHit = true;
        break;
      }
    // a plateau at the compliance on any branch (e.g. a current limit reached on the RESET side)
    for (let k = 2, run = 0; k < iA.length && !complianceHit; k++) {
      run = Math.abs(Math.abs(iA[k]) - complianceA) <= 2e-3 * complianceA ? run + 1 : 0;
      if (run >= 3) complianceHit = true;
    }
  }
  return { vSetV, vResetV, readVoltageV: readV, hrsOhm, lrsOhm, onOff, resetPeakA, complianceHit };
}

/** Branch label per sample: 0 set-out, 1 set-back, 2 reset-out, 3 reset-back, -1 other (≈0 V). Model convention: SET at V < 0. */
export function labelBranches(vV: Series, exs: { sign: 1 | -1; start: number; end: number; peak: number }[]): number[] {
  const b = new Array<number>(vV.length).fill(-1);
  for (const ex of exs) {
    const base = ex.sign < 0 ? 0 : 2;
    for (let k = ex.start; k < ex.end; k++) b[k] = k <= ex.peak ? base : base + 1;
  }
  return b;
}

/**
 * Features of a bare I-V curve (measured or simulated): its branches found as the ingest stage finds them
 * (voltage excursions between returns to ~0 V, findExcursions), then computeFeatures. The same curve gives
 * the same features whichever stage asks.
 */
export function curveFeatures(vV: Series, iA: Series, readV: number, complianceA: number | null): CycleFeatures {
  const v = Array.from(vV);
  return computeFeatures(v, iA, labelBranches(v, findExcursions(v)), readV, complianceA);
}
