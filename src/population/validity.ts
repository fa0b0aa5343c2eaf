/** Presets are cited data with validity ranges (design convention 8): using values outside them is an error. */
import { JartcalError } from '../util/errors.js';
import type { ParamName } from './params.js';
import type { PopulationFile } from './types.js';

/** Throws when a value lies outside the population's validity range for that parameter. */
export function checkValidity(pop: PopulationFile, values: Partial<Record<ParamName, number>>, what = 'value'): void {
  const ranges = pop.validity?.ranges;
  if (!ranges) return;
  for (const [n, r] of Object.entries(ranges) as [ParamName, [number, number]][]) {
    const v = values[n];
    if (v === undefined) continue;
    const tol = 1e-9 * Math.max(Math.abs(r[0]), Math.abs(r[1]));
    if (v < r[0] - tol || v > r[1] + tol) {
      throw new JartcalError(
        `${what}: ${n} = ${v} is outside the validity range [${r[0]}, ${r[1]}] of ${pop.provenance.preset ?? 'this population'}${pop.validity?.note ? ` (${pop.validity.note})` : ''}`,
        { code: 'outside_validity' },
      );
    }
  }
}
