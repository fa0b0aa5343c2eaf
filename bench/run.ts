/**
 * Thin benchmark runner: imports every bench/*.ts module (except this one) and awaits its `run()`.
 * `npm run bench` runs all; `npm run bench -- model` runs the files whose name contains "model".
 * bench/queue.ts starts its own redis-server (Debian package) and says it skipped when there is none.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') continue;
  process.stdout.write(`\n== bench/${f} ==\n`);
  await mod.run();
}
