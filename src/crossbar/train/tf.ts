/** tfjs backend set-up: tfjs-node when it loads, otherwise the wasm backend with its binaries from the package's dist folder. */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let ready: string | null = null;

export async function initTf(): Promise<string> {
  if (ready) return ready;
  try {
    const name = '@tensorflow/tfjs-node';
    await import(name);
    if (await tf.setBackend('tensorflow')) {
      ready = 'tensorflow';
      return ready;
    }
  } catch {
    /* optional dependency absent or its native library missing: fall back to wasm */
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const req = createRequire(import.meta.url);
  wasm.setWasmPaths(join(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  if (await tf.setBackend('wasm')) {
    await tf.ready();
    ready = 'wasm';
    return ready;
  }
  await tf.setBackend('cpu');
  ready = 'cpu';
  return ready;
}
