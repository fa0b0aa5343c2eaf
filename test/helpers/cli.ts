/**
 * Runs `jartcal ARGS` in this process and returns its exit code and everything it wrote to stderr
 * (stdout belongs to the test reporter: commands that print there are run in a child process instead).
 */
import { main } from '../../src/cli/main.js';

export async function runCli(args: string[]): Promise<{ code: number; err: string }> {
  const orig = process.stderr.write.bind(process.stderr);
  let err = '';
  process.stderr.write = ((s: string) => {
    err += s;
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(args), err };
  } finally {
    process.stderr.write = orig;
  }
}
