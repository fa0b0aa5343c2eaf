/**
 * The ingest format registry: every reader, in detection order (the first whose `detect` accepts a file reads
 * it; the generic readers accept everything and come last). A new instrument = one file in this folder exporting
 * a `reader` (see reader.ts), one line here, a fixture and a test. `--format NAME` forces a reader by its name.
 */
import { reader as b1500 } from './b1500.js';
import { reader as k2450 } from './keithley2450.js';
import { reader as k4200 } from './k4200.js';
import { reader as csv } from './csv.js';
import { reader as workbook } from './workbook.js';
import type { FormatReader } from './reader.js';

export const READERS: readonly FormatReader[] = [b1500, k2450, k4200, csv, workbook];

export const FORMAT_NAMES: readonly string[] = READERS.map((r) => r.name);

export type { FormatReader, SourceFile, ReadContext } from './reader.js';
