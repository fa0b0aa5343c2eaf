/**
 * Calibration of the fit's standard errors: 12 single-cycle fits (rnew, lnew free) of the default device on
 * one ±1.3 V, 1 V/s, 10 mV sweep with 0.013-decade i.i.d. current noise (12 noise seeds); RMS and mean ln
 * error against the median stated se.   node --import tsx scripts/studies/popcheck-se-calibration.ts
 */
import { createRng } from '../../src/util/rng.js';
import { resolveParams } from '../../src/model/index.js';
import { fitDevice, resolveFitSettings, synthCycle, type CycleFit } from '../../src/fit/index.js';
const p = resolveParams({});
const settings = resolveFitSettings({ fitParams: ['rnew', 'lnew'], mode: 'independent', seed: 1 });
const er: number[] = [],
  el: number[] = [],
  sr: number[] = [],
  sl: number[] = [];
for (let s = 0; s < 12; s++) {
  const { cycle } = synthCycle(p, createRng(100 + s), { noiseDec: 0.013, stepV: 0.01 });
  const fits: CycleFit[] = [];
  fitDevice({ device: 'S', cycles: [cycle] }, settings, { cycles: new Map() }, (e) => {
    if (e.kind === 'cycle') fits.push(e.fit);
  });
  const f = fits[0];
  er.push(Math.log(f.params.rnew / p.rnew));
  el.push(Math.log(f.params.lnew / p.lnew));
  sr.push(f.stderr.rnew! / f.params.rnew);
  sl.push(f.stderr.lnew! / f.params.lnew);
}
const rms = (x: number[]) => Math.sqrt(x.reduce((a, b) => a + b * b, 0) / x.length);
const med = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1];
const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
console.log(`mean ln err rnew ${mean(er).toExponential(2)} lnew ${mean(el).toExponential(2)}`);
console.log(
  `12 noise seeds, 0.013 dec: rnew RMS ln err ${rms(er).toExponential(2)} median se ${med(sr).toExponential(2)}; lnew RMS ln err ${rms(el).toExponential(2)} median se ${med(sl).toExponential(2)}`,
);
