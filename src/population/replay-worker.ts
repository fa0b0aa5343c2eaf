/**
 * A replay thread (replay-pool.ts): holds the measured protocols, simulates a range of the replayed devices
 * on request and answers on its port, then raises its flag (the pool waits on it synchronously).
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { replayRange, type CycleProtocol, type ReplayPlan } from './ppc.js';
import type { PopulationFile } from './types.js';

interface Init {
  type: 'init';
  groups: CycleProtocol[][];
  port: MessagePort;
  flag: Int32Array;
  slot: number;
}
interface Job {
  type: 'run';
  pop: PopulationFile;
  plan: Omit<ReplayPlan, 'groups'>;
  seed: number;
  from: number;
  to: number;
}

let state: Init | null = null;
parentPort?.on('message', (m: Init | Job) => {
  if (m.type === 'init') {
    state = m;
    return;
  }
  const s = state as Init;
  let reply: unknown;
  try {
    reply = { ok: true, groups: replayRange(m.pop, { ...m.plan, groups: s.groups }, m.seed, m.from, m.to) };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  s.port.postMessage(reply);
  Atomics.store(s.flag, s.slot, 1);
  Atomics.notify(s.flag, s.slot);
});
