/** The queue flags every command shares (`--queue URL` and its connection options) and their help text. */
import { JartcalError } from '../util/errors.js';
import { resolveConnection, type QueueConnection } from './connection.js';

export const QUEUE_FLAGS = {
  queue: { type: 'string' },
  'queue-prefix': { type: 'string' },
  'queue-tls': { type: 'boolean' },
  'queue-tls-ca': { type: 'string' },
  'queue-retries': { type: 'string' },
} as const;

export const QUEUE_HELP = `Queue (BullMQ on Redis; docs/distributed.md):
  --queue URL           redis://HOST:PORT[/DB] (rediss:// for TLS); the password comes from
                        JARTCAL_REDIS_PASSWORD (or redis://:PASSWORD@HOST…, visible to other users in ps)
  --queue-prefix NAME   key prefix, so several campaigns share one server (default jartcal)
  --queue-tls           TLS with a redis:// URL; --queue-tls-ca FILE: PEM of a private certificate authority
  --queue-retries N     reconnection attempts before giving up (default 30, about a minute)`;

export function connectionFromFlags(
  command: string,
  f: { queue?: string; 'queue-prefix'?: string; 'queue-tls'?: boolean; 'queue-tls-ca'?: string; 'queue-retries'?: string },
): QueueConnection | null {
  if (f.queue === undefined) {
    for (const k of ['queue-prefix', 'queue-tls', 'queue-tls-ca', 'queue-retries'] as const)
      if (f[k] !== undefined) throw new JartcalError(`${command}: --${k} needs --queue URL.`, { code: 'bad_arguments' });
    return null;
  }
  const retries = f['queue-retries'] === undefined ? undefined : Number(f['queue-retries']);
  return resolveConnection({ url: f.queue, prefix: f['queue-prefix'], tls: f['queue-tls'], tlsCaFile: f['queue-tls-ca'], retries });
}
