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

/** What went wrong, for code that reacts to an error (tests, the queue's retry rule); the message is for people. */
export type ErrorCode =
  | 'bad_arguments'
  | 'bad_checkpoint'
  | 'bad_config'
  | 'bad_crossbar_results'
  | 'bad_dataset'
  | 'bad_fits'
  | 'bad_job'
  | 'bad_json'
  | 'bad_param_value'
  | 'bad_params'
  | 'bad_plot_path'
  | 'bad_population'
  | 'bad_profile'
  | 'bad_row'
  | 'bad_sheet'
  | 'bad_time'
  | 'bad_unit'
  | 'bad_waveform'
  | 'bad_workbook'
  | 'binary_file'
  | 'device_id_clash'
  | 'empty_file'
  | 'half_cycles'
  | 'invalid_input'
  | 'missing_columns'
  | 'missing_current_column'
  | 'no_cycles'
  | 'no_sheet'
  | 'not_a_sweep'
  | 'not_found'
  | 'outside_validity'
  | 'param_out_of_range'
  | 'polarity_conflict'
  | 'polarity_unknown'
  | 'queue_failed'
  | 'queue_unreachable'
  | 'resume_mismatch'
  | 'time_order'
  | 'too_few_points'
  | 'unknown_param'
  | 'unknown_preset'
  | 'unreadable'
  | 'wrong_format';

export class JartcalError extends Error {
  readonly location: ErrorLocation;
  readonly exitCode: number;
  readonly code: ErrorCode;

  constructor(message: string, opts: { code?: ErrorCode; location?: ErrorLocation; exitCode?: number } = {}) {
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
