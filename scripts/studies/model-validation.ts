/**
 * Prints the validation figures of docs/model.md: golden points and every shared reference case
 * (crossing voltages, current and N errors) for the default scheme and the converged rk23 solution.
 * Run: node --import tsx scripts/studies/model-validation.ts
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_PARAMS, operatingPoint, simulate, type SimOptions } from '../../src/model/index.js';
import { sharedPath } from '../lib/shared.js';
import { crossingVoltage, readCsv, referenceCases } from '../lib/refdata.js';

let gi = 0;
let gt = 0;
for (const [v, n, i, , t] of readCsv(sharedPath('jart', 'reference', 'golden_points.csv'))) {
  const op = operatingPoint(DEFAULT_PARAMS, v, n);
  gi = Math.max(gi, Math.abs(op.iA / i - 1));
  gt = Math.max(gt, Math.abs(op.tempK - t));
}
console.log(`golden points: max |ΔI/I| = ${gi.toExponential(2)}, max |ΔT| = ${gt.toExponential(2)} K`);
void readFileSync;
const schemes: [string, SimOptions][] = [
  ['default (heun, 2e-4)', {}],
  ['converged (rk23, 1e-7)', { scheme: 'rk23', relTol: 1e-7, maxDlnN: 0.01 }],
];
for (const [label, opts] of schemes) {
  console.log(`\n${label}`);
  console.log('case | ΔV_SET (mV) | ΔV_RESET (mV) | max |ΔI/I| outside switching | max |ΔN/N| at reads | ms');
  for (const c of referenceCases()) {
    const t0 = performance.now();
    const r = simulate(c.p, c.wave, opts);
    const ms = performance.now() - t0;
    const thr = Math.sqrt(c.p.Ndiscmin * c.p.Ndiscmax);
    const rn = c.ref.map((x) => x[3]);
    const rv = c.ref.map((x) => x[1]);
    const dS = 1e3 * (crossingVoltage(r.ndisc, r.vV, thr, true) - crossingVoltage(rn, rv, thr, true));
    const dR = 1e3 * (crossingVoltage(r.ndisc, r.vV, thr, false) - crossingVoltage(rn, rv, thr, false));
    let ei = 0;
    let en = 0;
    for (let k = 0; k < c.ref.length; k++) {
      const [, vV, iA, n] = c.ref[k];
      if (iA !== 0 && !(k > 0 && Math.abs(Math.log(n / c.ref[k - 1][3])) > 0.01)) ei = Math.max(ei, Math.abs(r.iA[k] / iA - 1));
      if (k > 0 && vV > 0 && vV === c.ref[k - 1][1] && n === c.ref[k - 1][3]) en = Math.max(en, Math.abs(r.ndisc[k] / n - 1));
    }
    const f = (x: number): string => (Number.isNaN(x) ? '–' : x.toFixed(3));
    console.log(
      `${c.name} | ${f(dS)} | ${f(dR)} | ${ei.toExponential(2)} | ${c.name.startsWith('pulses') ? en.toExponential(2) : '–'} | ${ms.toFixed(1)}`,
    );
  }
}
