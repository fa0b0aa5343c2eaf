/**
 * The static report: an HTML page and its plots (SVG; the writer adds a PNG of each). Pure: inputs
 * are the parsed files and an injected model-curve function; the caller writes the result atomically.
 */
import { esc } from '../plot/index.js';
import { cycleRows, sortRows, flagProse, fmtRms, POOR_RMS_LOG10, type CurveModel } from '../inspect/quality.js';
import { summarizeFits } from '../inspect/summary.js';
import { cycleKey, indexDataset, type CycleFitView, type DatasetView, type FitsFileView, type PopulationView } from '../inspect/schema.js';
import { ivOverlay, residualPlot, paramHistogram, paramScatter, simpleHistogram, pearson } from './plots.js';
import { featureStats, featureLine, featuresSection, predictiveCheck } from './profile.js';
import { crossbarCard, type CrossbarView } from './crossbar.js';
import { fmtG, fmtPct, fmtRelDiff, splitStatistic } from './format.js';
import { displayUnit, formatParam } from '../model/display.js';

export interface ReportPlot {
  file: string;
  title: string;
  svg: string;
}
export interface Report {
  html: string;
  plots: ReportPlot[];
}

export interface ReportInput {
  fits: FitsFileView;
  fitsPath: string;
  dataset: DatasetView | null;
  population: PopulationView | null;
  model: CurveModel | null;
  /** The crossbar run's results (crossbarView of its results.json), or null; `crossbarNote` says why none. */
  crossbar?: CrossbarView | null;
  crossbarNote?: string;
  /** At most this many cycles get overlay and residual plots (the worst half, then an even sample). Default 24. */
  maxCycles?: number;
  notes?: string[];
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '_');
const WORST_ROWS = 15;

export function chooseCycles(fits: FitsFileView, max: number): number[] {
  const worst = sortRows(cycleRows(fits), 'worst').map((r) => r.index);
  if (worst.length <= max) return sortRows(cycleRows(fits), 'device').map((r) => r.index);
  const nWorst = Math.ceil(max / 2);
  const picked = new Set(worst.slice(0, nWorst));
  const rest = sortRows(cycleRows(fits), 'device')
    .map((r) => r.index)
    .filter((i) => !picked.has(i));
  const nRest = max - nWorst;
  for (let k = 0; k < nRest; k++) picked.add(rest[Math.floor(((k + 0.5) * rest.length) / nRest)]);
  return Array.from(picked);
}

function fittedNames(fits: FitsFileView): string[] {
  const out: string[] = [];
  for (const c of fits.cycles) for (const n of c.fitted) if (!out.includes(n)) out.push(n);
  return out;
}

/**
 * Where a fitted parameter lives and its values: per device (campaign fits: one value per device, fitted
 * on some of its cycles, held by the others) or per cycle. Counts match the inspector's "device" rows.
 */
export function parameterValues(
  fits: FitsFileView,
  name: string,
): { level: 'device' | 'cycle'; values: number[]; n: number; fittedCycles: number; allCycles: number } {
  const devs = fits.devices.filter((d) => typeof d.params[name] === 'number' && Number.isFinite(d.params[name]));
  const allCycles = fits.cycles.length;
  if (devs.length) {
    const withCycles = fits.devices as { device: string; fromCycles?: number[] }[];
    const fittedCycles = withCycles.reduce((a, d) => a + (Array.isArray(d.fromCycles) ? d.fromCycles.length : 0), 0);
    return { level: 'device', values: devs.map((d) => d.params[name]), n: devs.length, fittedCycles, allCycles };
  }
  const v = fits.cycles
    .filter((c) => c.fitted.includes(name))
    .map((c) => c.params[name])
    .filter(Number.isFinite);
  return { level: 'cycle', values: v, n: v.length, fittedCycles: v.length, allCycles };
}

function table(head: string[], rows: (string | number)[][], cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** A spread of a population parameter in words: ln sd as ≈ %, relative as %, absolute in the display unit. */
function spreadText(name: string, spread: number, kind: string): string {
  if (!(spread > 0)) return '0 (none)';
  if (kind === 'ln') return `σ<sub>ln</sub> ${fmtG(spread, 3)} (≈${fmtPct(spread, spread < 0.1 ? 1 : 0)})`;
  if (kind === 'relative') return fmtPct(spread, 1);
  const u = displayUnit(name);
  return `${formatParam(name, spread, 3)}${u.unit ? ` ${u.unit}` : ''}`;
}

export function buildReport(inp: ReportInput): Report {
  const plots: ReportPlot[] = [];
  const fig = (file: string, title: string, svg: string): string => {
    plots.push({ file: `${slug(file)}.svg`, title, svg });
    const base = `plots/${slug(file)}`;
    return `<figure><img src="${base}.svg" alt="${esc(title)}"><figcaption>${esc(title)} · <a href="${base}.svg">SVG</a> · <a href="${base}.png">PNG</a></figcaption></figure>`;
  };
  const { fits } = inp;
  const sum = summarizeFits(fits, inp.fitsPath, WORST_ROWS);
  const data = indexDataset(inp.dataset);
  const names = fittedNames(fits);
  const feats = featureStats(inp.dataset);
  const parts: string[] = [];

  parts.push('<h1>jartcal report</h1>');
  parts.push(
    `<p class="meta">Fits <code>${esc(inp.fitsPath)}</code> (toolkit ${esc(String(fits.toolkitVersion))}, seed ${esc(String(fits.seed))}, ${esc(String(fits.createdAt))}) · dataset <code>${esc(fits.dataset)}</code>${inp.dataset ? '' : ' <b>(not found: measured points are missing)</b>'} · population ${inp.population ? 'loaded' : 'not given'} · crossbar ${inp.crossbar ? `<code>${esc(inp.crossbar.path)}</code>` : 'not run'}</p>`,
  );
  for (const n of inp.notes ?? []) parts.push(`<p class="note">${esc(n)}</p>`);
  parts.push(
    '<nav>Overview: <a href="#overview">data, fits, population, crossbar</a> · <a href="#population">population and predictive check</a> · Details: <a href="#quality">fit quality</a> · <a href="#cycles">cycles</a> · <a href="#parameters">fitted parameters</a> · <a href="#features">switching features</a></nav>',
  );

  // ---- Overview: four cards (data, fits, population, crossbar), then the population table and its check.
  parts.push('<section id="overview"><h2>Overview</h2><div class="cards">');
  const nDataCycles = inp.dataset ? inp.dataset.devices.reduce((a, d) => a + d.cycles.length, 0) : null;
  parts.push(
    `<div class="card"><h3>Data</h3><p class="big">${inp.dataset ? `${inp.dataset.devices.length} devices · ${nDataCycles} cycles` : 'dataset not found'}</p>` +
      (feats.length ? `<ul>${feats.map((f) => `<li>${esc(featureLine(f))}</li>`).join('')}</ul>` : '') +
      '</div>',
  );
  parts.push(
    `<div class="card"><h3>Fits</h3><p class="big">median RMS ${fmtRms(sum.rmsLog10.median ?? NaN)} dec</p><ul>` +
      `<li>${sum.cycles} cycle fits of ${sum.devices} devices; ${sum.converged} converged</li>` +
      `<li>${sum.flagged} flagged, ${sum.bad} bad (flagged, not converged or RMS &gt; ${POOR_RMS_LOG10} dec)</li>` +
      `<li>RMS of log10|I|: 90th percentile ${fmtRms(sum.rmsLog10.p90 ?? NaN)} dec, max ${fmtRms(sum.rmsLog10.max ?? NaN)} dec</li>` +
      `<li>fitted: ${names.map((n) => `${esc(n)} (${parameterValues(fits, n).level === 'device' ? 'per device' : 'per cycle'})`).join(', ')}</li></ul></div>`,
  );
  const check = predictiveCheck(inp.population, fig);
  const pop = inp.population;
  if (pop) {
    const within = check.rows?.filter((r) => Number.isFinite(r.relDiff) && Math.abs(r.relDiff) <= 0.3).length;
    const worst = check.rows?.filter((r) => Number.isFinite(r.relDiff)).sort((a, b) => Math.abs(b.relDiff) - Math.abs(a.relDiff))[0];
    parts.push(
      `<div class="card"><h3>Population</h3><p class="big">${Object.keys(pop.parameters).length} variable parameters</p><ul>` +
        `<li>device-to-device and cycle-to-cycle spreads (seed ${esc(String(pop.seed))})</li>` +
        (check.rows
          ? `<li>predictive check: ${within} of ${check.rows.length} statistics within ±30 % of the measured ones${worst ? `; largest difference ${esc(splitStatistic(worst.statistic).name)} ${fmtRelDiff(worst.relDiff)}` : ''}</li>`
          : '<li>no predictive check attached</li>') +
        '</ul></div>',
    );
  } else parts.push('<div class="card"><h3>Population</h3><p>No population file given (--population).</p></div>');
  parts.push(crossbarCard(inp.crossbar ?? null, fig, inp.crossbarNote));
  parts.push('</div></section>');

  parts.push('<section id="population"><h2>Population and its predictive check</h2>');
  if (pop) {
    const rows = Object.entries(pop.parameters).map(([n, q]) => [
      esc(n),
      esc(displayUnit(n).unit || '–'),
      esc(q.family),
      formatParam(n, q.d2d.center),
      spreadText(n, q.d2d.spread, q.d2d.spreadKind),
      spreadText(n, q.c2c.spread, q.c2c.spreadKind),
    ]);
    parts.push(
      '<p>Each parameter: distribution family, centre (in the unit shown; the file keeps SI units), device-to-device (d2d) and cycle-to-cycle (c2c) spread.</p>',
    );
    parts.push(table(['parameter', 'unit', 'family', 'centre', 'd2d spread', 'c2c spread'], rows));
  }
  parts.push('<h3>Predictive check: measured against sampled and simulated devices</h3>', check.html, '</section>');

  // ---- Details.
  parts.push('<h2 class="details">Details</h2>');
  const worstRows = sortRows(cycleRows(fits), 'worst').slice(0, WORST_ROWS);
  parts.push(
    `<section id="quality"><h3>Fit quality</h3><p>${worstRows.length < fits.cycles.length ? `The ${worstRows.length} worst of ${fits.cycles.length} cycle fits (largest RMS first; all of them in <code>jartcal inspect</code>).` : `All ${fits.cycles.length} cycle fits, largest RMS first.`}</p>`,
  );
  parts.push(
    table(
      ['device', 'cycle', 'RMS (dec)', 'converged', 'flags'],
      worstRows.map((r) => [
        esc(r.device),
        r.cycle,
        fmtRms(r.rmsLog10),
        r.converged ? 'yes' : '<b>no</b>',
        esc(r.flags.map(flagProse).join('; ')),
      ]),
    ),
  );
  parts.push(
    fig(
      'rms_histogram',
      'Distribution of the per-cycle RMS error of log10|I|',
      simpleHistogram(
        `RMS error over ${fits.cycles.length} cycles`,
        'RMS of log10|I| (decades)',
        fits.cycles.map((c) => c.rmsLog10),
      ),
    ),
  );
  parts.push('</section>');

  // Per-cycle overlays and residuals.
  const chosen = chooseCycles(fits, inp.maxCycles ?? 24);
  parts.push(
    `<section id="cycles"><h3>Cycles</h3><p>${chosen.length < fits.cycles.length ? `${chosen.length} of ${fits.cycles.length} cycles shown (the worst first, then an even sample).` : `All ${fits.cycles.length} cycles.`} Measured SET branches red, RESET blue, the model with the fitted parameters black${inp.model ? '' : ' (<b>model curve unavailable in this build</b>)'}; the dashed line is the current compliance.</p>`,
  );
  for (const i of chosen) {
    const f = fits.cycles[i];
    const d = data.get(cycleKey(f.device, f.cycle));
    parts.push(`<h4 id="${slug(`${f.device}_${f.cycle}`)}">${esc(f.device)} cycle ${f.cycle}</h4>`);
    if (!d) {
      parts.push('<p>measured data not found in the dataset.</p>');
      continue;
    }
    const modelA = inp.model ? inp.model(f.params, d, { fit: f, settings: fits.settings }) : null;
    parts.push(
      `<div class="row">${fig(`iv_${f.device}_${f.cycle}`, `${f.device} cycle ${f.cycle}: measured and fitted I-V`, ivOverlay(d, f, modelA))}`,
    );
    if (modelA) parts.push(fig(`res_${f.device}_${f.cycle}`, `${f.device} cycle ${f.cycle}: residuals`, residualPlot(d, f, modelA)));
    parts.push('</div>');
    if (f.flags.length || !f.converged)
      parts.push(`<p class="flags">${esc([...(f.converged ? [] : ['not converged']), ...f.flags.map(flagProse)].join('; '))}</p>`);
  }
  parts.push('</section>');

  // Parameters: table, histograms, correlation across cycles, scatter plots.
  parts.push('<section id="parameters"><h3>Fitted parameters</h3>');
  const stats = names.map((n) => {
    const pv = parameterValues(fits, n);
    const v = pv.values;
    const mean = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1));
    const where =
      pv.level === 'device'
        ? `${pv.n} devices (fitted on ${pv.fittedCycles} of ${pv.allCycles} cycles; the others use their device's value)`
        : `${pv.n} of ${pv.allCycles} cycles`;
    return [
      esc(n),
      esc(displayUnit(n).unit || '–'),
      esc(where),
      formatParam(n, mean),
      formatParam(n, sd, 3),
      mean !== 0 ? fmtPct(sd / Math.abs(mean)) : 'n/a',
    ];
  });
  parts.push(table(['parameter', 'unit', 'values from', 'mean', 'std', 'CV'], stats));
  parts.push('<div class="grid">');
  for (const n of names) {
    const pv = parameterValues(fits, n);
    parts.push(
      fig(
        `hist_${n}`,
        `Histogram of ${n}`,
        paramHistogram(n, pv.values, displayUnit(n), inp.population?.parameters[n], pv.level === 'device' ? 'devices' : 'cycles'),
      ),
    );
  }
  parts.push('</div>');
  const scatterNames = names.filter((n) => parameterValues(fits, n).level === 'cycle').slice(0, 5);
  if (scatterNames.length >= 2) {
    const both = (a: string, b: string): CycleFitView[] =>
      fits.cycles.filter((c) => c.fitted.includes(a) && c.fitted.includes(b) && c.params[a] > 0 && c.params[b] > 0);
    const rows = scatterNames.map((a) => [
      esc(a),
      ...scatterNames.map((b) => {
        const cs = both(a, b);
        const r = pearson(
          cs.map((c) => Math.log(c.params[a])),
          cs.map((c) => Math.log(c.params[b])),
        );
        return `<span style="background:${heat(r)}">${Number.isFinite(r) ? r.toFixed(2) : 'n/a'}</span>`;
      }),
    ]);
    parts.push('<h4>Correlations across cycles (of ln values, per-cycle parameters)</h4>', table(['', ...scatterNames], rows));
    parts.push('<div class="grid">');
    for (let i = 0; i < scatterNames.length; i++)
      for (let j = i + 1; j < scatterNames.length; j++) {
        const a = scatterNames[i];
        const b = scatterNames[j];
        const pts = both(a, b).map((c) => ({ x: c.params[a], y: c.params[b], device: c.device }));
        parts.push(fig(`scatter_${a}_${b}`, `${b} against ${a}`, paramScatter(a, b, pts, displayUnit(a), displayUnit(b), true)));
      }
    parts.push('</div>');
  }
  const fc = meanFitCorrelation(fits);
  if (fc) {
    parts.push(
      '<h4>Mean correlation of the fitted parameters within a fit (from the Jacobian)</h4><p>Values near ±1 mean the sweep cannot tell the two parameters apart.</p>',
    );
    parts.push(
      table(
        ['', ...fc.params],
        fc.params.map((p, i) => [esc(p), ...fc.matrix[i].map((r) => `<span style="background:${heat(r)}">${r.toFixed(2)}</span>`)]),
      ),
    );
  }
  parts.push('</section>');

  parts.push(`<section>${featuresSection(inp.dataset, fig, featureStats)}</section>`);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>jartcal report: ${esc(inp.fitsPath)}</title><style>${CSS}</style></head><body>${parts.join('\n')}</body></html>\n`;
  return { html, plots };
}

function heat(r: number): string {
  if (!Number.isFinite(r)) return 'transparent';
  const a = Math.min(1, Math.abs(r));
  return r >= 0 ? `rgba(214,39,40,${(0.6 * a).toFixed(2)})` : `rgba(31,119,180,${(0.6 * a).toFixed(2)})`;
}

function meanFitCorrelation(fits: FitsFileView): { params: string[]; matrix: number[][] } | null {
  const withC = fits.cycles.filter((c) => c.correlation && c.correlation.params.length > 1);
  if (!withC.length) return null;
  const params = withC[0].correlation!.params;
  const same = withC.filter(
    (c) => c.correlation!.params.join() === params.join() && c.correlation!.matrix.every((r) => r.every(Number.isFinite)),
  );
  if (!same.length) return null;
  const m = params.map((_, i) => params.map((_, j) => same.reduce((s, c) => s + c.correlation!.matrix[i][j], 0) / same.length));
  return { params, matrix: m };
}

const CSS = `body{font-family:DejaVu Sans,Arial,sans-serif;margin:1.5em auto;max-width:1400px;padding:0 1em;color:#111}
h2{border-bottom:2px solid #ddd;padding-bottom:2px;margin-top:1.6em}h2.details{margin-top:2.5em}
nav{font-size:14px;margin:0.5em 0 1em}.meta{color:#444;font-size:13px}
table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;font-size:13px;text-align:right}
td:first-child,th:first-child{text-align:left}tr.off td{background:#fff3e0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px;align-items:start}.card{border:1px solid #ccc;border-radius:6px;padding:8px 14px;background:#fafafa}.card figure{margin:4px 0}.card img{max-width:100%}
.card h3{margin:0.2em 0}.card ul{padding-left:1.2em;margin:0.3em 0;font-size:14px}.big{font-size:24px;font-weight:bold;margin:0.2em 0}
figure{display:inline-block;margin:6px}figcaption{font-size:12px;color:#555}.row,.grid{display:flex;flex-wrap:wrap}
.flags{color:#b00}.note{color:#a60}code{background:#f4f4f4;padding:1px 3px}`;
