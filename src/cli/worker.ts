/** `jartcal worker --queue redis://HOST:PORT[/DB]`: a queue worker for fit and crossbar jobs. */
import type { Command } from './command.js';
import { numberFlag, parseCommandArgs } from './command.js';
import { JartcalError } from '../util/errors.js';
import { TOOLKIT_VERSION } from '../version.js';
import { connectionFromFlags, QUEUE_FLAGS, QUEUE_HELP } from '../queue/cli.js';
import { startQueueWorker } from '../queue/worker.js';

const HELP = `Usage: jartcal worker --queue redis://HOST:PORT[/DB] [--concurrency N]

A worker process for the queue: takes fit jobs (\`jartcal fit ... --queue\`) and crossbar sweep runs
(\`jartcal crossbar sweep ... --queue\`) until stopped, on any machine with the same jartcal version
installed. Each job runs in a worker thread; results go back through the queue (the worker writes
no files). SIGTERM or Ctrl-C: finishes the jobs in hand, takes no new one, and exits.

Options:
  --concurrency N       jobs at a time (default 1; at most one per core is useful)
  --lock-ms MS          job lock: a killed worker's job is taken again after about this long (default 30000)
${QUEUE_HELP}
`;

export const command: Command = {
  name: 'worker',
  summary: 'queue worker: runs fit and crossbar jobs from Redis (BullMQ) until stopped',
  help: HELP,
  async run(argv) {
    const { values: f, positionals } = parseCommandArgs('worker', argv, {
      concurrency: { type: 'string' },
      'lock-ms': { type: 'string' },
      ...QUEUE_FLAGS,
    });
    if (positionals.length)
      throw new JartcalError(`worker: unexpected argument "${positionals[0]}". See \`jartcal worker --help\`.`, { code: 'bad_arguments' });
    const conn = connectionFromFlags('worker', f);
    if (!conn) throw new JartcalError('worker: --queue redis://HOST:PORT is required.', { code: 'bad_arguments' });
    const concurrency = numberFlag('worker', 'concurrency', f.concurrency, 1);
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new JartcalError('worker: --concurrency must be a positive integer.', { code: 'bad_arguments' });
    const lockMs = numberFlag('worker', 'lock-ms', f['lock-ms'], 30000);
    if (!(lockMs >= 1000)) throw new JartcalError('worker: --lock-ms must be ≥ 1000.', { code: 'bad_arguments' });
    const w = await startQueueWorker(conn, { concurrency, lockMs });
    process.stderr.write(
      `jartcal ${TOOLKIT_VERSION} worker on ${conn.label} (prefix ${conn.prefix}), ${concurrency} job(s) at a time; SIGTERM or Ctrl-C to stop after the jobs in hand\n`,
    );
    const stop = (sig: string) => {
      process.stderr.write(`worker: ${sig}: finishing the jobs in hand, taking no new one\n`);
      void w.close();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    await w.closed;
    process.stderr.write('worker: stopped\n');
    return 0;
  },
};
