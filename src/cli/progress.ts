/**
 * Progress for long runs: a bar with rate and ETA on a TTY (redrawn in place), plain periodic
 * lines otherwise (CI logs). Writes to stderr so stdout stays machine-readable.
 */
export interface Progress {
  tick(n?: number, note?: string): void;
  /** Work already done before this run (resumed from a checkpoint): counted, but not in the rate behind the ETA. */
  resumed(n: number, note?: string): void;
  done(note?: string): void;
}

export function createProgress(label: string, total: number, opts: { stream?: NodeJS.WriteStream; minIntervalMs?: number; now?: () => number } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? (() => Date.now());
  const tty = Boolean(stream.isTTY);
  const minInterval = opts.minIntervalMs ?? (tty ? 100 : 5000);
  const t0 = now();
  let count = 0;
  let skipped = 0;
  let last = -Infinity;
  const render = (note?: string): string => {
    const el = (now() - t0) / 1000;
    const frac = total > 0 ? Math.min(1, count / total) : 0;
    const ran = count - skipped;
    const eta = total > count ? (ran > 0 ? (el / ran) * (total - count) : NaN) : 0;
    const width = 24;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    return `${label} [${bar}] ${count}/${total} ${(frac * 100).toFixed(0)}% elapsed ${fmt(el)} eta ${fmt(eta)}${note ? ' ' + note : ''}`;
  };
  const tick = (n = 1, note?: string): void => {
    count += n;
    const t = now();
    if (t - last < minInterval && count < total) return;
    last = t;
    if (tty) stream.write(`\r\x1b[2K${render(note)}`);
    else stream.write(render(note) + '\n');
  };
  return {
    tick,
    resumed(n: number, note?: string) {
      skipped += n;
      tick(n, note);
    },
    done(note?: string) {
      if (tty) stream.write(`\r\x1b[2K${render(note)}\n`);
      else stream.write(render(note) + '\n');
    },
  };
}

function fmt(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 59.95) return `${s.toFixed(1)}s`;
  // whole seconds first, so that 119.6 s reads 2m00s, not 1m60s
  const r = Math.round(s);
  const m = Math.floor(r / 60);
  if (m < 60) return `${m}m${String(r - 60 * m).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
