/** CLI entry: `jartcal <command> [options]`. Errors print as one clear message, never a stack trace. */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { COMMANDS, SUMMARIES } from './commands.js';
import { didYouMean } from '../util/suggest.js';
import { isJartcalError } from '../util/errors.js';
import { TOOLKIT_VERSION } from '../version.js';

const TOP_HELP_HEAD = `jartcal ${TOOLKIT_VERSION}: calibrate the JART VCM v1b ReRAM model to measured I-V data,
build device populations, and simulate crossbar networks with them.

Usage: jartcal <command> [options]    (jartcal <command> --help for its options)

Commands:`;

/** The top-level help, from the static summaries (no command module is loaded). */
export function topHelp(): string {
  const lines = [TOP_HELP_HEAD];
  for (const name of Object.keys(COMMANDS)) lines.push(`  ${name.padEnd(12)} ${SUMMARIES[name]}`);
  return lines.join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(topHelp());
      return name === undefined ? 1 : 0;
    }
    if (name === '--version' || name === '-v') {
      process.stdout.write(`${TOOLKIT_VERSION}\n`);
      return 0;
    }
    const load = COMMANDS[name];
    if (!load) {
      process.stderr.write(
        `jartcal: unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS))}. Commands: ${Object.keys(COMMANDS).join(', ')}.\n`,
      );
      return 2;
    }
    const { command } = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(command.help.endsWith('\n') ? command.help : command.help + '\n');
      return 0;
    }
    return await command.run(rest);
  } catch (e) {
    if (isJartcalError(e)) {
      process.stderr.write(`jartcal: ${e.message}\n`);
      return e.exitCode;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`jartcal: internal error: ${msg}\n(set JARTCAL_DEBUG=1 for the stack trace)\n`);
    if (process.env.JARTCAL_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return 70;
  }
}

// Run directly (`node --import tsx src/cli/main.ts ARGS`, or `node dist/cli/main.js ARGS`): the same as bin/jartcal.js.
// Imported as a module (bin/, tests, the library), nothing runs.
function runDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}
if (runDirectly()) process.exitCode = await main(process.argv.slice(2));
