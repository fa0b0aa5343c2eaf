/**
 * First guess from the switching features (physics-aware; adjusts only the free parameters):
 *  - LRS → series resistance: RseriesTiOx (then the external seriesOhm, then R0, the free ones)
 *    shifted by R_LRS(data) − R_LRS(model) at −V_read, N = N_max;
 *  - HRS → filament: the HRS resistance scales roughly as l/(r²·N_min), so the mismatch at −V_read,
 *    N = N_min is spread over the free ones of rnew, lnew, Ndiscmin (equal shares in ln);
 *  - V_SET → kinetics: a few secant steps on dWa (else phiBn0) to match the measured V_SET;
 *  - V_RESET → RESET-side heating: when Rtheff_scaling is free, a few secant steps on its log to
 *    match the measured V_RESET (it scales R_th for V > 0 only, so the SET step above stands). Cells
 *    that RESET well above the nominal 0.27's voltage want it near its lower bound, a basin the
 *    optimiser does not reach from the nominal start (docs/fitting.md §7, aguirref).
 */
import { operatingPoint, PARAM_TABLE, type JartParams, type ParamName } from '../model/index.js';
import type { ObjectiveOptions, PreparedCycle } from './cycle-data.js';
import { evaluateCycle } from './objective.js';
import { CIRCUIT_PARAMS, type FitParamName } from './settings.js';

const bounds = (n: ParamName) => {
  const s = PARAM_TABLE.find((p) => p.name === n)!;
  return [s.min, s.max] as const;
};
const clamp = (n: ParamName, x: number) => {
  const [lo, hi] = bounds(n);
  return Math.min(hi, Math.max(lo, x));
};

/** Read resistance of the cell plus the external series resistance rExt (in the model the two add
 *  up exactly like RseriesTiOx: both are linear resistors in the load line, neither heats the
 *  filament; src/model/cell.ts). */
function readR(p: JartParams, vV: number, n: number, rExt = 0): number {
  const op = operatingPoint(rExt > 0 ? { ...p, RseriesTiOx: p.RseriesTiOx + rExt } : p, vV, n);
  return Math.abs(vV / op.iA);
}

/** The guessed JART parameters `p` and objective options `o` (with the external series resistance). */
export function firstGuess(
  pc: PreparedCycle,
  start: JartParams,
  free: readonly FitParamName[],
  o0: ObjectiveOptions,
): { p: JartParams; o: ObjectiveOptions } {
  const p = { ...start };
  const o = { ...o0 };
  const has = (n: FitParamName) => free.includes(n);
  const v = -pc.readV;
  if (pc.lrsOhm !== null && (has('RseriesTiOx') || has('R0') || has('seriesOhm'))) {
    const rs = CIRCUIT_PARAMS.find((c) => c.name === 'seriesOhm')!;
    for (let it = 0; it < 3; it++) {
      const rm = readR(p, v, p.Ndiscmax, o.seriesOhm);
      if (!Number.isFinite(rm)) break;
      // the difference goes to RseriesTiOx first, what its range cannot take to the external
      // series resistance, then to R0 (the free ones)
      let d = pc.lrsOhm - rm;
      if (has('RseriesTiOx')) {
        const x = clamp('RseriesTiOx', p.RseriesTiOx + d);
        d -= x - p.RseriesTiOx;
        p.RseriesTiOx = x;
      }
      if (has('seriesOhm')) {
        const x = Math.min(rs.max, Math.max(rs.min, o.seriesOhm + d));
        d -= x - o.seriesOhm;
        o.seriesOhm = x;
      }
      if (has('R0')) p.R0 = clamp('R0', p.R0 + d);
    }
  }
  const geo = (['rnew', 'lnew', 'Ndiscmin'] as ParamName[]).filter(has);
  if (pc.hrsOhm !== null && geo.length > 0) {
    for (let it = 0; it < 4; it++) {
      const rm = readR(p, v, p.Ndiscmin, o.seriesOhm);
      if (!(rm > 0 && Number.isFinite(rm))) break;
      const share = Math.log(rm / pc.hrsOhm) / geo.length; // want r²N/l to grow by rm/rd
      if (Math.abs(share) < 1e-3) break;
      if (has('rnew')) p.rnew = clamp('rnew', p.rnew * Math.exp(share / 2));
      if (has('Ndiscmin')) p.Ndiscmin = clamp('Ndiscmin', p.Ndiscmin * Math.exp(share));
      if (has('lnew')) p.lnew = clamp('lnew', p.lnew * Math.exp(-share));
    }
  }
  const kin: ParamName | null = has('dWa') ? 'dWa' : has('phiBn0') ? 'phiBn0' : null;
  if (kin && pc.vSetV !== null) {
    const ninit = pc.setFirst ? p.Ndiscmin : p.Ndiscmax;
    const vset = (x: number): number => {
      const q = { ...p, [kin]: x };
      const ev = evaluateCycle(pc, q, ninit, o);
      let vmin = 0;
      for (const vv of pc.vV) vmin = Math.min(vmin, vv);
      return ev.vSetModelV ?? vmin - 0.2;
    };
    let x0 = p[kin],
      f0 = vset(x0) - pc.vSetV;
    let x1 = clamp(kin, x0 * (f0 < 0 ? 0.97 : 1.03)),
      f1 = vset(x1) - pc.vSetV;
    for (let it = 0; it < 4 && Math.abs(f1) > 0.005 && f1 !== f0; it++) {
      const x2 = clamp(kin, x1 - (f1 * (x1 - x0)) / (f1 - f0));
      if (!Number.isFinite(x2) || x2 === x1) break;
      x0 = x1;
      f0 = f1;
      x1 = x2;
      f1 = vset(x1) - pc.vSetV;
    }
    p[kin] = Math.abs(f1) < Math.abs(f0) ? x1 : x0;
  }
  if (has('Rtheff_scaling') && pc.vResetV !== null && pc.vSetV !== null)
    p.Rtheff_scaling = secantLog(pc, p, o, 'Rtheff_scaling', pc.vResetV);
  return { p, o };
}

/**
 * Secant on ln x (x = p[name]) so that the model's V_RESET meets `target`; a model that does not RESET
 * inside the sweep counts as V_RESET = V_max + 0.2 V. Returns the best value tried.
 */
function secantLog(pc: PreparedCycle, p: JartParams, o: ObjectiveOptions, name: ParamName, target: number): number {
  let vmax = 0;
  for (const vv of pc.vV) vmax = Math.max(vmax, vv);
  const ninit = pc.setFirst ? p.Ndiscmin : p.Ndiscmax;
  const f = (x: number): number => (evaluateCycle(pc, { ...p, [name]: x }, ninit, o).vResetModelV ?? vmax + 0.2) - target;
  let x0 = p[name],
    f0 = f(x0);
  // more RESET-side heating, an earlier RESET: step up when the model RESETs too late
  let x1 = clamp(name, x0 * (f0 > 0 ? 1.5 : 1 / 1.5)),
    f1 = f(x1);
  for (let it = 0; it < 5 && Math.abs(f1) > 0.01 && f1 !== f0; it++) {
    const l2 = Math.log(x1) - (f1 * (Math.log(x1) - Math.log(x0))) / (f1 - f0);
    const x2 = clamp(name, Math.exp(l2));
    if (!Number.isFinite(x2) || x2 === x1) break;
    x0 = x1;
    f0 = f1;
    x1 = x2;
    f1 = f(x1);
  }
  return Math.abs(f1) < Math.abs(f0) ? x1 : x0;
}
