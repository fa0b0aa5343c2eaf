/**
 * The report's variability profile: the measured switching-feature statistics of the dataset
 * (V_SET, V_RESET, HRS, LRS, on/off: mean, spread, CV, histograms) and, when the population file
 * carries a `profile` (measured against sampled-and-simulated statistics), that comparison as a table.
 */
import { esc } from '../plot/index.js';
import { median } from '../util/stats.js';
import { simpleHistogram, RED, BLUE } from './plots.js';
import { barChart } from '../plot/bars.js';
import { ecdfChart } from '../plot/ecdf.js';
import type { DatasetView, PopulationView } from '../inspect/schema.js';
import { withinSamplingError, type LevelRow } from '../population/ppc.js';
import { fmtG, fmtPct, fmtRelDiff, fmtStatistic, fmtUnit, splitStatistic, sweepProse } from './format.js';

type Fig = (file: string, title: string, svg: string) => string;

export interface FeatureStat {
  name: string;
  label: string;
  unit: string;
  n: number;
  mean: number;
  std: number;
  cv: number;
  values: number[];
}

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
    for (const d of ds.devices)
      for (const c of d.cycles) {
        const v = c.features?.[f.key];
        if (typeof v === 'number' && Number.isFinite(v)) values.push(v);
      }
    const n = values.length;
    const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, n);
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
    return { name: f.key, label: f.label, unit: f.unit, n, mean, std, cv: mean !== 0 ? std / Math.abs(mean) : NaN, values };
  }).filter((s) => s.n > 0);
}

export interface ProfileRow {
  statistic: string;
  measured: number;
  predicted: number;
  relDiff: number;
}

/** The population stage's profile rows ({statistic, measured, predicted, relDiff}), if the profile has them. */
function profileRows(profile: unknown): ProfileRow[] | null {
  const rows = (profile as { rows?: unknown })?.rows;
  if (!Array.isArray(rows) || rows.length === 0) return null;
  const num = (x: unknown): number => (typeof x === 'number' ? x : NaN);
  const ok = rows.every((r) => typeof r === 'object' && r !== null && typeof (r as { statistic?: unknown }).statistic === 'string');
  return ok
    ? rows.map((r) => ({ statistic: String(r.statistic), measured: num(r.measured), predicted: num(r.predicted), relDiff: num(r.relDiff) }))
    : null;
}

const g = (x: number): string => fmtG(x);

/** Renders a `profile` object generically: objects of numbers side by side (e.g. measured | predicted). */
function profileTable(profile: unknown): string {
  if (typeof profile !== 'object' || profile === null) return '';
  const cols = Object.entries(profile as Record<string, unknown>).filter(
    ([, v]) => typeof v === 'object' && v !== null && !Array.isArray(v),
  ) as [string, Record<string, unknown>][];
  const numericCols = cols.filter(([, v]) => Object.values(v).some((x) => typeof x === 'number'));
  if (numericCols.length === 0) return "<p>The population's profile has no measured-against-predicted statistics this report can show.</p>";
  const keys = Array.from(new Set(numericCols.flatMap(([, v]) => Object.keys(v).filter((k) => typeof v[k] === 'number'))));
  const head = `<tr><th>statistic</th>${numericCols.map(([k]) => `<th>${esc(k)}</th>`).join('')}</tr>`;
  const rows = keys
    .map(
      (k) =>
        `<tr><td>${esc(k)}</td>${numericCols.map(([, v]) => `<td>${typeof v[k] === 'number' ? g(v[k] as number) : ''}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table>${head}${rows}</table>`;
}

/** Feature values with their units, for the overview ("−0.568 V ± 0.026 V"). */
export function featureLine(s: FeatureStat): string {
  if (s.name === 'onOff') return `on/off ratio median ${g(median(s.values))}`;
  if (s.unit === 'Ω') return `${s.label} median ${fmtUnit(median(s.values), 'Ω')} (CV ${fmtPct(s.cv)})`;
  return `${s.label} ${fmtUnit(s.mean, s.unit)} ± ${fmtUnit(s.std, s.unit, 2)}`;
}

/** Details: measured switching features (table with units, histograms). */
export function featuresSection(ds: DatasetView | null, fig: Fig, stats: typeof featureStats): string {
  const parts = ['<h3 id="features">Measured switching features</h3>'];
  const st = stats(ds);
  if (!st.length)
    return parts.concat('<p>No switching features in the dataset (dataset not found or features not computed).</p>').join('\n');
  parts.push(
    `<table><tr><th>feature</th><th>cycles</th><th>mean</th><th>std</th><th>CV</th></tr>${st.map((s) => `<tr><td>${esc(s.label)}</td><td>${s.n}</td><td>${s.unit ? fmtUnit(s.mean, s.unit) : g(s.mean)}</td><td>${s.unit ? fmtUnit(s.std, s.unit, 3) : g(s.std)}</td><td>${fmtPct(s.cv)}</td></tr>`).join('')}</table>`,
  );
  parts.push('<div class="grid">');
  for (const s of st) {
    const log = FEATURES.find((f) => f.key === s.name)!.log;
    const vals = log ? s.values.filter((v) => v > 0).map(Math.log10) : s.values;
    parts.push(
      fig(
        `feature_${s.name}`,
        `Measured ${s.label}`,
        simpleHistogram(
          `Measured ${s.label} (${s.n} cycles)`,
          log ? `log10 ${s.label}${s.unit ? ` (${s.unit})` : ''}` : `${s.label} (${s.unit})`,
          vals,
        ),
      ),
    );
  }
  parts.push('</div>');
  return parts.join('\n');
}

/** The population's posterior predictive check: what was simulated (settings in words), the table, bar charts. */
export function predictiveCheck(pop: PopulationView | null, fig: Fig): { html: string; rows: ProfileRow[] | null } {
  if (!pop) return { html: '<p>No population file (run <code>jartcal population</code>, or pass --population).</p>', rows: null };
  if (!pop.profile)
    return {
      html: '<p>The population has no predictive check (run <code>jartcal profile POPULATION DATASET --attach POPULATION</code>).</p>',
      rows: null,
    };
  const rows = profileRows(pop.profile);
  if (!rows) return { html: profileTable(pop.profile), rows: null };
  const parts: string[] = [];
  const pr = pop.profile as { simulated?: { devices?: number; cycles?: number; usable?: number }; sweep?: Record<string, unknown> };
  const sim = pr.simulated;
  const replay = (pop.profile as { protocol?: string }).protocol === 'replay';
  if (replay) {
    const sm = sim as { devices?: number; cycles?: number; replicates?: number; measuredDevices?: number; worstPredictedRelSe?: number };
    parts.push(
      `<p>${sm?.devices ?? '?'} devices drawn from the population (${sm?.replicates ?? '?'} per measured device, ${sm?.measuredDevices ?? '?'} measured), ${sm?.cycles ?? '?'} cycles simulated, each on the protocol of a measured cycle of the device it replicates (its voltage samples and time, compliance, read voltage, start state); measured and simulated curves through the same feature extractor. Sampling errors (± relative, bootstrap over devices) beside each value; the largest predicted one ${fmtPct(sm?.worstPredictedRelSe ?? NaN)}.</p>`,
    );
  } else
    parts.push(
      `<p>${sim ? `${sim.devices ?? '?'} devices drawn from the population × ${sim.cycles ?? '?'} cycles each, simulated (${sim.usable ?? '?'} usable cycles)` : 'Devices drawn from the population and simulated'}${pr.sweep ? `: ${esc(sweepProse(pr.sweep))}` : ''}. The same statistics are computed on the measured cycles.</p>`,
    );
  const before = profileRows((pop.profile as { before?: unknown }).before);
  const beforeOf = new Map((before ?? []).map((r) => [r.statistic, r]));
  const se = (r: unknown, k: string): string => {
    const x = (r as Record<string, unknown>)[k];
    return typeof x === 'number' && Number.isFinite(x) ? ` ± ${fmtPct(x)}` : '';
  };
  const rawRows = (pop.profile as { rows: unknown[] }).rows;
  parts.push(
    `<table><tr><th>statistic</th><th>measured</th>${before ? '<th>before refinement</th><th>difference</th>' : ''}<th>${before ? 'after refinement' : 'predicted'}</th><th>difference</th></tr>${rows
      .map((r, i) => {
        const off = Number.isFinite(r.relDiff) && Math.abs(r.relDiff) > 0.3;
        const b = beforeOf.get(r.statistic);
        return `<tr${off ? ' class="off"' : ''}><td>${esc(splitStatistic(r.statistic).name)}</td><td>${fmtStatistic(r.statistic, r.measured)}${se(rawRows[i], 'measuredRelSe')}</td>${before ? `<td>${b ? fmtStatistic(r.statistic, b.predicted) : 'n/a'}</td><td>${b ? fmtRelDiff(b.relDiff) : 'n/a'}</td>` : ''}<td>${fmtStatistic(r.statistic, r.predicted)}${se(rawRows[i], 'predictedRelSe')}</td><td>${fmtRelDiff(r.relDiff)}${beyondNote(rawRows[i])}</td></tr>`;
      })
      .join('')}</table>`,
  );
  parts.push(ecdfFigures(pop.profile, fig));
  const pick = (re: RegExp) => rows.filter((r) => re.test(r.statistic) && (Number.isFinite(r.measured) || Number.isFinite(r.predicted)));
  const groups: [string, string, string, RegExp][] = [
    ['profile_spreads', 'Variability: measured against predicted', 'CV, sd of log10 (dimensionless)', /^CV of|log10 on\/off sd/],
    ['profile_voltages', 'Switching voltages: measured against predicted', 'V', /^V_(SET|RESET) (mean|sd)/],
  ];
  parts.push('<div class="grid">');
  for (const [file, title, yLabel, re] of groups) {
    const sel = pick(re);
    if (!sel.length) continue;
    parts.push(
      fig(
        file,
        title,
        barChart({
          title,
          yLabel,
          categories: sel.map((r) => splitStatistic(r.statistic).name),
          series: [
            { name: 'measured', values: sel.map((r) => r.measured), color: BLUE },
            { name: 'predicted (population)', values: sel.map((r) => r.predicted), color: RED },
          ],
        }),
      ),
    );
  }
  parts.push('</div>');
  return { html: parts.join('\n'), rows };
}

/** "beyond JART v1b" with its evidence, for a row the all-free refinement could not bring within its tolerance; a miss within its sampling errors said so. */
function beyondNote(row: unknown): string {
  const b = (row as { beyondModel?: { closestRelDiff?: number; tolerance?: number } } | undefined)?.beyondModel;
  if (!b) {
    const r = row as Partial<LevelRow> | undefined;
    const rowed = r && typeof r.moment === 'string' && typeof r.relDiff === 'number' && typeof r.measuredRelSe === 'number';
    return rowed && Math.abs(r.relDiff as number) > 0.25 && withinSamplingError(r as LevelRow)
      ? ' (within 2 combined sampling errors: the data cannot tell it from agreement)'
      : '';
  }
  return ` <strong>beyond JART v1b</strong> (with every population parameter free the closest was ${fmtRelDiff(b.closestRelDiff ?? NaN)}, tolerance ±${fmtPct(b.tolerance ?? NaN)})`;
}

const ECDF_LABEL: Record<string, string> = {
  log10Hrs: 'log10 HRS (Ω)',
  log10Lrs: 'log10 LRS (Ω)',
  vSetV: '|V_SET| (V)',
  vResetV: '|V_RESET| (V)',
  log10OnOff: 'log10 on/off',
};

type Samples = Partial<Record<'d2d' | 'c2c', Record<string, number[]>>>;

/** ECDF overlays measured / predicted (and before refinement) per feature, d2d and c2c, from the profile's samples. */
function ecdfFigures(profile: unknown, fig: Fig): string {
  const pr = profile as { samples?: { measured?: Samples; predicted?: Samples }; before?: { samples?: { predicted?: Samples } } };
  const m = pr?.samples?.measured,
    p = pr?.samples?.predicted,
    b = pr?.before?.samples?.predicted;
  if (!m || !p) return '';
  const out: string[] = [
    "<p>Distributions, measured against predicted: device-to-device (one value per device, its first cycle) and cycle-to-cycle (each cycle's deviation from its device's mean, devices with 3 or more cycles).</p>",
    '<div class="grid">',
  ];
  for (const level of ['d2d', 'c2c'] as const)
    for (const [feat, label] of Object.entries(ECDF_LABEL)) {
      const mv = m[level]?.[feat];
      if (!Array.isArray(mv) || mv.length < 3) continue;
      const title = `${level === 'd2d' ? 'Device-to-device' : 'Cycle-to-cycle'} ${label}`;
      out.push(
        fig(
          `ecdf_${level}_${feat}`,
          title,
          ecdfChart({
            title,
            xLabel: level === 'd2d' ? label : `${label}, deviation from the device mean`,
            series: [
              { name: 'measured', values: mv, color: BLUE },
              ...(b?.[level]?.[feat] ? [{ name: 'before refinement', values: b[level]![feat], color: '#7f7f7f', dash: true }] : []),
              { name: b ? 'after refinement' : 'predicted', values: p[level]?.[feat] ?? [], color: RED },
            ],
          }),
        ),
      );
    }
  out.push('</div>');
  return out.length > 3 ? out.join('\n') : '';
}
