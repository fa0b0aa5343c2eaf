/** Worker-thread entry of the job runners (local pool and queue worker): one job per message. */
import { parentPort } from 'node:worker_threads';
import { executeJob } from './execute.js';
import type { JobData } from './jobs.js';

parentPort?.on('message', (m: { id: number; job: JobData }) => {
  executeJob(m.job, (progress) => parentPort?.postMessage({ id: m.id, progress })).then(
    (result) => parentPort?.postMessage({ id: m.id, result }),
    (e: unknown) =>
      parentPort?.postMessage({
        id: m.id,
        error: e instanceof Error ? e.message : String(e),
        stack: e instanceof Error ? e.stack : undefined,
      }),
  );
});
