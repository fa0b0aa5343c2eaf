/**
 * Atomic file output: write to a temporary file in the target's folder, fsync, then rename over
 * the target. A crash or kill leaves either the old file or the new one, never half of one.
 * A target that exists and is not a regular file (/dev/stdout, a named pipe, a terminal) is written
 * to directly: renaming over it would replace the device or pipe with a file.
 */
import { closeSync, fsync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

let counter = 0;

/** The target exists and is not a regular file (a device, a pipe): written in place, not through a temporary file. */
function isSpecial(path: string): boolean {
  const st = statSync(path, { throwIfNoEntry: false });
  return st !== undefined && !st.isFile() && !st.isDirectory();
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  if (isSpecial(path)) {
    const fd = openSync(path, 'w');
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    } finally {
      closeSync(fd);
    }
    return;
  }
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  let fd = -1;
  try {
    fd = openSync(tmp, 'w');
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, path);
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/**
 * A file written atomically in pieces: `write` each piece, `flushInBackground` to start writing what is
 * there to disk (fsync on a worker thread of libuv) while the next piece is prepared, then `commit`
 * (the last fsync, rename over the target) or `abort`. The disk write of a large output then overlaps the
 * work that produces it instead of following it.
 */
export class AtomicFileWriter {
  private readonly tmp: string;
  private fd: number;
  private readonly flushes: Promise<void>[] = [];
  /** the target is a device or a pipe: written in place (no fsync, no rename) */
  private readonly direct: boolean;

  constructor(private readonly path: string) {
    this.direct = isSpecial(path);
    if (this.direct) {
      this.tmp = path;
      this.fd = openSync(path, 'w');
      return;
    }
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true });
    this.tmp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
    this.fd = openSync(this.tmp, 'w');
  }

  write(data: Uint8Array): void {
    let off = 0;
    while (off < data.length) off += writeSync(this.fd, data, off, data.length - off);
  }

  flushInBackground(): void {
    if (this.direct) return;
    const fd = this.fd;
    this.flushes.push(new Promise((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve()))));
  }

  async commit(): Promise<void> {
    if (this.direct) {
      closeSync(this.fd);
      this.fd = -1;
      return;
    }
    await Promise.all(this.flushes);
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, this.path);
  }

  /** Removes the temporary file (after any background flush has ended); the target is untouched. */
  async abort(): Promise<void> {
    await Promise.allSettled(this.flushes);
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (!this.direct) rmSync(this.tmp, { force: true });
  }
}
