/**
 * A jartcal.fits/1 file from the checkpoint of a fit run that has not finished (the devices fitted so
 * far), so the population stage can work on a partial campaign. The fits file's `settings` are the
 * checkpoint header's; `partial: true` and the count are recorded.
 *   node --import tsx scripts/fits-from-checkpoint.ts FITS.json.checkpoint.jsonl OUT.json
 */
import { readCheckpoint } from '../src/io/fits.js';
import { writeJsonAtomic } from '../src/io/atomic.js';
import { TOOLKIT_VERSION } from '../src/version.js';

const [ckpt, out] = process.argv.slice(2);
const c = ckpt ? readCheckpoint(ckpt) : null;
if (!c || !out) {
  console.error('usage: fits-from-checkpoint.ts CHECKPOINT.jsonl OUT.json');
  process.exit(2);
}
const header = (c.header ?? {}) as { settings?: { seed?: number }; dataset?: string };
writeJsonAtomic(out, {
  schema: 'jartcal.fits/1',
  toolkitVersion: TOOLKIT_VERSION,
  createdAt: new Date().toISOString(),
  seed: header.settings?.seed ?? 0,
  dataset: header.dataset ?? '',
  settings: header.settings ?? {},
  partial: true,
  devices: c.devices,
  cycles: c.cycles,
});
console.log(`${c.cycles.length} cycle fits of ${new Set(c.cycles.map((x) => x.device)).size} devices → ${out}`);
