/**
 * Replayed simulations on worker threads, called synchronously (the refinement's optimiser is): the
 * simulated devices are split into contiguous ranges, one per thread, each thread simulating its range with
 * the same random streams as the serial path (replayRange), and the ranges joined in device order — so the
 * result is the serial one, bit for bit, whatever the number of threads. The caller blocks in Atomics.wait
 * until every thread has raised its flag, then reads the answers with receiveMessageOnPort.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { spawnModuleThread } from '../fit/scheduler.js';
import type { CycleFeaturesIn } from './profile.js';
import { replayMeasured, type CycleProtocol, type ReplayPlan } from './ppc.js';
import type { PopulationFile } from './types.js';

export class ReplayPool {
  readonly threads: number;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly flag: Int32Array;

  constructor(
    private readonly groups: CycleProtocol[][],
    threads: number,
  ) {
    this.threads = Math.max(1, Math.floor(threads));
    this.flag = new Int32Array(new SharedArrayBuffer(4 * this.threads));
    if (this.threads === 1) return;
    for (let i = 0; i < this.threads; i++) {
      const w = spawnModuleThread(import.meta.url, './replay-worker.ts');
      const { port1, port2 } = new MessageChannel();
      w.postMessage({ type: 'init', groups, port: port2, flag: this.flag, slot: i }, [port2]);
      w.unref();
      this.workers.push(w);
      this.ports.push(port1);
    }
  }

  /** replayMeasured(pop, plan, seed), the devices split between the threads. */
  run(pop: PopulationFile, plan: Omit<ReplayPlan, 'groups'>, seed: number): (CycleFeaturesIn | null)[][] {
    const full: ReplayPlan = { ...plan, groups: this.groups };
    const n = this.groups.length * plan.replicates;
    if (this.threads === 1 || n < 2 * this.threads) return replayMeasured(pop, full, seed);
    const bounds = Array.from({ length: this.threads + 1 }, (_, i) => Math.round((i * n) / this.threads));
    for (let i = 0; i < this.threads; i++) Atomics.store(this.flag, i, 0);
    this.workers.forEach((w, i) => w.postMessage({ type: 'run', pop, plan, seed, from: bounds[i], to: bounds[i + 1] }));
    const out: (CycleFeaturesIn | null)[][] = [];
    for (let i = 0; i < this.threads; i++) {
      // a thread that died never answers: give up after 30 minutes without one
      for (let waited = 0; Atomics.load(this.flag, i) === 0; waited++) {
        if (waited > 1800) throw new Error(`replay thread ${i}: no answer in 30 minutes`);
        Atomics.wait(this.flag, i, 0, 1000);
      }
      const m = receiveMessageOnPort(this.ports[i]);
      const r = m?.message as { ok: boolean; groups?: (CycleFeaturesIn | null)[][]; error?: string } | undefined;
      if (!r || !r.ok || !r.groups) throw new Error(`replay thread ${i}: ${r?.error ?? 'no answer'}`);
      for (const g of r.groups) out.push(g);
    }
    return out;
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
    for (const p of this.ports) p.close();
  }
}
