/** The non-interactive summary of a fits file (printed under CI, into a pipe, or as JSON with --json). */
import {
  BRANCH_NAMES,
  cycleRows,
  flagShort,
  fmtRms,
  residualsLog10,
  rmsByBranch,
  sortRows,
  POOR_RMS_LOG10,
  type CurveModel,
} from './quality.js';
import { cycleKey, indexDataset, type DatasetView, type FitsFileView } from './schema.js';
import { findExcursions } from '../ingest/excursions.js';
import { quantile } from '../util/stats.js';
import { labelBranches } from '../features/index.js';

export interface FitsSummary {
  fits: string;
  dataset: string;
  devices: number;
  cycles: number;
  converged: number;
  flagged: number;
  bad: number;
  rmsLog10: { median: number | null; p90: number | null; max: number | null };
  flagCounts: Record<string, number>;
  worst: { device: string; cycle: number; rmsLog10: number | null; converged: boolean; flags: string[] }[];
}

/** The shared quantile (src/util/stats.ts), null where there is no finite value. */
function quantileOrNull(xs: number[], q: number): number | null {
  const v = quantile(xs, q);
  return Number.isNaN(v) ? null : v;
}

export function summarizeFits(fits: FitsFileView, fitsPath: string, nWorst = 10): FitsSummary {
  const rows = cycleRows(fits);
  const rms = rows
    .map((r) => r.rmsLog10)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const flagCounts: Record<string, number> = {};
  for (const r of rows) for (const f of r.flags) flagCounts[f.code] = (flagCounts[f.code] ?? 0) + 1;
  const devices = new Set(rows.map((r) => r.device));
  return {
    fits: fitsPath,
    dataset: fits.dataset,
    devices: devices.size,
    cycles: rows.length,
    converged: rows.filter((r) => r.converged).length,
    flagged: rows.filter((r) => r.flags.length > 0).length,
    bad: rows.filter((r) => r.bad).length,
    rmsLog10: { median: quantileOrNull(rms, 0.5), p90: quantileOrNull(rms, 0.9), max: rms.length ? rms[rms.length - 1] : null },
    flagCounts,
    worst: sortRows(rows, 'worst')
      .slice(0, nWorst)
      .map((r) => ({
        device: r.device,
        cycle: r.cycle,
        rmsLog10: Number.isFinite(r.rmsLog10) ? r.rmsLog10 : null,
        converged: r.converged,
        flags: r.flags.map(flagShort),
      })),
  };
}

const f3 = (x: number | null): string => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(3));

export function formatSummary(s: FitsSummary): string {
  const lines = [
    `fits:     ${s.fits}`,
    `dataset:  ${s.dataset}`,
    `${s.devices} devices, ${s.cycles} cycles; ${s.converged} converged, ${s.flagged} flagged, ${s.bad} bad (flagged, not converged or RMS > ${POOR_RMS_LOG10} dec)`,
    `RMS log10|I| (decades): median ${f3(s.rmsLog10.median)}, 90th percentile ${f3(s.rmsLog10.p90)}, max ${f3(s.rmsLog10.max)}`,
  ];
  const fc = Object.entries(s.flagCounts);
  if (fc.length) lines.push(`flags: ${fc.map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  if (s.worst.length) {
    lines.push('', 'worst fits:', '  device           cycle    RMS  conv  flags');
    for (const w of s.worst) {
      lines.push(
        `  ${w.device.padEnd(16).slice(0, 16)} ${String(w.cycle).padStart(5)} ${fmtRms(w.rmsLog10 ?? NaN).padStart(6)}  ${w.converged ? 'yes ' : 'NO  '}  ${w.flags.join(' ')}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** Where the misfit sits: per-point residuals of every cycle re-simulated with its fitted parameters, by branch. */
export interface BranchBreakdown {
  cycles: number;
  skipped: number;
  floorA: number;
  branches: { name: string; points: number; pooledRmsLog10: number; medianCycleRmsLog10: number | null; shareOfSquares: number }[];
}

/**
 * Re-simulates every fitted cycle that has measured data (the `model` is the inspector's, i.e. the fit's
 * own waveform, compliance, series resistance and initial state) and reports, per branch (SET out,
 * SET back, RESET out, RESET back, all): the pooled RMS of log10|I_meas| − log10|I_model| over all
 * points, the median over cycles of each cycle's branch RMS, and the branch's share of the summed
 * squared residual. Every sample counts equally here — unlike the fit's own RMS, which replaces the
 * samples between the model's and the data's switching voltage by a fixed residual (docs/fitting.md §1),
 * so these figures are larger where the switching voltages differ.
 */
export function branchBreakdown(fits: FitsFileView, dataset: DatasetView, model: CurveModel, floorA = 1e-12): BranchBreakdown {
  const byKey = indexDataset(dataset);
  const perCycle: number[][] = [[], [], [], [], []];
  const sums = [0, 0, 0, 0, 0];
  const counts = [0, 0, 0, 0, 0];
  let used = 0;
  let skipped = 0;
  for (const fit of fits.cycles) {
    const data = byKey.get(cycleKey(fit.device, fit.cycle));
    const iModel = data ? model(fit.params, data, { fit, settings: fits.settings }) : null;
    if (!data || !iModel) {
      skipped++;
      continue;
    }
    used++;
    const res = residualsLog10(data.iA, iModel, Math.max(floorA, data.currentFloorA ?? 0));
    // A dataset written without branch labels (all −1) is labelled here as ingest does (model convention: SET at V < 0).
    const branch = data.branch.some((b) => b >= 0) ? data.branch : labelBranches(data.vV, findExcursions(data.vV));
    for (const b of rmsByBranch(res, branch)) {
      const k = b.branch < 0 ? 4 : b.branch;
      if (b.n > 0 && Number.isFinite(b.rmsLog10)) {
        perCycle[k].push(b.rmsLog10);
        sums[k] += b.rmsLog10 * b.rmsLog10 * b.n;
        counts[k] += b.n;
      }
    }
  }
  const names = [...BRANCH_NAMES, 'all'];
  const branches = names
    .map((name, k) => {
      return {
        name,
        points: counts[k],
        pooledRmsLog10: counts[k] ? Math.sqrt(sums[k] / counts[k]) : NaN,
        medianCycleRmsLog10: quantileOrNull(perCycle[k], 0.5),
        shareOfSquares: sums[4] > 0 ? sums[k] / sums[4] : NaN,
      };
    })
    .filter((b) => b.points > 0);
  return { cycles: used, skipped, floorA, branches };
}

export function formatBranchBreakdown(b: BranchBreakdown): string {
  const lines = [
    '',
    `misfit by branch (${b.cycles} cycles re-simulated${b.skipped ? `, ${b.skipped} without data or refused` : ''}; every sample weighted equally, decades):`,
    '  branch        points  pooled RMS  median cycle RMS  share of squares',
  ];
  for (const r of b.branches) {
    lines.push(
      `  ${r.name.padEnd(12)} ${String(r.points).padStart(7)}  ${f3(r.pooledRmsLog10).padStart(10)}  ${f3(r.medianCycleRmsLog10).padStart(16)}  ${(r.name === 'all' ? '' : `${(100 * r.shareOfSquares).toFixed(0)} %`).padStart(16)}`,
    );
  }
  return lines.join('\n') + '\n';
}
