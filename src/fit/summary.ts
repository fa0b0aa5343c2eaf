/** Summary of a fit run: numbers for fits.json and a plain-text table for the terminal. */
import { displayUnit, formatNumber, formatParam } from '../model/display.js';
import type { CycleFit, FitsFile } from './types.js';
import { isCircuitParam } from './settings.js';
import { median } from '../util/stats.js';

export function summarizeFits(cycles: CycleFit[], devices: number, seconds: number): NonNullable<FitsFile['summary']> {
  const r = cycles.map((c) => c.rmsLog10).filter(Number.isFinite);
  const med = r.length ? median(r) : null;
  return { cycles: cycles.length, devices, medianRmsLog10: med, flagged: cycles.filter((c) => c.flags.length > 0).length, seconds };
}

/** A voltage difference in mV with its sign next to the number: "  +0.1 mV", "-12.3 mV". */
export const fmtV = (x: number | null): string =>
  x === null ? '     -   ' : ((x >= 0 ? '+' : '') + (x * 1000).toFixed(1)).padStart(6) + ' mV';

export function formatFitTable(f: FitsFile): string {
  const names = f.settings.fitParams;
  const head = [
    'device',
    'cycle',
    'rms[dec]',
    'dVset',
    'dVreset',
    ...names.map((n) => (isCircuitParam(n) ? `${n}[Ω]` : displayUnit(n).unit ? `${n}[${displayUnit(n).unit}]` : n)),
    'flags',
  ];
  const rows = f.cycles.map((c) => [
    c.device,
    String(c.cycle),
    c.rmsLog10.toFixed(3),
    fmtV(c.metrics.dVSetV),
    fmtV(c.metrics.dVResetV),
    ...names.map((n) => {
      const v = isCircuitParam(n) ? c.circuit?.[n] : c.params[n];
      return v === undefined ? '-' : isCircuitParam(n) ? formatNumber(v) : formatParam(n, v);
    }),
    c.flags.map((x) => x.code + (x.param ? `:${x.param}${x.bound ? '@' + x.bound : ''}` : '')).join(',') || '-',
  ]);
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (r: string[]) =>
    r
      .map((s, k) => s.padEnd(w[k]))
      .join('  ')
      .trimEnd();
  const s = f.summary;
  return (
    [
      line(head),
      ...rows.map(line),
      '',
      s
        ? `${s.cycles} cycles of ${s.devices} device(s); median RMS ${s.medianRmsLog10?.toFixed(3) ?? '-'} decades; ${s.flagged} flagged; ${s.seconds.toFixed(1)} s`
        : '',
    ].join('\n') + '\n'
  );
}
