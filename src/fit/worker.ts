/** Worker-thread entry of the local pool: runs one device job (records streamed back) or one hierarchical step per message. */
import { parentPort } from 'node:worker_threads';
import { runScheduledJob, type ScheduledJob } from './scheduler.js';
import type { FitSettings } from './settings.js';
import { runHierStep, type HierStepJob } from './hier/step.js';

parentPort?.on('message', (m: { index: number; job?: ScheduledJob; step?: HierStepJob; settings: FitSettings }) => {
  try {
    if (m.step) {
      parentPort?.postMessage({ index: m.index, result: runHierStep(m.step, m.settings), done: true });
      return;
    }
    runScheduledJob(m.job!, m.settings, (event) => parentPort?.postMessage({ index: m.index, event }));
    parentPort?.postMessage({ index: m.index, done: true });
  } catch (e) {
    parentPort?.postMessage({ index: m.index, error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
  }
});
