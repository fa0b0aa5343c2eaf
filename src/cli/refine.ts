/**
 * The refinement step of `jartcal population --refine` (and of the pipeline): the estimated population
 * calibrated against the dataset's measured switching statistics (src/population/refine.ts), with progress,
 * a checkpoint beside the output that a re-run resumes from, and the before/after table.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { JartcalError } from '../util/errors.js';
import { readRefineCheckpoint, refineCheckpointPath, removeRefineCheckpoint, writeRefineCheckpoint } from '../io/refine.js';
import { readDatasetFile } from '../io/population.js';
import {
  cycleProtocols,
  measuredGroups,
  measuredNoiseLog10,
  defaultReplay,
  refinePopulation,
  type PopulationFile,
  type RefinementRecord,
} from '../population/index.js';
import { createProgress } from './progress.js';
import { featureMoments, MIN_CYCLES, selectMoments } from '../population/moments.js';

export interface RefineStepOptions {
  dataset: string;
  out: string;
  budget: number;
  devices?: number;
  cycles?: number;
  seed: number;
  rateVps?: number;
  /** threads sharing each evaluation's simulations (default: the machine's cores); the result does not depend on it */
  threads?: number;
  /** the all-free second stage for statistics that miss by more than this (relative); false: none */
  beyondTolerance?: number | false;
}

/** A statistic that misses by more than this after the refinement triggers the all-free stage (the issue's ±25 %). */
export const DEFAULT_BEYOND_TOLERANCE = 0.25;

export function refineStep(pop: PopulationFile, opts: RefineStepOptions): PopulationFile {
  const ds = readDatasetFile(opts.dataset);
  const groups = measuredGroups(ds).filter((g) => g.length > 0);
  if (groups.length === 0)
    throw new JartcalError('refine: the dataset has no cycles to refine against', {
      code: 'bad_dataset',
      location: { file: opts.dataset },
    });
  const statistics = Object.keys(selectMoments(featureMoments(groups))).length;
  if (statistics === 0) {
    process.stderr.write(
      `refine: the dataset gives no switching statistic to match (${groups.reduce((a, g) => a + g.length, 0)} cycles; ${MIN_CYCLES} are needed); the population is kept as estimated\n`,
    );
    return pop;
  }
  // each simulated device replays a measured device: its cycles, each on a measured cycle's protocol
  const protocols = cycleProtocols(ds, opts.rateVps ?? 1);
  const size = defaultReplay(protocols, opts.cycles);
  const plan = {
    groups: protocols,
    replicates: opts.devices !== undefined ? Math.max(1, Math.ceil(opts.devices / groups.length)) : size.replicates,
    maxCycles: size.maxCycles,
    // the measured current's own noise, added to the simulated currents (both sides through the same measurement)
    noiseLog10: measuredNoiseLog10(ds),
  };
  // within-device spreads need as many simulated cycles per device as the measured ones have at least
  if (Math.max(...groups.map((g) => g.length)) >= MIN_CYCLES && opts.cycles !== undefined && opts.cycles < MIN_CYCLES)
    process.stderr.write(
      `refine: ${opts.cycles} cycle(s) per simulated device cannot show a cycle-to-cycle spread; simulating ${MIN_CYCLES}\n`,
    );
  const devices = plan.replicates * groups.length;
  const cycles = Math.min(plan.maxCycles, Math.max(...groups.map((g) => g.length)));
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        pop: pop.parameters,
        circuit: pop.circuit,
        base: pop.base,
        groups,
        dataset: createHash('sha256').update(readFileSync(opts.dataset)).digest('hex'),
        replicates: plan.replicates,
        maxCycles: plan.maxCycles,
        noise: plan.noiseLog10,
        beyond: opts.beyondTolerance ?? false,
        rate: opts.rateVps ?? 1,
        seed: opts.seed,
      }),
    )
    .digest('hex');
  const ckPath = refineCheckpointPath(opts.out);
  const resumed = readRefineCheckpoint(ckPath, key);
  const cache: Record<string, number> = resumed ?? {}; // updated in place by the refinement
  if (resumed) process.stderr.write(`refine: resuming from ${ckPath} (${Object.keys(cache).length} evaluations)\n`);
  process.stderr.write(
    `refine: ${groups.length} measured devices (${groups.reduce((a, g) => a + g.length, 0)} cycles); simulating ${devices} devices (${plan.replicates} per measured device, its cycles at most ${cycles}, each on a measured cycle's protocol, with the measured current noise of ${plan.noiseLog10.toFixed(4)} decade) per evaluation, budget ${opts.budget} evaluations\n`,
  );
  let progress = createProgress('refine', opts.budget);
  let lastSaved = Object.keys(cache).length;
  const r = refinePopulation(pop, groups, {
    plan,
    threads: opts.threads ?? availableParallelism(),
    devices,
    cycles,
    seed: opts.seed,
    maxEvaluations: opts.budget,
    cache,
    ...(opts.beyondTolerance
      ? {
          beyond: {
            tolerance: opts.beyondTolerance,
            onStart: (missing: string[], terms: number, budget: number) => {
              progress.done();
              process.stderr.write(
                `refine: ${missing.length} statistic(s) still beyond ±${(100 * (opts.beyondTolerance as number)).toFixed(0)} % or 0.1 V for a voltage mean (${missing.map(momentLabel).join(', ')}); refining again with every population parameter free (${terms} terms, ${budget} evaluations)\n`,
              );
              progress = createProgress('refine (all free)', budget);
            },
          },
        }
      : {}),
    onEvaluation: (done, _budget, best) => {
      progress.tick(1, `objective ${best.toFixed(2)}`);
      void done;
      const size = Object.keys(cache).length;
      if (size - lastSaved >= 5) {
        writeRefineCheckpoint(ckPath, key, cache);
        lastSaved = size;
      }
    },
  });
  progress.done();
  printRefinement(r.record);
  return r.population;
}

/** Removes the checkpoint once the refined population is safely written. */
export function clearRefineCheckpoint(out: string): void {
  removeRefineCheckpoint(refineCheckpointPath(out));
}

const LABEL: Record<string, string> = {
  log10Hrs: 'log10 HRS (Ω)',
  log10Lrs: 'log10 LRS (Ω)',
  vSetV: '|V_SET| (V)',
  vResetV: '|V_RESET| (V)',
  log10OnOff: 'log10 on/off',
};

function momentLabel(name: string): string {
  if (name === 'all:switched') return 'cycles that switch';
  const [level, stat, feat] = name.split(':');
  return `${level} ${stat} ${LABEL[feat] ?? feat}`;
}

function printRefinement(rec: RefinementRecord): void {
  const f = (x: number | null): string => (x === null || !Number.isFinite(x) ? 'n/a' : x.toPrecision(4));
  const w = (s: string, n: number): string => s.padStart(n);
  process.stderr.write(
    `refine: objective Σz² ${rec.objectiveBefore.toFixed(2)} → ${rec.objectiveAfter.toFixed(2)} over ${rec.rows.length} moments (${rec.evaluations} evaluations)\n`,
  );
  process.stderr.write(
    `  ${'moment'.padEnd(30)}${w('measured', 11)}${w('± se', 9)}${w('before', 11)}${w('after', 11)}${w('z after', 9)}\n`,
  );
  for (const r of rec.rows) {
    process.stderr.write(
      `  ${momentLabel(r.name).padEnd(30)}${w(f(r.measured), 11)}${w(f(r.measuredSe), 9)}${w(f(r.before), 11)}${w(f(r.after), 11)}${w(r.zAfter.toFixed(1), 9)}\n`,
    );
  }
  if (rec.atBounds.length) process.stderr.write(`  at the model's parameter ranges: ${rec.atBounds.join(', ')}\n`);
  const b = rec.beyondModel;
  if (b) {
    process.stderr.write(
      `refine: with every population parameter free (${b.free.length} terms, ${b.evaluations} evaluations) Σz² ${b.objectiveBefore.toFixed(2)} → ${b.objectiveAfter.toFixed(2)}${b.adopted ? ' (adopted)' : ' (the first stage kept)'}\n`,
    );
    const pc = (x: number): string => (Number.isFinite(x) ? `${x > 0 ? '+' : ''}${(100 * x).toFixed(0)} %` : 'n/a');
    for (const r of b.rows)
      process.stderr.write(
        `  ${momentLabel(r.name).padEnd(30)} refined ${pc(r.refinedRelDiff).padStart(7)}, all free ${pc(r.allFreeRelDiff).padStart(7)}, closest ${pc(r.closestRelDiff).padStart(7)}${r.beyondModel ? '  beyond JART v1b' : r.bracketed ? '  reached on both sides: not a limit of the model' : ''}\n`,
      );
  }
}
