/**
 * readPopulation: validates an already-parsed JSON value as `jartcal.population/1` through its one
 * schema (src/schema/population.ts) and returns it typed, with the correlation repaired to positive
 * definite if needed. Errors name the JSON path.
 */
import { parseWith } from '../schema/issues.js';
import { populationSchema } from '../schema/population.js';
import { repairCorrelation } from './correlation.js';
import type { PopulationFile } from './types.js';

export function readPopulation(v: unknown, file = 'population.json'): PopulationFile {
  const p = parseWith(populationSchema, v, file, 'bad_population');
  const rep = repairCorrelation(p.correlation.matrix);
  const correlation: PopulationFile['correlation'] = { ...p.correlation, matrix: rep.matrix };
  if (rep.repaired) {
    correlation.repaired = true;
    correlation.minEigenvalueBefore = rep.minEigenvalueBefore;
  }
  return { ...(p as unknown as PopulationFile), correlation };
}
