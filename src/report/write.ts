/**
 * Writes the HTML report of a fit run (`jartcal report`, the pipeline's report stage): reads the fits, its
 * dataset and population and the crossbar results, builds the report and writes its folder atomically.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { JartcalError } from '../util/errors.js';
import { loadInspectInputs, writeReportDir } from '../io/inspect-files.js';
import { readJsonFile } from '../io/json.js';
import { jartCurve } from '../inspect/jart.js';
import { crossbarView } from './crossbar.js';
import { buildReport } from './build.js';

export interface ReportOptions {
  fits: string;
  out: string;
  dataset?: string;
  population?: string;
  crossbar?: string;
  maxCycles?: number;
  png?: boolean;
}

/** Library entry (also used by the pipeline): builds and writes the report; returns the index path. */
export async function writeFitReport(o: ReportOptions): Promise<{ index: string; plots: number; notes: string[] }> {
  const inputs = loadInspectInputs(o.fits, { dataset: o.dataset, population: o.population });
  // The crossbar run: --crossbar, else crossbar/results.json beside FITS.json (where the pipeline writes it).
  const cbPath = o.crossbar ?? join(dirname(o.fits), 'crossbar', 'results.json');
  const cb = o.crossbar || existsSync(cbPath) ? crossbarView(readJsonFile(cbPath), cbPath) : { view: null };
  if (o.crossbar && !cb.view)
    throw new JartcalError(cb.problem ?? `${cbPath}: not a crossbar results file`, {
      code: 'bad_crossbar_results',
      location: { file: cbPath },
    });
  const report = buildReport({
    fits: inputs.fits,
    fitsPath: o.fits,
    dataset: inputs.dataset,
    population: inputs.population,
    model: jartCurve,
    crossbar: cb.view,
    crossbarNote: cb.problem,
    maxCycles: o.maxCycles,
    notes: inputs.notes,
  });
  writeReportDir(o.out, report, { png: o.png });
  return { index: `${o.out.replace(/\/$/, '')}/index.html`, plots: report.plots.length, notes: inputs.notes };
}
