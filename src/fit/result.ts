/** Turn a group fit into fits.json records (per cycle and per device), with flags and metrics. */
import type { ParamName } from '../model/index.js';
import type { PreparedCycle } from './cycle-data.js';
import { readResistances } from './features.js';
import { cycleParams, groupObjective, type GroupFit } from './group.js';
import { isCircuitParam, type FitSettings } from './settings.js';
import type { CycleFit, DeviceFit, FitFlag } from './types.js';
import { hrsVisit, identifiabilityFlags } from './identify.js';

const finiteOr = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * `carriedUnidentified`: the group's first cycle starts from the geometry of a cycle fitted before
 * whose lnew was unidentified (campaign mode with settings.carryGeometry; see identify.ts).
 */
export function cycleFitsFromGroup(
  g: GroupFit,
  cycles: PreparedCycle[],
  base: Parameters<typeof cycleParams>[1],
  settings: FitSettings,
  stage: CycleFit['stage'],
  seconds: number,
  carriedUnidentified = false,
): CycleFit[] {
  const { layout } = g;
  const { space } = layout;
  let prevUnidentified = carriedUnidentified;
  return cycles.map((pc, j) => {
    const ev = g.evals[j];
    const kAll = layout.entries.map((e, k) => (e.cycle === -1 || e.cycle === j ? k : -1)).filter((k) => k >= 0);
    // JART parameters in params/fitted/stderr/correlation; circuit ones (seriesOhm) in `circuit`
    const ks = kAll.filter((k) => !isCircuitParam(layout.entries[k].name));
    const fitted = ks.map((k) => layout.entries[k].name as ParamName);
    const stderr: Partial<Record<ParamName, number>> = {};
    ks.forEach((k) => {
      const s = g.seP[k];
      if (Number.isFinite(s)) stderr[layout.entries[k].name as ParamName] = s;
    });
    const o = groupObjective(layout, settings.objective, g.values);
    const circuitFitted = kAll.length !== ks.length;
    const flags: FitFlag[] = [];
    for (const k of kAll) {
      const span = space.uMax[k] - space.uMin[k];
      if (g.u[k] <= space.uMin[k] + 1e-4 * span) flags.push({ code: 'param_at_bound', param: layout.entries[k].name, bound: 'min' });
      if (g.u[k] >= space.uMax[k] - 1e-4 * span) flags.push({ code: 'param_at_bound', param: layout.entries[k].name, bound: 'max' });
    }
    if (!(g.unc.condition <= settings.illConditioned))
      flags.push({ code: 'ill_conditioned', detail: `condition number of the scaled Jacobian ${g.unc.condition.toExponential(2)}` });
    if (!g.lm.converged)
      flags.push({
        code: 'not_converged',
        detail: `stopped: ${g.lm.stopReason}${g.lm.errors.length ? `; ${g.lm.errors.length} optimiser error(s): ${g.lm.errors[0]}` : ''}`,
      });
    if (!(ev.rmsLog10 <= settings.poorFitRms))
      flags.push({ code: 'poor_fit', detail: `RMS ${ev.rmsLog10.toFixed(3)} decades > ${settings.poorFitRms}` });
    const p = cycleParams(layout, base, g.values, j);
    // identifiability of the cycle's own HRS-only parameters (identify.ts)
    const own = layout.entries
      .filter((e) => e.cycle === j)
      .map((e) => e.name)
      .filter((n): n is ParamName => !isCircuitParam(n));
    const visit = hrsVisit(ev.sim.ndisc, p, settings.carryGeometry);
    const carriedBad = settings.carryGeometry && prevUnidentified;
    const idf = identifiabilityFlags(visit, own, pc.vResetV !== null, carriedBad);
    flags.push(...idf.flags);
    for (const n of idf.unidentified) delete stderr[n];
    // one step only: a cycle flagged for its carried start alone RESETs fully, so its end geometry is its own target
    prevUnidentified = idf.unidentified.includes('lnew') && idf.flags.some((f) => f.code === 'reset_incomplete');
    const mr = readResistances(pc.vV, ev.iAModel, pc.readV, ev.vSetModelV);
    const rel = (m: number | null, d: number | null) => (m !== null && d !== null && d > 0 ? finiteOr(m / d - 1) : null);
    return {
      device: pc.device,
      cycle: pc.cycle,
      params: p,
      fitted,
      stderr,
      correlation: ks.length > 0 ? { params: fitted, matrix: ks.map((a) => ks.map((b) => round(g.unc.correlation[a][b]))) } : null,
      rmsLog10: ev.rmsLog10,
      converged: g.lm.converged,
      flags,
      metrics: {
        rmsLog10: ev.rmsLog10,
        dVSetV: ev.vSetModelV !== null && pc.vSetV !== null ? ev.vSetModelV - pc.vSetV : null,
        dVResetV: ev.vResetModelV !== null && pc.vResetV !== null ? ev.vResetModelV - pc.vResetV : null,
        hrsRelErr: rel(mr.hrsOhm, pc.hrsOhm),
        lrsRelErr: rel(mr.lrsOhm, pc.lrsOhm),
        evaluations: g.lm.totalEvaluations,
        seconds,
        vSetDataV: pc.vSetV,
        vResetDataV: pc.vResetV,
        stopReason: g.lm.stopReason,
        starts: g.lm.starts,
        hrsPosition: Number.isFinite(visit.lowest) ? round(visit.lowest) : null,
      },
      ninit: g.ninits[j],
      endNdisc: ev.endNdisc,
      ...(settings.carryGeometry ? { endGeometry: ev.endGeometry } : {}),
      ...(circuitFitted || o.seriesOhm > 0 ? { circuit: { seriesOhm: o.seriesOhm } } : {}),
      ...(circuitFitted
        ? {
            circuitStderr: Object.fromEntries(
              kAll
                .filter((k) => isCircuitParam(layout.entries[k].name) && Number.isFinite(g.seP[k]))
                .map((k) => [layout.entries[k].name, g.seP[k]]),
            ),
          }
        : {}),
      stage,
    };
  });
}

export function deviceFitFromGroup(g: GroupFit, device: string, cycles: number[]): DeviceFit {
  const params: Record<string, number> = {};
  const stderr: Record<string, number> = {};
  const circuit: Record<string, number> = {};
  const circuitStderr: Record<string, number> = {};
  g.layout.entries.forEach((e, k) => {
    if (e.cycle !== -1) return;
    const [pv, se] = isCircuitParam(e.name) ? [circuit, circuitStderr] : [params, stderr];
    pv[e.name] = g.values[k];
    if (Number.isFinite(g.seP[k])) se[e.name] = g.seP[k];
  });
  return { device, params, stderr, fromCycles: cycles, ...(Object.keys(circuit).length ? { circuit, circuitStderr } : {}) };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
