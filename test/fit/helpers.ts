/** Small synthetic campaigns for the fit tests (coarse sweeps keep them fast). */
import { resolveParams, type JartParams } from '../../src/model/index.js';
import { synthCycle } from '../../src/fit/synthetic.js';
import type { FitCycleInput } from '../../src/fit/cycle-data.js';
import { createRng } from '../../src/util/rng.js';

export const TRUTH: Partial<JartParams> = { rnew: 41e-9, lnew: 0.43e-9, Ndiscmin: 0.011, RseriesTiOx: 820, phiBn0: 0.19, dWa: 1.33 };

/** One device, `n` consecutive cycles with cycle-to-cycle rnew/lnew/Ndiscmin variation; state carried over. */
export function synthDevice(
  id: string,
  n: number,
  seed: number,
  stepV = 0.01,
  shared: Partial<JartParams> = TRUTH,
): { cycles: FitCycleInput[]; truths: JartParams[] } {
  const rng = createRng(seed);
  const cycles: FitCycleInput[] = [];
  const truths: JartParams[] = [];
  let ninit: number | undefined;
  for (let c = 1; c <= n; c++) {
    const p = resolveParams({
      ...shared,
      rnew: (shared.rnew ?? 45e-9) * (1 + 0.05 * rng.normal()),
      lnew: (shared.lnew ?? 0.4e-9) * (1 + 0.05 * rng.normal()),
      Ndiscmin: (shared.Ndiscmin ?? 0.008) * (1 + 0.1 * rng.normal()),
    });
    // carried state clamped into the new cycle's bounds (as the example campaign generator does)
    const n0 = ninit === undefined ? undefined : Math.min(p.Ndiscmax, Math.max(p.Ndiscmin, ninit));
    const s = synthCycle(p, rng, { stepV, device: id, cycle: c, ninit: n0, noiseDec: 0.013 });
    ninit = s.endNdisc;
    cycles.push(s.cycle);
    truths.push(p);
  }
  return { cycles, truths };
}

export function relErr(a: number, b: number): number {
  return Math.abs(a / b - 1);
}
