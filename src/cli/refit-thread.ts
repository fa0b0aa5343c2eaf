/**
 * The inspector's refit off the UI thread: each refit runs in its own worker thread (the fit takes
 * seconds), so the terminal stays responsive and Esc can cancel a refit by terminating the worker.
 * Under tsx (tests, scripts) the worker registers tsx's loader before importing the TypeScript body.
 */
import { Worker } from 'node:worker_threads';
import type { Refitter, RefitRequest } from '../inspect/refit.js';
import type { CycleFitView } from '../inspect/schema.js';

function spawn(): Worker {
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  const url = new URL(ts ? './refit-worker.ts' : './refit-worker.js', here);
  if (!ts) return new Worker(url);
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`, {
    eval: true,
  });
}

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
