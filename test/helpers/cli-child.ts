/**
 * Runs `jartcal ARGS` in a child process (stdout is a pipe, so never a TTY) from the repository root, and returns its
 * exit code, stdout and stderr. For commands that print on stdout, which belongs to the test reporter in-process.
 */
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './shared.js';

export function runCliChild(args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
  const p = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(${JSON.stringify(args)}); })`,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 },
  );
  return { code: p.status ?? -1, out: p.stdout, err: p.stderr };
}
