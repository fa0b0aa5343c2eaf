/**
 * Fisher information of (ln rnew, ln lnew) on one noise-free ±1.3 V, 1 V/s sweep at the truth, for a
 * cycle that switches (SET and RESET) and for one of a large-radius device that stays in its LRS
 * (no RESET within +1.3 V, as devices D75/D76 of the population end-to-end check).
 *   node --import tsx scripts/studies/popcheck-fisher.ts
 * Prints, per case, the σ of ln rnew and ln lnew for 0.01-decade i.i.d. noise and their correlation.
 */
import { createRng } from '../../src/util/rng.js';
import { resolveParams } from '../../src/model/index.js';
import { createLayout, groupJacobian, prepareCycle, resolveFitSettings, synthCycle } from '../../src/fit/index.js';

const settings = resolveFitSettings({ fitParams: ['rnew', 'lnew'], mode: 'independent' });
const cases = [
  { name: 'switching cycle (rnew 45 nm, starts in HRS)', p: resolveParams({}), ninit: undefined },
  { name: 'LRS-stuck cycle (rnew 56 nm, starts in LRS)', p: resolveParams({ rnew: 56e-9 }), ninit: 15 },
];
for (const c of cases) {
  const { cycle } = synthCycle(c.p, createRng(1), { noiseDec: 0, stepV: 0.01, ninit: c.ninit });
  const pc = prepareCycle(cycle, settings.objective);
  const layout = createLayout(['rnew', 'lnew'], [], 1);
  const J = groupJacobian([{ ...pc, plainResiduals: true }], layout, c.p, [c.p.rnew, c.p.lnew], settings);
  // Fisher matrix for σ = 0.01 decade on the sample residuals (u = ln p)
  let a = 0,
    b = 0,
    d = 0;
  for (const row of J.slice(0, pc.idx.length)) {
    a += row[0] * row[0];
    b += row[0] * row[1];
    d += row[1] * row[1];
  }
  const s2 = 1e-4,
    det = a * d - b * b;
  const vr = (s2 * d) / det,
    vl = (s2 * a) / det,
    cov = (-s2 * b) / det;
  console.log(
    `${c.name}: vSet ${pc.vSetV}, vReset ${pc.vResetV}; σ(ln rnew) ${Math.sqrt(vr).toExponential(2)}, σ(ln lnew) ${Math.sqrt(vl).toExponential(2)}, corr ${(cov / Math.sqrt(vr * vl)).toFixed(3)}`,
  );
}
