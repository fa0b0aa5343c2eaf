/** Ingest options: defaults defined once here; the algorithm reads only the resolved object. */
import { JartcalError } from '../util/errors.js';
import type { IngestOptions, ResolvedIngestOptions } from './types.js';
import { declaredUnitScale } from './units.js';
import { FORMAT_NAMES } from './formats/index.js';

export { DEFAULT_READ_VOLTAGE_V } from '../model/constants.js';
import { DEFAULT_READ_VOLTAGE_V } from '../model/constants.js';

function bad(msg: string): never {
  throw new JartcalError(`ingest: ${msg}`, { code: 'bad_arguments' });
}

export function resolveIngestOptions(o: IngestOptions = {}): ResolvedIngestOptions {
  const format = o.format ?? 'auto';
  if (format !== 'auto' && !FORMAT_NAMES.includes(format)) bad(`--format expects auto|${FORMAT_NAMES.join('|')}, got "${format}".`);
  const setPolarity = o.setPolarity ?? 'auto';
  if (!['auto', 'positive', 'negative'].includes(setPolarity)) bad(`--set-polarity expects positive|negative|auto, got "${setPolarity}".`);
  const readVoltageV = o.readVoltageV ?? DEFAULT_READ_VOLTAGE_V;
  if (!Number.isFinite(readVoltageV) || readVoltageV <= 0 || readVoltageV > 10)
    bad(`--read-voltage expects a magnitude in (0, 10] V, got ${readVoltageV}.`);
  const rate = o.sweepRateVps ?? null;
  if (rate !== null && (!Number.isFinite(rate) || rate <= 0)) bad(`--sweep-rate expects a positive number of V/s, got ${rate}.`);
  const timeFrom = o.timeFrom ?? 'auto';
  if (!['auto', 'file', 'sweep-rate'].includes(timeFrom)) bad(`--time-from expects auto|file|sweep-rate, got "${timeFrom}".`);
  if (timeFrom === 'sweep-rate' && rate === null) bad('--time-from sweep-rate needs --sweep-rate.');
  for (const [flag, u, kind] of [
    ['--v-unit', o.vUnit, 'V'],
    ['--i-unit', o.iUnit, 'A'],
    ['--t-unit', o.tUnit, 's'],
  ] as const) {
    if (u !== undefined && declaredUnitScale(u, kind) === null)
      bad(`${flag} expects a ${kind} unit (e.g. ${kind === 'A' ? 'A, mA, uA, nA' : kind === 'V' ? 'V, mV' : 's, ms, us'}), got "${u}".`);
  }
  const compliance = o.complianceA ?? null;
  if (compliance !== null && (!Number.isFinite(compliance) || compliance <= 0))
    bad(`--compliance expects a positive current in A, got ${compliance}.`);
  const deviceFrom = o.deviceFrom ?? 'auto';
  if (!['auto', 'file', 'dir'].includes(deviceFrom)) bad(`--device-from expects auto|file|dir, got "${deviceFrom}".`);
  const blocks = o.blocks ?? 'auto';
  if (!['auto', 'devices', 'cycles'].includes(blocks)) bad(`--blocks expects auto|devices|cycles, got "${blocks}".`);
  return {
    format,
    setPolarity,
    readVoltageV,
    sweepRateVps: rate,
    timeFrom,
    lenient: o.lenient ?? false,
    sheet: o.sheet ?? null,
    columns: {
      v: o.vColumn ?? null,
      i: o.iColumn ?? null,
      t: o.tColumn ?? null,
      cycle: o.cycleColumn ?? null,
      device: o.deviceColumn ?? null,
    },
    units: { v: o.vUnit ?? null, i: o.iUnit ?? null, t: o.tUnit ?? null },
    device: o.device ?? null,
    deviceFrom,
    blocks,
    complianceA: compliance,
    decimalComma: o.decimalComma ?? 'auto',
  };
}
