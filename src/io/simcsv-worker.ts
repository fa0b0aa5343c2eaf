/**
 * The simulation-CSV writer thread (simcsv-stream.ts): formats the rows of shared output arrays as the
 * simulation on the main thread fills them, writes them to the temporary file and, when told the
 * simulation has ended, fsyncs and renames it over the target (or removes it when told to abort).
 */
import { parentPort } from 'node:worker_threads';
import { AtomicFileWriter } from './atomic.js';
import { header, putRows, rowBuffer } from './simcsv.js';
import { ROWS, SEQ, STATE, STATE_ABORT, STATE_DONE, type StreamStart } from './simcsv-stream.js';

/** Most rows formatted into one piece (the buffer is reused). */
const PIECE = 2048;

function run(m: StreamStart): Promise<void> | void {
  const { path, n, withVar, cols, ctl } = m;
  const out = new AtomicFileWriter(path);
  const head = header(withVar);
  const buf = rowBuffer(head, Math.min(PIECE, Math.max(1, n)), withVar);
  let done = 0,
    first = true;
  try {
    for (;;) {
      const seq = Atomics.load(ctl, SEQ);
      const state = Atomics.load(ctl, STATE);
      if (state === STATE_ABORT) return out.abort();
      const rows = Math.min(n, Atomics.load(ctl, ROWS));
      if (rows > done || (first && state === STATE_DONE)) {
        while (done < rows || first) {
          const k1 = Math.min(rows, done + PIECE);
          out.write(buf.subarray(0, putRows(cols, withVar, first ? head : '', done, k1, buf)));
          first = false;
          done = k1;
        }
        out.flushInBackground();
        continue;
      }
      if (state === STATE_DONE && done >= n) return out.commit();
      Atomics.wait(ctl, SEQ, seq);
    }
  } catch (e) {
    return out.abort().then(() => {
      throw e;
    });
  }
}

parentPort!.once('message', (m: StreamStart) => {
  Promise.resolve()
    .then(() => run(m))
    .then(
      () => parentPort!.postMessage({ ok: true }),
      (e: unknown) => parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) }),
    );
});
