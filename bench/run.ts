/** Thin benchmark runner: runs every bench/<stage>.ts module (or those named on the command line). */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const want = process.argv.slice(2);
for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && n !== 'run.ts').sort()) {
  const name = f.replace(/\.ts$/, '');
  if (want.length && !want.includes(name)) continue;
  console.log(`== ${name}`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run: () => Promise<void> };
  await mod.run();
}
