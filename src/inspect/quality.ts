/**
 * Fit quality: one row per cycle fit (RMS, convergence, flags), sorting, the bad-fit filter,
 * search, flags as prose, and the per-branch residual breakdown that says where a fit fails.
 */
import type { CycleData, CycleFitView, FitFlag, FitsFileView } from './schema.js';

/** A cycle counts as a bad fit above this RMS of log10|I| (decades), or when flagged / not converged. */
export const POOR_RMS_LOG10 = 0.15;

export type SortKey = 'worst' | 'device' | 'flags';
export const SORT_KEYS: readonly SortKey[] = ['worst', 'device', 'flags'];

export interface CycleRow {
  index: number;
  device: string;
  cycle: number;
  rmsLog10: number;
  converged: boolean;
  flags: FitFlag[];
  bad: boolean;
}

export function isBadFit(f: Pick<CycleFitView, 'rmsLog10' | 'converged' | 'flags'>): boolean {
  return !f.converged || f.flags.length > 0 || !(f.rmsLog10 <= POOR_RMS_LOG10);
}

export function cycleRows(fits: FitsFileView): CycleRow[] {
  return fits.cycles.map((c, index) => ({
    index,
    device: c.device,
    cycle: c.cycle,
    rmsLog10: c.rmsLog10,
    converged: c.converged,
    flags: c.flags,
    bad: isBadFit(c),
  }));
}

/** NaN RMS (a failed fit) sorts as the worst. */
const rmsKey = (r: CycleRow): number => (Number.isFinite(r.rmsLog10) ? r.rmsLog10 : Infinity);
const byDevice = (a: CycleRow, b: CycleRow): number => a.device.localeCompare(b.device, 'en', { numeric: true }) || a.cycle - b.cycle;

export function sortRows(rows: readonly CycleRow[], key: SortKey): CycleRow[] {
  const out = rows.slice();
  if (key === 'worst') out.sort((a, b) => rmsKey(b) - rmsKey(a) || byDevice(a, b));
  else if (key === 'device') out.sort(byDevice);
  else
    out.sort(
      (a, b) =>
        b.flags.length + (b.converged ? 0 : 1) - (a.flags.length + (a.converged ? 0 : 1)) || rmsKey(b) - rmsKey(a) || byDevice(a, b),
    );
  return out;
}

/** Keeps rows matching the search text (device id, "dev#cycle", or a flag code) and, optionally, bad fits only. */
export function filterRows(rows: readonly CycleRow[], opts: { badOnly?: boolean; search?: string }): CycleRow[] {
  const q = (opts.search ?? '').trim().toLowerCase();
  return rows.filter((r) => {
    if (opts.badOnly && !r.bad) return false;
    if (!q) return true;
    const hay = `${r.device}#${r.cycle} ${r.flags.map((f) => `${f.code} ${f.param ?? ''}`).join(' ')}`.toLowerCase();
    return hay.includes(q);
  });
}

export function flagShort(f: FitFlag): string {
  switch (f.code) {
    case 'param_at_bound':
      return `${f.param ?? '?'}@${f.bound ?? 'bound'}`;
    case 'ill_conditioned':
      return 'ill-cond';
    case 'not_converged':
      return 'no-conv';
    case 'poor_fit':
      return 'poor';
    default:
      return f.code;
  }
}

export function flagProse(f: FitFlag): string {
  let s: string;
  switch (f.code) {
    case 'param_at_bound':
      s = `${f.param ?? 'a parameter'} sits at its ${f.bound === 'min' ? 'lower' : f.bound === 'max' ? 'upper' : ''} bound: the data want a value outside the allowed range (fix it, or free another parameter)`;
      break;
    case 'ill_conditioned':
      s = `ill-conditioned: some free parameters cannot be told apart by this sweep (large standard errors; fix one of a correlated pair)`;
      break;
    case 'not_converged':
      s = 'the optimiser did not converge (try another start or fewer free parameters)';
      break;
    case 'poor_fit':
      s = 'poor fit: the model does not follow the measured curve within tolerance';
      break;
    default:
      s = f.code.replace(/_/g, ' ');
  }
  return f.detail ? `${s} (${f.detail})` : s;
}

export const BRANCH_NAMES = ['SET out', 'SET back', 'RESET out', 'RESET back'] as const;

/** log10|I_meas| − log10|I_model| per point, with both currents floored at `floorA` (instrument resolution). */
export function residualsLog10(measA: ArrayLike<number>, modelA: ArrayLike<number>, floorA = 1e-12): Float64Array {
  const n = Math.min(measA.length, modelA.length);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = Math.max(Math.abs(measA[i]), floorA);
    const f = Math.max(Math.abs(modelA[i]), floorA);
    out[i] = Number.isFinite(f) && Number.isFinite(m) ? Math.log10(m) - Math.log10(f) : NaN;
  }
  return out;
}

export interface BranchRms {
  branch: number;
  name: string;
  n: number;
  rmsLog10: number;
}

/** RMS of the residuals on each labelled branch (0–3), plus all points as branch −1 ("all"). */
export function rmsByBranch(res: ArrayLike<number>, branch: ArrayLike<number>): BranchRms[] {
  const sums = [0, 0, 0, 0, 0];
  const counts = [0, 0, 0, 0, 0];
  for (let i = 0; i < res.length; i++) {
    const r = res[i];
    if (!Number.isFinite(r)) continue;
    const b = branch[i];
    if (b >= 0 && b <= 3) {
      sums[b] += r * r;
      counts[b]++;
    }
    sums[4] += r * r;
    counts[4]++;
  }
  const out: BranchRms[] = [];
  for (let b = 0; b < 4; b++)
    if (counts[b] > 0) out.push({ branch: b, name: BRANCH_NAMES[b], n: counts[b], rmsLog10: Math.sqrt(sums[b] / counts[b]) });
  out.push({ branch: -1, name: 'all', n: counts[4], rmsLog10: counts[4] ? Math.sqrt(sums[4] / counts[4]) : NaN });
  return out;
}

/** Short sentences explaining a fit's quality: flags, where the residuals are largest, switching-voltage errors. */
export function diagnose(fit: CycleFitView, byBranch: BranchRms[] | null): string[] {
  const out: string[] = [];
  if (byBranch) {
    const br = byBranch.filter((b) => b.branch >= 0).sort((a, b) => b.rmsLog10 - a.rmsLog10);
    if (br.length && br[0].rmsLog10 > POOR_RMS_LOG10)
      out.push(`largest misfit on the ${br[0].name} branch: ${br[0].rmsLog10.toFixed(2)} decades RMS`);
  }
  if (!fit.converged && !fit.flags.some((f) => f.code === 'not_converged')) out.push(flagProse({ code: 'not_converged' }));
  for (const f of fit.flags) out.push(flagProse(f));
  const m = fit.metrics;
  if (m && typeof m.dVSetV === 'number' && Math.abs(m.dVSetV) > 0.05) out.push(`V_SET off by ${(m.dVSetV * 1e3).toFixed(0)} mV`);
  if (m && typeof m.dVResetV === 'number' && Math.abs(m.dVResetV) > 0.05) out.push(`V_RESET off by ${(m.dVResetV * 1e3).toFixed(0)} mV`);
  if (out.length === 0)
    out.push(
      Number.isFinite(fit.rmsLog10) && fit.rmsLog10 <= POOR_RMS_LOG10
        ? 'good fit'
        : `RMS ${fmtRms(fit.rmsLog10)} dec above ${POOR_RMS_LOG10}`,
    );
  return out;
}

export const fmtRms = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : ' n/a');

/** Context of a model curve: the cycle's fit (its recorded initial state `ninit`) and the fit settings. */
export interface CurveContext {
  fit?: object;
  settings?: unknown;
}
/** Model current at every measured point of `data` for a parameter set (null: refused). */
export type CurveModel = (params: Record<string, number>, data: CycleData, ctx?: CurveContext) => Float64Array | null;
