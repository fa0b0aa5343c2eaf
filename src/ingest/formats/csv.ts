/** Registered reader: any text table with a header row naming voltage and current (CSV, TSV, `;`, whitespace .dat). Matches every text file: it is tried last. */
import { gridToTraces } from '../table.js';
import type { FormatReader } from './reader.js';

export const reader: FormatReader = {
  name: 'csv',
  summary: 'generic text table (CSV/TSV/`;`/whitespace .dat) with a header row naming voltage and current, units in the headers',
  reads: ['text'],
  generic: true,
  detect: () => true,
  read(src, { opts, issues }) {
    const grid = src.grid();
    return gridToTraces(grid, { opts, issues, decimalComma: opts.decimalComma === 'auto' ? grid.decimalCommaSeen : opts.decimalComma });
  },
};
