/**
 * User-facing errors. Public entry points validate their input once and throw a JartcalError
 * naming what was wrong and where (file, line, column or sheet/cell) and what was expected.
 * The CLI prints `error.message` (never a stack trace) and exits with `error.exitCode`.
 * Hot kernels never throw: they return NaN or a status code.
 */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number | string;
  sheet?: string;
  cell?: string;
}

export class JartcalError extends Error {
  readonly location: ErrorLocation;
  readonly exitCode: number;
  readonly code: string;

  constructor(message: string, opts: { code?: string; location?: ErrorLocation; exitCode?: number } = {}) {
    super(formatLocated(message, opts.location));
    this.name = 'JartcalError';
    this.code = opts.code ?? 'invalid_input';
    this.location = opts.location ?? {};
    this.exitCode = opts.exitCode ?? 2;
  }
}

/** "file.csv, line 12, column 3: message" — the location part is omitted when unknown. */
function formatLocated(message: string, loc?: ErrorLocation): string {
  if (!loc) return message;
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.sheet) parts.push(`sheet "${loc.sheet}"`);
  if (loc.cell) parts.push(`cell ${loc.cell}`);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.column !== undefined) parts.push(`column ${loc.column}`);
  return parts.length ? `${parts.join(', ')}: ${message}` : message;
}

export function isJartcalError(e: unknown): e is JartcalError {
  return e instanceof JartcalError;
}
