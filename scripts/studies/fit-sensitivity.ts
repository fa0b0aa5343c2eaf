/**
 * Sensitivity / Fisher-information study behind the default free-parameter set (docs/fitting.md).
 *   node --import tsx scripts/studies/fit-sensitivity.ts [stepV=0.002] [noiseDec=0.013]
 * For the fit objective (log10|I| residuals + switching-voltage residuals) of a ±1.3 V sweep at
 * the default parameters, it computes the Jacobian in ln(parameter) units, the Fisher information
 * F = JᵀJ/σ² (σ = noiseDec per sample), and reports: per-parameter sensitivity; strongly aligned
 * parameter pairs (sensitivity cosine); the eigen-spectrum (how many combinations a sweep
 * identifies to better than 10 %); the expected standard errors and correlations of candidate free
 * sets; and the same for a joint fit of four sweep rates.
 */
import { EigenvalueDecomposition, Matrix, inverse } from 'ml-matrix';
import { resolveParams, type JartParams, type ParamName } from '../../src/model/index.js';
import { evaluateCycle } from '../../src/fit/objective.js';
import { prepareCycle, DEFAULT_OBJECTIVE, type PreparedCycle } from '../../src/fit/cycle-data.js';
import { synthCycle } from '../../src/fit/synthetic.js';
import { createRng } from '../../src/util/rng.js';

const stepV = Number(process.argv[2] ?? 0.002);
const sigma = Number(process.argv[3] ?? 0.013);
const ALL: ParamName[] = [
  'eps',
  'epsphib',
  'phiBn0',
  'phin',
  'un',
  'Ndiscmax',
  'Ndiscmin',
  'Nplug',
  'a',
  'ny0',
  'dWa',
  'Rth0',
  'rnew',
  'lcell',
  'lnew',
  'Rtheff_scaling',
  'RseriesTiOx',
  'R0',
  'Rthline',
  'alphaline',
];
const p0 = resolveParams({});
const o = { ...DEFAULT_OBJECTIVE };

function prep(rate: number): PreparedCycle {
  const { cycle } = synthCycle(p0, createRng(1), { stepV, rateVps: rate, noiseDec: 0 });
  return prepareCycle(cycle, o);
}

// Rows: the sample residuals of the fit objective (at the truth the window is empty and the samples
// next to the switching are tapered, so the rows are smooth in the parameters), and the two
// switching voltages weighted by their real uncertainty: a measured switching voltage is known to
// ±step/2, σ_V = step/√12; the objective's row ΔV/10 mV is rescaled so that JᵀJ/σ² counts it with σ_V.
function residuals(pcs: PreparedCycle[], p: JartParams, seriesOhm = 0): number[] {
  const sigmaV = stepV / Math.sqrt(12);
  return pcs.flatMap((pc) => {
    const r = Array.from(evaluateCycle(pc, p, p.Ndiscmin, { ...o, seriesOhm }).residuals);
    for (let k = pc.idx.length; k < r.length; k++) r[k] *= (pc.vSigmaV * sigma) / sigmaV;
    return r;
  });
}

function jacobian(pcs: PreparedCycle[], names: ParamName[], h = 2e-3): number[][] {
  const r0 = residuals(pcs, p0);
  return names.map((n) => {
    const up = { ...p0, [n]: p0[n] * Math.exp(h) };
    const dn = { ...p0, [n]: p0[n] * Math.exp(-h) };
    const a = residuals(pcs, up),
      b = residuals(pcs, dn);
    return r0.map((_, i) => (a[i] - b[i]) / (2 * h));
  }); // columns
}

/**
 * The external series resistance against RseriesTiOx: both columns per Ω, central differences with
 * the same ΔR at a base point with R_ext = 1 kΩ (R_ext cannot go below 0, so not at the default 0).
 */
function seriesColumns(pcs: PreparedCycle[], dR = 2): [number[], number[]] {
  const r0 = 1000;
  const up = { ...p0, RseriesTiOx: p0.RseriesTiOx + dR },
    dn = { ...p0, RseriesTiOx: p0.RseriesTiOx - dR };
  const a1 = residuals(pcs, up, r0),
    b1 = residuals(pcs, dn, r0);
  const a2 = residuals(pcs, p0, r0 + dR),
    b2 = residuals(pcs, p0, r0 - dR);
  return [a1.map((x, i) => (x - b1[i]) / (2 * dR)), a2.map((x, i) => (x - b2[i]) / (2 * dR))];
}

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

function fisher(cols: number[][]): Matrix {
  const n = cols.length;
  const F = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) F.set(i, j, dot(cols[i], cols[j]) / sigma ** 2);
  return F;
}

function report(label: string, pcs: PreparedCycle[], sets: Record<string, ParamName[]>): void {
  console.log(`\n### ${label}`);
  const cols = jacobian(pcs, ALL);
  console.log('\n| parameter | ‖∂r/∂ln p‖ (decades) | σ(ln p) alone |');
  console.log('|---|---|---|');
  ALL.forEach((n, k) => console.log(`| ${n} | ${norm(cols[k]).toExponential(2)} | ${(sigma / norm(cols[k])).toExponential(2)} |`));
  const pairs: [string, number][] = [];
  for (let i = 0; i < ALL.length; i++)
    for (let j = i + 1; j < ALL.length; j++) {
      const c = dot(cols[i], cols[j]) / (norm(cols[i]) * norm(cols[j]) || 1);
      if (Math.abs(c) > 0.95) pairs.push([`${ALL[i]}–${ALL[j]}`, c]);
    }
  pairs.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  const cosOf = (x: ParamName, y: ParamName) => {
    const i = ALL.indexOf(x),
      j = ALL.indexOf(y);
    return dot(cols[i], cols[j]) / (norm(cols[i]) * norm(cols[j]) || 1);
  };
  console.log(
    `\nSelected cosines: ${(
      [
        ['dWa', 'Rth0'],
        ['dWa', 'ny0'],
        ['RseriesTiOx', 'R0'],
        ['phiBn0', 'phin'],
        ['phiBn0', 'eps'],
        ['phiBn0', 'epsphib'],
        ['lnew', 'Ndiscmin'],
        ['lnew', 'un'],
        ['Ndiscmin', 'un'],
        ['rnew', 'lnew'],
        ['Ndiscmax', 'lcell'],
      ] as [ParamName, ParamName][]
    )
      .map(([x, y]) => `${x}–${y} ${cosOf(x, y).toFixed(3)}`)
      .join('; ')}`,
  );
  const [cTiOx, cExt] = seriesColumns(pcs);
  console.log(
    `\nExternal series resistance seriesOhm vs RseriesTiOx (per Ω, at R_ext = 1 kΩ): ‖∂r/∂R‖ ${norm(cExt).toExponential(3)} vs ${norm(cTiOx).toExponential(3)}; cosine ${(dot(cExt, cTiOx) / (norm(cExt) * norm(cTiOx))).toFixed(6)} (they enter the model only as their sum)`,
  );
  console.log(`\nAligned pairs (|cos| > 0.95): ${pairs.map(([k, c]) => `${k} ${c.toFixed(3)}`).join('; ')}`);
  const evd = new EigenvalueDecomposition(fisher(cols));
  const ev = evd.realEigenvalues.slice().sort((a, b) => b - a);
  const sd = ev.map((l) => 1 / Math.sqrt(Math.max(l, 1e-300)));
  console.log(`\nFisher eigenvalues → σ of the combination (ln units): ${sd.map((s) => s.toExponential(1)).join(', ')}`);
  console.log(
    `Combinations identified to better than 10 % / 1 %: ${sd.filter((s) => s < 0.1).length} / ${sd.filter((s) => s < 0.01).length} (of ${ALL.length})`,
  );
  // the weakest directions: their main components
  const V = evd.eigenvectorMatrix;
  const order = evd.realEigenvalues.map((l, k) => [l, k]).sort((a, b) => a[0] - b[0]);
  for (const [l, k] of order.slice(0, 3)) {
    const comp = ALL.map((n, i) => [n, V.get(i, k)] as const)
      .filter(([, x]) => Math.abs(x) > 0.2)
      .map(([n, x]) => `${x.toFixed(2)}·ln ${n}`);
    console.log(`  null-ish direction (σ ${(1 / Math.sqrt(Math.max(l, 1e-300))).toExponential(1)}): ${comp.join(' + ')}`);
  }
  console.log('\n| free set | σ(ln p) per parameter | max |corr| | cond |');
  console.log('|---|---|---|---|');
  for (const [name, set] of Object.entries(sets)) {
    const sc = set.map((n) => cols[ALL.indexOf(n)]);
    const F = fisher(sc);
    let C: Matrix;
    try {
      C = inverse(F);
    } catch {
      console.log(`| ${name} | singular | | |`);
      continue;
    }
    const se = set.map((_, i) => Math.sqrt(Math.max(0, C.get(i, i))));
    let maxc = 0;
    for (let i = 0; i < set.length; i++)
      for (let j = i + 1; j < set.length; j++) maxc = Math.max(maxc, Math.abs(C.get(i, j) / (se[i] * se[j])));
    const e = new EigenvalueDecomposition(F).realEigenvalues;
    console.log(
      `| ${name} | ${set.map((n, i) => `${n} ${(se[i] * 100).toPrecision(2)}%`).join(', ')} | ${maxc.toFixed(3)} | ${(Math.max(...e) / Math.min(...e)).toExponential(1)} |`,
    );
  }
}

const DEF: ParamName[] = ['rnew', 'lnew', 'Ndiscmin', 'RseriesTiOx', 'phiBn0', 'dWa'];
const sets: Record<string, ParamName[]> = {
  default: DEF,
  'default − dWa + Rth0': ['rnew', 'lnew', 'Ndiscmin', 'RseriesTiOx', 'phiBn0', 'Rth0'],
  'default + Rth0': [...DEF, 'Rth0'],
  'default + R0': [...DEF, 'R0'],
  'default + phin': [...DEF, 'phin'],
  'default + un': [...DEF, 'un'],
  'default + Ndiscmax': [...DEF, 'Ndiscmax'],
  'default + lcell': [...DEF, 'lcell'],
  'default + Rtheff_scaling': [...DEF, 'Rtheff_scaling'],
  'default + Rth0 + lcell + Ndiscmax': [...DEF, 'Rth0', 'lcell', 'Ndiscmax'],
};
console.log(`# fit sensitivity study: ±1.3 V sweeps, ${stepV * 1000} mV steps, noise ${sigma} decades per sample, default parameters`);
report('one sweep at 1 V/s', [prep(1)], sets);
report('joint fit of sweeps at 0.1, 1, 10 and 100 V/s', [prep(0.1), prep(1), prep(10), prep(100)], sets);
