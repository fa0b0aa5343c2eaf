/**
 * Test helpers of the queue tests: a real redis-server on a free loopback port with its own temp
 * dir (stopped by `stop()`), `jartcal worker` processes and CLI runs from the sources, and the
 * comparison of two fits.json files without their timing fields.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/shared.js';

/** Why the Redis tests skip, or false when a redis-server binary exists. */
export const noRedis: string | false =
  spawnSync('redis-server', ['--version']).status === 0
    ? false
    : 'no redis-server binary on this machine (install the Debian package redis-server; .ci/run does)';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const p = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(p));
    });
  });
}

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A redis-server (append-only file, so a restart keeps the data unless `flush`ed). */
export async function startRedis(extra: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-redis-'));
  let proc: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        ...extra,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10000);
      proc!.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(t);
          resolve();
        }
      });
      proc!.once('exit', (c) => {
        clearTimeout(t);
        reject(new Error(`redis-server exited (${c}): ${out}`));
      });
    });
  };
  const stop = async (): Promise<void> => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGTERM');
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    async stop() {
      await stop();
    },
    async flush() {
      spawnSync('redis-cli', ['-p', String(port), 'FLUSHALL']);
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Proc {
  proc: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

/** `jartcal ARGS` from the sources, as a child process. */
export function spawnCli(args: string[], env: Record<string, string> = {}): Proc {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'queue', 'cli.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  proc.stderr!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
  return { proc, out: () => out, exited };
}

/** Waits until `cond()` or fails after `ms`. */
export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A fits.json without the fields that record time or the machine (createdAt, seconds, workers). */
export function withoutTiming(fits: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(fits, (k, v: unknown) => (['createdAt', 'seconds', 'workers', 'dataset'].includes(k) ? undefined : v)));
}
