/** Worker-thread entry of the local pool: runs one device job per message, streams its records back. */
import { parentPort } from 'node:worker_threads';
import { runScheduledJob, type ScheduledJob } from './scheduler.js';
import type { FitSettings } from './settings.js';

parentPort?.on('message', (m: { index: number; job: ScheduledJob; settings: FitSettings }) => {
  try {
    runScheduledJob(m.job, m.settings, (event) => parentPort?.postMessage({ index: m.index, event }));
    parentPort?.postMessage({ index: m.index, done: true });
  } catch (e) {
    parentPort?.postMessage({ index: m.index, error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
  }
});
