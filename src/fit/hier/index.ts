/**
 * Hierarchical campaign fit (docs/fitting.md, "Hierarchical campaign fit"): starts from the
 * per-device campaign fit's records, then the Laplace EM of em.ts over the whole campaign.
 */
import { resolveParams, type JartParams } from '../../model/index.js';
import { prepareCycle, type FitCycleInput } from '../cycle-data.js';
import type { FitSettings } from '../settings.js';
import type { CycleFit, DeviceFit } from '../types.js';
import { createContext, createDeviceState, DEFAULT_HIER_OPTIONS, runEm, type HierOptions, type HierResult } from './em.js';
import { hierRecords } from './records.js';
import type { HierPopulationBlock } from './format.js';

export { DEFAULT_HIER_OPTIONS, type HierOptions, type HierResult } from './em.js';
export type { HierPopulationBlock, HierParamPopulation } from './format.js';

export interface HierInputDevice {
  id: string;
  cycles: FitCycleInput[];
  /** The device's records from the per-device (campaign) fit: its start. */
  init: { cycles: CycleFit[]; device?: DeviceFit };
}

export interface HierOutput {
  devices: DeviceFit[];
  cycles: CycleFit[];
  population: HierPopulationBlock;
  result: HierResult;
}

export function fitHierarchical(
  devices: HierInputDevice[],
  settings: FitSettings,
  options: Partial<HierOptions> = {},
  onPass?: (pass: number, info: { maxMeanMove: number; maxSdMove: number; seconds: number }) => void,
): HierOutput {
  const t0 = performance.now();
  const opt = { ...DEFAULT_HIER_OPTIONS, ...options };
  settings = {
    ...settings,
    objective: { ...settings.objective, simRelTol: Math.min(settings.objective.simRelTol || Infinity, opt.simRelTol) },
  };
  const base: JartParams = resolveParams(settings.fixed as Record<string, unknown>);
  const ctx = createContext(settings, base);
  const states = devices
    .filter((d) => d.cycles.length > 0)
    .map((d) => {
      const byCycle = new Map(d.init.cycles.map((c) => [c.cycle, c]));
      const cycles = d.cycles.map((input) => {
        const pc = prepareCycle(input, settings.objective);
        if (!settings.statWeights) return pc;
        // the objective of the fit's second phase (group.ts): plain residuals, switching voltages
        // weighted by their quantisation error in units of the sample residuals
        const sigmaS = Math.max(byCycle.get(pc.cycle)?.rmsLog10 ?? 0.005, 0.005);
        return { ...pc, plainResiduals: true, vSigmaV: Math.max(pc.vSigmaV, pc.stepV / Math.sqrt(12) / sigmaS) };
      });
      const devStart: Record<string, number> = { ...base, ...(settings.objective as unknown as Record<string, number>) };
      Object.assign(devStart, d.init.device?.params ?? {}, d.init.device?.circuit ?? {});
      const first = byCycle.get(cycles[0].cycle);
      for (const n of ctx.devNames)
        if (!d.init.device && first)
          devStart[n] = (first.params as unknown as Record<string, number>)[n] ?? first.circuit?.[n as 'seriesOhm'] ?? devStart[n];
      const cycStarts = cycles.map((pc) => {
        const r = byCycle.get(pc.cycle);
        const o: Record<string, number> = {};
        for (const n of ctx.cycNames) o[n] = r ? r.params[n] : base[n];
        return o;
      });
      return createDeviceState(ctx, { id: d.id, cycles, start: { device: devStart, cycles: cycStarts } });
    });
  let last = performance.now();
  const res = runEm(ctx, states, opt, (pass, info) => {
    const now = performance.now();
    onPass?.(pass, { ...info, seconds: (now - last) / 1000 });
    last = now;
  });
  const init = new Map(devices.map((d) => [d.id, d.init]));
  const out = hierRecords(ctx, res, settings, init, (performance.now() - t0) / 1000);
  return { ...out, result: res };
}
