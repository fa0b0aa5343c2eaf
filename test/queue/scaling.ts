/**
 * Scaling of a CPU-bound fit campaign on the queue with 1, 2 and 4 `jartcal worker` processes
 * (concurrency 1 each) on this machine, against the local pool with 2 threads; prints wall time
 * and the machine's load average. Needs redis-server:
 *
 *   nice node --import tsx test/queue/scaling.ts [DEVICES] [CYCLES]
 *   (WORKERS=2,4 for some of the worker counts; NO_LOCAL=1 skips the local run)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticDataset } from './dataset.js';
import { noRedis, spawnCli, startRedis, until, type Proc } from './redis.js';

if (noRedis) {
  console.error(noRedis);
  process.exit(2);
}
const devices = Number(process.argv[2] ?? 8),
  cycles = Number(process.argv[3] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'jartcal-scaling-'));
const redis = await startRedis();
const load = () => loadavg()[0].toFixed(1);
try {
  const ds = join(dir, 'ds.json');
  writeFileSync(ds, JSON.stringify(syntheticDataset(devices, cycles)));
  let t0 = Date.now();
  if (!process.env.NO_LOCAL) {
    const local = spawnCli(['fit', ds, '--out', join(dir, 'local.json'), '--workers', '2']);
    if ((await local.exited) !== 0) throw new Error(local.out());
    console.log(`${devices}×${cycles} cycles, local pool 2 threads: ${((Date.now() - t0) / 1000).toFixed(1)} s (load average ${load()})`);
  }
  for (const n of (process.env.WORKERS ?? '1,2,4').split(',').map(Number)) {
    const ws: Proc[] = Array.from({ length: n }, () => spawnCli(['worker', '--queue', redis.url, '--queue-prefix', `scaling${n}`]));
    await until(() => ws.every((w) => /worker on/.test(w.out())), 120_000, 'workers');
    t0 = Date.now();
    const fit = spawnCli(['fit', ds, '--out', join(dir, `queue-${n}.json`), '--queue', redis.url, '--queue-prefix', `scaling${n}`]);
    if ((await fit.exited) !== 0) throw new Error(fit.out());
    console.log(
      `${devices}×${cycles} cycles, queue with ${n} worker(s): ${((Date.now() - t0) / 1000).toFixed(1)} s (load average ${load()})`,
    );
    for (const w of ws) w.proc.kill('SIGTERM');
    await Promise.all(ws.map((w) => w.exited));
  }
} finally {
  await redis.close();
  rmSync(dir, { recursive: true, force: true });
}
