/** `jartcal ingest FILES... --out dataset.json`: instrument exports → one normalised dataset. */
import type { Command } from './command.js';
import { numberFlag, parseCommandArgs } from './command.js';
import { JartcalError } from '../util/errors.js';
import { ingestFiles } from '../io/ingest.js';
import { writeDataset } from '../io/dataset.js';
import { FORMAT_NAMES, formatSummaryTable, summarizeDataset, type Dataset, type IngestOptions } from '../ingest/index.js';

const HELP = `jartcal ingest FILES... --out dataset.json [options]

Reads measured I-V sweeps (Keithley 4200 KITE/Clarius CSV or xlsx/xls, Keysight B1500 EasyEXPERT CSV,
generic CSV/TSV/whitespace .dat with a header row, Excel workbooks) and writes one normalised dataset
(schema jartcal.dataset/2, docs/formats.md). Directories are read recursively. The format is found from
the content; voltage, current, time, cycle and device columns from their headers and units. A test
sequence (leakage check, forming, first RESET, endurance SET/RESET in separate files) is paired into
cycles in acquisition order; the other steps are reported and kept as device metadata.

Options:
  --out PATH             dataset file to write (atomically). Required unless --dry-run.
  --format F             auto|${FORMAT_NAMES.join('|')} (default auto)
  --set-polarity P       positive|negative: the applied-voltage sign that SETs the device
                         (default: as the file states it, else detected from the data; stored
                         data use SET at negative V)
  --read-voltage V       |V| at which HRS and LRS are read (default 0.1)
  --sweep-rate R         V/s, to rebuild time when a file has none (default: the rate the file states;
                         recorded as timeSource "sweep-rate" with sweepRateSource)
  --time-from S          auto|file|sweep-rate (sweep-rate ignores a time column)
  --compliance A         compliance current in A for every cycle (overrides metadata and detection)
  --sheet NAME|INDEX     read only this workbook sheet (0-based index)
  --v-col, --i-col, --t-col, --cycle-col, --device-col NAME|N
                         choose columns by header text or 1-based position
  --v-unit U, --i-unit U, --t-unit U
                         units of those columns (V/mV; A/mA/uA/nA; s/ms), overriding the headers
  --device ID            put everything into one device with this id
  --device-from S        auto|file|dir: device id from the file name (default) or its folder
  --blocks K             auto|devices|cycles: what side-by-side column blocks stand for
  --decimal-comma        read "1,5" as 1.5 (detected automatically for ; or TAB separated files)
  --lenient              drop malformed rows, damaged sheets and out-of-order runs instead of refusing
                         the file; every one is reported
  --json                 print {"devices","cycles","perDevice":[...]} on stdout instead of the table
  --dry-run              read and report, write nothing
`;

export function ingestOptionsFromFlags(v: Record<string, string | boolean | undefined>): IngestOptions {
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const o: IngestOptions = {};
  if (s('format')) o.format = s('format') as IngestOptions['format'];
  if (s('set-polarity')) o.setPolarity = s('set-polarity') as IngestOptions['setPolarity'];
  if (s('read-voltage') !== undefined) o.readVoltageV = numberFlag('ingest', 'read-voltage', s('read-voltage'));
  if (s('sweep-rate') !== undefined) o.sweepRateVps = numberFlag('ingest', 'sweep-rate', s('sweep-rate'));
  if (s('time-from')) o.timeFrom = s('time-from') as IngestOptions['timeFrom'];
  if (s('compliance') !== undefined) o.complianceA = numberFlag('ingest', 'compliance', s('compliance'));
  if (s('sheet') !== undefined) o.sheet = s('sheet');
  if (s('v-col')) o.vColumn = s('v-col');
  if (s('i-col')) o.iColumn = s('i-col');
  if (s('t-col')) o.tColumn = s('t-col');
  if (s('cycle-col')) o.cycleColumn = s('cycle-col');
  if (s('device-col')) o.deviceColumn = s('device-col');
  if (s('v-unit')) o.vUnit = s('v-unit');
  if (s('i-unit')) o.iUnit = s('i-unit');
  if (s('t-unit')) o.tUnit = s('t-unit');
  if (s('device')) o.device = s('device');
  if (s('device-from')) o.deviceFrom = s('device-from') as IngestOptions['deviceFrom'];
  if (s('blocks')) o.blocks = s('blocks') as IngestOptions['blocks'];
  if (v['decimal-comma'] === true) o.decimalComma = true;
  if (v['lenient'] === true) o.lenient = true;
  return o;
}

/** The flags `jartcal ingest` understands (also accepted by `jartcal fit FILES...`). */
export const INGEST_FLAGS = {
  format: { type: 'string' },
  'set-polarity': { type: 'string' },
  'read-voltage': { type: 'string' },
  'sweep-rate': { type: 'string' },
  'time-from': { type: 'string' },
  compliance: { type: 'string' },
  sheet: { type: 'string' },
  'v-col': { type: 'string' },
  'i-col': { type: 'string' },
  't-col': { type: 'string' },
  'cycle-col': { type: 'string' },
  'device-col': { type: 'string' },
  'v-unit': { type: 'string' },
  'i-unit': { type: 'string' },
  't-unit': { type: 'string' },
  device: { type: 'string' },
  'device-from': { type: 'string' },
  blocks: { type: 'string' },
  'decimal-comma': { type: 'boolean' },
  lenient: { type: 'boolean' },
} as const;

export interface IngestStageOptions {
  files: string[];
  /** dataset file to write; none with dryRun */
  out?: string;
  ingest: IngestOptions;
  /** print the JSON summary instead of the table */
  json?: boolean;
  dryRun?: boolean;
}

/** The ingest stage: reads the files, reports dropped rows and notes, writes the dataset, prints its summary. */
export function ingestStage(o: IngestStageOptions): Dataset {
  if (o.files.length === 0)
    throw new JartcalError('ingest: give at least one measurement file. See `jartcal ingest --help`.', { code: 'bad_arguments' });
  if (!o.out && !o.dryRun) throw new JartcalError('ingest: --out dataset.json is required (or --dry-run).', { code: 'bad_arguments' });
  const ds = ingestFiles(o.files, o.ingest);
  for (const is of ds.issues) {
    if (is.code === 'dropped_row') {
      const l = is.location;
      process.stderr.write(
        `jartcal: dropped row: ${l?.file ?? ''}${l?.sheet ? `, sheet "${l.sheet}"` : ''}${l?.cell ? `, cell ${l.cell}` : ''}${l?.line !== undefined ? `, line ${l.line}` : ''}: ${is.message}\n`,
      );
    } else {
      // a note names its file (and sheet) unless its message already does
      const l = is.location;
      const where = l?.file && !is.message.includes(l.file) ? `${l.file}${l.sheet ? `, sheet "${l.sheet}"` : ''}: ` : '';
      process.stderr.write(`jartcal: note: ${where}${is.message}\n`);
    }
  }
  const write = o.out !== undefined && !o.dryRun;
  if (write) writeDataset(o.out!, ds);
  if (o.json) process.stdout.write(JSON.stringify(summarizeDataset(ds)) + '\n');
  else {
    process.stdout.write(formatSummaryTable(ds));
    if (write) process.stdout.write(`wrote ${o.out}\n`);
  }
  return ds;
}

export const command: Command = {
  name: 'ingest',
  summary: 'read instrument exports (K4200, B1500, CSV/TSV/DAT, xlsx/xls) into a normalised dataset',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('ingest', argv, {
      ...INGEST_FLAGS,
      out: { type: 'string' },
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    });
    ingestStage({
      files: positionals,
      out: values.out,
      ingest: ingestOptionsFromFlags(values),
      json: values.json,
      dryRun: values['dry-run'],
    });
    return 0;
  },
};
