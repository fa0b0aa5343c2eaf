/**
 * Switching features of an I-V trace, the same definitions for measured and simulated cycles
 * (model convention: SET at V < 0, RESET at V > 0).
 *  - outward samples: |V| grows (or holds) and the sign is unchanged since the previous sample;
 *  - measured V_SET: on the outward V < 0 samples, the midpoint of the step with the largest
 *    rise of the conductance log10|I/V|; measured V_RESET: on the outward V > 0 samples, the
 *    midpoint of the step with the largest fall (a single-step jump of ≥ minJumpDec decades is required;
 *    steps starting below minAbsV, where the current is near zero, are skipped);
 *  - model V_SET/V_RESET: where N crosses a level (up on SET, down on RESET), linear in ln N
 *    between samples, which makes it continuous in the parameters (needed by the Jacobian). The
 *    level (`switchingLevels`) is the geometric mean of N entering the polarity and the extreme N
 *    reached in it — √(N_min·N_max) for a full SET from N_min —, so that a SET cut short by a series
 *    resistance (N jumps a decade, then creeps) or a partial RESET is dated at its jump, where the
 *    measured conductance jumps, not where N passes the middle of the full window;
 *  - HRS/LRS: |V/I| at the sample closest to −V_read before the SET (HRS) and after it (LRS),
 *    on the V < 0 side (the side the cycle starts SETting on).
 */
export function outwardMask(vV: ArrayLike<number>): Uint8Array {
  const m = new Uint8Array(vV.length);
  for (let i = 1; i < vV.length; i++) {
    const a = vV[i - 1],
      b = vV[i];
    if (b !== 0 && (a === 0 || Math.sign(a) === Math.sign(b)) && Math.abs(b) >= Math.abs(a)) m[i] = 1;
  }
  return m;
}

export interface MeasuredSwitching {
  vSetV: number | null;
  vResetV: number | null;
  /** The step [lo, hi] (V, lo < hi) in which the jump happened: the switching voltage is only known to lie in it. */
  setSpan: [number, number] | null;
  resetSpan: [number, number] | null;
}

export function measuredSwitching(
  vV: ArrayLike<number>,
  iA: ArrayLike<number>,
  floorA: number,
  minAbsV = 0,
  minJumpDec = 0.3,
): MeasuredSwitching {
  const out = outwardMask(vV);
  let bestUp = minJumpDec,
    bestDown = minJumpDec;
  let vSet: number | null = null,
    vReset: number | null = null;
  let setSpan: [number, number] | null = null,
    resetSpan: [number, number] | null = null;
  const span = (a: number, b: number): [number, number] => [Math.min(a, b), Math.max(a, b)];
  const lg = (i: number) => Math.log10(Math.max(Math.abs(iA[i]), floorA));
  for (let i = 1; i < vV.length; i++) {
    if (!out[i] || Math.abs(vV[i - 1]) < minAbsV) continue;
    // jump of the conductance log10|I/V|: the ordinary rise of |I| with |V| (large near 0 V on a
    // coarse staircase) is not a switching event
    const d = lg(i) - lg(i - 1) - (Math.log10(Math.abs(vV[i])) - Math.log10(Math.abs(vV[i - 1])));
    if (vV[i] < 0 && d > bestUp) {
      bestUp = d;
      vSet = 0.5 * (vV[i] + vV[i - 1]);
      setSpan = span(vV[i - 1], vV[i]);
    }
    if (vV[i] > 0 && -d > bestDown) {
      bestDown = -d;
      vReset = 0.5 * (vV[i] + vV[i - 1]);
      resetSpan = span(vV[i - 1], vV[i]);
    }
  }
  return { vSetV: vSet, vResetV: vReset, setSpan, resetSpan };
}

/**
 * Crossing levels of N for the model's switching voltages: √(N_in·N_ext) with N_in the state entering
 * the polarity (first sample with V < 0 for SET, V > 0 for RESET) and N_ext the largest (SET) /
 * smallest (RESET) N reached in it, when N moves by at least `minRatio` there; otherwise the fixed
 * `fallback` (√(N_min·N_max)), which a state that hardly moves does not cross.
 */
export function switchingLevels(
  vV: ArrayLike<number>,
  ndisc: ArrayLike<number>,
  fallback: number,
  minRatio = 4,
): { set: number; reset: number } {
  let setIn = NaN,
    setMax = -Infinity,
    resetIn = NaN,
    resetMin = Infinity;
  for (let i = 0; i < vV.length; i++) {
    const n = ndisc[i];
    if (!Number.isFinite(n) || n <= 0) continue;
    if (vV[i] < 0) {
      if (Number.isNaN(setIn)) setIn = n;
      if (n > setMax) setMax = n;
    } else if (vV[i] > 0) {
      if (Number.isNaN(resetIn)) resetIn = n;
      if (n < resetMin) resetMin = n;
    }
  }
  return {
    set: setMax >= minRatio * setIn ? Math.sqrt(setIn * setMax) : fallback,
    reset: resetIn >= minRatio * resetMin ? Math.sqrt(resetIn * resetMin) : fallback,
  };
}

/** First crossing of nCross by N, upward on V < 0 outward samples (SET) / downward on V > 0 (RESET). */
export function modelSwitching(
  vV: ArrayLike<number>,
  ndisc: ArrayLike<number>,
  nCross: number,
  nCrossReset = nCross,
): { vSetV: number | null; vResetV: number | null; kSet: number; kReset: number } {
  const lc = Math.log(nCross),
    lr = Math.log(nCrossReset);
  let vSet: number | null = null,
    vReset: number | null = null,
    kSet = -1,
    kReset = -1;
  for (let i = 1; i < vV.length && (vSet === null || vReset === null); i++) {
    const a = Math.log(ndisc[i - 1]),
      b = Math.log(ndisc[i]);
    if (!(Number.isFinite(a) && Number.isFinite(b))) continue;
    if (vSet === null && vV[i] < 0 && a < lc && b >= lc) {
      vSet = vV[i - 1] + ((lc - a) / (b - a)) * (vV[i] - vV[i - 1]);
      kSet = i;
    }
    if (vReset === null && vV[i] > 0 && a > lr && b <= lr) {
      vReset = vV[i - 1] + ((lr - a) / (b - a)) * (vV[i] - vV[i - 1]);
      kReset = i;
    }
  }
  return { vSetV: vSet, vResetV: vReset, kSet, kReset };
}

/** HRS and LRS as |V/I| near −V_read before / after the SET jump (index of V_SET) on V < 0. */
export function readResistances(
  vV: ArrayLike<number>,
  iA: ArrayLike<number>,
  readV: number,
  vSetV: number | null,
): { hrsOhm: number | null; lrsOhm: number | null; hrsIndex: number; lrsIndex: number } {
  // SET happens on the first V<0 excursion; HRS read on its way out, LRS on its way back.
  let first = -1,
    turn = -1,
    end = -1;
  for (let i = 0; i < vV.length; i++) {
    if (vV[i] < 0 && first < 0) first = i;
    if (first >= 0 && vV[i] < 0 && (turn < 0 || vV[i] < vV[turn])) turn = i;
    if (first >= 0 && vV[i] >= 0 && i > first) {
      end = i;
      break;
    }
  }
  if (first < 0) return { hrsOhm: null, lrsOhm: null, hrsIndex: -1, lrsIndex: -1 };
  if (end < 0) end = vV.length;
  const nearest = (a: number, b: number): number => {
    let k = -1,
      d = Infinity;
    for (let i = a; i < b; i++) {
      const e = Math.abs(vV[i] + readV);
      if (e < d) {
        d = e;
        k = i;
      }
    }
    return k;
  };
  const h = nearest(first, turn + 1);
  const l = nearest(turn, end);
  const ok = (k: number) => k >= 0 && Math.abs(vV[k] + readV) <= 0.5 * readV && Math.abs(iA[k]) > 0;
  const hrs = ok(h) && (vSetV === null || vV[h] > vSetV) ? Math.abs(vV[h] / iA[h]) : null;
  const lrs = ok(l) ? Math.abs(vV[l] / iA[l]) : null;
  return { hrsOhm: hrs, lrsOhm: lrs, hrsIndex: hrs === null ? -1 : h, lrsIndex: lrs === null ? -1 : l };
}
