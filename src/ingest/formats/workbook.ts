/** Registered reader: any Excel workbook (xlsx/xls): every sheet holding a voltage/current table. Matches every workbook: it is tried last. */
import { readDataSheets } from './workbook-grid.js';
import type { FormatReader } from './reader.js';

export const reader: FormatReader = {
  name: 'xlsx',
  summary: 'generic Excel workbook (xlsx/xls): every sheet with a voltage/current table (side-by-side blocks as devices or cycles)',
  reads: ['workbook'],
  generic: true,
  detect: () => true,
  read: (src, ctx) => readDataSheets(src, ctx),
};
