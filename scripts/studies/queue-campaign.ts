/**
 * A synthetic campaign (the project's generator, test/queue/dataset.ts) fitted through the queue by
 * two `jartcal worker` processes, one of them SIGKILLed in the middle (once the coordinator's
 * checkpoint holds half the cycles, at the next job it takes), and by the local pool
 * (`--workers 2`); prints the wall times with the load average, the records of each output and
 * whether the two fits.json are equal apart from createdAt, timing fields and settings.workers.
 * Needs redis-server (Debian package). Default fit settings unless FIT_ARGS gives others:
 *
 *   nice node --import tsx scripts/studies/queue-campaign.ts [DEVICES] [CYCLES]      # default 100 × 10
 *   FIT_ARGS="--mode hierarchical" nice node --import tsx scripts/studies/queue-campaign.ts 8 3
 *   KEEP=DIR …  keeps the dataset and both fits.json in DIR
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticDataset } from '../../test/queue/dataset.js';
import { noRedis, spawnCli, startRedis, until, withoutTiming } from '../../test/queue/redis.js';

if (noRedis) {
  console.error(noRedis);
  process.exit(2);
}
const devices = Number(process.argv[2] ?? 100),
  cycles = Number(process.argv[3] ?? 10);
const fitArgs = (process.env.FIT_ARGS ?? '').split(' ').filter(Boolean);
const keep = process.env.KEEP;
if (keep) mkdirSync(keep, { recursive: true });
const dir = keep ?? mkdtempSync(join(tmpdir(), 'jartcal-campaign-'));
const load = () => loadavg()[0].toFixed(1);
const say = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const redis = await startRedis(['--appendfsync', 'everysec']);
try {
  const ds = join(dir, 'ds.json');
  writeFileSync(ds, JSON.stringify(syntheticDataset(devices, cycles)));
  say(`${devices} devices × ${cycles} cycles, fit ${fitArgs.join(' ') || '(default settings)'}; load average ${load()}`);
  const a = spawnCli(['worker', '--queue', redis.url, '--lock-ms', '10000']);
  const b = spawnCli(['worker', '--queue', redis.url, '--lock-ms', '10000']);
  await until(() => /worker on/.test(a.out()) && /worker on/.test(b.out()), 120_000, 'workers');
  let t0 = Date.now();
  const qOut = join(dir, 'queue.json');
  const fit = spawnCli(['fit', ds, '--out', qOut, '--queue', redis.url, ...fitArgs]);
  // the checkpoint holds the main fit's records (not the structure search's pilot): half of them
  // written, the next job worker A takes is the one it dies in
  const ckpt = `${qOut}.checkpoint.jsonl`;
  const cyclesIn = () => (existsSync(ckpt) ? (readFileSync(ckpt, 'utf8').match(/"kind":"cycle"/g) ?? []).length : 0);
  const count = (re: RegExp) => (a.out().match(re) ?? []).length;
  let killed = false;
  const killer = (async () => {
    await until(() => cyclesIn() >= (devices * cycles) / 2 || fit.proc.exitCode !== null, 24 * 3_600_000, 'half the cycles');
    const startedBefore = count(/\) started/g);
    await until(() => count(/\) started/g) > startedBefore || fit.proc.exitCode !== null, 24 * 3_600_000, 'worker A to take a job');
    if (fit.proc.exitCode !== null) return;
    a.proc.kill('SIGKILL');
    killed = true;
    say(
      `worker A SIGKILLed ${((Date.now() - t0) / 1000).toFixed(0)} s in, in a job (checkpoint: ${cyclesIn()} cycles); load average ${load()}`,
    );
  })();
  const progress = setInterval(
    () => say(`queue: ${cyclesIn()} of ${devices * cycles} cycles in the checkpoint; load average ${load()}`),
    300_000,
  );
  const qc = await fit.exited;
  clearInterval(progress);
  await killer;
  const tq = (Date.now() - t0) / 1000;
  say(
    `queue (2 workers${killed ? ', one SIGKILLed' : ', none killed: the run ended first'}): exit ${qc}, ${tq.toFixed(0)} s; load average ${load()}`,
  );
  if (qc !== 0) console.log(fit.out().slice(-3000));
  b.proc.kill('SIGTERM');
  await b.exited;
  if (!killed) a.proc.kill('SIGTERM');
  await a.exited;
  const stalled = (b.out().match(/started/g) ?? []).length + count(/\) started/g);
  say(`jobs started by the workers (pilot fits included, a job taken again counts twice): ${stalled}`);
  t0 = Date.now();
  const lOut = join(dir, 'local.json');
  const loc = spawnCli(['fit', ds, '--out', lOut, '--workers', '2', ...fitArgs]);
  const lc = await loc.exited;
  const tl = (Date.now() - t0) / 1000;
  say(`local pool (2 threads): exit ${lc}, ${tl.toFixed(0)} s; load average ${load()}`);
  if (lc !== 0) console.log(loc.out().slice(-3000));
  const q = JSON.parse(readFileSync(qOut, 'utf8')),
    l = JSON.parse(readFileSync(lOut, 'utf8'));
  const keys = q.cycles.map((c: { device: string; cycle: number }) => `${c.device}#${c.cycle}`);
  const devs = q.devices.map((d: { device: string }) => d.device);
  say(
    `queue fits.json: ${keys.length} cycle records (${new Set(keys).size} distinct) of ${devices * cycles}, ${devs.length} device records (${new Set(devs).size} distinct), ${q.failed?.length ?? 0} failed`,
  );
  say(`fits.json equal apart from createdAt, timing and workers: ${JSON.stringify(withoutTiming(q)) === JSON.stringify(withoutTiming(l))}`);
} finally {
  await redis.close();
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
