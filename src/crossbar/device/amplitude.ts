/**
 * Amplitude ramping for write-verify programming: the ladder of pulse amplitudes a programmer may use on a
 * device, and their pulse engines (built on first use, per kinetic class, then cached).
 *
 * The ladder: factors on the configured SET and RESET amplitudes, geometric with ratio `program.amplitudeStep`
 * from `program.amplitudeRange[0]` to `[1]`, holding 1. Above the ladder's top no device is ever pulsed, and
 * each polarity is further held at its validity ceiling: the amplitude at which the central device crosses
 * its whole N window in one pulse of 1 ns. The JART model has no capacitance and no thermal time constant, so
 * sub-ns switching is beyond its validity (docs/model.md, Known limits); a device slower than the central one
 * (a wider filament, which heats less) still switches in more than 1 ns there, and a faster one is never
 * raised (the programmer raises the amplitude only for a device that is too slow at the longest pulse).
 */
import type { ExperimentConfig } from '../experiment/config.js';
import type { PulseEngine } from './jartEngine.js';
import type { AmplitudeLadder } from './jartArray.js';
import type { KineticEngines } from './factory.js';
import { nominalParams, swingPulses } from './operatingPoint.js';
import { centralParams } from './population.js';
import type { JartParams } from '../../model/index.js';

/** The ladder's factors: ratio^i for the integers i with ratio^i within [lo, hi]. */
function amplitudeFactors(lo: number, hi: number, ratio: number): number[] {
  const out: number[] = [];
  const iLo = Math.ceil(Math.log(lo) / Math.log(ratio) - 1e-9),
    iHi = Math.floor(Math.log(hi) / Math.log(ratio) + 1e-9);
  for (let i = iLo; i <= iHi; i++) out.push(i === 0 ? 1 : Math.pow(ratio, i));
  return out;
}

/**
 * The smallest amplitude |V| (of the polarity `set`) at which the device `p` crosses from `from` to `to` in
 * one pulse of `widthS`; bisection in ln |V| between `vLo` and `vHi` (Infinity when even vHi does not).
 */
function oneShotAmplitude(p: JartParams, set: boolean, widthS: number, from: number, to: number, vLo: number, vHi = 5): number {
  const one = (v: number): boolean => swingPulses(p, set ? -v : v, widthS, from, to, 1) === 1;
  if (!one(vHi)) return Infinity;
  if (one(vLo)) return vLo;
  let a = Math.log(vLo),
    b = Math.log(vHi);
  for (let it = 0; it < 12; it++) {
    const m = 0.5 * (a + b);
    if (one(Math.exp(m))) b = m;
    else a = m;
  }
  return Math.exp(b);
}

export interface AmplitudePlan {
  ladder: AmplitudeLadder;
  /** the validity ceilings |V| of SET and RESET (V) */
  ceilingV: { set: number; reset: number };
}

/**
 * The amplitude ladder of a config (program.ramp "amplitude"); `make(config, params)` builds an engine
 * (the factory's createEngine) for a config whose amplitudes are replaced.
 */
export function amplitudePlan(
  c: ExperimentConfig,
  kinetic: KineticEngines | null,
  make: (c: ExperimentConfig, params: Partial<JartParams>) => PulseEngine,
): AmplitudePlan {
  const j = c.device.jart,
    pr = c.program;
  const factors = amplitudeFactors(pr.amplitudeRange[0], pr.amplitudeRange[1], pr.amplitudeStep);
  const p = nominalParams(c);
  const vSet = Math.abs(j.vSetV),
    vReset = Math.abs(j.vResetV);
  const ceilingV = {
    set: c.device.model === 'jart' ? oneShotAmplitude(p, true, 1e-9, j.nLo, j.nHi, vSet) : Infinity,
    reset: c.device.model === 'jart' ? oneShotAmplitude(p, false, 1e-9, j.nHi, j.nLo, vReset) : Infinity,
  };
  const central = c.device.population ? centralParams(c.device.population) : {};
  const cache = new Map<string, PulseEngine>();
  const engine = (factor: number, cls: number): PulseEngine => {
    const key = `${factor}|${cls}`;
    let e = cache.get(key);
    if (!e) {
      const at: ExperimentConfig = {
        ...c,
        device: {
          ...c.device,
          jart: {
            ...j,
            engine: 'exact',
            vSetV: Math.sign(j.vSetV) * Math.min(factor * vSet, ceilingV.set),
            vResetV: Math.sign(j.vResetV) * Math.min(factor * vReset, ceilingV.reset),
          },
        },
      };
      const params = kinetic && cls >= 0 ? { ...central, ...kinetic.classes.values[cls] } : {};
      e = make(at, params);
      cache.set(key, e);
    }
    return e;
  };
  return { ladder: { factors, engine }, ceilingV };
}
