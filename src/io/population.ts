/** File I/O of the population stage: fits.json in, population.json out, presets by name. */
import { existsSync, readdirSync } from 'node:fs';
import { readJsonFile } from './json.js';
import { dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JartcalError } from '../util/errors.js';
import { writeJsonAtomic } from './atomic.js';
import { readPopulation } from '../population/schema.js';
import { validateFits, type FitsIn } from '../population/fits.js';
import type { PopulationFile } from '../population/types.js';
import { validateDataset, type DatasetIn } from '../population/dataset.js';

export function readFitsFile(path: string): FitsIn {
  return validateFits(readJsonFile(path), path);
}

/** The dataset path a fits file names, relative to the fits file's folder, as seen from `baseDir`. */
export function fitsDatasetPath(fitsPath: string, fits: FitsIn, baseDir = process.cwd()): string {
  return fits.dataset ? relative(baseDir, resolve(dirname(fitsPath), fits.dataset)) : '';
}

export function readPopulationFile(path: string): PopulationFile {
  return readPopulation(readJsonFile(path), path);
}

export function writePopulationFile(path: string, pop: PopulationFile): void {
  writeJsonAtomic(path, pop);
}

/** The project's presets/ folder (works from src/ through tsx and from dist/ after the build). */
export function presetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'presets');
    if (existsSync(join(dir, 'package.json')) && existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new JartcalError('presets/ folder not found beside the package', { code: 'not_found' });
}

export function listPresets(): string[] {
  return readdirSync(presetsDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Loads a preset by name (e.g. 'paper-realistic'), or a population file when given a path ending in .json. */
export function loadPreset(name: string): PopulationFile {
  if (name.endsWith('.json') && existsSync(name)) return readPopulationFile(name);
  const known = listPresets();
  if (!known.includes(name))
    throw new JartcalError(`unknown preset "${name}"; expected one of: ${known.join(', ')}`, { code: 'unknown_preset' });
  return readPopulationFile(join(presetsDir(), `${name}.json`));
}

/** A CLI argument naming a population: an existing file, else a preset name. */
export function loadPopulationArg(arg: string): PopulationFile {
  if (existsSync(arg)) return readPopulationFile(arg);
  if (listPresets().includes(arg)) return loadPreset(arg);
  throw new JartcalError(`"${arg}" is neither an existing population file nor a preset (presets: ${listPresets().join(', ')})`, {
    code: 'not_found',
    location: { file: arg },
  });
}

/** dataset.json for the population stage (its one schema, then the features this stage compares). */
export function readDatasetFile(path: string): DatasetIn {
  return validateDataset(readJsonFile(path), path);
}
