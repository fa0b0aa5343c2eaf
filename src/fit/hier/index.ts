/**
 * Hierarchical campaign fit (docs/fitting.md, "Hierarchical campaign fit"): starts from the
 * per-device campaign fit's records, then the Laplace EM of em.ts over the whole campaign.
 */
import { resolveParams, type JartParams } from '../../model/index.js';
import type { FitCycleInput } from '../cycle-data.js';
import type { FitSettings } from '../settings.js';
import type { CycleFit, DeviceFit } from '../types.js';
import { DEFAULT_HIER_OPTIONS, type HierOptions, type HierResult } from './em.js';
import {
  hierContext,
  inlineHierExecutor,
  prepareHierCycles,
  runEm,
  type HierDriverDevice,
  type HierExecutor,
  type HierPassCheckpoint,
  type HierStepJob,
  type HierStepResult,
} from './step.js';
import { hierRecords } from './records.js';
import type { HierPopulationBlock } from './format.js';
import type { HierCost } from './cost.js';

export type { HierOptions, HierResult } from './em.js';
export type { HierPopulationBlock, HierParamPopulation } from './format.js';

/** What a pass of the EM reports: the population's largest moves, wall seconds, E-steps skipped, CPU per phase. */
export interface HierPassInfo {
  maxMeanMove: number;
  maxSdMove: number;
  seconds: number;
  skipped: number;
  cost: HierCost;
}
export { type HierExecutor, type HierPassCheckpoint, type HierSnapshot, type HierStepJob, type HierStepResult } from './step.js';

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

/**
 * The hierarchical fit of `devices`; each pass's device fits run through `exec` (a scheduler's
 * jobs; default: one after the other in this thread), the population update here. `checkpoint`
 * resumes the EM from the state an interrupted run saved after its last pass, and saves it.
 */
export async function fitHierarchical(
  devices: HierInputDevice[],
  settings: FitSettings,
  options: Partial<HierOptions> = {},
  onPass?: (pass: number, info: HierPassInfo) => void,
  exec?: (jobs: HierStepJob[], settings: FitSettings) => Promise<HierStepResult[]>,
  checkpoint?: HierPassCheckpoint,
): Promise<HierOutput> {
  const t0 = performance.now();
  const opt = { ...DEFAULT_HIER_OPTIONS, ...options };
  settings = {
    ...settings,
    objective: { ...settings.objective, simRelTol: Math.min(settings.objective.simRelTol || Infinity, opt.simRelTol) },
  };
  // the steps run under these settings (the EM's integration tolerance included), wherever they run
  const eff = settings;
  const run: HierExecutor = exec ? (jobs) => exec(jobs, eff) : inlineHierExecutor(eff);
  const base: JartParams = resolveParams(settings.fixed as Record<string, unknown>);
  const ctx = hierContext(settings);
  const inputs: HierDriverDevice[] = devices
    .filter((d) => d.cycles.length > 0)
    .map((d) => {
      const byCycle = new Map(d.init.cycles.map((c) => [c.cycle, c]));
      const startRms = d.cycles.map((c) => byCycle.get(c.cycle)?.rmsLog10 ?? null);
      const prepared = prepareHierCycles(d.cycles, startRms, settings);
      const devStart: Record<string, number> = { ...base, ...(settings.objective as unknown as Record<string, number>) };
      Object.assign(devStart, d.init.device?.params ?? {}, d.init.device?.circuit ?? {});
      const first = byCycle.get(prepared[0].cycle);
      for (const n of ctx.devNames)
        if (!d.init.device && first)
          devStart[n] = (first.params as unknown as Record<string, number>)[n] ?? first.circuit?.[n as 'seriesOhm'] ?? devStart[n];
      const cycStarts = prepared.map((pc) => {
        const r = byCycle.get(pc.cycle);
        const o: Record<string, number> = {};
        for (const n of ctx.cycNames) o[n] = r ? r.params[n] : base[n];
        return o;
      });
      return { id: d.id, cycles: d.cycles, startRms, prepared, start: { device: devStart, cycles: cycStarts } };
    });
  let last = performance.now();
  const res = await runEm(
    ctx,
    inputs,
    opt,
    run,
    (pass, info) => {
      const now = performance.now();
      onPass?.(pass, { ...info, seconds: (now - last) / 1000 });
      last = now;
    },
    checkpoint,
  );
  const init = new Map(devices.map((d) => [d.id, d.init]));
  const out = hierRecords(ctx, res, settings, init, (performance.now() - t0) / 1000);
  return { ...out, result: res };
}
