/**
 * The writer thread of simcsv-stream.ts: formats the rows the simulation has published, writes them to the
 * temporary file, and at the last row fsyncs and renames it over the target.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { putSimRows, simCsvColumns, simCsvHeader, simCsvRowBytes } from './simcsv.js';
import type { SimCsvJob } from './simcsv-stream.js';

/** Rows formatted per write at most. */
const CHUNK = 2048;

function write(fd: number, buf: Uint8Array, len: number): void {
  let off = 0;
  while (off < len) off += writeSync(fd, buf, off, len - off);
}

function run(job: SimCsvJob): void {
  const n = job.into.tS.length;
  const cols = simCsvColumns(job.into, job.withVar);
  const buf = new Uint8Array(simCsvRowBytes(CHUNK, cols.length) + 256);
  const fd = openSync(job.tmp, 'w');
  try {
    const head = simCsvHeader(job.withVar);
    for (let i = 0; i < head.length; i++) buf[i] = head.charCodeAt(i);
    write(fd, buf, head.length);
    let done = 0;
    while (done < n) {
      const ready = Atomics.load(job.progress, 0);
      if (ready === done) {
        // a bounded wait: the thread stays responsive to terminate() if the simulation stops publishing
        Atomics.wait(job.progress, 0, done, 100);
        continue;
      }
      const upto = Math.min(ready, done + CHUNK);
      write(fd, buf, putSimRows(buf, 0, cols, done, upto));
      done = upto;
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(job.tmp, job.path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(job.tmp, { force: true });
    throw e;
  }
}

parentPort!.once('message', (job: SimCsvJob) => {
  try {
    run(job);
    parentPort!.postMessage({ ok: true });
  } catch (e) {
    parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
