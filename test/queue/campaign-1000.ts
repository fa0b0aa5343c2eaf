/**
 * The 1,000-cycle synthetic campaign (10 devices × 100 cycles, campaign mode, default settings)
 * fitted through the queue by 2 `jartcal worker` processes, one of them SIGKILLed once it has
 * finished a job and taken the next, and by the local pool (`--workers 2`); prints whether the two
 * fits.json are equal (timing fields aside) and every record appears once. Too slow for the test
 * suite; run it by hand (needs redis-server):
 *
 *   nice node --import tsx test/queue/campaign-1000.ts [DEVICES] [CYCLES]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticDataset } from './dataset.js';
import { noRedis, spawnCli, startRedis, until, withoutTiming } from './redis.js';

if (noRedis) {
  console.error(noRedis);
  process.exit(2);
}
const devices = Number(process.argv[2] ?? 10),
  cycles = Number(process.argv[3] ?? 100);
const dir = mkdtempSync(join(tmpdir(), 'jartcal-campaign-'));
const redis = await startRedis();
try {
  const ds = join(dir, 'ds.json');
  writeFileSync(ds, JSON.stringify(syntheticDataset(devices, cycles)));
  const a = spawnCli(['worker', '--queue', redis.url, '--lock-ms', '5000']);
  const b = spawnCli(['worker', '--queue', redis.url, '--lock-ms', '5000']);
  await until(() => /worker on/.test(a.out()) && /worker on/.test(b.out()), 60_000, 'workers');
  let t0 = Date.now();
  const fit = spawnCli(['fit', ds, '--out', join(dir, 'queue.json'), '--queue', redis.url]);
  await until(() => (a.out().match(/\(fit\) started/g) ?? []).length >= 2, 3_600_000, 'worker A to take its second job');
  a.proc.kill('SIGKILL');
  console.log(`worker A SIGKILLed after ${((Date.now() - t0) / 1000).toFixed(0)} s, in its second job`);
  const qc = await fit.exited;
  const tq = (Date.now() - t0) / 1000;
  b.proc.kill('SIGTERM');
  await b.exited;
  t0 = Date.now();
  const loc = spawnCli(['fit', ds, '--out', join(dir, 'local.json'), '--workers', '2']);
  const lc = await loc.exited;
  const tl = (Date.now() - t0) / 1000;
  const q = JSON.parse(readFileSync(join(dir, 'queue.json'), 'utf8')),
    l = JSON.parse(readFileSync(join(dir, 'local.json'), 'utf8'));
  const keys = q.cycles.map((c: { device: string; cycle: number }) => `${c.device}#${c.cycle}`);
  console.log(`queue (2 workers, one killed): exit ${qc}, ${tq.toFixed(0)} s; local pool (2 threads): exit ${lc}, ${tl.toFixed(0)} s`);
  console.log(`cycles ${keys.length} (unique ${new Set(keys).size}) of ${devices * cycles}, devices ${q.devices.length}`);
  console.log(`fits.json equal apart from timing: ${JSON.stringify(withoutTiming(q)) === JSON.stringify(withoutTiming(l))}`);
} finally {
  await redis.close();
  rmSync(dir, { recursive: true, force: true });
}
