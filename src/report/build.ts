/**
 * The static report: an HTML page and its plots (SVG; the writer adds a PNG of each). Pure: inputs
 * are the parsed files and an injected model-curve function; the caller writes the result atomically.
 */
import { esc } from '../plot/index.js';
import { cycleRows, sortRows, flagProse, fmtRms, type CurveModel } from '../inspect/quality.js';
import { summarizeFits } from '../inspect/summary.js';
import { cycleKey, indexDataset, type CycleFitView, type DatasetView, type FitsFileView, type PopulationView } from '../inspect/schema.js';
import { ivOverlay, residualPlot, paramHistogram, paramScatter, simpleHistogram, pearson } from './plots.js';
import { profileSection, featureStats } from './profile.js';

export interface ReportPlot { file: string; title: string; svg: string }
export interface Report { html: string; plots: ReportPlot[] }

export interface ReportInput {
  fits: FitsFileView; fitsPath: string; dataset: DatasetView | null; population: PopulationView | null;
  model: CurveModel | null; units?: Map<string, string>;
  /** At most this many cycles get overlay and residual plots (the worst half, then an even sample). Default 24. */
  maxCycles?: number;
  notes?: string[];
}

const unitOf = (u: string | undefined): { factor: number; unit: string } => (u === 'm' ? { factor: 1e9, unit: 'nm' } : { factor: 1, unit: u ?? '' });
const slug = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '_');

export function chooseCycles(fits: FitsFileView, max: number): number[] {
  const worst = sortRows(cycleRows(fits), 'worst').map((r) => r.index);
  if (worst.length <= max) return sortRows(cycleRows(fits), 'device').map((r) => r.index);
  const nWorst = Math.ceil(max / 2);
  const picked = new Set(worst.slice(0, nWorst));
  const rest = sortRows(cycleRows(fits), 'device').map((r) => r.index).filter((i) => !picked.has(i));
  const nRest = max - nWorst;
  for (let k = 0; k < nRest; k++) picked.add(rest[Math.floor(((k + 0.5) * rest.length) / nRest)]);
  return Array.from(picked);
}

function fittedNames(fits: FitsFileView): string[] {
  const out: string[] = [];
  for (const c of fits.cycles) for (const n of c.fitted) if (!out.includes(n)) out.push(n);
  return out;
}

function table(head: string[], rows: (string | number)[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? c : c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function buildReport(inp: ReportInput): Report {
  const plots: ReportPlot[] = [];
  const fig = (file: string, title: string, svg: string): string => {
    plots.push({ file: `${slug(file)}.svg`, title, svg });
    const base = `plots/${slug(file)}`;
    return `<figure><img src="${base}.svg" alt="${esc(title)}"><figcaption>${esc(title)} · <a href="${base}.svg">SVG</a> · <a href="${base}.png">PNG</a></figcaption></figure>`;
  };
  const { fits } = inp;
  const sum = summarizeFits(fits, inp.fitsPath, 15);
  const data = indexDataset(inp.dataset);
  const parts: string[] = [];

  parts.push(`<h1>jartcal fit report</h1><p>fits <code>${esc(inp.fitsPath)}</code> (toolkit ${esc(String(fits.toolkitVersion))}, seed ${esc(String(fits.seed))}, created ${esc(String(fits.createdAt))}) · dataset <code>${esc(fits.dataset)}</code>${inp.dataset ? '' : ' <b>(not found: measured points are missing)</b>'} · population ${inp.population ? 'loaded' : 'not given'}</p>`);
  for (const n of inp.notes ?? []) parts.push(`<p class="note">${esc(n)}</p>`);
  parts.push(`<h2>Summary</h2><p>${sum.devices} devices, ${sum.cycles} cycles; ${sum.converged} converged, ${sum.flagged} flagged, ${sum.bad} bad. RMS of log10|I| (decades): median ${fmtRms(sum.rmsLog10.median ?? NaN)}, 90th percentile ${fmtRms(sum.rmsLog10.p90 ?? NaN)}, max ${fmtRms(sum.rmsLog10.max ?? NaN)}.</p>`);
  parts.push(table(['device', 'cycle', 'RMS (dec)', 'converged', 'flags'], sortRows(cycleRows(fits), 'worst').slice(0, 15).map((r) => [esc(r.device), r.cycle, fmtRms(r.rmsLog10), r.converged ? 'yes' : '<b>no</b>', esc(r.flags.map(flagProse).join('; '))])));
  parts.push(fig('rms_histogram', 'Distribution of the per-cycle RMS error of log10|I|', simpleHistogram('RMS error per cycle', 'RMS of log10|I| (decades)', fits.cycles.map((c) => c.rmsLog10))));

  // Per-cycle overlays and residuals.
  const chosen = chooseCycles(fits, inp.maxCycles ?? 24);
  parts.push(`<h2>Cycles</h2><p>${chosen.length} of ${fits.cycles.length} cycles shown (the worst first, then an even sample). Measured SET branches red, RESET blue, the model with the fitted parameters black${inp.model ? '' : ' (<b>model curve unavailable in this build</b>)'}; the dashed line is the current compliance.</p>`);
  for (const i of chosen) {
    const f = fits.cycles[i];
    const d = data.get(cycleKey(f.device, f.cycle));
    parts.push(`<h3 id="${slug(`${f.device}_${f.cycle}`)}">${esc(f.device)} cycle ${f.cycle}</h3>`);
    if (!d) { parts.push('<p>measured data not found in the dataset.</p>'); continue; }
    const modelA = inp.model ? inp.model(f.params, d, { fit: f, settings: fits.settings }) : null;
    parts.push(`<div class="row">${fig(`iv_${f.device}_${f.cycle}`, `${f.device} cycle ${f.cycle}: measured and fitted I-V`, ivOverlay(d, f, modelA))}`);
    if (modelA) parts.push(fig(`res_${f.device}_${f.cycle}`, `${f.device} cycle ${f.cycle}: residuals`, residualPlot(d, f, modelA)));
    parts.push('</div>');
    if (f.flags.length || !f.converged) parts.push(`<p class="flags">${esc([...(f.converged ? [] : ['not converged']), ...f.flags.map(flagProse)].join('; '))}</p>`);
  }

  // Parameters: histograms, correlation across cycles, scatter plots.
  const names = fittedNames(fits);
  parts.push('<h2>Fitted parameters</h2>');
  const stats = names.map((n) => {
    const v = fits.cycles.filter((c) => c.fitted.includes(n)).map((c) => c.params[n]).filter(Number.isFinite);
    const mean = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1));
    const u = unitOf(inp.units?.get(n));
    return [esc(n), esc(u.unit), v.length, fmt(mean * u.factor), fmt(sd * u.factor), mean !== 0 ? `${(100 * sd / Math.abs(mean)).toFixed(1)} %` : 'n/a'];
  });
  parts.push(table(['parameter', 'unit', 'cycles', 'mean', 'std', 'CV'], stats));
  parts.push('<div class="grid">');
  for (const n of names) {
    const v = fits.cycles.filter((c) => c.fitted.includes(n)).map((c) => c.params[n]);
    parts.push(fig(`hist_${n}`, `Histogram of ${n}`, paramHistogram(n, v, unitOf(inp.units?.get(n)), inp.population?.parameters[n])));
  }
  parts.push('</div>');
  const scatterNames = names.slice(0, 5);
  if (scatterNames.length >= 2) {
    const both = (a: string, b: string): CycleFitView[] => fits.cycles.filter((c) => c.fitted.includes(a) && c.fitted.includes(b) && c.params[a] > 0 && c.params[b] > 0);
    const rows = scatterNames.map((a) => [esc(a), ...scatterNames.map((b) => {
      const cs = both(a, b);
      const r = pearson(cs.map((c) => Math.log(c.params[a])), cs.map((c) => Math.log(c.params[b])));
      return `<span style="background:${heat(r)}">${Number.isFinite(r) ? r.toFixed(2) : 'n/a'}</span>`;
    })]);
    parts.push('<h3>Correlations across cycles (of ln values)</h3>', table(['', ...scatterNames], rows));
    parts.push('<div class="grid">');
    for (let i = 0; i < scatterNames.length; i++) for (let j = i + 1; j < scatterNames.length; j++) {
      const a = scatterNames[i];
      const b = scatterNames[j];
      const pts = both(a, b).map((c) => ({ x: c.params[a], y: c.params[b], device: c.device }));
      parts.push(fig(`scatter_${a}_${b}`, `${b} against ${a}`, paramScatter(a, b, pts, unitOf(inp.units?.get(a)), unitOf(inp.units?.get(b)), true)));
    }
    parts.push('</div>');
  }
  const fc = meanFitCorrelation(fits);
  if (fc) {
    parts.push('<h3>Mean correlation of the fitted parameters within a fit (from the Jacobian)</h3><p>Values near ±1 mean the sweep cannot tell the two parameters apart.</p>');
    parts.push(table(['', ...fc.params], fc.params.map((p, i) => [esc(p), ...fc.matrix[i].map((r) => `<span style="background:${heat(r)}">${r.toFixed(2)}</span>`)])));
  }

  // Variability profile.
  parts.push(profileSection(inp.dataset, inp.population, fig, featureStats));
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>jartcal report: ${esc(inp.fitsPath)}</title><style>${CSS}</style></head><body>${parts.join('\n')}</body></html>\n`;
  return { html, plots };
}

const fmt = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : 'n/a');
function heat(r: number): string {
  if (!Number.isFinite(r)) return 'transparent';
  const a = Math.min(1, Math.abs(r));
  return r >= 0 ? `rgba(214,39,40,${(0.6 * a).toFixed(2)})` : `rgba(31,119,180,${(0.6 * a).toFixed(2)})`;
}

function meanFitCorrelation(fits: FitsFileView): { params: string[]; matrix: number[][] } | null {
  const withC = fits.cycles.filter((c) => c.correlation && c.correlation.params.length > 1);
  if (!withC.length) return null;
  const params = withC[0].correlation!.params;
  const same = withC.filter((c) => c.correlation!.params.join() === params.join() && c.correlation!.matrix.every((r) => r.every(Number.isFinite)));
  if (!same.length) return null;
  const m = params.map((_, i) => params.map((_, j) => same.reduce((s, c) => s + c.correlation!.matrix[i][j], 0) / same.length));
  return { params, matrix: m };
}

const CSS = `body{font-family:DejaVu Sans,Arial,sans-serif;margin:1.5em auto;max-width:1400px;color:#111}
table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;font-size:13px;text-align:right}
figure{display:inline-block;margin:6px}figcaption{font-size:12px;color:#555}.row,.grid{display:flex;flex-wrap:wrap}
.flags{color:#b00}.note{color:#a60}code{background:#f4f4f4;padding:1px 3px}`;
