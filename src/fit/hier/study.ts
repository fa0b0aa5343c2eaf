/**
 * Synthetic campaigns with known truth for the hierarchical fit's recovery checks (test/fit and
 * scripts/hier-recovery.ts): devices drawn lognormally around the toolkit defaults (device-to-device),
 * cycles around their device (cycle-to-cycle), each cycle simulated by `synthCycle` (±1.3 V, 1 V/s)
 * with multiplicative current noise, the state carried from cycle to cycle as the fit assumes
 * (clamped into the next cycle's [Ndiscmin, Ndiscmax]). Campaign constants (phiBn0, dWa) the same
 * for every device. And the acceptance statistics against the values actually drawn.
 */
import { resolveParams, type JartParams, type ParamName } from '../../model/index.js';
import { createRng } from '../../util/rng.js';
import type { FitCycleInput } from '../cycle-data.js';
import { synthCycle } from '../synthetic.js';
import type { CycleFit } from '../types.js';
import type { HierPopulationBlock } from './format.js';

export interface CampaignSpec {
  devices: number;
  cycles: number;
  seed: number;
  /** Multiplicative current noise, decades (default 0.0128 ≈ 3 %). */
  noiseDec?: number;
  stepV?: number;
  /** σ of ln x between devices and between cycles of a device. */
  d2d?: Partial<Record<ParamName, number>>;
  c2c?: Partial<Record<ParamName, number>>;
  /** Campaign constants (default: the toolkit's defaults). */
  shared?: Partial<JartParams>;
}

const STUDY_D2D: Partial<Record<ParamName, number>> = { rnew: 0.08, lnew: 0.08, Ndiscmin: 0.25, RseriesTiOx: 0.1 };
const STUDY_C2C: Partial<Record<ParamName, number>> = { rnew: 0.03, lnew: 0.03, Ndiscmin: 0.1 };

export interface SynthCampaign {
  devices: { id: string; cycles: FitCycleInput[] }[];
  truth: { device: string; cycle: number; params: JartParams }[];
  /** Drawn device centres (the device's own value of each varying parameter). */
  centres: { device: string; params: Partial<Record<ParamName, number>> }[];
}

export function synthCampaign(spec: CampaignSpec): SynthCampaign {
  const rng = createRng(spec.seed);
  const prng = rng.fork(1),
    nrng = rng.fork(2);
  const d2d = spec.d2d ?? STUDY_D2D,
    c2c = spec.c2c ?? STUDY_C2C;
  const base = resolveParams({ ...(spec.shared ?? {}) });
  const out: SynthCampaign = { devices: [], truth: [], centres: [] };
  for (let d = 1; d <= spec.devices; d++) {
    const id = `D${String(d).padStart(3, '0')}`;
    const centre: Partial<Record<ParamName, number>> = {};
    for (const [n, s] of Object.entries(d2d) as [ParamName, number][]) centre[n] = base[n] * Math.exp(s * prng.normal());
    out.centres.push({ device: id, params: centre });
    const cycles: FitCycleInput[] = [];
    let carried: number | null = null;
    for (let c = 1; c <= spec.cycles; c++) {
      const p: JartParams = { ...base };
      for (const [n, v] of Object.entries(centre) as [ParamName, number][]) p[n] = v * Math.exp((c2c[n] ?? 0) * prng.normal());
      const pp = resolveParams(p as unknown as Record<string, unknown>);
      const ninit = carried === null ? pp.Ndiscmin : Math.min(pp.Ndiscmax, Math.max(pp.Ndiscmin, carried));
      const s = synthCycle(pp, nrng, { noiseDec: spec.noiseDec ?? 0.0128, stepV: spec.stepV ?? 0.005, ninit, device: id, cycle: c });
      carried = s.endNdisc;
      cycles.push(s.cycle);
      out.truth.push({ device: id, cycle: c, params: pp });
    }
    out.devices.push({ id, cycles });
  }
  return out;
}

const q = (xs: number[], f: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(f * s.length) - 1)] : NaN;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
};
const corr = (a: number[], b: number[]) => {
  const ma = mean(a),
    mb = mean(b);
  let sab = 0,
    saa = 0,
    sbb = 0;
  a.forEach((x, i) => {
    sab += (x - ma) * (b[i] - mb);
    saa += (x - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  });
  return sab / Math.sqrt(saa * sbb);
};

export interface RecoveryStats {
  /** Per parameter: p90 and worst-device (max over devices of the device's median... see below) relative error. */
  perParam: Record<string, { median: number; p90: number; worstDevice: number; coverage: number; n: number }>;
  /** Fraction of (cycle, parameter) values whose 95 % interval holds the truth (all fitted parameters). */
  coverage: number;
  /** Population: estimated vs drawn spreads (ln) and correlations. */
  population?: {
    d2d: Record<string, { est: number; drawn: number; relErr: number }>;
    c2c: Record<string, { est: number; drawn: number; relErr: number }>;
    corrD2d: { pair: string; est: number; drawn: number }[];
  };
}

/**
 * `worstDevice`: the largest relative error of any cycle of the worst device (max over all cycles).
 * Drawn spreads: d2d = SD over devices of ln(device centre); c2c = pooled within-device SD of ln(cycle value / device centre).
 */
export function recoveryStats(
  camp: SynthCampaign,
  fits: CycleFit[],
  names: ParamName[],
  population?: HierPopulationBlock,
  use: (c: CycleFit, n: ParamName) => boolean = () => true,
): RecoveryStats {
  const truthOf = new Map(camp.truth.map((t) => [`${t.device}#${t.cycle}`, t.params]));
  const perParam: RecoveryStats['perParam'] = {};
  let covered = 0,
    total = 0;
  for (const n of names) {
    const errs: number[] = [];
    const byDev = new Map<string, number>();
    let cov = 0,
      cn = 0;
    for (const f of fits) {
      const t = truthOf.get(`${f.device}#${f.cycle}`);
      if (!t || !use(f, n)) continue;
      const e = Math.abs(f.params[n] / t[n] - 1);
      errs.push(e);
      byDev.set(f.device, Math.max(byDev.get(f.device) ?? 0, e));
      const ci = f.ci95?.[n];
      if (ci) {
        cn++;
        if (t[n] >= ci[0] && t[n] <= ci[1]) cov++;
      }
    }
    perParam[n] = {
      median: q(errs, 0.5),
      p90: q(errs, 0.9),
      worstDevice: Math.max(...byDev.values()),
      coverage: cn ? cov / cn : NaN,
      n: errs.length,
    };
    covered += cov;
    total += cn;
  }
  const out: RecoveryStats = { perParam, coverage: total ? covered / total : NaN };
  if (population) {
    const d2d: Record<string, { est: number; drawn: number; relErr: number }> = {};
    const c2c: Record<string, { est: number; drawn: number; relErr: number }> = {};
    for (const [n, pp] of Object.entries(population.parameters)) {
      const cen = camp.centres.map((c) => c.params[n as ParamName]).filter((x): x is number => x !== undefined);
      if (cen.length === camp.centres.length && pp.space === 'ln') {
        const drawn = sd(cen.map(Math.log));
        d2d[n] = { est: pp.d2dSd, drawn, relErr: pp.d2dSd / drawn - 1 };
      }
      if (pp.c2cSd !== undefined) {
        const dev = new Map(camp.centres.map((c) => [c.device, c.params[n as ParamName]!]));
        const res: number[] = [];
        let dof = 0;
        for (const dv of camp.devices) {
          const xs = camp.truth.filter((t) => t.device === dv.id).map((t) => Math.log(t.params[n as ParamName] / dev.get(dv.id)!));
          const m = mean(xs);
          for (const x of xs) res.push((x - m) ** 2);
          dof += xs.length - 1;
        }
        const drawn = Math.sqrt(res.reduce((a, b) => a + b, 0) / Math.max(1, dof));
        c2c[n] = { est: pp.c2cSd, drawn, relErr: pp.c2cSd / drawn - 1 };
      }
    }
    const corrD2d: { pair: string; est: number; drawn: number }[] = [];
    const cd = population.correlation.d2d;
    for (let i = 0; i < cd.params.length; i++)
      for (let j = i + 1; j < cd.params.length; j++) {
        const a = camp.centres.map((c) => Math.log(c.params[cd.params[i] as ParamName] ?? NaN));
        const b = camp.centres.map((c) => Math.log(c.params[cd.params[j] as ParamName] ?? NaN));
        if (a.some((x) => !Number.isFinite(x)) || b.some((x) => !Number.isFinite(x))) continue;
        corrD2d.push({ pair: `${cd.params[i]}-${cd.params[j]}`, est: cd.matrix[i][j], drawn: corr(a, b) });
      }
    out.population = { d2d, c2c, corrD2d };
  }
  return out;
}
