/**
 * The simulation CSV written while the simulation runs: the output arrays live on SharedArrayBuffers,
 * the simulation reports the rows it has completed (SimOptions.onRows), and a writer thread
 * (simcsv-worker.ts) formats and writes them meanwhile, on the other core. The file is the one
 * writeSimCsvAsync writes (same bytes, written atomically); only the time differs (bench/cli.ts).
 * Without a usable thread the caller writes the file itself (`finish` resolves false).
 */
import type { Worker } from 'node:worker_threads';
import type { SimColumns } from '../model/index.js';
import { spawnModuleThread } from '../util/thread.js';

/** Slots of the control array: rows complete, state, and a sequence number bumped on every change. */
export const ROWS = 0,
  STATE = 1,
  SEQ = 2;
export const STATE_RUNNING = 0,
  STATE_DONE = 1,
  STATE_ABORT = 2;

export interface StreamStart {
  path: string;
  n: number;
  withVar: boolean;
  cols: SimColumns;
  ctl: Int32Array;
}

/** A writer thread started ahead of the simulation (its start-up overlaps reading the input). */
export class SimCsvStream {
  private readonly worker: Worker | null;
  private readonly reply: Promise<{ ok: boolean; message?: string }>;
  private ctl: Int32Array | null = null;

  constructor() {
    let w: Worker | null = null;
    try {
      w = spawnModuleThread(import.meta.url, './simcsv-worker.ts');
    } catch {
      w = null;
    }
    this.worker = w;
    this.reply = new Promise((resolve) => {
      if (!w) return resolve({ ok: false, message: 'no writer thread' });
      w.once('message', resolve);
      w.once('error', (e) => resolve({ ok: false, message: e.message }));
      w.once('exit', () => resolve({ ok: false, message: 'the writer thread ended early' }));
    });
  }

  /** Shared output arrays for `n` points and the start of the writer on them; the simulation fills `cols` and calls `onRows`. */
  open(path: string, n: number, withVar = false): { cols: SimColumns; onRows: (rows: number) => void } | null {
    if (!this.worker) return null;
    const f64 = (): Float64Array => new Float64Array(new SharedArrayBuffer(8 * Math.max(1, n))).subarray(0, n);
    const cols: SimColumns = {
      tS: f64(),
      vV: f64(),
      vCellV: f64(),
      iA: f64(),
      ndisc: f64(),
      tempK: f64(),
      complianceActive: new Uint8Array(new SharedArrayBuffer(Math.max(1, n))).subarray(0, n),
      vsV: f64(),
      rVarM: f64(),
      lVarM: f64(),
    };
    const ctl = new Int32Array(new SharedArrayBuffer(16));
    this.ctl = ctl;
    this.worker.postMessage({ path, n, withVar, cols, ctl } satisfies StreamStart);
    const onRows = (rows: number): void => {
      Atomics.store(ctl, ROWS, rows);
      Atomics.add(ctl, SEQ, 1);
      Atomics.notify(ctl, SEQ);
    };
    return { cols, onRows };
  }

  private signal(state: number): void {
    if (!this.ctl) return;
    Atomics.store(this.ctl, STATE, state);
    Atomics.add(this.ctl, SEQ, 1);
    Atomics.notify(this.ctl, SEQ);
  }

  /** The simulation has ended: waits for the file to be complete and renamed; false when the thread failed (nothing renamed). */
  async finish(): Promise<{ ok: boolean; message?: string }> {
    this.signal(STATE_DONE);
    const r = await this.reply;
    await this.close();
    return r;
  }

  /** Nothing is written (the temporary file is removed); the thread ends. */
  async abort(): Promise<void> {
    if (this.ctl) {
      this.signal(STATE_ABORT);
      await this.reply;
    }
    await this.close();
  }

  private async close(): Promise<void> {
    if (this.worker) await this.worker.terminate();
  }
}
