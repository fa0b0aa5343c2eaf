/** The non-interactive summary of a fits file (printed under CI, into a pipe, or as JSON with --json). */
import { cycleRows, flagShort, fmtRms, sortRows, POOR_RMS_LOG10 } from './quality.js';
import type { FitsFileView } from './schema.js';

export interface FitsSummary {
  fits: string; dataset: string; devices: number; cycles: number; converged: number; flagged: number; bad: number;
  rmsLog10: { median: number | null; p90: number | null; max: number | null };
  flagCounts: Record<string, number>;
  worst: { device: string; cycle: number; rmsLog10: number | null; converged: boolean; flags: string[] }[];
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarizeFits(fits: FitsFileView, fitsPath: string, nWorst = 10): FitsSummary {
  const rows = cycleRows(fits);
  const rms = rows.map((r) => r.rmsLog10).filter(Number.isFinite).sort((a, b) => a - b);
  const flagCounts: Record<string, number> = {};
  for (const r of rows) for (const f of r.flags) flagCounts[f.code] = (flagCounts[f.code] ?? 0) + 1;
  const devices = new Set(rows.map((r) => r.device));
  return {
    fits: fitsPath, dataset: fits.dataset, devices: devices.size, cycles: rows.length,
    converged: rows.filter((r) => r.converged).length, flagged: rows.filter((r) => r.flags.length > 0).length,
    bad: rows.filter((r) => r.bad).length,
    rmsLog10: { median: quantile(rms, 0.5), p90: quantile(rms, 0.9), max: rms.length ? rms[rms.length - 1] : null },
    flagCounts,
    worst: sortRows(rows, 'worst').slice(0, nWorst).map((r) => ({ device: r.device, cycle: r.cycle,
      rmsLog10: Number.isFinite(r.rmsLog10) ? r.rmsLog10 : null, converged: r.converged, flags: r.flags.map(flagShort) })),
  };
}

const f3 = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));

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
      lines.push(`  ${w.device.padEnd(16).slice(0, 16)} ${String(w.cycle).padStart(5)} ${fmtRms(w.rmsLog10 ?? NaN).padStart(6)}  ${w.converged ? 'yes ' : 'NO  '}  ${w.flags.join(' ')}`);
    }
  }
  return lines.join('\n') + '\n';
}
