/** `npm run bench`: runs every bench/*.ts module (each exports `run()`), or those named on the command line. */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && (only.length === 0 || only.some((o) => f.includes(o)))).sort();
for (const f of files) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run?: () => Promise<void> };
  if (typeof mod.run === 'function') await mod.run();
}
