/**
 * Synthetic fixtures for the inspector and report tests (our own content, not shared data):
 * an analytic bipolar hysteresis loop standing in for the JART model (a TEST DOUBLE, not physics),
 * a dataset of noisy loops from it, a fits file whose parameters are the truth (good fits) or
 * deliberately wrong ones (bad fits, flagged), a population over rnew/lnew/Ndiscmin/Ndiscmax, and a
 * coordinate-descent refitter over the same analytic loop.
 */
import { createRng } from '../../src/util/rng.js';
import type { CurveModel } from '../../src/inspect/quality.js';
import { residualsLog10 } from '../../src/inspect/quality.js';
import type { Refitter } from '../../src/inspect/refit.js';
import type { CycleData, CycleFitView, DatasetView, FitsFileView, PopulationView } from '../../src/inspect/schema.js';

export const BASE_PARAMS: Record<string, number> = {
  rnew: 45e-9,
  lnew: 0.4e-9,
  Ndiscmin: 0.008,
  Ndiscmax: 20,
  RseriesTiOx: 650,
  phiBn0: 0.18,
  dWa: 1.35,
};
export const PARAM_BOUNDS = [
  { name: 'rnew', unit: 'm', min: 5e-9, max: 100e-9 },
  { name: 'lnew', unit: 'm', min: 0.1e-9, max: 5e-9 },
  { name: 'Ndiscmin', unit: '1e26 m^-3', min: 1e-4, max: 100 },
  { name: 'Ndiscmax', unit: '1e26 m^-3', min: 1e-3, max: 1100 },
  { name: 'RseriesTiOx', unit: 'Ohm', min: 0, max: 5000 },
  { name: 'phiBn0', unit: 'eV', min: 0.1, max: 0.5 },
  { name: 'dWa', unit: 'eV', min: 0.8, max: 1.5 },
];

/** Triangular sweep 0 → −1.3 → 0 → +1.3 → 0 V (SET at negative V, model convention), branch labels 0–3. */
export function sweep(stepV = 0.02, vmax = 1.3): { vV: number[]; branch: number[] } {
  const vV: number[] = [];
  const branch: number[] = [];
  const n = Math.round(vmax / stepV);
  for (let i = 0; i < n; i++) {
    vV.push(-i * stepV);
    branch.push(0);
  }
  for (let i = n; i > 0; i--) {
    vV.push(-i * stepV);
    branch.push(1);
  }
  for (let i = 0; i < n; i++) {
    vV.push(i * stepV);
    branch.push(2);
  }
  for (let i = n; i >= 0; i--) {
    vV.push(i * stepV);
    branch.push(3);
  }
  return { vV, branch };
}

/** The analytic loop (test double): HRS sinh conduction, ohmic LRS, abrupt SET/RESET, compliance clamp. */
export const analyticModel: CurveModel = (p, data) => {
  const q = { ...BASE_PARAMS, ...p };
  const gH = (((q.rnew / 45e-9) ** 2 / (q.lnew / 0.4e-9)) * Math.exp(-(q.phiBn0 - 0.18) / 0.05)) / 65e3;
  const rL = 1000 + q.RseriesTiOx * (1 + 0.02 * Math.log(q.Ndiscmax / 20));
  const vSet = -0.59 * (q.dWa / 1.35) * (1 + 0.05 * Math.log(q.Ndiscmin / 0.008));
  const vReset = 0.93 * (q.dWa / 1.35);
  let lrs = false;
  const out = new Float64Array(data.vV.length);
  for (let i = 0; i < data.vV.length; i++) {
    const v = data.vV[i];
    if (v <= vSet) lrs = true;
    if (v >= vReset) lrs = false;
    let iA = lrs ? v / rL : gH * 0.25 * Math.sinh(v / 0.25);
    if (data.complianceA !== null && v < 0 && Math.abs(iA) > data.complianceA) iA = -data.complianceA;
    out[i] = iA;
  }
  return out;
};

/** Simple switching features of a loop: V at the largest |I| jump on SET out / fall on RESET out; R at −0.1 V. */
function features(cy: CycleData): Partial<CycleData['features']> {
  const jump = (b: number, sign: number): number | null => {
    let best = 0;
    let v: number | null = null;
    for (let i = 1; i < cy.vV.length; i++) {
      if (cy.branch[i] !== b || cy.branch[i - 1] !== b) continue;
      const d = sign * (Math.log10(Math.abs(cy.iA[i]) + 1e-15) - Math.log10(Math.abs(cy.iA[i - 1]) + 1e-15));
      if (d > best) {
        best = d;
        v = cy.vV[i];
      }
    }
    return v;
  };
  const rAt = (b: number): number | null => {
    let k = -1;
    for (let i = 0; i < cy.vV.length; i++) if (cy.branch[i] === b && (k < 0 || Math.abs(cy.vV[i] + 0.1) < Math.abs(cy.vV[k] + 0.1))) k = i;
    return k < 0 ? null : Math.abs(cy.vV[k] / cy.iA[k]);
  };
  const hrs = rAt(0);
  const lrs = rAt(1);
  return { vSetV: jump(0, 1), vResetV: jump(2, -1), hrsOhm: hrs, lrsOhm: lrs, onOff: hrs && lrs ? hrs / lrs : null, readVoltageV: 0.1 };
}

const rmsOf = (res: Float64Array): number => Math.sqrt(res.reduce((s, r) => s + r * r, 0) / res.length);

export interface InspectFixture {
  dataset: DatasetView;
  fits: FitsFileView;
  population: PopulationView;
}

/** `model` makes the measured curves and the fits' RMS (default: the analytic test double; the committed JSON uses the JART model). */
export function makeFixture(opts: { devices?: number; cycles?: number; seed?: number; model?: CurveModel } = {}): InspectFixture {
  const model = opts.model ?? analyticModel;
  const nDev = opts.devices ?? 3;
  const nCyc = opts.cycles ?? 4;
  const rng = createRng(opts.seed ?? 11);
  const sw = sweep();
  const devices: DatasetView['devices'] = [];
  const cycles: CycleFitView[] = [];
  for (let d = 0; d < nDev; d++) {
    const id = `D${d + 1}`;
    const dev = { rnew: 45e-9 * Math.exp(0.08 * rng.normal()), lnew: 0.4e-9 * Math.exp(0.06 * rng.normal()) };
    const complianceA = d === 0 ? 6e-4 : null;
    const recs: CycleData[] = [];
    for (let k = 1; k <= nCyc; k++) {
      const truth = {
        ...BASE_PARAMS,
        rnew: dev.rnew * Math.exp(0.03 * rng.normal()),
        lnew: dev.lnew * Math.exp(0.03 * rng.normal()),
        Ndiscmin: 0.008 * Math.exp(0.2 * rng.normal()),
        Ndiscmax: 20 * Math.exp(0.05 * rng.normal()),
      };
      const cy: CycleData = {
        device: id,
        cycle: k,
        tS: sw.vV.map((_, i) => i * 0.02),
        timeSource: 'sweep-rate',
        vV: sw.vV.slice(),
        iA: [],
        branch: sw.branch.slice(),
        complianceA,
        features: {
          vSetV: null,
          vResetV: null,
          readVoltageV: 0.1,
          hrsOhm: null,
          lrsOhm: null,
          onOff: null,
          resetPeakA: null,
          complianceHit: complianceA !== null,
        },
        provenance: { file: `synthetic/${id}.csv`, rowStart: 1 + (k - 1) * sw.vV.length, rowEnd: k * sw.vV.length },
        currentFloorA: 1e-11,
      };
      const clean = model(truth, cy) as Float64Array;
      cy.iA = Array.from(clean, (i) => Number((i * Math.exp(0.03 * rng.normal())).toPrecision(5)));
      cy.features = { ...cy.features, ...features(cy) };
      recs.push(cy);
      // Cycle 3 of device 2 is fitted badly on purpose: rnew stuck at its upper bound, not converged.
      const bad = d === 1 && k === 3;
      const params: Record<string, number> = bad ? { ...truth, rnew: 100e-9, dWa: 1.2 } : { ...truth };
      const res = residualsLog10(cy.iA, model(params, cy) as Float64Array, 1e-11);
      const fitted = ['rnew', 'lnew', 'Ndiscmin', 'Ndiscmax'];
      cycles.push({
        device: id,
        cycle: k,
        params,
        fitted,
        stderr: Object.fromEntries(fitted.map((n) => [n, Math.abs(params[n]) * (bad ? 0.4 : 0.02)])),
        correlation: { params: fitted, matrix: fitted.map((_, i) => fitted.map((_, j) => (i === j ? 1 : i + j === 1 ? -0.6 : 0.1))) },
        rmsLog10: rmsOf(res),
        converged: !bad,
        flags: bad
          ? [
              { code: 'param_at_bound', param: 'rnew', bound: 'max' },
              { code: 'not_converged' },
              { code: 'poor_fit', detail: `RMS ${rmsOf(res).toFixed(2)} dec` },
            ]
          : [],
        metrics: {
          rmsLog10: rmsOf(res),
          dVSetV: bad ? 0.07 : 0.004,
          dVResetV: bad ? -0.1 : -0.003,
          hrsRelErr: 0.02,
          lrsRelErr: 0.01,
          evaluations: 120,
          seconds: 0.4,
        },
      });
    }
    devices.push({ id, setPolarity: d === 2 ? 'positive' : 'negative', complianceA, cycles: recs });
  }
  const now = '2026-01-01T00:00:00.000Z';
  const dataset = { schema: 'jartcal.dataset/1', toolkitVersion: '0.1.0', createdAt: now, options: {}, devices } as DatasetView;
  const fits: FitsFileView = {
    schema: 'jartcal.fits/1',
    toolkitVersion: '0.1.0',
    createdAt: now,
    seed: 1,
    dataset: 'dataset.json',
    settings: { fitParams: ['rnew', 'lnew', 'Ndiscmin', 'Ndiscmax'], cycleParams: ['rnew', 'lnew', 'Ndiscmin', 'Ndiscmax'], fixed: {} },
    devices: devices.map((d) => ({ device: d.id, params: {}, stderr: {} })),
    cycles,
  };
  const population: PopulationView = {
    schema: 'jartcal.population/1',
    toolkitVersion: '0.1.0',
    createdAt: now,
    seed: 1,
    provenance: { fits: ['fits.json'], datasets: ['dataset.json'] },
    base: { RseriesTiOx: 650, phiBn0: 0.18, dWa: 1.35 },
    parameters: {
      rnew: { family: 'lognormal', d2d: { center: 45e-9, spread: 0.08, spreadKind: 'ln' }, c2c: { spread: 0.03, spreadKind: 'ln' } },
      lnew: { family: 'lognormal', d2d: { center: 0.4e-9, spread: 0.06, spreadKind: 'ln' }, c2c: { spread: 0.03, spreadKind: 'ln' } },
      Ndiscmin: {
        family: 'trunclognormal',
        d2d: { center: 0.008, spread: 0.05, spreadKind: 'ln', lower: 1e-3, upper: 0.1 },
        c2c: { spread: 0.2, spreadKind: 'ln' },
      },
      Ndiscmax: {
        family: 'normal',
        d2d: { center: 20, spread: 0.2, spreadKind: 'absolute' },
        c2c: { spread: 0.05, spreadKind: 'relative' },
      },
    } as PopulationView['parameters'],
    correlation: {
      params: ['rnew', 'lnew'],
      matrix: [
        [1, 0.3],
        [0.3, 1],
      ],
    },
    profile: {
      // a complete median-sweep profile record (src/schema/profile.ts): the inspector validates it
      schema: 'jartcal.profile/1',
      population: 'population.json',
      dataset: 'dataset.json',
      protocol: 'median-sweep',
      sweep: { vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.02, readVoltageV: 0.1, complianceA: null },
      simulated: { devices: 20, cycles: 5, usable: 100, pooling: 'all' },
      measured: emptyFeatureStats(),
      predicted: emptyFeatureStats(),
      seed: 1,
      rows: [
        { statistic: 'CV of HRS', measured: 0.21, predicted: 0.19 },
        { statistic: 'CV of LRS', measured: 0.05, predicted: 0.06 },
        { statistic: 'V_SET mean (V)', measured: -0.59, predicted: -0.6 },
        { statistic: 'V_SET sd (V)', measured: 0.02, predicted: 0.025 },
        { statistic: 'V_RESET mean (V)', measured: 0.93, predicted: 0.95 },
        { statistic: 'V_RESET sd (V)', measured: 0.03, predicted: 0.02 },
        { statistic: 'CV of V_SET', measured: 0.034, predicted: 0.042 },
        { statistic: 'log10 on/off sd', measured: 0.1, predicted: 0.12 },
      ].map((r) => ({ ...r, relDiff: (r.predicted - r.measured) / Math.abs(r.measured) })),
    },
  };
  return { dataset, fits, population };
}

/** Test-double refitter: coordinate descent in ln(value) on the analytic loop. Not the fit stage. */
export const analyticRefitter: Refitter = {
  async refit(req) {
    if (!req.data) throw new Error('no data');
    const data = req.data;
    const p = { ...req.fit.params, ...req.fixed };
    const cost = (q: Record<string, number>): number => rmsOf(residualsLog10(data.iA, analyticModel(q, data) as Float64Array, 1e-11));
    let best = cost(p);
    for (let sweepN = 0; sweepN < 6; sweepN++) {
      for (const name of req.free) {
        for (const step of [0.3, 0.1, 0.03, 0.01]) {
          for (const dir of [1, -1]) {
            const q = { ...p, [name]: p[name] * Math.exp(dir * step) };
            const c = cost(q);
            if (c < best) {
              best = c;
              Object.assign(p, q);
            }
          }
        }
      }
    }
    return {
      ...req.fit,
      params: p,
      fitted: req.free.slice(),
      stderr: Object.fromEntries(req.free.map((n) => [n, Math.abs(p[n]) * 0.03])),
      rmsLog10: best,
      converged: true,
      flags: [],
      metrics: { ...req.fit.metrics, rmsLog10: best },
    };
  },
};

/** Feature statistics with no values (the fixture's profile states only its rows). */
function emptyFeatureStats(): Record<string, { n: number; mean: null; sd: null; cv: null; median: null; p10: null; p90: null }> {
  const none = () => ({ n: 0, mean: null, sd: null, cv: null, median: null, p10: null, p90: null });
  return { hrsOhm: none(), lrsOhm: none(), vSetV: none(), vResetV: none(), onOff: none(), log10OnOff: none() };
}
