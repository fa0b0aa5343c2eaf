/**
 * The inspector's refit off the UI thread: each refit runs in its own worker thread (the fit takes
 * seconds), so the terminal stays responsive and Esc can cancel a refit by terminating the worker.
 */
import type { Worker } from 'node:worker_threads';
import { spawnModuleThread } from '../util/thread.js';
import type { Refitter, RefitRequest } from '../inspect/refit.js';
import type { CycleFitView } from '../inspect/schema.js';

const spawn = (): Worker => spawnModuleThread(import.meta.url, './refit-worker.ts');

export function createThreadRefitter(): Refitter {
  return {
    refit(req: RefitRequest, signal?: AbortSignal): Promise<CycleFitView> {
      return new Promise((resolve, reject) => {
        const w = spawn();
        let settled = false;
        const finish = (f: () => void): void => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          void w.terminate();
          f();
        };
        const onAbort = (): void => finish(() => reject(new Error('refit cancelled')));
        if (signal?.aborted) {
          onAbort();
          return;
        }
        signal?.addEventListener('abort', onAbort);
        w.once('message', (m: { ok: boolean; fit?: CycleFitView; error?: string }) =>
          finish(() => (m.ok ? resolve(m.fit!) : reject(new Error(m.error)))),
        );
        w.once('error', (e) => finish(() => reject(e)));
        w.once('exit', (code) => finish(() => reject(new Error(`refit worker exited (${code})`))));
        w.postMessage(JSON.parse(JSON.stringify(req)));
      });
    },
  };
}
