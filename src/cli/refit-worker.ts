/**
 * Worker thread body for the inspector's refit: receives a RefitRequest, runs the fit stage's
 * single-cycle refit, posts back the new cycle fit (or the error message). One request per worker.
 */
import { parentPort } from 'node:worker_threads';
import { createJartRefitter } from '../inspect/jart.js';
import type { RefitRequest } from '../inspect/refit.js';

parentPort?.once('message', (req: RefitRequest) => {
  createJartRefitter()
    .refit(req)
    .then(
      (fit) => parentPort?.postMessage({ ok: true, fit }),
      (e: unknown) => parentPort?.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
});
