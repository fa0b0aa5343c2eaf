/** Dataset checks (for readers of dataset.json), the `--json` summary and the stdout table. */
import { JartcalError } from '../util/errors.js';
import { DATASET_SCHEMA, DATASET_SCHEMAS_READ, type CyclePairing, type Dataset, type TestRole } from './types.js';

const TEST_ROLES: readonly TestRole[] = ['leakage', 'forming', 'first-reset', 'endurance', 'other'];
const PAIRED_BY: readonly CyclePairing['by'][] = ['cycle-label', 'time', 'order', 'whole', 'unpaired'];
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

/** Validates the parts of a dataset other stages read; throws JartcalError naming the first problem. */
export function validateDataset(x: unknown, file = 'dataset.json'): Dataset {
  const bad = (msg: string): never => {
    throw new JartcalError(`${msg}`, { code: 'bad_dataset', location: { file } });
  };
  if (typeof x !== 'object' || x === null) bad(`expected a JSON object with schema "${DATASET_SCHEMA}".`);
  const d = x as Dataset;
  if (!(DATASET_SCHEMAS_READ as readonly string[]).includes(d.schema))
    bad(
      `unknown schema "${String((d as { schema?: unknown }).schema)}"; expected ${DATASET_SCHEMAS_READ.map((s) => `"${s}"`).join(' or ')}.`,
    );
  if (!Array.isArray(d.devices)) bad('"devices" must be an array.');
  for (const [k, dev] of d.devices.entries()) {
    if (typeof dev.id !== 'string') bad(`devices[${k}].id must be a string.`);
    if (dev.setPolarity !== 'positive' && dev.setPolarity !== 'negative')
      bad(`devices[${k}].setPolarity must be "positive" or "negative".`);
    if (!Array.isArray(dev.cycles)) bad(`devices[${k}].cycles must be an array.`);
    for (const [j, c] of dev.cycles.entries()) {
      const n = c.vV?.length;
      if (
        !Array.isArray(c.vV) ||
        !Array.isArray(c.iA) ||
        !Array.isArray(c.tS) ||
        !Array.isArray(c.branch) ||
        c.iA.length !== n ||
        c.tS.length !== n ||
        c.branch.length !== n
      ) {
        bad(`devices[${k}].cycles[${j}]: vV, iA, tS and branch must be arrays of equal length.`);
      }
      for (let q = 0; q < n; q++)
        if (!Number.isFinite(c.vV[q]) || !Number.isFinite(c.iA[q]) || !Number.isFinite(c.tS[q]))
          bad(`devices[${k}].cycles[${j}]: non-finite value at sample ${q}.`);
    }
    // jartcal.dataset/2 additions (optional; absent in /1 files)
    if (dev.tests !== undefined) {
      if (!Array.isArray(dev.tests)) bad(`devices[${k}].tests must be an array.`);
      for (const [j, t] of dev.tests.entries()) {
        if (!TEST_ROLES.includes(t?.role)) bad(`devices[${k}].tests[${j}].role must be one of ${TEST_ROLES.join(', ')}.`);
        if (typeof t.file !== 'string' || typeof t.used !== 'boolean')
          bad(`devices[${k}].tests[${j}]: "file" (string) and "used" (boolean) are required.`);
      }
    }
    for (const f of ['formingV', 'pristineOhm'] as const) {
      const v = dev[f];
      if (v !== undefined && v !== null && !Number.isFinite(v)) bad(`devices[${k}].${f} must be a number or null.`);
    }
    if (
      dev.pairing !== undefined &&
      (!Array.isArray(dev.pairing) || dev.pairing.some((p) => !Number.isInteger(p?.cycle) || !PAIRED_BY.includes(p.by)))
    ) {
      bad(`devices[${k}].pairing must be an array of {cycle, set?, reset?, whole?, by: ${PAIRED_BY.join('|')}}.`);
    }
  }
  return d;
}
