/**
 * The fit's analytic Jacobian (model sensitivities chained through the objective, group.ts
 * `groupResidualsAndJacobian`) against central differences of the same residuals; the residuals
 * themselves must be identical.
 *  - Sample residuals (log10|I|): with converged integrations (relTol 1e-6, |Δ ln N| ≤ 0.05, so the
 *    step control adds no noise) and step 1e-5 in u, ‖J − J_cd‖ ≤ 2e-3 ‖J_cd‖ per column (measured
 *    1e-5 … 4e-4).
 *  - Switching-voltage residuals: below the fit's own difference step they are a staircase in the
 *    parameters (the runaway is sharper than the sub-grid), and the analytic derivative follows the
 *    trajectory's time shift, i.e. the staircase's mean slope (docs/fitting.md, "How the Jacobian is
 *    computed"). They are compared, at the fit's tolerances, with differences at the fit's step
 *    (3e-3 in u): within 25 % over the two rows of each column (measured 0.1 %–22 %), or of a tenth of
 *    the column's norm where a switching voltage hardly depends on the parameter; not where the
 *    difference quotient itself changes by > 30 % from 1 to 3 steps (it then measures the staircase).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParams } from '../../src/model/index.js';
import { prepareCycle, resolveFitSettings, synthCycle, type FitCycleInput } from '../../src/fit/index.js';
import { createLayout, evaluateGroup, groupResidualsAndJacobian, sensitivitiesApply } from '../../src/fit/group.js';
import type { FitOptions, FitParamName, FitSettings } from '../../src/fit/settings.js';
import type { ParamName } from '../../src/model/index.js';
import { createRng } from '../../src/util/rng.js';
import { TRUTH, synthDevice } from './helpers.js';

const TIGHT = { simRelTol: 1e-6, simMaxDlnN: 0.05, simMaxEvalsPerPoint: 2000 };

function compare(
  cycles: FitCycleInput[],
  opts: FitOptions,
  shared: FitParamName[],
  perCycle: ParamName[],
  start: (name: string, cycle: number) => number,
): void {
  const check = (settings: FitSettings, plain: boolean, h: number, tol: number, rows: 'samples' | 'switching') => {
    const base = resolveParams(settings.fixed as Record<string, unknown>);
    const pcs = cycles.map((c) => ({ ...prepareCycle(c, settings.objective), ...(plain ? { plainResiduals: true } : {}) }));
    const layout = createLayout(shared, perCycle, pcs.length, base);
    assert.ok(sensitivitiesApply(layout, settings));
    const u = layout.space.toU(Float64Array.from(layout.entries, (e) => start(e.name, e.cycle)));
    const R = (x: Float64Array) =>
      Float64Array.from(
        evaluateGroup(pcs, layout, base, layout.space.fromU(x), settings, null).evals.flatMap((e) => Array.from(e.residuals)),
      );
    const { residuals, jacobian } = groupResidualsAndJacobian(pcs, layout, base, u, settings, null);
    assert.deepEqual(Array.from(residuals), Array.from(R(u)));
    // which rows are switching-voltage residuals (the last one or two of each cycle)
    const isSwitch = new Uint8Array(residuals.length);
    let o = 0;
    for (const pc of pcs) {
      const n = pc.idx.length,
        m = n + (pc.vSetV !== null ? 1 : 0) + (pc.vResetV !== null ? 1 : 0);
      isSwitch.fill(1, o + n, o + m);
      o += m;
    }
    layout.entries.forEach((e, k) => {
      const up = Float64Array.from(u),
        um = Float64Array.from(u);
      up[k] += h;
      um[k] -= h;
      const rp = R(up),
        rm = R(um);
      let num = 0,
        den = 0,
        all = 0;
      for (let i = 0; i < rp.length; i++) {
        const cd = (rp[i] - rm[i]) / (2 * h);
        all += cd * cd;
        if ((isSwitch[i] === 1) !== (rows === 'switching')) continue;
        num += (jacobian[i][k] - cd) ** 2;
        den += cd * cd;
      }
      // a switching voltage that hardly depends on a parameter (|dV/dθ| below a tenth of the column's
      // norm) is compared on that scale
      if (rows === 'switching') {
        den = Math.max(den, 0.01 * all);
        // the difference quotient must itself be stable there (at 3 steps the same within 30 %), else
        // it measures the staircase, not a slope (the SET voltage on RseriesTiOx under a compliance)
        const up3 = Float64Array.from(u),
          um3 = Float64Array.from(u);
        up3[k] += 3 * h;
        um3[k] -= 3 * h;
        const rp3 = R(up3),
          rm3 = R(um3);
        let d3 = 0,
          n3 = 0;
        for (let i = 0; i < rp.length; i++)
          if (isSwitch[i]) {
            const a = (rp[i] - rm[i]) / (2 * h),
              b = (rp3[i] - rm3[i]) / (6 * h);
            d3 += (a - b) ** 2;
            n3 += a * a;
          }
        if (d3 > 0.09 * Math.max(n3, 0.01 * all)) return;
      }
      const rel = Math.sqrt(num / den);
      assert.ok(den > 0, `${e.name}@${e.cycle}: zero column`);
      assert.ok(rel <= tol, `${rows} ${e.name}@${e.cycle}: relative error ${rel.toExponential(2)}`);
    });
  };
  check(resolveFitSettings({ ...opts, objective: TIGHT }), true, 1e-5, 1e-2, 'samples');
  check(resolveFitSettings(opts), false, 3e-3, 0.25, 'switching');
}

const FREE6: FitParamName[] = ['rnew', 'lnew', 'Ndiscmin', 'RseriesTiOx', 'phiBn0', 'dWa'];
const off = (name: string, base: Record<string, number>) => base[name] * 1.03;

test('Jacobian: single ±1.3 V cycle (5 mV): sample residuals and refined switching voltages', () => {
  const c = synthCycle(resolveParams(TRUTH), createRng(3), { stepV: 0.005 }).cycle;
  compare([c], { mode: 'independent' }, FREE6, [], (n) => off(n, TRUTH as Record<string, number>));
});

test('Jacobian: a 1 mV sweep on the 5 mV internal grid (interpolated and re-simulated samples)', () => {
  const c = synthCycle(resolveParams(TRUTH), createRng(6), { stepV: 0.001 }).cycle;
  assert.ok(prepareCycle(c, resolveFitSettings({}).objective).coarse !== null);
  compare([c], { mode: 'independent' }, FREE6, [], (n) => off(n, TRUTH as Record<string, number>));
});

test('Jacobian: two cycles with shared and per-cycle parameters, the state carried from one to the next', () => {
  const dev = synthDevice('d1', 2, 5);
  compare(dev.cycles, { mode: 'campaign' }, ['RseriesTiOx', 'phiBn0', 'dWa'], ['rnew', 'lnew', 'Ndiscmin'], (n, j) =>
    off(n, dev.truths[Math.max(0, j)] as unknown as Record<string, number>),
  );
});

test('Jacobian: SET under compliance, and the external series resistance as a free parameter', () => {
  const truth = resolveParams(TRUTH);
  const comp = synthCycle(truth, createRng(4), { stepV: 0.005, complianceA: 1e-4 }).cycle;
  compare([comp], { mode: 'independent' }, FREE6, [], (n) => off(n, TRUTH as Record<string, number>));
  const ser = synthCycle(truth, createRng(5), { stepV: 0.005, seriesOhm: 2000 }).cycle;
  const free: FitParamName[] = ['rnew', 'lnew', 'Ndiscmin', 'phiBn0', 'dWa', 'seriesOhm'];
  const vals: Record<string, number> = { ...(TRUTH as Record<string, number>), seriesOhm: 2000 };
  compare([ser], { mode: 'independent', fitParams: free }, free, [], (n) => off(n, vals));
});

test('Jacobian: finite differences where the sensitivities do not cover a free parameter or on request', () => {
  const base = resolveParams({});
  const s = resolveFitSettings({ mode: 'independent', fitParams: ['rnew', 'Rth0'] });
  assert.equal(sensitivitiesApply(createLayout(s.fitParams, [], 1, base), s), false);
  const fd = resolveFitSettings({ mode: 'independent', jacobian: 'fd' });
  assert.equal(sensitivitiesApply(createLayout(fd.fitParams, [], 1, base), fd), false);
  const dflt = resolveFitSettings({ mode: 'independent' });
  assert.equal(sensitivitiesApply(createLayout(dflt.fitParams, [], 1, base), dflt), true);
});
