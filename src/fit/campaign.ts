/**
 * Fit all cycles of one device (the unit of work the scheduler distributes).
 *  - campaign: the device-level parameters (fitted ones not in cycleParams) are fitted jointly with
 *    the per-cycle ones on the first `deviceCycles` cycles; then every later cycle is fitted alone
 *    with only its cycle-level parameters free, warm-started from the previous cycle's values and
 *    starting in the state the previous cycle ended in;
 *  - joint: one fit of all cycles sharing every parameter (several rates of one device);
 *  - independent: each cycle alone with every fitted parameter free.
 * Resumable: records already done (from a checkpoint) are reused, not refitted, and every new
 * record is emitted as soon as it exists. Deterministic: each fit's random stream depends only on
 * the seed, the device and the cycle.
 */
import { resolveParams, type JartParams } from '../model/index.js';
import { createRng } from '../util/rng.js';
import { median } from '../util/stats.js';
import { prepareCycle, type FitCycleInput, type PreparedCycle } from './cycle-data.js';
import { createLayout, fitGroup, startValue } from './group.js';
import { firstGuess } from './guess.js';
import { isUnidentified } from './identify.js';
import { noiseLevelLog10 } from './auto.js';
import { cycleFitsFromGroup, deviceFitFromGroup } from './result.js';
import { isCircuitParam, type FitSettings } from './settings.js';
import type { CycleFit, DeviceFit } from './types.js';

export interface DeviceJob {
  device: string;
  cycles: FitCycleInput[];
  /** Start values instead of the first guess (the fit structure search, auto.ts, starts a candidate from
   *  the fit it extends): device-level values, and per cycle number the cycle-level ones. A cycle-level
   *  parameter without a value of its own starts at the device-level one, and the reverse. */
  start?: DeviceStart;
}
export interface DeviceStart {
  device?: Record<string, number>;
  cycles?: Record<string, Record<string, number>>;
}
export type FitEvent = { kind: 'device'; device: DeviceFit } | { kind: 'cycle'; fit: CycleFit };
export interface DoneRecords {
  device?: DeviceFit;
  cycles: Map<number, CycleFit>;
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A later cycle whose RMS exceeds both of these (decade; × the median of the device's good cycles) has collapsed. */
const COLLAPSE_MIN_RMS = 0.3;
const COLLAPSE_FACTOR = 3;

/** A device-level block fitted from given start values to within this factor of the data's own noise
 *  (auto.ts, noiseLevelLog10) is not refitted from the first guess: nothing is gained by another basin. */
const SECOND_START_NOISE_FACTOR = 1.5;

/** Plain RMS of log10|I| over a group's cycles (samples pooled): the same scale whatever the start. */
function groupRms(g: ReturnType<typeof fitGroup>, cycles: PreparedCycle[]): number {
  let ss = 0,
    n = 0;
  for (const [j, e] of g.evals.entries()) {
    const k = cycles[j].idx.length;
    if (!Number.isFinite(e.rmsLog10)) return Infinity;
    ss += e.rmsLog10 * e.rmsLog10 * k;
    n += k;
  }
  return n ? Math.sqrt(ss / n) : Infinity;
}

const rngFor = (seed: number, device: string, cycle: number) => createRng((seed ^ hashString(`${device}#${cycle}`)) >>> 0);
const now = () => performance.now();

function baseParams(settings: FitSettings): JartParams {
  return resolveParams(settings.fixed as Record<string, unknown>);
}

export function fitDevice(job: DeviceJob, settings: FitSettings, done: DoneRecords, emit: (e: FitEvent) => void): void {
  const prepared = job.cycles.map((c) => prepareCycle(c, settings.objective));
  const base = baseParams(settings);
  const free = settings.fitParams;
  const startOf = (pc: PreparedCycle, p: JartParams) =>
    settings.guess ? firstGuess(pc, p, free, settings.objective) : { p, o: settings.objective };

  if (settings.mode === 'independent' || (settings.mode === 'joint' && prepared.length === 1)) {
    for (const pc of prepared) {
      if (done.cycles.has(pc.cycle)) continue;
      const t0 = now();
      const layout = createLayout(free, [], 1, base);
      const s = startOf(pc, base);
      const g = fitGroup(
        [pc],
        layout,
        base,
        free.map((n) => startValue(n, s.p, s.o)),
        settings,
        rngFor(settings.seed, job.device, pc.cycle),
      );
      const fits = cycleFitsFromGroup(g, [pc], base, settings, 'independent', (now() - t0) / 1000);
      emit({ kind: 'cycle', fit: fits[0] });
    }
    return;
  }
  if (settings.mode === 'joint') {
    if (prepared.every((pc) => done.cycles.has(pc.cycle)) && done.device) return;
    const t0 = now();
    const layout = createLayout(free, [], prepared.length, base);
    const s = startOf(prepared[0], base);
    const g = fitGroup(
      prepared,
      layout,
      base,
      free.map((n) => startValue(n, s.p, s.o)),
      settings,
      rngFor(settings.seed, job.device, 0),
    );
    for (const f of cycleFitsFromGroup(g, prepared, base, settings, 'joint', (now() - t0) / 1000)) emit({ kind: 'cycle', fit: f });
    emit({
      kind: 'device',
      device: deviceFitFromGroup(
        g,
        job.device,
        prepared.map((p) => p.cycle),
      ),
    });
    return;
  }
  // campaign (also the start of a hierarchical fit, run.ts)
  const perCycle = settings.cycleParams;
  const shared = free.filter((n) => isCircuitParam(n) || !perCycle.includes(n));
  const k = Math.min(settings.deviceCycles, prepared.length);
  const head = prepared.slice(0, k);
  let device = done.device;
  let prev: CycleFit | undefined;
  if (!device || !head.every((pc) => done.cycles.has(pc.cycle))) {
    const t0 = now();
    const layout = createLayout(shared, perCycle, k, base);
    const s = startOf(head[0], base);
    const given = (name: string, cycle: number): number | undefined => {
      const dev = job.start?.device?.[name];
      const cyc = job.start?.cycles?.[String(head[Math.max(0, cycle)].cycle)]?.[name];
      return cycle === -1 ? (dev ?? cyc) : (cyc ?? dev);
    };
    const guessed = layout.entries.map((e) => startValue(e.name, s.p, s.o));
    const start = layout.entries.map((e, i) => {
      const v = given(e.name, e.cycle);
      return v !== undefined && Number.isFinite(v) ? v : guessed[i];
    });
    let g = fitGroup(head, layout, base, start, settings, rngFor(settings.seed, job.device, 0));
    // the device-level values decide every later cycle of the device: a fit from given start values
    // (the fit of another structure, or the structure search's pilot) is checked against one from the
    // first guess, and the better of the two on the block kept (docs/fitting.md §3). Equal-RMS basins
    // are not told apart by a rounding-level change of the optimiser this way.
    const floor = () =>
      SECOND_START_NOISE_FACTOR * noiseLevelLog10(job.cycles.slice(0, k), settings.objective.minAbsV, settings.objective.floorA);
    if (job.start && start.some((v, i) => v !== guessed[i]) && !(groupRms(g, head) <= floor())) {
      const alt = fitGroup(head, layout, base, guessed, settings, rngFor(settings.seed, job.device, 0));
      if (groupRms(alt, head) < groupRms(g, head)) g = alt;
    }
    if (k > 1 && groupRms(g, head) > settings.poorFitRms && !(groupRms(g, head) <= floor())) {
      // still a poor fit: also from the first guess made on the block's last cycle (the first cycle of a
      // device is often atypical: a forming-like first SET, a partial first RESET)
      const s2 = startOf(head[k - 1], base);
      const alt = fitGroup(
        head,
        layout,
        base,
        layout.entries.map((e) => startValue(e.name, s2.p, s2.o)),
        settings,
        rngFor(settings.seed, job.device, 0),
      );
      if (groupRms(alt, head) < groupRms(g, head)) g = alt;
    }
    const fits = cycleFitsFromGroup(g, head, base, settings, 'device', (now() - t0) / 1000);
    for (const f of fits) emit({ kind: 'cycle', fit: f });
    device = deviceFitFromGroup(
      g,
      job.device,
      head.map((p) => p.cycle),
    );
    emit({ kind: 'device', device });
    prev = fits[fits.length - 1];
  } else {
    prev = done.cycles.get(head[k - 1].cycle);
  }
  const devBase: JartParams = { ...base, ...(device.params as Partial<JartParams>) };
  // the device's fitted circuit (seriesOhm) holds for its later cycles
  const devSettings: FitSettings = device.circuit ? { ...settings, objective: { ...settings.objective, ...device.circuit } } : settings;
  // the last cycle that fitted well: a cycle that ends in a collapsed fit (far worse than the device's
  // cycles so far) would otherwise hand its values and end state to every cycle after it
  const good: number[] = [];
  let anchor: CycleFit | undefined = prev;
  const isGood = (f: CycleFit) => {
    const typical = good.length ? median(good) : f.rmsLog10;
    return f.rmsLog10 <= Math.max(COLLAPSE_MIN_RMS, COLLAPSE_FACTOR * typical);
  };
  if (prev && Number.isFinite(prev.rmsLog10)) good.push(prev.rmsLog10);
  const fitFrom = (pc: PreparedCycle, from: CycleFit | undefined, carry = true): CycleFit => {
    const t0 = now();
    const layout = createLayout([], perCycle, 1, devBase);
    // a cycle-level Ninit starts at the state the previous cycle ended in (the carried state it replaces)
    const start = perCycle.map((n) =>
      from ? (n === 'Ninit' && Number.isFinite(from.endNdisc) ? from.endNdisc : from.params[n]) : devBase[n],
    );
    const g = fitGroup(
      [pc],
      layout,
      devBase,
      start,
      devSettings,
      rngFor(settings.seed, job.device, pc.cycle),
      from && carry ? from.endNdisc : null,
      (carry && from?.endGeometry) || null,
    );
    const carriedBad = carry && !!from && from.flags.some((f) => f.code === 'reset_incomplete') && isUnidentified(from.flags, 'lnew');
    return cycleFitsFromGroup(g, [pc], devBase, devSettings, 'cycle', (now() - t0) / 1000, carriedBad)[0];
  };
  for (const pc of prepared.slice(k)) {
    const have = done.cycles.get(pc.cycle);
    if (have) {
      prev = have;
      if (isGood(have)) {
        anchor = have;
        good.push(have.rmsLog10);
      }
      continue;
    }
    let fit = fitFrom(pc, prev);
    if (!isGood(fit) && anchor) {
      // restart from the last good cycle's values, in a fresh state (as a device's first cycle: the carried
      // state can be one the model cannot switch out of within the sweep), and keep the better fit
      const again = fitFrom(pc, anchor, false);
      if (again.rmsLog10 < fit.rmsLog10) fit = again;
    }
    emit({ kind: 'cycle', fit });
    prev = fit;
    if (isGood(fit)) {
      anchor = fit;
      good.push(fit.rmsLog10);
    }
  }
}
