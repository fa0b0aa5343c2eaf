/**
 * The fit structure chosen by the data (docs/fitting.md §3 "The structure chosen by the data").
 *
 * Which parameters are free, which of them change from cycle to cycle and how the return branches are
 * weighted decide how well JART v1b follows a measured dataset, and the right choice differs between
 * datasets (§7). Where the user does not say, this module chooses among a fixed set of moves away from
 * the default structure, each a physical reason the default can miss:
 *  - `Ndiscmax/cycle`: the LRS defect concentration free per cycle (compliance-limited SET);
 *  - `seriesOhm`: an external series resistance (cables, probe, a select transistor) instead of the
 *    cell's own RseriesTiOx (their sum is what the current sees);
 *  - `Ninit/cycle`: each cycle starts in its own state (other operations between the recorded sweeps);
 *  - `phiBn0/cycle`: the interface barrier changes from cycle to cycle;
 *  - `Rtheff_scaling/cycle`: the RESET-side heating changes (partial, gradual RESETs);
 *  - `lcell+R0`: cell length and line resistance free (device level);
 *  - `Rth0`: the thermal resistance free (device level);
 *  - `returnWeight=2`: the return branches (the states SET and RESET leave) weigh twice.
 *
 * The procedure, on a pilot of at most `pilotCycles` cycles (blocks of consecutive cycles; several blocks of
 * one long device stay one device, so that in campaign mode, as in the full fit, the cycles after the
 * device-level block are fitted with the device-level values held, i.e. predicted):
 *  1. the default structure is fitted; if its median RMS is within `noiseFactor` × the data's own noise
 *     (estimated from the scatter of neighbouring samples), nothing can be gained: stop;
 *  2. each move alone;
 *  3. known combinations (FIT_BUNDLES, from the first guess): a combination none of whose parts helps alone;
 *  4. the moves that helped, best first, added one at a time; a move is kept when it lowers the score
 *     by at least `minGain` (relative); the best bundle replaces the result when it scores `minGain` better.
 *  5. the finalists (the result, the bundles, near-ties on the pilot) are compared on held-back cycles; when
 *     some tie there with the best (`breakTie`, docs/fitting.md §3 step 7), the caller fits each of them on the
 *     whole dataset and keeps the one with the lowest full-data score.
 * A candidate starts from the fitted values of the structure it extends (the default, or the moves kept
 * so far), not from the first guess: adding freedom then cannot land the pilot in a worse basin than
 * its parent's, so the comparison measures the structure, not the luck of the optimiser.
 * The score is the median over the pilot cycles of the plain RMS of log10|I| (unweighted, so structures
 * with other return-branch weights compare on the same scale), plus `cycleParamCharge` decade per
 * parameter free in every cycle. The residuals along a sweep are dominated by model error and strongly
 * correlated, so a count-based criterion for independent residuals (AIC, BIC) would accept any added
 * parameter; a minimum relative gain is the criterion instead, and per-cycle parameters, which cost a
 * population spread each, pay a charge.
 * Deterministic for a seed; the scheduler only decides where the pilot fits run.
 */
import { median } from '../util/stats.js';
import type { FitCycleInput } from './cycle-data.js';
import { fitDataset, type FitDatasetInput, type FitRunResult } from './run.js';
import type { DeviceStart } from './campaign.js';
import type { FitScheduler } from './scheduler.js';
import type { FitParamName, FitSettings } from './settings.js';
import { DEFAULT_PARAMS, type ParamName } from '../model/index.js';

const PARAM_DEFAULT_RSERIES = DEFAULT_PARAMS.RseriesTiOx;

export interface FitMove {
  id: string;
  /** what it means, for the report */
  label: string;
  /** the settings with this move applied, or null when it does not apply to them */
  apply(s: FitSettings): FitSettings | null;
}

const addFree = (s: FitSettings, names: FitParamName[], perCycle: boolean): FitSettings | null => {
  if (names.some((n) => s.fitParams.includes(n) && (!perCycle || s.cycleParams.includes(n as ParamName)))) return null;
  if (names.some((n) => n in s.fixed)) return null;
  const fitParams = [...s.fitParams];
  for (const n of names) if (!fitParams.includes(n)) fitParams.push(n);
  const cycleParams = perCycle ? [...s.cycleParams, ...(names as ParamName[]).filter((n) => !s.cycleParams.includes(n))] : s.cycleParams;
  return { ...s, fitParams, cycleParams };
};

export const FIT_MOVES: readonly FitMove[] = [
  { id: 'Ndiscmax/cycle', label: 'LRS defect concentration free per cycle', apply: (s) => addFree(s, ['Ndiscmax'], true) },
  {
    id: 'seriesOhm',
    label: 'external series resistance fitted (device level) in place of RseriesTiOx',
    apply: (s) => {
      if (s.fitParams.includes('seriesOhm') || !s.fitParams.includes('RseriesTiOx')) return null;
      return {
        ...s,
        fitParams: s.fitParams.map((n) => (n === 'RseriesTiOx' ? 'seriesOhm' : n)),
        cycleParams: s.cycleParams.filter((n) => n !== 'RseriesTiOx'),
      };
    },
  },
  { id: 'Ninit/cycle', label: 'each cycle starts in its own fitted state', apply: (s) => addFree(s, ['Ninit'], true) },
  {
    id: 'phiBn0/cycle',
    label: 'interface barrier free per cycle',
    apply: (s) =>
      s.fitParams.includes('phiBn0') && !s.cycleParams.includes('phiBn0') ? { ...s, cycleParams: [...s.cycleParams, 'phiBn0'] } : null,
  },
  { id: 'Rtheff_scaling/cycle', label: 'RESET-side heating free per cycle', apply: (s) => addFree(s, ['Rtheff_scaling'], true) },
  { id: 'lcell+R0', label: 'cell length and line resistance free (device level)', apply: (s) => addFree(s, ['lcell', 'R0'], false) },
  { id: 'Rth0', label: 'thermal resistance free (device level)', apply: (s) => addFree(s, ['Rth0'], false) },
  {
    id: 'returnWeight=2',
    label: 'return branches weighted 2',
    apply: (s) => (s.objective.returnWeight === 1 ? { ...s, objective: { ...s.objective, returnWeight: 2 } } : null),
  },
];

/**
 * Structures that fitted a kind of cell well (docs/fitting.md §7), tried whole from the first guess:
 * the greedy addition of single moves cannot reach a combination none of whose parts helps alone.
 */
const FIT_BUNDLES: readonly { id: string; label: string; moves: string[] }[] = [
  {
    id: 'gradual-reset',
    label: 'partial, gradual RESET: barrier and RESET heating per cycle, thermal and cell parameters free, return branches weighted 2',
    moves: ['lcell+R0', 'Rth0', 'phiBn0/cycle', 'Rtheff_scaling/cycle', 'returnWeight=2'],
  },
  {
    id: 'compliance-limited',
    label: 'compliance-limited SET with sweeps apart: LRS level, starting state, barrier and RESET heating per cycle',
    moves: ['Ndiscmax/cycle', 'Ninit/cycle', 'phiBn0/cycle', 'Rtheff_scaling/cycle'],
  },
  { id: 'series-limited', label: 'an external series resistance and the LRS level per cycle', moves: ['seriesOhm', 'Ndiscmax/cycle'] },
];

export interface AutoOptions {
  /** most cycles in the pilot */
  pilotCycles: number;
  /** consecutive cycles per pilot block (a device's first `deviceCycles` give its device-level values) */
  blockCycles: number;
  /** least relative improvement of the score for a move to be kept */
  minGain: number;
  /** decade added to the score per parameter free in every cycle */
  cycleParamCharge: number;
  /** most pilot fits (candidates) in all */
  maxCandidates: number;
  /** stop at once when the default fits within this factor of the data's noise */
  noiseFactor: number;
  /** multi-start points of the pilot fits (the full fit keeps its own) */
  pilotStarts: number;
  /** fewer cycles than this in the dataset: the default structure is kept (too little to judge a move by) */
  minCycles: number;
  /** the moves tried, by id (default: all of FIT_MOVES) */
  moves: string[];
  /** the bundles tried, by id (default: all of FIT_BUNDLES) */
  bundles: string[];
  /** most structures compared on the held-back cycles at the end besides the search's result and the bundles */
  finalists: number;
  /** most structures fitted on the whole dataset when the finalists tie on the held-back cycles (1: no tie-break) */
  tieStructures: number;
}

/** most structures a tie-break fits on the whole dataset, whatever `tieStructures` says (the CLI's checkpoint names) */
export const MAX_TIED = 8;

export const DEFAULT_AUTO: AutoOptions = {
  pilotCycles: 12,
  blockCycles: 6,
  minGain: 0.04,
  cycleParamCharge: 0.01,
  maxCandidates: 20,
  noiseFactor: 2,
  pilotStarts: 2,
  minCycles: 4,
  moves: FIT_MOVES.map((m) => m.id),
  bundles: FIT_BUNDLES.map((b) => b.id),
  finalists: 2,
  tieStructures: 3,
};

export interface AutoCandidate {
  moves: string[];
  /** median plain RMS log10 over the pilot cycles, decade */
  medianRms: number;
  score: number;
  /** median plain RMS log10 over the pilot and the held-back cycles (finalists only), decade */
  heldBackRms?: number;
  seconds: number;
}

export interface AutoReport {
  /** pilot devices with their cycle numbers */
  pilot: { id: string; cycles: number[] }[];
  /** the data's own scatter of log10|I| between neighbouring samples (robust), decade */
  noiseLog10: number;
  chosen: string[];
  /** one line per decision */
  reasons: string[];
  candidates: AutoCandidate[];
  /** why the search ended */
  stopped: 'noise_level' | 'no_gain' | 'exhausted' | 'budget' | 'too_few_cycles';
  seconds: number;
  /** The finalists that tied on the held-back cycles, each fitted on the whole dataset (the held-back winner
   *  first); the full-data figures are filled in by the full fit (`breakTie`). Absent without a near-tie. */
  tieBreak?: TieBreakEntry[];
}

export interface TieBreakEntry {
  moves: string[];
  /** score on the pilot and held-back cycles (median plain RMS + per-cycle charge), decade */
  heldBackScore: number;
  /** median plain RMS log10 over every cycle of the dataset (full fit), decade */
  fullMedianRms?: number;
  /** fullMedianRms + the same per-cycle charge */
  fullScore?: number;
  chosen?: boolean;
}

/** A structure tied with the held-back winner: what the full fit needs to fit it (see AutoResult.tied). */
export interface TiedStructure {
  moves: string[];
  settings: FitSettings;
  starts?: Record<string, DeviceStart>;
}

/**
 * The data's own noise, decade: from the second differences of log10|I| along each cycle (a smooth
 * curve has almost none, white noise of σ gives σ√6), robust (median absolute deviation), over the
 * samples above the current floor, beyond `minAbsV` and below the compliance; the median over cycles.
 */
export function noiseLevelLog10(cycles: FitCycleInput[], minAbsV = 0.02, floorA = 1e-12): number {
  const per: number[] = [];
  for (const c of cycles) {
    const floor = Math.max(floorA, c.currentFloorA ?? 0);
    const d2: number[] = [];
    for (let i = 1; i + 1 < c.vV.length; i++) {
      let ok = true;
      for (let j = i - 1; j <= i + 1; j++) {
        const ai = Math.abs(c.iA[j]);
        if (!(ai > 10 * floor) || !(Math.abs(c.vV[j]) >= minAbsV) || (c.complianceA !== null && ai >= 0.98 * c.complianceA)) ok = false;
      }
      // a held current (compliance plateau, an overloaded range) is not noise-free data but no data
      if (!ok || (c.iA[i - 1] === c.iA[i] && c.iA[i] === c.iA[i + 1])) continue;
      // same branch: voltage monotone over the three samples
      const a = c.vV[i] - c.vV[i - 1],
        b = c.vV[i + 1] - c.vV[i];
      if (!(a * b > 0)) continue;
      d2.push(Math.log10(Math.abs(c.iA[i + 1])) - 2 * Math.log10(Math.abs(c.iA[i])) + Math.log10(Math.abs(c.iA[i - 1])));
    }
    if (d2.length < 8) continue;
    const m = median(d2);
    const mad = median(d2.map((x) => Math.abs(x - m)));
    per.push((1.4826 * mad) / Math.sqrt(6));
  }
  return per.length ? median(per) : 0;
}

/** The pilot: blocks of consecutive cycles spread over the dataset (devices first, then along a long device).
 *  `offset`: where in its share of a long device a block starts (0: at its start; 0.5: in its middle). */
export function pilotOf(ds: FitDatasetInput, o: Pick<AutoOptions, 'pilotCycles' | 'blockCycles'>, offset = 0): FitDatasetInput {
  const total = ds.devices.reduce((a, d) => a + d.cycles.length, 0);
  if (total <= o.pilotCycles) return ds;
  const multi = ds.devices.filter((d) => d.cycles.length >= 2);
  const singles = ds.devices.filter((d) => d.cycles.length === 1);
  // a campaign of both kinds (many one-cycle devices, a few cycled ones) is represented by both, half each
  const multiBudget = multi.length === 0 ? 0 : singles.length === 0 ? o.pilotCycles : Math.ceil(o.pilotCycles / 2);
  const nBlocks = multiBudget === 0 ? 0 : Math.max(1, Math.floor(multiBudget / o.blockCycles));
  const spread = <T>(xs: T[], k: number): T[] => {
    if (xs.length <= k) return xs;
    return Array.from({ length: k }, (_, i) => xs[Math.floor(((i + 0.5) * xs.length) / k)]);
  };
  const out: FitDatasetInput['devices'] = [];
  if (multi.length >= nBlocks) {
    for (const d of spread(multi, nBlocks)) out.push({ id: d.id, cycles: d.cycles.slice(0, o.blockCycles) });
  } else {
    // few cycled devices: several blocks along each (its start and further in), kept as one device so
    // that the later blocks are fitted with the device-level values of the first, as in the full fit
    const per = Math.ceil(nBlocks / multi.length);
    for (const d of multi) {
      if (out.length >= nBlocks) break;
      const starts = Array.from({ length: Math.min(per, nBlocks - out.length) }, (_, i) =>
        Math.floor(((i + offset) * d.cycles.length) / per),
      );
      const cs = starts.flatMap((s) => d.cycles.slice(s, s + o.blockCycles));
      const seen = new Set<number>();
      out.push({ id: d.id, cycles: cs.filter((c) => !seen.has(c.cycle) && seen.add(c.cycle)) });
    }
  }
  const used = out.reduce((a, d) => a + d.cycles.length, 0);
  for (const d of spread(singles, Math.max(0, o.pilotCycles - used))) out.push(d);
  return { devices: out };
}

const perCycleCount = (s: FitSettings) => (s.mode === 'independent' ? s.fitParams.length : s.cycleParams.length);

export interface AutoResult {
  settings: FitSettings;
  report: AutoReport;
  /** The chosen structure's pilot fit, per pilot device: the start of its fit over the whole dataset
   *  (campaign.ts checks it against a fit from the first guess), so that the full fit continues in the
   *  basin the search judged. Absent when the default was kept without a search. */
  starts?: Record<string, DeviceStart>;
  /** On a near-tie of the finalists on the held-back cycles: the tied structures (the held-back winner, i.e.
   *  `settings`, first), to be fitted on the whole dataset and decided by `breakTie`. Absent otherwise. */
  tied?: TiedStructure[];
}

/** Chooses the fit structure for `ds` starting from `base` (see the module comment). */
export async function chooseFitStructure(
  ds: FitDatasetInput,
  base: FitSettings,
  scheduler: FitScheduler,
  opts: Partial<AutoOptions> = {},
  onCandidate?: (c: AutoCandidate, n: number) => void,
): Promise<AutoResult> {
  const o = { ...DEFAULT_AUTO, ...opts };
  const t0 = performance.now();
  const pilot = pilotOf(ds, o);
  const noise = noiseLevelLog10(
    pilot.devices.flatMap((d) => d.cycles),
    base.objective.minAbsV,
    base.objective.floorA,
  );
  const moves = o.moves.map((id) => {
    const m = FIT_MOVES.find((x) => x.id === id);
    if (!m) throw new Error(`unknown fit move "${id}" (known: ${FIT_MOVES.map((x) => x.id).join(', ')})`);
    return m;
  });
  const candidates: AutoCandidate[] = [];
  const reasons: string[] = [];
  const apply = (ids: string[]): FitSettings | null => {
    let s: FitSettings | null = base;
    for (const id of ids) {
      s = moves.find((m) => m.id === id)!.apply(s);
      if (!s) return null;
    }
    return s;
  };
  const results = new Map<string, FitRunResult>();
  const evaluate = async (ids: string[], parent?: string[]): Promise<AutoCandidate> => {
    const s = apply(ids)!;
    const t = performance.now();
    const from = parent ? results.get(parent.join('|')) : undefined;
    const data = from ? withStarts(pilot, from, s, base) : pilot;
    const r = await fitDataset(data, { ...s, starts: Math.min(s.starts, o.pilotStarts) }, scheduler);
    results.set(ids.join('|'), r);
    const rms = r.cycles.map((c) => c.rmsLog10).filter((x) => Number.isFinite(x));
    const medianRms = rms.length ? median(rms) : Infinity;
    const c: AutoCandidate = {
      moves: ids,
      medianRms,
      score: medianRms + o.cycleParamCharge * perCycleCount(s),
      seconds: (performance.now() - t) / 1000,
    };
    candidates.push(c);
    onCandidate?.(c, candidates.length);
    return c;
  };
  const done = (chosen: string[], stopped: AutoReport['stopped']): AutoResult => ({
    settings: apply(chosen)!,
    // at the noise level (or without a search) the full fit starts from the first guess, as without the search
    ...(stopped === 'noise_level' || stopped === 'too_few_cycles' ? {} : startsOf(results.get(chosen.join('|')), pilot)),
    report: {
      pilot: pilot.devices.map((d) => ({ id: d.id, cycles: d.cycles.map((c) => c.cycle) })),
      noiseLog10: noise,
      chosen,
      reasons,
      candidates,
      stopped,
      seconds: (performance.now() - t0) / 1000,
    },
  });

  const nCycles = ds.devices.reduce((a, d) => a + d.cycles.length, 0);
  if (nCycles < o.minCycles) {
    reasons.push(`${nCycles} cycles: too few to judge a change of structure by (${o.minCycles} needed): default kept`);
    return done([], 'too_few_cycles');
  }
  const def = await evaluate([]);
  if (def.medianRms <= o.noiseFactor * noise) {
    reasons.push(
      `default structure at ${def.medianRms.toFixed(3)} decade, within ${o.noiseFactor} × the data's noise (${noise.toFixed(3)}): kept`,
    );
    return done([], 'noise_level');
  }
  // each move alone
  const alone: AutoCandidate[] = [];
  for (const m of moves) {
    if (candidates.length >= o.maxCandidates) return done([], 'budget');
    if (!apply([m.id])) continue;
    alone.push(await evaluate([m.id], []));
  }
  const ranked = alone.filter((c) => c.score <= def.score * (1 - o.minGain)).sort((a, b) => a.score - b.score);
  for (const c of alone)
    if (!ranked.includes(c)) reasons.push(`${c.moves[0]}: score ${c.score.toFixed(3)} against ${def.score.toFixed(3)}: no gain`);
  // known combinations, whole, from the first guess
  const bundles: { id: string; c: AutoCandidate }[] = [];
  for (const id of o.bundles) {
    const b = FIT_BUNDLES.find((x) => x.id === id);
    if (!b) throw new Error(`unknown fit bundle "${id}" (known: ${FIT_BUNDLES.map((x) => x.id).join(', ')})`);
    if (!b.moves.every((m) => moves.some((x) => x.id === m)) || !apply(b.moves)) continue;
    if (candidates.length >= o.maxCandidates) break;
    bundles.push({ id, c: await evaluate(b.moves, []) });
  }
  const bestBundle = bundles.sort((a, b) => a.c.score - b.c.score)[0];
  const heldBack = heldBackOf(ds, pilot, o, base.deviceCycles);
  const withBundle = async (cur: AutoCandidate, stopped: AutoReport['stopped'], path: AutoCandidate[] = []) => {
    if (heldBack) {
      // the finalists on the held-back cycles: the search's result, the bundles and whatever ties
      // with the best pilot score; on the pilot alone, structures of equal score differ by the basin
      // the optimiser found, not by how well they predict the device's other cycles
      const best = Math.min(...candidates.map((c) => c.score));
      const finalists = [cur, ...bundles.map((b) => b.c)];
      for (const c of [...candidates].sort((a, b) => a.score - b.score))
        if (c.score <= best * (1 + o.minGain) && !finalists.includes(c) && finalists.length < 1 + bundles.length + o.finalists)
          finalists.push(c);
      // and the structures the result grew from (the default, then each move kept): a move is kept for
      // its gain on the pilot, and the held-back cycles may show it does not predict the device's other cycles
      for (const c of path) if (!finalists.some((f) => f.moves.join('|') === c.moves.join('|'))) finalists.push(c);
      // each finalist's RMS per scored cycle (pilot and held-back), for the paired comparison below
      const perCycle = new Map<AutoCandidate, Map<string, number>>();
      for (const c of finalists) {
        const s = apply(c.moves)!;
        const r = await fitDataset(
          withStarts(heldBack.data, results.get(c.moves.join('|'))!, s, base),
          { ...s, starts: Math.min(s.starts, o.pilotStarts) },
          scheduler,
        );
        const scored = [
          ...r.cycles.filter((x) => heldBack.scored.has(`${x.device}#${x.cycle}`)),
          ...results.get(c.moves.join('|'))!.cycles,
        ];
        perCycle.set(c, new Map(scored.map((x) => [`${x.device}#${x.cycle}`, x.rmsLog10])));
        const rms = scored.map((x) => x.rmsLog10).filter((x) => Number.isFinite(x));
        c.heldBackRms = rms.length ? median(rms) : Infinity;
      }
      const pc = (c: AutoCandidate) => perCycleCount(apply(c.moves)!);
      const held = (c: AutoCandidate) => c.heldBackRms! + o.cycleParamCharge * pc(c);
      const win = finalists.reduce((a, b) => (held(b) < held(a) ? b : a));
      // a near-tie: a finalist within the search's own resolution of the winner (minGain, what a move must
      // gain to be kept) or within the per-cycle charge that separates the two (its raw fit is then as good
      // as the winner's or better, and the charge, not the fit, decides on 24 cycles): the held-back cycles
      // cannot choose between them, the whole dataset does (the full fit, breakTie). The gap is the smaller
      // of the difference of the medians and the median of the per-cycle differences (the same cycles, paired):
      // on a dataset of two kinds (a cycled device, one-cycle devices) the pooled median of 24 cycles falls
      // between the two groups and is moved by the few cycles near it, the paired one compares like with like
      const margin = (c: AutoCandidate) => Math.max(o.minGain * held(win), o.cycleParamCharge * Math.abs(pc(c) - pc(win)));
      const paired = (c: AutoCandidate): number => {
        const a = perCycle.get(c)!,
          w = perCycle.get(win)!;
        const d: number[] = [];
        for (const [k, x] of a) {
          const y = w.get(k);
          if (Number.isFinite(x) && y !== undefined && Number.isFinite(y)) d.push(x - y);
        }
        return d.length ? median(d) + o.cycleParamCharge * (pc(c) - pc(win)) : Infinity;
      };
      const gap = (c: AutoCandidate) => Math.min(held(c) - held(win), paired(c));
      const seen = new Set([win.moves.join('|')]);
      const tied = [win];
      for (const c of [...finalists].sort((a, b) => held(a) - held(b)))
        if (tied.length < Math.min(o.tieStructures, MAX_TIED) && !seen.has(c.moves.join('|')) && gap(c) <= margin(c)) {
          seen.add(c.moves.join('|'));
          tied.push(c);
        }
      const name = (c: AutoCandidate) => (c.moves.length ? c.moves.join(', ') : 'default');
      for (const c of finalists)
        reasons.push(
          `${name(c)}: score ${held(c).toFixed(3)} on the pilot and ${heldBack.scored.size} held-back cycles${c === win ? (tied.length > 1 ? ': best' : ': chosen') : ''}`,
        );
      if (tied.length === 1) return done(win.moves, stopped);
      reasons.push(
        `near-tie on the held-back cycles: ${tied
          .slice(1)
          .map(
            (c) =>
              `${name(c)} ${held(c).toFixed(3)} (paired: ${paired(c) >= 0 ? '+' : ''}${paired(c).toFixed(3)}) within ${margin(c).toFixed(3)} of ${held(win).toFixed(3)}`,
          )
          .join('; ')}: each fitted on the whole dataset, the lower full-data score decides`,
      );
      const r = done(win.moves, stopped);
      r.report.tieBreak = tied.map((c) => ({ moves: c.moves, heldBackScore: held(c) }));
      r.tied = tied.map((c) => ({ moves: c.moves, settings: apply(c.moves)!, ...startsOf(results.get(c.moves.join('|')), pilot) }));
      return r;
    }
    if (bestBundle && bestBundle.c.score <= cur.score * (1 - o.minGain)) {
      reasons.push(
        `bundle ${bestBundle.id} [${bestBundle.c.moves.join(', ')}]: score ${bestBundle.c.score.toFixed(3)} against ${cur.score.toFixed(3)} (${cur.moves.length ? cur.moves.join(', ') : 'default'}): chosen`,
      );
      return done(bestBundle.c.moves, stopped);
    }
    for (const b of bundles) reasons.push(`bundle ${b.id}: score ${b.c.score.toFixed(3)} against ${cur.score.toFixed(3)}: not chosen`);
    return done(cur.moves, stopped);
  };
  if (ranked.length === 0) return withBundle(def, 'no_gain');
  // ranked addition
  let cur = ranked[0];
  const path = [def];
  reasons.push(`${cur.moves[0]}: score ${cur.score.toFixed(3)} against ${def.score.toFixed(3)} (default): kept`);
  let stopped: AutoReport['stopped'] = 'exhausted';
  for (const r of ranked.slice(1)) {
    const ids = [...cur.moves, r.moves[0]];
    if (!apply(ids)) continue;
    if (candidates.length >= o.maxCandidates) {
      stopped = 'budget';
      break;
    }
    const c = await evaluate(ids, cur.moves);
    if (c.score <= cur.score * (1 - o.minGain)) {
      reasons.push(`${r.moves[0]}: score ${c.score.toFixed(3)} against ${cur.score.toFixed(3)}: kept`);
      path.push(cur);
      cur = c;
    } else
      reasons.push(`${r.moves[0]}: score ${c.score.toFixed(3)} against ${cur.score.toFixed(3)} with [${cur.moves.join(', ')}]: dropped`);
  }
  return withBundle(cur, stopped, path);
}

/** The score of a fit over `cycles`: their median plain RMS of log10|I| plus the per-cycle charge (module comment). */
export function structureScore(
  cycles: { rmsLog10: number }[],
  s: FitSettings,
  o: Pick<AutoOptions, 'cycleParamCharge'> = DEFAULT_AUTO,
): { medianRms: number; score: number } {
  const rms = cycles.map((c) => c.rmsLog10).filter((x) => Number.isFinite(x));
  const medianRms = rms.length ? median(rms) : Infinity;
  return { medianRms, score: medianRms + o.cycleParamCharge * perCycleCount(s) };
}

/**
 * The tie-break (docs/fitting.md §3): given the full fits of `r.tied` (same order), the index of the one with
 * the lowest full-data score. Records every structure's full figures and the choice in `r.report` (tieBreak,
 * chosen, reasons) and returns the index; the caller keeps that fit.
 */
export function breakTie(r: AutoResult, full: { cycles: { rmsLog10: number }[] }[], opts: Partial<AutoOptions> = {}): number {
  const o = { ...DEFAULT_AUTO, ...opts };
  const tied = r.tied ?? [];
  if (tied.length !== full.length || !r.report.tieBreak || r.report.tieBreak.length !== tied.length)
    throw new Error(`breakTie: ${full.length} full fits for ${tied.length} tied structures`);
  const scores = tied.map((t, i) => structureScore(full[i].cycles, t.settings, o));
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i].score < scores[best].score) best = i;
  r.report.tieBreak = r.report.tieBreak.map((e, i) => ({
    ...e,
    fullMedianRms: scores[i].medianRms,
    fullScore: scores[i].score,
    chosen: i === best,
  }));
  r.report.chosen = tied[best].moves;
  r.settings = tied[best].settings;
  r.starts = tied[best].starts;
  const name = (m: string[]) => (m.length ? m.join(', ') : 'default');
  r.report.reasons.push(
    `tie-break on the whole dataset: ${tied
      .map((t, i) => `${name(t.moves)} median RMS ${scores[i].medianRms.toFixed(3)}, score ${scores[i].score.toFixed(3)}`)
      .join('; ')}: ${name(tied[best].moves)} chosen`,
  );
  return best;
}

/**
 * The held-back cycles: up to `pilotCycles` cycles outside the pilot, in blocks, fitted the way the full
 * fit will fit them. A pilot device's held-back blocks follow its device-level block (its first
 * `deviceCycles` pilot cycles, started from the candidate's pilot fit), so that they are predicted from its
 * device-level values; other devices are fitted whole. `scored`: the held-back cycles (device#cycle).
 * Null when every cycle is in the pilot.
 */
export function heldBackOf(
  ds: FitDatasetInput,
  pilot: FitDatasetInput,
  o: Pick<AutoOptions, 'pilotCycles' | 'blockCycles'>,
  deviceCycles: number,
): { data: FitDatasetInput; scored: Set<string> } | null {
  const inPilot = new Set(pilot.devices.flatMap((d) => d.cycles.map((c) => `${d.id}#${c.cycle}`)));
  const rest: FitDatasetInput = {
    devices: ds.devices
      .map((d) => ({ id: d.id, cycles: d.cycles.filter((c) => !inPilot.has(`${d.id}#${c.cycle}`)) }))
      .filter((d) => d.cycles.length > 0),
  };
  if (rest.devices.length === 0) return null;
  const pick = pilotOf(rest, o, 0.5);
  const scored = new Set(pick.devices.flatMap((d) => d.cycles.map((c) => `${d.id}#${c.cycle}`)));
  const devices = pick.devices.map((d) => {
    const p = pilot.devices.find((x) => x.id === d.id);
    if (!p) return d;
    const head = p.cycles.slice(0, Math.max(1, deviceCycles));
    const cycles = [...head, ...d.cycles.filter((c) => c.cycle > head[head.length - 1].cycle)];
    return { id: d.id, cycles };
  });
  return { data: { devices }, scored };
}

/** The device starts a pilot fit gives (see AutoResult.starts). */
function startsOf(from: FitRunResult | undefined, pilot: FitDatasetInput): { starts?: Record<string, DeviceStart> } {
  if (!from) return {};
  const starts: Record<string, DeviceStart> = {};
  for (const d of pilot.devices) {
    const st = startOf(from, d.id);
    if (st) starts[d.id] = st;
  }
  return { starts };
}

function startOf(from: FitRunResult, id: string): DeviceStart | null {
  const dev = from.devices.find((x) => x.device === id);
  if (!dev) return null;
  const start: DeviceStart = { device: { ...dev.params, ...(dev.circuit ?? {}) }, cycles: {} };
  for (const c of from.cycles) if (c.device === id) start.cycles![String(c.cycle)] = { ...c.params, ...(c.circuit ?? {}) };
  return start;
}

/**
 * The dataset with each device's start values taken from a fit of another structure (`from`): its device-level
 * values and circuit, and per cycle its fitted values (devices `from` has not fitted start from the first guess).
 * An external series resistance replacing the cell's RseriesTiOx starts at the part of the fitted RseriesTiOx
 * above the one the new structure holds fixed.
 */
function withStarts(data: FitDatasetInput, from: FitRunResult, s: FitSettings, base: FitSettings): FitDatasetInput {
  return {
    devices: data.devices.map((d) => {
      const dev = from.devices.find((x) => x.device === d.id);
      const start = startOf(from, d.id);
      if (!dev || !start) return d;
      if (s.fitParams.includes('seriesOhm') && start.device!.seriesOhm === undefined && dev.params.RseriesTiOx !== undefined) {
        const held = (s.fixed.RseriesTiOx ?? base.fixed.RseriesTiOx ?? undefined) as number | undefined;
        const fixedR = held ?? PARAM_DEFAULT_RSERIES;
        start.device!.seriesOhm = Math.max(0, dev.params.RseriesTiOx - fixedR);
        delete start.device!.RseriesTiOx;
        for (const k of Object.keys(start.cycles!)) delete start.cycles![k].RseriesTiOx;
      }
      return { ...d, start };
    }),
  };
}
