/** Interrupting a child process mid-run, the way a crash or a kill would (resume tests). */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * SIGKILLs `child` once the checkpoint file `path` holds at least `lines` lines (polled every 20 ms), or
 * resolves when the child ends first; then waits 100 ms for the kill to settle.
 */
export async function killAtCheckpointLines(child: ChildProcess, path: string, lines: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      const n = existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0;
      if (n >= lines) {
        child.kill('SIGKILL');
        clearInterval(poll);
        resolve();
      }
    }, 20);
    child.on('exit', () => {
      clearInterval(poll);
      resolve();
    });
  });
  await new Promise((r) => setTimeout(r, 100));
}
