/**
 * Diagnosis of the per-cycle rnew/lnew scatter in the population end-to-end check (docs/population.md).
 * One or a few devices, C consecutive noise-free sweeps simulated with the model under a chosen
 * cycle-to-cycle semantics, fitted per cycle by the fit stage (campaign mode, free rnew, lnew per
 * cycle), and each cycle's fitted values set beside the targets that shaped its I-V.
 *
 *   node --import tsx scripts/studies/popcheck-diagnose.ts --semantics event|cycle|none [--carry] [--devices 2] [--cycles 5] [--seed 1]
 *
 * event: targets redrawn at every entry into SET and into RESET (v1b var, spec §6.1; what
 *        simulateDeviceSweeps/drawCycle do); cycle: one draw per cycle at its SET entry, held for its
 *        RESET (the first draw is also the starting geometry); none: no c2c variation. --carry: the fit
 *        carries the geometry over from cycle to cycle (fit setting carryGeometry).
 */
import { parseArgs } from 'node:util';
import { createRng } from '../../src/util/rng.js';
import { resolveParams, simulate, sweepWaveform, type Waveform } from '../../src/model/index.js';
import { fitDevice, resolveFitSettings, type CycleFit, type FitCycleInput } from '../../src/fit/index.js';

const { values } = parseArgs({
  options: {
    semantics: { type: 'string', default: 'event' },
    devices: { type: 'string', default: '2' },
    cycles: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    carry: { type: 'boolean', default: false },
    'fit-args': { type: 'string', default: '' },
  },
});
const sem = values.semantics as 'event' | 'cycle' | 'none';
const nDev = Number(values.devices),
  nCyc = Number(values.cycles);
const C2C = { rnew: 0.04, lnew: 0.05 };
const sweep = { vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.01 };
const rng = createRng(Number(values.seed));
const settings = resolveFitSettings({ fitParams: ['rnew', 'lnew'], cycleParams: ['rnew', 'lnew'], seed: 1, carryGeometry: values.carry });
const ln = Math.log;
const rows: Record<string, string>[] = [];
const errs: { r: number; l: number; seR: number; seL: number }[] = [];
for (let d = 0; d < nDev; d++) {
  const dr = rng.fork(10 + d);
  const dev = { rnew: 45e-9 * Math.exp(0.08 * dr.normal()), lnew: 0.4e-9 * Math.exp(0.06 * dr.normal()) };
  const one = sweepWaveform(sweep);
  const n = one.tS.length,
    period = one.tS[n - 1];
  const wave: Waveform = { tS: new Float64Array((n - 1) * nCyc + 1), vV: new Float64Array((n - 1) * nCyc + 1) };
  for (let c = 0; c < nCyc; c++)
    for (let k = c === 0 ? 0 : 1; k < n; k++) {
      wave.tS[c * (n - 1) + k] = c * period + one.tS[k];
      wave.vV[c * (n - 1) + k] = one.vV[k];
    }
  const draws: { polarity: string; rnew: number; lnew: number }[] = [];
  // cycle semantics: the first cycle's draw is also the starting geometry (the device has run before)
  let held: { rnew: number; lnew: number } | null =
    sem === 'cycle' ? { rnew: dev.rnew * Math.exp(C2C.rnew * dr.normal()), lnew: dev.lnew * Math.exp(C2C.lnew * dr.normal()) } : null;
  const p = resolveParams(held ?? { rnew: dev.rnew, lnew: dev.lnew });
  const sim = simulate(p, wave, {
    ninit: p.Ndiscmin,
    sampler:
      sem === 'none'
        ? undefined
        : (ev) => {
            let t = { rnew: dev.rnew * Math.exp(C2C.rnew * dr.normal()), lnew: dev.lnew * Math.exp(C2C.lnew * dr.normal()) };
            if (sem === 'cycle') {
              if (ev.index % 2 === 1 || ev.index === 0) t = held!;
              else held = t;
            }
            draws.push({ polarity: ev.polarity, ...t });
            return { ...t, Ndiscmin: p.Ndiscmin, Ndiscmax: p.Ndiscmax };
          },
  });
  const cycles: FitCycleInput[] = [];
  for (let c = 0; c < nCyc; c++) {
    const a = c * (n - 1);
    cycles.push({
      device: `D${d}`,
      cycle: c + 1,
      tS: Array.from(one.tS),
      timeSource: 'file',
      vV: Array.from(sim.vV.slice(a, a + n)),
      iA: Array.from(sim.iA.slice(a, a + n)),
      complianceA: null,
      features: { readVoltageV: 0.2 },
    });
  }
  const fits: CycleFit[] = [];
  const t0 = Date.now();
  fitDevice({ device: `D${d}`, cycles }, settings, { cycles: new Map() }, (e) => {
    if (e.kind === 'cycle') fits.push(e.fit);
  });
  process.stderr.write(`device ${d}: fitted ${fits.length} cycles in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  fits.sort((a, b) => a.cycle - b.cycle);
  for (const f of fits) {
    const c = f.cycle - 1;
    // the events of cycle c: SET then RESET (event 2c, 2c+1); its HRS at the start: previous RESET target
    const set = sem === 'none' ? dev : draws[2 * c],
      reset = sem === 'none' ? dev : draws[2 * c + 1];
    const prev = sem === 'none' || c === 0 ? dev : draws[2 * c - 1];
    const lr = ln(f.params.rnew),
      ll = ln(f.params.lnew);
    errs.push({
      r: lr - ln(set.rnew),
      l: ll - ln(set.lnew),
      seR: (f.stderr.rnew ?? NaN) / f.params.rnew,
      seL: (f.stderr.lnew ?? NaN) / f.params.lnew,
    });
    rows.push({
      dev: `D${d}`,
      cyc: String(f.cycle),
      stage: f.stage,
      rms: f.rmsLog10.toFixed(4),
      'ln r fit-SET': (lr - ln(set.rnew)).toFixed(3),
      'ln r fit-RESET': (lr - ln(reset.rnew)).toFixed(3),
      'ln r fit-prevRESET': (lr - ln(prev.rnew)).toFixed(3),
      'ln l fit-SET': (ll - ln(set.lnew)).toFixed(3),
      'ln l fit-RESET': (ll - ln(reset.lnew)).toFixed(3),
      'ln l fit-prevRESET': (ll - ln(prev.lnew)).toFixed(3),
      'se ln r': ((f.stderr.rnew ?? NaN) / f.params.rnew).toExponential(1),
      'se ln l': ((f.stderr.lnew ?? NaN) / f.params.lnew).toExponential(1),
    });
  }
}
console.table(rows);
const rmsOf = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / xs.length);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `semantics ${sem}: RMS ln error vs the SET target: rnew ${rmsOf(errs.map((e) => e.r)).toFixed(4)}, lnew ${rmsOf(errs.map((e) => e.l)).toFixed(4)}; median stated se (ln): rnew ${med(errs.map((e) => e.seR)).toExponential(2)}, lnew ${med(errs.map((e) => e.seL)).toExponential(2)}`,
);
