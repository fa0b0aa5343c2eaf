/**
 * The contract of an ingest format reader. A reader is one file in this folder that exports one
 * `FormatReader` (its name, what it reads, how it recognises a file, how it turns it into traces);
 * `formats/index.ts` finds the readers (every module of the folder exporting `reader`). Nothing else in the stage names a format.
 */
import type { IngestIssue, ResolvedIngestOptions, Trace } from '../types.js';
import type { WorkbookGrids } from './workbook-grid.js';
import type { TextGrid } from '../textgrid.js';

/** One input file as handed to the readers: decoded lazily (text or workbook), never re-read. */
export interface SourceFile {
  file: string;
  kind: 'text' | 'xlsx' | 'xls';
  /** The decoded text (text files only). */
  text(): string;
  /** The text split into cells (text files only). */
  grid(): TextGrid;
  /** The sheets as grids (workbooks only). */
  workbook(): WorkbookGrids;
}

export interface ReadContext {
  opts: ResolvedIngestOptions;
  issues: IngestIssue[];
}

export interface FormatReader {
  /** The value of `--format` that forces this reader. */
  name: string;
  /** One line for `--help` and docs/ingest.md. */
  summary: string;
  /** Which inputs it can read. */
  reads: ('text' | 'workbook')[];
  /** Accepts any file of its kind (a generic table reader): tried after every specific reader. */
  generic?: boolean;
  /** True when the content is this format (cheap: a look at the head of the text or at the sheet names). */
  detect(src: SourceFile): boolean;
  /** Content → traces with hints; throws JartcalError naming file, line/cell and what was expected. */
  read(src: SourceFile, ctx: ReadContext): Trace[];
}
