/**
 * Writers of synthetic measurements in instrument formats, with the quirks real exports have:
 * Keithley 4200 KITE/Clarius CSV (settings block, AI/AV/Time columns, one run per file),
 * Keysight B1500 EasyEXPERT CSV (TestParameter/MetaData rows, one run per cycle in one file), and a
 * generic CSV (unit-scaled header, cycle column, comment lines). Pure: they return the file text.
 */
export interface SynthCycle {
  tS: ArrayLike<number>;
  vV: ArrayLike<number>;
  iA: ArrayLike<number>;
}

export interface WriterInfo {
  device: string;
  /** The compliance set on the SMU, A (null: none). */
  complianceA: number | null;
  /** First cycle number written (default 1). */
  firstCycle?: number;
  /** Recorded time of day of the first sweep (ISO), only used in metadata. */
  date?: string;
}

function num(x: number, digits = 6): string {
  if (x === 0) return '0';
  return Number(x.toPrecision(digits))
    .toExponential(digits - 1)
    .replace('e+', 'E+')
    .replace('e-', 'E-');
}

/** One K4200 KITE run (one cycle) as CSV: settings block, blank line, then Time,AI,AV. */
export function writeK4200Csv(c: SynthCycle, info: WriterInfo & { cycle: number; testName?: string }): string {
  let vmin = Infinity,
    vmax = -Infinity;
  for (let k = 0; k < c.vV.length; k++) {
    vmin = Math.min(vmin, c.vV[k]);
    vmax = Math.max(vmax, c.vV[k]);
  }
  const lines = [
    '==================================',
    `Cycle ${info.cycle},Latest Run`,
    '==================================',
    `Test Name,${info.testName ?? 'IV-Loop#1@1'}`,
    'Mode,Sweeping',
    'KTEI Version,V9.1',
    `Last Executed,${info.date ?? '01/01/2026 12:00:00'}`,
    `Device ID,${info.device}`,
    'Device Terminal,A,B',
    'Instrument,SMU1,SMU2',
    'Name,AV,BV',
    'Forcing Function,Voltage Sweep,Common',
    `Start/Level,0,N/A`,
    `Stop,${num(vmin, 4)} / ${num(vmax, 4)},N/A`,
    `Number of Points,${c.vV.length},N/A`,
    `Compliance,${info.complianceA ?? 0.105},0.105`,
    'Measure I,Measured,N/A',
    'Measure V,Programmed,N/A',
    '',
    'Time,AI,AV',
  ];
  for (let k = 0; k < c.vV.length; k++) lines.push(`${num(c.tS[k], 7)},${num(c.iA[k])},${num(c.vV[k], 5)}`);
  return lines.join('\r\n') + '\r\n';
}

/** Several cycles of one device as one B1500 EasyEXPERT CSV, one run (SetupTitle block) per cycle. */
export function writeB1500Csv(cycles: SynthCycle[], info: WriterInfo): string {
  const out: string[] = [];
  const first = info.firstCycle ?? 1;
  cycles.forEach((c, k) => {
    out.push('SetupTitle, I/V Sweep Dual');
    out.push('PrimitiveTest, I/V Sweep');
    out.push('TestParameter, Channel.UnitType, SMU, SMU');
    out.push('TestParameter, Channel.Unit, SMU1:HR, SMU2:HR');
    out.push('TestParameter, Channel.IName, Itop, Ibot');
    out.push('TestParameter, Channel.VName, Vtop, Vbot');
    out.push('TestParameter, Channel.Mode, V, COMMON');
    out.push('TestParameter, Channel.Func, VAR1, CONST');
    out.push('TestParameter, Measurement.Primary.Locus, Double');
    out.push('TestParameter, Measurement.Primary.Compliance, ' + (info.complianceA ?? 0.1));
    out.push(`MetaData, TestRecord.DeviceID, ${info.device}`);
    out.push(`MetaData, TestRecord.Count, ${first + k}`);
    out.push(`MetaData, TestRecord.RecordTime, ${info.date ?? '2026-01-01 12:00:00'}`);
    out.push(`Dimension1, ${c.vV.length}`);
    out.push('Dimension2, 1');
    out.push('DataName, Vtop, Itop, @TIME');
    for (let j = 0; j < c.vV.length; j++) out.push(`DataValue, ${num(c.vV[j], 5)}, ${num(c.iA[j])}, ${num(c.tS[j], 7)}`);
  });
  return out.join('\n') + '\n';
}

/** Generic CSV: comment lines with metadata, a unit-scaled current column, a cycle column. */
export function writeGenericCsv(cycles: SynthCycle[], info: WriterInfo & { currentUnit?: 'A' | 'mA' | 'uA' }): string {
  const unit = info.currentUnit ?? 'A';
  const scale = unit === 'mA' ? 1e3 : unit === 'uA' ? 1e6 : 1;
  const out = [
    `# device: ${info.device}`,
    `# compliance: ${info.complianceA ?? 'none'}${info.complianceA ? ' A' : ''}`,
    `device,cycle,Time (s),Voltage (V),Current (${unit})`,
  ];
  const first = info.firstCycle ?? 1;
  cycles.forEach((c, k) => {
    for (let j = 0; j < c.vV.length; j++)
      out.push(`${info.device},${first + k},${num(c.tS[j], 7)},${num(c.vV[j], 5)},${num(c.iA[j] * scale)}`);
  });
  return out.join('\n') + '\n';
}
