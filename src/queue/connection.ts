/**
 * Where the queue lives: `redis://[USER:PASSWORD@]HOST:PORT[/DB]` (`rediss://` for TLS) plus the
 * options a shared server needs — a password (better from JARTCAL_REDIS_PASSWORD than in the URL,
 * which other users see in `ps`), TLS (a CA file for a private authority) and a key prefix so
 * several campaigns share one server. Reconnection is bounded: after `retries` failed attempts the
 * connection gives up and the command stops with a message instead of hanging.
 */
import { readFileSync } from 'node:fs';
import { JartcalError } from '../util/errors.js';

export interface QueueConnectionOptions {
  /** redis://HOST:PORT[/DB] or rediss://… */
  url: string;
  password?: string;
  /** TLS even for a redis:// URL; a PEM file of the certificate authority (default: the system's). */
  tls?: boolean;
  tlsCaFile?: string;
  /** Key prefix of every queue key (default "jartcal"). */
  prefix?: string;
  /** Reconnection attempts before giving up (default 30, about a minute). */
  retries?: number;
}

export interface QueueConnection {
  /** The URL without its password (for messages). */
  label: string;
  prefix: string;
  /** ioredis options for BullMQ (which creates its own clients from them). */
  redis: Record<string, unknown>;
  /** Prints "reconnected" when this client is ready again after a lost connection. */
  attach(client: { on(ev: string, f: () => void): unknown }): void;
}

export function resolveConnection(
  o: QueueConnectionOptions,
  log: (msg: string) => void = (m) => process.stderr.write(m + '\n'),
): QueueConnection {
  let u: URL;
  try {
    u = new URL(o.url);
  } catch {
    throw new JartcalError(`--queue: expected redis://HOST:PORT[/DB] (or rediss:// for TLS), got "${o.url}"`, { code: 'bad_arguments' });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new JartcalError(`--queue: expected a redis:// or rediss:// URL, got "${o.url}"`, { code: 'bad_arguments' });
  if (!u.hostname) throw new JartcalError(`--queue: no host in "${o.url}"`, { code: 'bad_arguments' });
  const port = u.port ? Number(u.port) : 6379;
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15)
    throw new JartcalError(`--queue: the database after the port must be an integer 0…15, got "/${dbText}"`, { code: 'bad_arguments' });
  const prefix = o.prefix ?? 'jartcal';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(prefix))
    throw new JartcalError(`--queue-prefix: expected 1–64 letters, digits, "_", "." or "-", got "${prefix}"`, { code: 'bad_arguments' });
  const retries = o.retries ?? 30;
  if (!Number.isInteger(retries) || retries < 0)
    throw new JartcalError('--queue-retries: expected an integer ≥ 0', { code: 'bad_arguments' });
  const password = o.password ?? process.env.JARTCAL_REDIS_PASSWORD ?? (u.password ? decodeURIComponent(u.password) : undefined);
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const useTls = u.protocol === 'rediss:' || o.tls === true;
  const caFile = o.tlsCaFile ?? process.env.JARTCAL_REDIS_TLS_CA;
  let tls: Record<string, unknown> | undefined;
  if (useTls) {
    tls = { servername: u.hostname };
    if (caFile) {
      try {
        tls.ca = readFileSync(caFile, 'utf8');
      } catch {
        throw new JartcalError(`--queue-tls-ca: cannot read the certificate authority file "${caFile}"`, { code: 'bad_arguments' });
      }
    }
  }
  const label = `${u.protocol}//${u.hostname}:${port}/${db}`;
  let announced = false;
  const redis: Record<string, unknown> = {
    host: u.hostname,
    port,
    db,
    ...(password ? { password } : {}),
    ...(username ? { username } : {}),
    ...(tls ? { tls } : {}),
    // BullMQ requires null here: a command waits for the reconnection instead of failing at once
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy(times: number): number | null {
      if (times > retries) {
        log(`queue: gave up reconnecting to ${label} after ${retries} attempts`);
        return null;
      }
      if (times === 1 || times % 10 === 0) log(`queue: connection to ${label} lost; reconnecting (attempt ${times} of ${retries})`);
      announced = true;
      return Math.min(250 * times, 2000);
    },
  };
  // a message when the connection is back, from the clients it is attached to
  const attach = (client: { on(ev: string, f: () => void): unknown }): void => {
    client.on('ready', () => {
      if (announced) {
        announced = false;
        log(`queue: reconnected to ${label}`);
      }
    });
  };
  return { label, prefix, redis, attach };
}
