/**
 * Monte Carlo of the estimator alone (no model, no fit): synthetic per-cycle fits of a known population
 * with known fit standard errors (test/population/synth.ts), re-estimated over many seeds.
 *   node --import tsx scripts/studies/population-recovery.ts [--seeds 30] [--devices 60] [--cycles 10] [--se 0.02]
 * Prints, per parameter, the true relative sd and the mean ± sd of the estimate over seeds (d2d, c2c),
 * the bootstrap CI coverage of the d2d spread, and the rnew–lnew correlation.
 */
import { parseArgs } from 'node:util';
import { estimatePopulation, relativeSd, type ParameterSpec } from '../../src/population/index.js';
import { syntheticFits, TRUTH, TRUE_RHO } from '../lib/synth-population.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '30' },
    devices: { type: 'string', default: '60' },
    cycles: { type: 'string', default: '10' },
    se: { type: 'string', default: '0.02' },
    bootstrap: { type: 'string', default: '100' },
  },
});
const S = Number(values.seeds),
  D = Number(values.devices),
  C = Number(values.cycles),
  SE = Number(values.se),
  B = Number(values.bootstrap);
const acc: Record<string, { d: number[]; c: number[]; cover: number; covers: number }> = {};
const rhos: number[] = [];
for (let s = 1; s <= S; s++) {
  const pop = estimatePopulation(syntheticFits(1000 + s, D, C, SE), { bootstrap: B, seed: s, createdAt: 'mc' });
  for (const [n, t] of Object.entries(TRUTH)) {
    const p = pop.parameters[n as keyof typeof TRUTH] as ParameterSpec;
    const a = (acc[n] ??= { d: [], c: [], cover: 0, covers: 0 });
    a.d.push(relativeSd(p.family, p.d2d.center, p.d2d.spread, p.d2d.spreadKind));
    a.c.push(relativeSd(p.family, p.d2d.center, p.c2c.spread, p.c2c.spreadKind));
    if (p.d2d.ci && p.family === 'lognormal') {
      a.covers++;
      if (p.d2d.ci[0] <= t.d2dLn && t.d2dLn <= p.d2d.ci[1]) a.cover++;
    }
  }
  const i = pop.correlation.params.indexOf('rnew'),
    j = pop.correlation.params.indexOf('lnew');
  rhos.push(pop.correlation.matrix[i][j]);
}
const m = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
const sd = (a: number[]): number => Math.sqrt(m(a.map((x) => (x - m(a)) ** 2)));
const rel = (ln: number): number => Math.sqrt(Math.expm1(ln * ln));
console.log(`${S} seeds, ${D} devices × ${C} cycles, fit se ${SE / 2}–${1.5 * SE} (ln), bootstrap ${B}`);
for (const [n, t] of Object.entries(TRUTH)) {
  const a = acc[n];
  console.log(
    `${n.padEnd(9)} d2d true ${rel(t.d2dLn).toFixed(4)} est ${m(a.d).toFixed(4)} ± ${sd(a.d).toFixed(4)} (max |err| ${(100 * Math.max(...a.d.map((x) => Math.abs(x / rel(t.d2dLn) - 1)))).toFixed(0)} %)` +
      `   c2c true ${rel(t.c2cLn).toFixed(4)} est ${m(a.c).toFixed(4)} ± ${sd(a.c).toFixed(4)} (max |err| ${(100 * Math.max(...a.c.map((x) => Math.abs(x / rel(t.c2cLn) - 1)))).toFixed(0)} %)` +
      `   d2d CI coverage ${a.covers ? `${a.cover}/${a.covers}` : 'n/a'}`,
  );
}
console.log(
  `rnew–lnew correlation: true ${TRUE_RHO}, est ${m(rhos).toFixed(3)} ± ${sd(rhos).toFixed(3)} (max |err| ${Math.max(...rhos.map((r) => Math.abs(r - TRUE_RHO))).toFixed(3)})`,
);
