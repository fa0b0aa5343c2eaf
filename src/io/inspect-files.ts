/**
 * File side of `jartcal inspect` and `jartcal report`: reads fits.json, the dataset it names and a
 * population (given, or population.json beside fits.json when its provenance names this fits file),
 * saves fits.json atomically, and writes a report folder atomically (built beside, then swapped in).
 */
import { existsSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';
import { svgToPng } from '../plot/png.js';
import { readJsonFile } from './json.js';
import {
  validateDataset,
  validateFits,
  validatePopulation,
  type DatasetView,
  type FitsFileView,
  type PopulationView,
} from '../inspect/schema.js';
import type { Report } from '../report/build.js';

export interface InspectInputs {
  fits: FitsFileView;
  fitsPath: string;
  dataset: DatasetView | null;
  datasetPath: string | null;
  population: PopulationView | null;
  populationPath: string | null;
  notes: string[];
}

export function loadInspectInputs(fitsPath: string, opts: { dataset?: string; population?: string } = {}): InspectInputs {
  const fits = validateFits(readJsonFile(fitsPath), fitsPath);
  const notes: string[] = [];
  let dataset: DatasetView | null = null;
  let datasetPath: string | null = null;
  if (opts.dataset) {
    datasetPath = opts.dataset;
    dataset = validateDataset(readJsonFile(opts.dataset), opts.dataset);
  } else {
    const p = resolve(dirname(fitsPath), fits.dataset);
    if (existsSync(p)) {
      datasetPath = p;
      dataset = validateDataset(readJsonFile(p), p);
    } else notes.push(`dataset ${fits.dataset} (named by ${fitsPath}) not found: measured points are not shown; pass --dataset`);
  }
  let population: PopulationView | null = null;
  let populationPath: string | null = null;
  if (opts.population) {
    populationPath = opts.population;
    population = validatePopulation(readJsonFile(opts.population), opts.population);
  } else {
    const p = join(dirname(fitsPath), 'population.json');
    if (existsSync(p)) {
      const raw = readJsonFile(p) as { provenance?: { fits?: unknown } };
      const refs = Array.isArray(raw?.provenance?.fits) ? (raw.provenance!.fits as unknown[]).map(String) : [];
      if (refs.some((r) => basename(r) === basename(fitsPath))) {
        populationPath = p;
        population = validatePopulation(raw, p);
      }
    }
  }
  return { fits, fitsPath, dataset, datasetPath, population, populationPath, notes };
}

export function saveFits(path: string, fits: FitsFileView): void {
  writeJsonAtomic(path, fits);
}

/** Writes index.html and plots/NAME.svg (+ .png unless png=false) into a fresh folder, then swaps it in place of `outDir`. */
export function writeReportDir(outDir: string, report: Report, opts: { png?: boolean } = {}): { files: number } {
  const out = resolve(outDir);
  const parent = dirname(out);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(out)}.${process.pid}.tmp`);
  const old = join(parent, `.${basename(out)}.${process.pid}.old`);
  rmSync(tmp, { recursive: true, force: true });
  let files = 0;
  try {
    mkdirSync(join(tmp, 'plots'), { recursive: true });
    for (const p of report.plots) {
      writeFileAtomic(join(tmp, 'plots', p.file), p.svg);
      files++;
      if (opts.png !== false) {
        writeFileAtomic(join(tmp, 'plots', p.file.replace(/\.svg$/, '.png')), svgToPng(p.svg));
        files++;
      }
    }
    writeFileAtomic(join(tmp, 'index.html'), report.html);
    files++;
    if (existsSync(out)) renameSync(out, old);
    renameSync(tmp, out);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(out)) renameSync(old, out);
    throw e;
  }
  return { files };
}
