/**
 * A synthetic campaign as a jartcal.dataset/1 object: `devices` devices × `cycles` cycles simulated
 * from known parameters (each cycle's rnew, lnew and Ndiscmin drawn around the truth, every cycle
 * starting in the state the previous one ended in), ±1.3 V at 1 V/s in 5 mV steps.
 */
import { resolveParams } from '../../src/model/index.js';
import { synthCycle } from '../../src/fit/index.js';
import type { FitCycleInput } from '../../src/fit/index.js';
import { createRng } from '../../src/util/rng.js';

const TRUTH = { rnew: 41e-9, lnew: 0.43e-9, Ndiscmin: 0.011, RseriesTiOx: 820, phiBn0: 0.19, dWa: 1.33 };

export function syntheticDataset(
  devices: number,
  cycles: number,
  seed = 3,
): { schema: string; devices: { id: string; cycles: FitCycleInput[] }[] } {
  const rng = createRng(seed);
  const out = [];
  for (let d = 0; d < devices; d++) {
    const id = `dev${String(d + 1).padStart(3, '0')}`;
    const list: FitCycleInput[] = [];
    let ninit: number | undefined;
    for (let c = 1; c <= cycles; c++) {
      const p = resolveParams({
        ...TRUTH,
        rnew: TRUTH.rnew * (1 + 0.05 * rng.normal()),
        lnew: TRUTH.lnew * (1 + 0.05 * rng.normal()),
        Ndiscmin: TRUTH.Ndiscmin * (1 + 0.1 * rng.normal()),
      });
      const s = synthCycle(p, rng, { stepV: 0.005, device: id, cycle: c, ninit });
      ninit = s.endNdisc;
      list.push(s.cycle);
    }
    out.push({ id, cycles: list });
  }
  return { schema: 'jartcal.dataset/1', devices: out };
}
