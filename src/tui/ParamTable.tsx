/** Parameter table: value, standard error, bounds, free/fixed state; old → new after a refit. */
import { Box, Text } from 'ink';
import { atBound, displayScale, fmtNum, fmtParam, type ParamBounds } from './format.js';
import type { CycleFitView } from '../inspect/schema.js';
import { fmtRms } from '../inspect/quality.js';

export interface ParamTableProps {
  fit: CycleFitView;
  names: string[];
  bounds: Map<string, ParamBounds>;
  free: string[];
  cursor: number;
  result?: CycleFitView | null;
  status?: string;
  width: number;
  height: number;
  focused: boolean;
  /** The device-level fit of this cycle's device (campaign mode): shown as "device", with its stderr. */
  device?: DeviceLevel | null;
}

export interface DeviceLevel {
  params: Record<string, number>;
  stderr: Record<string, number>;
  circuit?: Record<string, number>;
  circuitStderr?: Record<string, number>;
}

/**
 * The measurement circuit's external series resistance of this cycle's fit (`circuit.seriesOhm`, not a
 * JART parameter): value, standard error (the cycle's, else its device's) and whether it was fitted.
 */
function circuitLine(
  fit: CycleFitView,
  device?: DeviceLevel | null,
  col: { nameW: number; unitW: number } = { nameW: 11, unitW: 1 },
): string | null {
  const c = fit.circuit as { seriesOhm?: number } | undefined;
  const r = c?.seriesOhm;
  if (typeof r !== 'number') return null;
  const se = (fit.circuitStderr as { seriesOhm?: number } | undefined)?.seriesOhm ?? device?.circuitStderr?.seriesOhm;
  const fitted = se !== undefined || device?.circuit?.seriesOhm !== undefined;
  return ` ${'seriesOhm'.padEnd(col.nameW)} ${'Ω'.padEnd(col.unitW)}${fmtNum(r).padStart(9)}${(se !== undefined ? fmtNum(se, 2) : '').padStart(9)} ${'(circuit)'.padEnd(13)} ${fitted ? 'fitted' : 'fixed'}`;
}

/** The order of the table: the cycle's fitted parameters, then the device-level fitted ones (campaign fits), then the rest. */
export function paramOrder(fit: CycleFitView, table: readonly ParamBounds[], device?: DeviceLevel | null): string[] {
  const known = table.map((b) => b.name).filter((n) => n in fit.params);
  const rest = Object.keys(fit.params).filter((n) => !known.includes(n));
  const all = [...known, ...rest];
  const dev = all.filter((n) => !fit.fitted.includes(n) && device && n in device.params);
  return [...fit.fitted.filter((n) => all.includes(n)), ...dev, ...all.filter((n) => !fit.fitted.includes(n) && !dev.includes(n))];
}

/** Column widths of the table: full parameter names and display units (never cut), bounds only where they fit. */
function paramColumns(names: string[], width: number, refit: boolean): { nameW: number; unitW: number; bounds: boolean } {
  const nameW = Math.max(5, ...names.map((n) => n.length));
  const unitW = Math.max(4, ...names.map((n) => displayScale(n).unit.length));
  const fixed = 1 + nameW + 1 + unitW + (refit ? 10 + 10 + 9 : 9 + 9) + 1 + 12; // marker, name, unit, numbers, state
  return { nameW, unitW, bounds: !refit && fixed + 14 <= width - 2 };
}

export function ParamTable(p: ParamTableProps) {
  const r = p.result;
  const col = paramColumns(p.names, p.width, !!r);
  const circuit = circuitLine(p.fit, p.device, col);
  const visible = Math.max(1, p.height - 5 - (circuit ? 1 : 0));
  const start = Math.max(0, Math.min(p.cursor - Math.floor(visible / 2), p.names.length - visible));
  const head = r
    ? ` ${'param'.padEnd(col.nameW)} ${'unit'.padEnd(col.unitW)}${'old'.padStart(10)}${'new'.padStart(10)}${'±new'.padStart(9)} state`
    : ` ${'param'.padEnd(col.nameW)} ${'unit'.padEnd(col.unitW)}${'value'.padStart(9)}${'±stderr'.padStart(9)} ${col.bounds ? `${'bounds'.padEnd(13)} ` : ''}state`;
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle="single" borderColor={p.focused ? 'green' : 'gray'}>
      <Text bold wrap="truncate">
        Parameters {r ? `· refit RMS ${fmtRms(p.fit.rmsLog10)} → ${fmtRms(r.rmsLog10)} dec` : '(f fix/free · r refit)'}
      </Text>
      <Text dimColor wrap="truncate">
        {head}
      </Text>
      {p.names.slice(start, start + visible).map((name, k) => {
        const i = start + k;
        const b = p.bounds.get(name);
        const unit = displayScale(name).unit;
        const v = p.fit.params[name];
        const devLevel = !p.fit.fitted.includes(name) && !!p.device && name in p.device.params;
        const err = p.fit.stderr[name] ?? (devLevel ? p.device!.stderr[name] : undefined);
        const isFree = p.free.includes(name);
        // At a bound matters for fitted parameters (a default may sit on its bound on purpose).
        const flagged = p.fit.flags.find((f) => f.code === 'param_at_bound' && f.param === name)?.bound ?? null;
        const bound = flagged ?? (isFree || (r && r.fitted.includes(name)) ? atBound(r ? r.params[name] : v, b) : null);
        const changed = isFree !== p.fit.fitted.includes(name);
        const state = `${isFree ? 'free' : devLevel ? 'device' : 'fixed'}${changed ? '*' : ''}${bound ? ` @${bound}` : ''}`;
        const sel = i === p.cursor;
        // The cursor row carries a marker as well as the colour (readable without colour, and when the pane is not focused).
        const label = `${sel ? '›' : ' '}${name.padEnd(col.nameW)} ${unit.padEnd(col.unitW)}`;
        const line = r
          ? `${label}${fmtParam(v, name).padStart(10)}${fmtParam(r.params[name], name).padStart(10)}${(r.stderr[name] !== undefined ? fmtParam(r.stderr[name], name, 2) : '').padStart(9)} ${state}`
          : `${label}${fmtParam(v, name).padStart(9)}${(err !== undefined ? fmtParam(err, name, 2) : '').padStart(9)} ${col.bounds ? `${(b ? `[${fmtParam(b.min, name, 2)},${fmtParam(b.max, name, 2)}]` : '').padEnd(13)} ` : ''}${state}`;
        return (
          <Text key={name} wrap="truncate" inverse={p.focused && sel} bold={sel} color={bound ? 'red' : isFree ? 'green' : undefined}>
            {line}
          </Text>
        );
      })}
      {circuit ? (
        <Text wrap="truncate" color="cyan">
          {circuit}
        </Text>
      ) : null}
      {p.status ? (
        <Text wrap="truncate" color="yellow">
          {p.status}
        </Text>
      ) : null}
      {r ? (
        <Text wrap="truncate" color={r.rmsLog10 < p.fit.rmsLog10 ? 'green' : 'yellow'}>
          s save to fits.json · Esc/u discard
        </Text>
      ) : null}
    </Box>
  );
}
