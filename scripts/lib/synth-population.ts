/**
 * Synthetic per-cycle fits of a known population (no model involved): device values from a
 * lognormal copula with known d2d sds and rnew–lnew correlation, cycle values redrawn around them
 * with known c2c sds, then each "fitted" value perturbed by its own, known standard error.
 */
import { createRng } from '../../src/util/rng.js';
import type { FitsIn } from '../../src/population/fits.js';
import type { ParamName } from '../../src/population/params.js';

export interface Truth {
  center: number;
  d2dLn: number;
  c2cLn: number;
}
export const TRUTH: Record<'rnew' | 'lnew' | 'Ndiscmax' | 'Ndiscmin', Truth> = {
  rnew: { center: 45e-9, d2dLn: 0.08, c2cLn: 0.04 },
  lnew: { center: 0.4e-9, d2dLn: 0.06, c2cLn: 0.05 },
  Ndiscmax: { center: 20, d2dLn: 0.05, c2cLn: 0.08 },
  Ndiscmin: { center: 0.008, d2dLn: 0.3, c2cLn: 0.2 },
};
export const TRUE_RHO = 0.6; // d2d correlation of ln rnew and ln lnew

export function syntheticFits(seed: number, nDevices: number, nCycles: number, seLn = 0.02, truth = TRUTH, rho = TRUE_RHO): FitsIn {
  const rng = createRng(seed);
  const names = Object.keys(truth) as (keyof typeof truth)[];
  const cycles: FitsIn['cycles'] = [];
  for (let d = 0; d < nDevices; d++) {
    const z1 = rng.normal(),
      z2 = rho * z1 + Math.sqrt(1 - rho * rho) * rng.normal();
    const dev: Record<string, number> = {};
    for (const n of names) {
      const z = n === 'rnew' ? z1 : n === 'lnew' ? z2 : rng.normal();
      dev[n] = Math.log(truth[n].center) + truth[n].d2dLn * z;
    }
    for (let c = 1; c <= nCycles; c++) {
      const params: Partial<Record<ParamName, number>> = { rdet: 45e-9, ldet: 0.4e-9, RseriesTiOx: 650 };
      const stderr: Partial<Record<ParamName, number>> = {};
      for (const n of names) {
        const se = seLn * (0.5 + rng.next()); // heteroscedastic, known
        const v = Math.exp(dev[n] + truth[n].c2cLn * rng.normal() + se * rng.normal());
        params[n] = v;
        stderr[n] = se * v;
      }
      cycles.push({ device: `D${d}`, cycle: c, params, fitted: [...names], stderr, converged: true, flags: [] });
    }
  }
  return {
    schema: 'jartcal.fits/1',
    toolkitVersion: 'test',
    seed,
    dataset: 'synthetic',
    settings: { cycleParams: [...names] },
    devices: [],
    cycles,
  };
}
