/**
 * Where a hierarchical step's time goes: this thread's CPU seconds and the model simulations (plain,
 * and with forward sensitivities) charged to the phase running at the time. Phases nest: an inner
 * phase's time is its own, not its parent's. A step's accounting travels back with its result
 * (step.ts) and the driver sums it per pass (HierResult.history), which `npm run bench -- hier` prints.
 */
import { readFileSync } from 'node:fs';

export const HIER_PHASES = ['init', 'estep', 'restarts', 'starts', 'windows', 'posterior', 'numerical', 'profile', 'profileEnds'] as const;
export type HierPhase = (typeof HIER_PHASES)[number];

/** Per phase: [CPU seconds, simulations, simulations with sensitivities]. */
export type HierCost = Record<HierPhase, [number, number, number]>;

export const emptyCost = (): HierCost => Object.fromEntries(HIER_PHASES.map((p) => [p, [0, 0, 0]])) as unknown as HierCost;

export function addCost(into: HierCost, c: Partial<HierCost> | undefined): void {
  if (!c) return;
  for (const p of HIER_PHASES) {
    const x = c[p];
    if (x) for (let i = 0; i < 3; i++) into[p][i] += x[i] ?? 0;
  }
}

let procStat: boolean | null = null;
/**
 * CPU seconds of the calling thread (Linux: /proc/thread-self/stat, 10 ms ticks; a worker thread
 * reads its own). Elsewhere the process's CPU time, which is the thread's where one thread works.
 */
function threadCpuSeconds(): number {
  if (procStat !== false) {
    try {
      const s = readFileSync('/proc/thread-self/stat', 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      procStat = true;
      // fields 14 and 15 of proc(5): utime, stime in clock ticks (USER_HZ = 100)
      return (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      procStat = false;
    }
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

let acc: HierCost = emptyCost();
let current: HierPhase = 'estep';
let mark = 0;

function charge(): void {
  const now = threadCpuSeconds();
  acc[current][0] += now - mark;
  mark = now;
}

/** Starts the accounting of one step, its time charged to `phase` until a nested phase takes over. */
export function startCost(phase: HierPhase): void {
  acc = emptyCost();
  current = phase;
  mark = threadCpuSeconds();
}

/** Ends the step's accounting and returns it. */
export function takeCost(): HierCost {
  charge();
  return acc;
}

/** Charges what follows to `phase`, until the returned function is called (then the enclosing phase again). */
export function enterPhase(phase: HierPhase): () => void {
  charge();
  const outer = current;
  current = phase;
  return () => {
    charge();
    current = outer;
  };
}

/** Runs `fn` with its time and simulations charged to `phase`. */
export function inPhase<T>(phase: HierPhase, fn: () => T): T {
  const leave = enterPhase(phase);
  try {
    return fn();
  } finally {
    leave();
  }
}

/** Counts one model simulation of one cycle (`sens`: with forward sensitivities) in the running phase. */
export function countSimulation(sens: boolean): void {
  acc[current][sens ? 2 : 1]++;
}
