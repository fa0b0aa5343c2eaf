/**
 * The report's variability profile: the measured switching-feature statistics of the dataset
 * (V_SET, V_RESET, HRS, LRS, on/off: mean, spread, CV, histograms) and, when the population file
 * carries a `profile` (measured against sampled-and-simulated statistics), that comparison as a table.
 */
import { esc } from '../plot/index.js';
import { simpleHistogram, RED, BLUE } from './plots.js';
import { barChart } from '../plot/bars.js';
import type { DatasetView, PopulationView } from '../inspect/schema.js';

type Fig = (file: string, title: string, svg: string) => string;

export interface FeatureStat { name: string; label: string; unit: string; n: number; mean: number; std: number; cv: number; values: number[] }

const FEATURES: { key: 'vSetV' | 'vResetV' | 'hrsOhm' | 'lrsOhm' | 'onOff'; label: string; unit: string; log: boolean }[] = [
  { key: 'vSetV', label: 'V_SET', unit: 'V', log: false },
  { key: 'vResetV', label: 'V_RESET', unit: 'V', log: false },
  { key: 'hrsOhm', label: 'HRS', unit: 'Ω', log: true },
  { key: 'lrsOhm', label: 'LRS', unit: 'Ω', log: true },
  { key: 'onOff', label: 'on/off ratio', unit: '', log: true },
];

export function featureStats(ds: DatasetView | null): FeatureStat[] {
  if (!ds) return [];
  return FEATURES.map((f) => {
    const values: number[] = [];
    for (const d of ds.devices) for (const c of d.cycles) {
      const v = c.features?.[f.key];
      if (typeof v === 'number' && Number.isFinite(v)) values.push(v);
    }
    const n = values.length;
    const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, n);
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
    return { name: f.key, label: f.label, unit: f.unit, n, mean, std, cv: mean !== 0 ? std / Math.abs(mean) : NaN, values };
  }).filter((s) => s.n > 0);
}

export interface ProfileRow { statistic: string; measured: number; predicted: number; relDiff: number }

/** The population stage's profile rows ({statistic, measured, predicted, relDiff}), if the profile has them. */
export function profileRows(profile: unknown): ProfileRow[] | null {
  const rows = (profile as { rows?: unknown })?.rows;
  if (!Array.isArray(rows) || rows.length === 0) return null;
  const num = (x: unknown): number => (typeof x === 'number' ? x : NaN);
  const ok = rows.every((r) => typeof r === 'object' && r !== null && typeof (r as { statistic?: unknown }).statistic === 'string');
  return ok ? rows.map((r) => ({ statistic: String(r.statistic), measured: num(r.measured), predicted: num(r.predicted), relDiff: num(r.relDiff) })) : null;
}

const g = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : 'n/a');

/** Renders a `profile` object generically: objects of numbers side by side (e.g. measured | predicted). */
function profileTable(profile: unknown): string {
  if (typeof profile !== 'object' || profile === null) return '';
  const cols = Object.entries(profile as Record<string, unknown>).filter(([, v]) => typeof v === 'object' && v !== null && !Array.isArray(v)) as [string, Record<string, unknown>][];
  const numericCols = cols.filter(([, v]) => Object.values(v).some((x) => typeof x === 'number'));
  if (numericCols.length === 0) return `<pre>${esc(JSON.stringify(profile, null, 2).slice(0, 4000))}</pre>`;
  const keys = Array.from(new Set(numericCols.flatMap(([, v]) => Object.keys(v).filter((k) => typeof v[k] === 'number'))));
  const head = `<tr><th>statistic</th>${numericCols.map(([k]) => `<th>${esc(k)}</th>`).join('')}</tr>`;
  const rows = keys.map((k) => `<tr><td>${esc(k)}</td>${numericCols.map(([, v]) => `<td>${typeof v[k] === 'number' ? g(v[k] as number) : ''}</td>`).join('')}</tr>`).join('');
  const rest = Object.fromEntries(Object.entries(profile as Record<string, unknown>).filter(([k]) => !numericCols.some(([c]) => c === k)));
  return `<table>${head}${rows}</table>${Object.keys(rest).length ? `<pre>${esc(JSON.stringify(rest, null, 2).slice(0, 4000))}</pre>` : ''}`;
}

export function profileSection(ds: DatasetView | null, pop: PopulationView | null, fig: Fig, stats: typeof featureStats): string {
  const parts = ['<h2>Variability profile</h2>'];
  const st = stats(ds);
  if (st.length) {
    parts.push('<h3>Measured switching features</h3>');
    parts.push(`<table><tr><th>feature</th><th>cycles</th><th>mean</th><th>std</th><th>CV</th></tr>${st.map((s) => `<tr><td>${esc(s.label)}</td><td>${s.n}</td><td>${g(s.mean)} ${esc(s.unit)}</td><td>${g(s.std)} ${esc(s.unit)}</td><td>${Number.isFinite(s.cv) ? (100 * s.cv).toFixed(1) + ' %' : 'n/a'}</td></tr>`).join('')}</table>`);
    parts.push('<div class="grid">');
    for (const s of st) {
      const log = FEATURES.find((f) => f.key === s.name)!.log;
      const vals = log ? s.values.filter((v) => v > 0).map(Math.log10) : s.values;
      parts.push(fig(`feature_${s.name}`, `Measured ${s.label}`, simpleHistogram(`Measured ${s.label} (${s.n} cycles)`, log ? `log10 ${s.label}${s.unit ? ` (${s.unit})` : ''}` : `${s.label} (${s.unit})`, vals)));
    }
    parts.push('</div>');
  } else {
    parts.push('<p>No switching features in the dataset (dataset not found or features not computed).</p>');
  }
  if (pop?.profile) {
    parts.push('<h3>Population: measured against sampled and simulated (posterior predictive check)</h3>');
    const rows = profileRows(pop.profile);
    if (rows) {
      const pr = pop.profile as { simulated?: { devices?: number; cycles?: number; usable?: number }; sweep?: Record<string, unknown> };
      if (pr.simulated) parts.push(`<p>${pr.simulated.devices ?? '?'} sampled devices × ${pr.simulated.cycles ?? '?'} cycles simulated (${pr.simulated.usable ?? '?'} usable)${pr.sweep ? `; sweep ${esc(JSON.stringify(pr.sweep))}` : ''}.</p>`);
      parts.push(`<table><tr><th>statistic</th><th>measured</th><th>predicted</th><th>difference</th></tr>${rows.map((r) => `<tr><td>${esc(r.statistic)}</td><td>${g(r.measured)}</td><td>${g(r.predicted)}</td><td>${Number.isFinite(r.relDiff) ? (100 * r.relDiff).toFixed(0) + ' %' : 'n/a'}</td></tr>`).join('')}</table>`);
      const pick = (re: RegExp) => rows.filter((r) => re.test(r.statistic) && (Number.isFinite(r.measured) || Number.isFinite(r.predicted)));
      const groups: [string, string, RegExp][] = [
        ['profile_spreads', 'Variability: measured against predicted (dimensionless spreads)', /^CV of|log10 on\/off sd/],
        ['profile_voltages', 'Switching voltages: measured against predicted (V)', /^V_(SET|RESET) (mean|sd)/],
      ];
      parts.push('<div class="grid">');
      for (const [file, title, re] of groups) {
        const sel = pick(re);
        if (!sel.length) continue;
        parts.push(fig(file, title, barChart({ title, yLabel: file === 'profile_voltages' ? 'V' : 'value', categories: sel.map((r) => r.statistic),
          series: [{ name: 'measured', values: sel.map((r) => r.measured), color: BLUE }, { name: 'predicted (population)', values: sel.map((r) => r.predicted), color: RED }] })));
      }
      parts.push('</div>');
    } else parts.push(profileTable(pop.profile));
  } else {
    parts.push(`<p>${pop ? 'The population file has no variability profile.' : 'No population file given (--population).'}</p>`);
  }
  return parts.join('\n');
}
