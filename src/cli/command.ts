/** The shape every CLI command module exports (one file per command under src/cli/). */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;
import { JartcalError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';

export interface Command {
  name: string;
  /** One line for `jartcal --help`. */
  summary: string;
  /** Full help text printed by `jartcal NAME --help`. */
  help: string;
  /** Runs the command; returns the process exit code. Throws JartcalError for bad input. */
  run(argv: string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * util.parseArgs with the project's error style: an unknown flag or a missing value becomes a
 * JartcalError naming the command and pointing at its --help.
 */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O): Parsed<O> {
  const known = Object.keys(options);
  for (const a of argv) {
    if (a === '--') break;
    const m = /^--([^=]+)/.exec(a);
    if (m && !known.includes(m[1])) {
      const hint = didYouMean(m[1], known, (s) => `--${s}`);
      throw new JartcalError(`${command}: unknown option --${m[1]}${hint}. See \`jartcal ${command} --help\`.`, { code: 'bad_arguments' });
    }
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/^TypeError \[[A-Z_]+\]: /, '') : String(e);
    throw new JartcalError(`${command}: ${msg}. See \`jartcal ${command} --help\`.`, { code: 'bad_arguments' });
  }
}

/** Parses a numeric flag value, refusing anything that is not a finite number. */
export function numberFlag(command: string, flag: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new JartcalError(`${command}: --${flag} is required.`, { code: 'bad_arguments' });
    return fallback;
  }
  const x = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(x)) {
    throw new JartcalError(`${command}: --${flag} expects a finite number, got "${value}".`, { code: 'bad_arguments' });
  }
  return x;
}
