/** Where the shared reference material lives: $JARTCAL_SHARED, else ../shared beside the checkout. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = resolve(process.env.JARTCAL_SHARED ?? join(REPO_ROOT, '..', 'shared'));

export function sharedPath(...parts: string[]): string {
  const p = join(SHARED, ...parts);
  if (!existsSync(p)) throw new Error(`shared reference file missing: ${p} (set JARTCAL_SHARED)`);
  return p;
}
