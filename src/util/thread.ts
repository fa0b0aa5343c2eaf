/**
 * Worker threads of the toolkit's own modules, from source or compiled.
 */
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `rel` (resolved beside `base`, an import.meta.url). Compiled
 * (dist/): the module is plain JS. Under tsx (tests, scripts): a worker thread does not inherit
 * tsx's loader hooks, so a small bootstrap registers them before importing the .ts module.
 */
export function spawnModuleThread(base: string, rel: string): Worker {
  const ts = base.endsWith('.ts');
  const url = new URL(ts ? rel : rel.replace(/\.ts$/, '.js'), base);
  if (!ts) return new Worker(url);
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { eval: true });
}
