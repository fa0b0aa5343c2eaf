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

export function createProgress(
  label: string,
  total: number,
  opts: { stream?: NodeJS.WriteStream; minIntervalMs?: number; now?: () => number } = {},
): Progress {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? (() => Date.now());
  const tty = Boolean(stream.isTTY);
  const minInterval = opts.minIntervalMs ?? (tty ? 100 : 5000);
  const t0 = now();
  let count = 0;
  let last = -Infinity;
  // the rate behind the ETA is measured from the first report on (set-up before it, e.g. loading data
  // and building engines, and work resumed from a checkpoint are not counted against the first items)
  let base: { t: number; count: number } | null = null;
  let shown = '';
  const render = (note?: string): string => {
    const t = now();
    const el = (t - t0) / 1000;
    const frac = total > 0 ? Math.min(1, count / total) : 0;
    const ran = base ? count - base.count : 0;
    const dt = base ? (t - base.t) / 1000 : 0;
    const eta = total > count ? (ran > 0 && dt > 0 ? (dt / ran) * (total - count) : NaN) : 0;
    const width = 24;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    return `${label} [${bar}] ${count}/${total} ${(frac * 100).toFixed(0)}% elapsed ${fmt(el)} eta ${fmt(eta)}${note ? ' ' + note : ''}`;
  };
  const show = (line: string): void => {
    shown = line;
    if (tty) stream.write(`\r\x1b[2K${line}`);
    else stream.write(line + '\n');
  };
  const tick = (n = 1, note?: string, isResume = false): void => {
    const t = now();
    count += n;
    if (!base) base = { t, count };
    else if (isResume) base.count += n;
    if (t - last < minInterval && count < total) return;
    last = t;
    show(render(note));
  };
  return {
    tick: (n?: number, note?: string) => tick(n, note),
    resumed(n: number, note?: string) {
      tick(n, note, true);
    },
    done(note?: string) {
      // the final state was shown by the last tick: end its line instead of printing it again
      const finished = count >= total && shown !== '' && note === undefined && /\b(\d+)\/\1 100%/.test(shown);
      if (!finished) show(render(note));
      if (tty) stream.write('\n');
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
