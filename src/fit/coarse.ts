/**
 * Cheaper simulation of a finely sampled sweep: the model is integrated on a coarser grid (every
 * measured point whose voltage lies ≥ simStepV from the last kept one, plus every point where the
 * piecewise-linear stimulus bends), and the samples in between are filled in
 *   - by interpolation (ln(I/V) and ln N linear in time) where the segment is quiet: |Δ ln N| ≤
 *     `quietDlnN` and the compliance state does not change — there ln(I/V) is smooth in V and
 *     the interpolation error is far below the data noise (docs/fitting.md §8);
 *   - by re-simulating the segment on its own points from its start state where it is not (the
 *     switching runaway, a gradual RESET, entering or leaving compliance), so the switching
 *     samples and the switching-voltage refinement see the same fine stimulus as before.
 * On sweeps whose step is already ≥ simStepV nothing is decimated (prepareCoarse returns null).
 */
import { simulate, Tangent, type JartParams, type SimOptions, type TangentParam, type Waveform } from '../model/index.js';

export interface CoarseGrid {
  wave: Waveform;
  /** Index in the full stimulus of each coarse point (increasing, first and last included). */
  k: Int32Array;
}

/** Fine simulation output the objective reads. */
export interface FineSim {
  iA: Float64Array;
  ndisc: Float64Array;
  /** With sensitivities (`sens`): d ln|I|/dθ and dN/dθ per point (index point·d + direction). */
  dlnI?: Float64Array;
  dN?: Float64Array;
  /** With sensitivities: d ln N/dt per point (NaN where interpolated). */
  lnNdot?: Float64Array;
}

/** Directions of the forward sensitivities and the initial state's sensitivity dN(t0)/dθ. */
export interface SensRequest {
  p: JartParams;
  dirs: readonly TangentParam[];
  sN0: Float64Array;
}

/** The coarse grid of a stimulus, or null when it would keep (nearly) every point. */
export function prepareCoarse(wave: Waveform, simStepV: number): CoarseGrid | null {
  const { tS, vV } = wave;
  const n = tS.length;
  if (!(simStepV > 0) || n < 4) return null;
  const keep: number[] = [0];
  let a = 0;
  for (let j = 1; j < n - 1; j++) {
    const d0 = vV[j] - vV[j - 1],
      d1 = vV[j + 1] - vV[j];
    const r0 = d0 / (tS[j] - tS[j - 1]),
      r1 = d1 / (tS[j + 1] - tS[j]);
    // a bend of the stimulus (turning point, hold, change of sweep rate) is always kept
    const bend = Math.sign(d0) !== Math.sign(d1) || Math.abs(r0 - r1) > 1e-3 * Math.max(Math.abs(r0), Math.abs(r1));
    if (bend || Math.abs(vV[j] - vV[a]) >= simStepV * 0.999) {
      keep.push(j);
      a = j;
    }
  }
  keep.push(n - 1);
  if (keep.length > 0.6 * n) return null;
  const k = Int32Array.from(keep);
  return { wave: { tS: Float64Array.from(k, (j) => tS[j]), vV: Float64Array.from(k, (j) => vV[j]) }, k };
}

/**
 * Simulates `wave` through its coarse grid `g` (see the file comment). `maxEvals` of `opts` applies
 * to the coarse run; a re-simulated segment gets its own budget. A failed coarse run gives NaN.
 */
export function simulateCoarse(
  p: JartParams,
  wave: Waveform,
  g: CoarseGrid,
  opts: SimOptions,
  quietDlnN: number,
  sens?: SensRequest,
): FineSim {
  const n = wave.tS.length;
  const iA = new Float64Array(n),
    ndisc = new Float64Array(n);
  const tan = sens ? new Tangent(sens.p, sens.dirs, sens.sN0) : undefined;
  const c = simulate(p, g.wave, { ...opts, tangent: tan });
  const d = sens ? sens.dirs.length : 0;
  const dlnI = tan ? new Float64Array(n * d) : undefined,
    dN = tan ? new Float64Array(n * d) : undefined;
  const lnNdot = tan ? new Float64Array(n).fill(NaN) : undefined;
  const segOpts: SimOptions = { ...opts, maxEvals: opts.maxEvals };
  for (let s = 0; s < g.k.length; s++) {
    const ka = g.k[s];
    iA[ka] = c.iA[s];
    ndisc[ka] = c.ndisc[s];
    if (tan && dlnI && dN && lnNdot) {
      dlnI.set(tan.dlnI.subarray(s * d, s * d + d), ka * d);
      dN.set(tan.dN.subarray(s * d, s * d + d), ka * d);
      lnNdot[ka] = tan.lnNdot[s];
    }
    if (s === g.k.length - 1) break;
    const kb = g.k[s + 1];
    if (kb - ka < 2) continue;
    const na = c.ndisc[s],
      nb = c.ndisc[s + 1],
      ia = c.iA[s],
      ib = c.iA[s + 1];
    const la = Math.log(na),
      lb = Math.log(nb);
    const quiet =
      Number.isFinite(la) &&
      Number.isFinite(lb) &&
      Number.isFinite(ia) &&
      Number.isFinite(ib) &&
      Math.abs(lb - la) <= quietDlnN &&
      c.complianceActive[s] === c.complianceActive[s + 1];
    if (quiet) {
      const ta = wave.tS[ka],
        tb = wave.tS[kb];
      // ln of the conductance I/V (smooth down to 0 V, where ln|I| is not) when both ends allow it
      const va = wave.vV[ka],
        vb = wave.vV[kb];
      const ga = Math.log(ia / va),
        gb = Math.log(ib / vb);
      const byG = Number.isFinite(ga) && Number.isFinite(gb);
      for (let j = ka + 1; j < kb; j++) {
        const f = (wave.tS[j] - ta) / (tb - ta);
        ndisc[j] = Math.exp(la + f * (lb - la));
        iA[j] = byG ? wave.vV[j] * Math.exp(ga + f * (gb - ga)) : ia + f * (ib - ia);
        if (tan && dlnI && dN) {
          // the same interpolation, differentiated (ln N and ln(I/V) linear, or I linear)
          const ta_ = tan.dlnI,
            tn_ = tan.dN;
          for (let q = 0; q < d; q++) {
            const a0 = s * d + q,
              b0 = a0 + d;
            dN[j * d + q] = ndisc[j] * ((1 - f) * (tn_[a0] / na) + f * (tn_[b0] / nb));
            dlnI[j * d + q] = byG ? (1 - f) * ta_[a0] + f * ta_[b0] : ((1 - f) * ia * ta_[a0] + f * ib * ta_[b0]) / iA[j];
          }
        }
      }
    } else if (!Number.isFinite(na)) {
      for (let j = ka + 1; j < kb; j++) {
        iA[j] = NaN;
        ndisc[j] = NaN;
      }
    } else {
      const st = sens && tan ? new Tangent(sens.p, sens.dirs, tan.dN.subarray(s * d, s * d + d)) : undefined;
      const sub = simulate(
        p,
        { tS: wave.tS.subarray(ka, kb + 1), vV: wave.vV.subarray(ka, kb + 1) },
        { ...segOpts, ninit: na, tangent: st },
      );
      for (let j = ka + 1; j < kb; j++) {
        iA[j] = sub.iA[j - ka];
        ndisc[j] = sub.ndisc[j - ka];
      }
      if (st && dlnI && dN && lnNdot) {
        dlnI.set(st.dlnI.subarray(d, (kb - ka) * d), (ka + 1) * d);
        dN.set(st.dN.subarray(d, (kb - ka) * d), (ka + 1) * d);
        lnNdot.set(st.lnNdot.subarray(1, kb - ka), ka + 1);
      }
    }
  }
  return { iA, ndisc, dlnI, dN, lnNdot };
}
