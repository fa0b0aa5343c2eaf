/**
 * A simulation CSV written while the simulation runs: a writer thread formats and writes the rows as the
 * simulation publishes them (SimOptions.into/progress over shared memory), so a long waveform's output is
 * on disk moments after its last point is simulated instead of formatted afterwards. Same bytes as
 * writeSimCsv, same atomic write (a temporary file beside the target, fsync, rename): a crash or kill leaves
 * the old file or the new one, never half of one.
 *
 *   const out = openSimCsvStream(path);          // the thread starts now, while the caller reads its input
 *   const { into, progress } = out.arrays(n);    // shared arrays for simulate(p, wave, { into, progress })
 *   const r = simulate(p, wave, { into, progress });
 *   await out.finish();                          // the file is in place
 *   // on an error before finish: out.abort()
 */
import { mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { SimArrays } from '../model/index.js';
import { spawnModuleThread } from '../util/thread.js';
import { JartcalError } from '../util/errors.js';

/** What the writer thread is sent (one message). */
export interface SimCsvJob {
  path: string;
  tmp: string;
  withVar: boolean;
  into: SimArrays;
  progress: Int32Array;
}

export interface SimCsvStream {
  /** Shared arrays for `n` points, and the progress cell the simulation publishes to; the writing starts. */
  arrays(n: number): { into: SimArrays; progress: Int32Array };
  /** Resolves when the whole file is written and renamed into place. */
  finish(): Promise<void>;
  /** Stops the thread and removes its temporary file (after an error elsewhere). */
  abort(): void;
}

let counter = 0;

export function openSimCsvStream(path: string, opts: { withVar?: boolean } = {}): SimCsvStream {
  const worker: Worker = spawnModuleThread(import.meta.url, './simcsv-thread.ts');
  worker.unref();
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.s${counter++}.tmp`);
  let failure: Error | null = null;
  let resolveDone!: () => void, rejectDone!: (e: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  done.catch(() => undefined); // observed by finish(); an aborted stream is never awaited
  worker.on('message', (m: { ok: true } | { error: string }) => {
    if ('ok' in m) resolveDone();
    else rejectDone(new JartcalError(`cannot write ${path}: ${m.error}`, { code: 'write_failed' }));
  });
  worker.on('error', (e) => {
    failure = e;
    rejectDone(e);
  });
  worker.on('exit', (code) => rejectDone(new Error(`the CSV writer thread stopped (exit ${code}) before ${path} was written`)));
  let started = false;
  return {
    arrays(n) {
      if (started) throw new Error('openSimCsvStream: arrays() called twice');
      started = true;
      mkdirSync(dirname(path), { recursive: true });
      const f64 = (): Float64Array => new Float64Array(new SharedArrayBuffer(8 * n));
      const into: SimArrays = {
        tS: f64(),
        vV: f64(),
        vCellV: f64(),
        iA: f64(),
        ndisc: f64(),
        tempK: f64(),
        complianceActive: new Uint8Array(new SharedArrayBuffer(n)),
        vsV: f64(),
        rVarM: f64(),
        lVarM: f64(),
      };
      const progress = new Int32Array(new SharedArrayBuffer(4));
      const job: SimCsvJob = { path, tmp, withVar: Boolean(opts.withVar), into, progress };
      worker.ref();
      worker.postMessage(job);
      return { into, progress };
    },
    async finish() {
      if (!started) throw new Error('openSimCsvStream: finish() before arrays()');
      try {
        await done;
      } finally {
        void worker.terminate();
      }
      if (failure) throw failure;
    },
    abort() {
      void worker.terminate();
      rmSync(tmp, { force: true });
    },
  };
}
