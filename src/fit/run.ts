/**
 * Fit a whole dataset: one job per device on a scheduler, records streamed to a hook (the CLI
 * checkpoints them), results returned in dataset order. Pure apart from the scheduler.
 */
import type { DeviceJob, DeviceStart, FitEvent } from './campaign.js';
import type { FitCycleInput } from './cycle-data.js';
import type { FailedJob, FitScheduler } from './scheduler.js';
import type { FitSettings } from './settings.js';
import type { CycleFit, DeviceFit } from './types.js';
import {
  fitHierarchical,
  type HierOptions,
  type HierPassCheckpoint,
  type HierPassInfo,
  type HierPopulationBlock,
  type HierResult,
} from './hier/index.js';

export interface FitDatasetInput {
  /** `start`: start values of a device's fit instead of the first guess (campaign mode; campaign.ts) */
  devices: { id: string; cycles: FitCycleInput[]; start?: DeviceStart }[];
}

export interface FitRunHooks {
  /** Records from an interrupted run (checkpoint); they are kept, not refitted. */
  resumed?: { devices: DeviceFit[]; cycles: CycleFit[] };
  /** Called for each new record, in the order they are produced. */
  onRecord?: (e: FitEvent) => void;
  /** Hierarchical mode: called after each EM pass over the campaign. */
  onPass?: (pass: number, info: HierPassInfo) => void;
  /** Hierarchical mode: options of the EM (hier/em.ts). */
  hier?: Partial<HierOptions>;
  /** Hierarchical mode: the EM's own result (device states, population), for diagnosis. */
  onResult?: (r: HierResult) => void;
  /** Hierarchical mode: resume the EM from an interrupted run's last pass, and save each pass. */
  hierCheckpoint?: HierPassCheckpoint;
}

/** `failed`: jobs a distributed scheduler ended failed (their devices have no records). */
export interface FitRunResult {
  devices: DeviceFit[];
  cycles: CycleFit[];
  failed: FailedJob[];
  population?: HierPopulationBlock;
}

export async function fitDataset(
  ds: FitDatasetInput,
  settings: FitSettings,
  scheduler: FitScheduler,
  hooks: FitRunHooks = {},
): Promise<FitRunResult> {
  const resumedDev = new Map((hooks.resumed?.devices ?? []).map((d) => [d.device, d]));
  const resumedCyc = new Map<string, CycleFit[]>();
  for (const c of hooks.resumed?.cycles ?? []) resumedCyc.set(c.device, [...(resumedCyc.get(c.device) ?? []), c]);
  const devices = new Map<string, DeviceFit>(resumedDev);
  const cycles = new Map<string, CycleFit>();
  for (const c of hooks.resumed?.cycles ?? []) cycles.set(`${c.device}#${c.cycle}`, c);
  const jobs = ds.devices
    .map((d) => ({
      job: {
        device: d.id,
        cycles: d.cycles.map((c) => (c.device === d.id ? c : { ...c, device: d.id })),
        ...(d.start ? { start: d.start } : {}),
      } as DeviceJob,
      done: { device: resumedDev.get(d.id), cycles: resumedCyc.get(d.id) ?? [] },
    }))
    .filter((j) => {
      const allCycles = j.job.cycles.every((c) => cycles.has(`${j.job.device}#${c.cycle}`));
      const needsDevice = settings.mode !== 'independent' && !(settings.mode === 'joint' && j.job.cycles.length === 1);
      return !(allCycles && (!needsDevice || j.done.device));
    });
  const failed =
    (await scheduler.run(jobs, settings, (_i, e) => {
      if (e.kind === 'device') devices.set(e.device.device, e.device);
      else cycles.set(`${e.fit.device}#${e.fit.cycle}`, e.fit);
      hooks.onRecord?.(e);
    })) ?? [];
  if (settings.mode === 'hierarchical') {
    // the per-device campaign fits above (checkpointed, resumable) are the start of the campaign's
    // hierarchical fit (hier/): each pass's device fits are the scheduler's jobs, the population
    // update between passes runs here
    const h = await fitHierarchical(
      ds.devices.map((d) => ({
        id: d.id,
        cycles: d.cycles.map((c) => (c.device === d.id ? c : { ...c, device: d.id })),
        init: {
          device: devices.get(d.id),
          cycles: d.cycles.map((c) => cycles.get(`${d.id}#${c.cycle}`)).filter((c): c is CycleFit => !!c),
        },
      })),
      settings,
      hooks.hier,
      hooks.onPass,
      (steps, s) => scheduler.runHierSteps(steps, s),
      hooks.hierCheckpoint,
    );
    hooks.onResult?.(h.result);
    return { devices: h.devices, cycles: h.cycles, failed, population: h.population };
  }
  const outDevices: DeviceFit[] = [];
  const outCycles: CycleFit[] = [];
  for (const d of ds.devices) {
    const dv = devices.get(d.id);
    if (dv) outDevices.push(dv);
    for (const c of d.cycles) {
      const f = cycles.get(`${d.id}#${c.cycle}`);
      if (f) outCycles.push(f);
    }
  }
  return { devices: outDevices, cycles: outCycles, failed };
}

export function countCycles(ds: FitDatasetInput): number {
  return ds.devices.reduce((a, d) => a + d.cycles.length, 0);
}
