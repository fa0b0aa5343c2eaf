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
  const execArgv = threadExecArgv(process.execArgv);
  if (!ts) return new Worker(url, { execArgv });
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { eval: true, execArgv });
}

/**
 * The parent's node options a thread inherits, without those of a parent run as `node -e CODE` /
 * `node -p CODE` / `--input-type=module` (a worker refuses them: they apply to the parent's own code only).
 */
export function threadExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') {
      k++; // and its code
      continue;
    }
    if (a.startsWith('--eval=') || a.startsWith('--print=') || a === '--input-type' || a.startsWith('--input-type=')) {
      if (a === '--input-type') k++;
      continue;
    }
    out.push(a);
  }
  return out;
}
