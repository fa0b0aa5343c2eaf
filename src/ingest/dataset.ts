/** Dataset checks (for readers of dataset.json), the `--json` summary and the stdout table. */
import type { Dataset } from './types.js';
import { datasetSchema, type DatasetData } from '../schema/dataset.js';
import { parseWith } from '../schema/issues.js';
import { median } from '../util/stats.js';

export interface DatasetSummary {
  devices: number;
  cycles: number;
  perDevice: { id: string; cycles: number; setPolarity: 'positive' | 'negative'; complianceA: number | null }[];
}

export function summarizeDataset(ds: Dataset): DatasetSummary {
  return {
    devices: ds.devices.length,
    cycles: ds.devices.reduce((n, d) => n + d.cycles.length, 0),
    perDevice: ds.devices.map((d) => ({ id: d.id, cycles: d.cycles.length, setPolarity: d.setPolarity, complianceA: d.complianceA })),
  };
}

function fmt(x: number | null, unit: string): string {
  if (x === null || !Number.isFinite(x)) return '-';
  return `${x.toPrecision(3)}${unit}`;
}
function med(xs: (number | null)[]): number | null {
  const s = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return s.length ? median(s) : null;
}

export function formatSummaryTable(ds: Dataset, maxRows = 50): string {
  const head = ['device', 'cycles', 'SET pol.', 'Icc', 'V_SET*', 'V_RESET*', 'HRS', 'LRS', 'on/off', 'time'];
  const rows: string[][] = [];
  for (const d of ds.devices.slice(0, maxRows)) {
    const f = d.cycles.map((c) => c.features);
    rows.push([
      d.id.length > 40 ? '…' + d.id.slice(-39) : d.id,
      String(d.cycles.length),
      d.setPolarity,
      fmt(d.complianceA, 'A'),
      fmt(med(f.map((x) => x.vSetV)), 'V'),
      fmt(med(f.map((x) => x.vResetV)), 'V'),
      fmt(med(f.map((x) => x.hrsOhm)), 'Ω'),
      fmt(med(f.map((x) => x.lrsOhm)), 'Ω'),
      fmt(med(f.map((x) => x.onOff)), ''),
      [...new Set(d.cycles.map((c) => c.timeSource))].join('/'),
    ]);
  }
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (r: string[]) => r.map((c, k) => (k === 0 ? c.padEnd(w[k]) : c.padStart(w[k]))).join('  ');
  const out = [line(head), ...rows.map(line)];
  if (ds.devices.length > maxRows) out.push(`... ${ds.devices.length - maxRows} more devices`);
  const s = summarizeDataset(ds);
  out.push(
    `${s.devices} device(s), ${s.cycles} cycle(s). *medians over cycles, model convention (SET at negative V); R at ±${ds.options.readVoltageV} V.`,
  );
  return out.join('\n') + '\n';
}

/** Validates a dataset (`jartcal.dataset/2` or /1) through its one schema (src/schema/dataset.ts); throws a JartcalError naming the first problem. */
export function validateDataset(x: unknown, file = 'dataset.json'): DatasetData {
  return parseWith(datasetSchema, x, file, 'bad_dataset');
}
