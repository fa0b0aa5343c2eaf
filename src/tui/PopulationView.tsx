/**
 * Population pane: the population's parameters (family, d2d and c2c spreads) and, for the selected
 * one, the histogram of the fitted per-cycle values with the population's marginal law as expected counts.
 */
import { Box, Text } from 'ink';
import { histChart, COLORS } from './charts.js';
import { Lines } from './Lines.js';
import { displayScale, fmtNum, fmtParam, type ParamBounds } from './format.js';
import { expectedCounts, histogram, isLogFamily, populationRange } from '../inspect/distribution.js';
import type { FitsFileView, PopulationView as Pop } from '../inspect/schema.js';

export interface PopulationViewProps {
  population: Pop | null;
  fits: FitsFileView;
  names: string[];
  cursor: number;
  bounds: Map<string, ParamBounds>;
  width: number;
  height: number;
  focused: boolean;
}

export function PopulationView(p: PopulationViewProps) {
  if (!p.population) {
    return (
      <Box flexDirection="column" width={p.width} height={p.height} borderStyle="single" borderColor={p.focused ? 'green' : 'gray'}>
        <Text bold>Population</Text>
        <Text color="yellow">no population file: run `jartcal population fits.json --out population.json`, or pass --population</Text>
      </Box>
    );
  }
  const pop = p.population;
  const name = p.names[p.cursor];
  const par = name ? pop.parameters[name] : undefined;
  const values = name ? p.fits.cycles.map((c) => c.params[name]).filter((x) => typeof x === 'number') : [];
  const nameW = Math.max(5, ...p.names.map((n) => n.length));
  const unitW = Math.max(2, ...p.names.map((n) => displayScale(n).unit.length));
  const listRows = Math.min(p.names.length, Math.max(3, Math.floor(p.height * 0.35)));
  const start = Math.max(0, Math.min(p.cursor - Math.floor(listRows / 2), p.names.length - listRows));
  let chart = null;
  if (par) {
    const log = isLogFamily(par);
    const h = histogram(values, Math.max(6, Math.min(30, Math.floor((p.width - 10) / 3))), log, populationRange(par));
    const exp = expectedCounts(h, par);
    const xf = (u: number): string => fmtParam(log ? Math.exp(u) : u, name!, 3);
    chart = (
      <Lines
        lines={histChart({
          cols: p.width - 2,
          rows: Math.max(5, p.height - listRows - 7),
          lo: h.lo,
          hi: h.hi,
          counts: h.counts,
          expected: exp,
          xfmt: xf,
        })}
      />
    );
  }
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle="single" borderColor={p.focused ? 'green' : 'gray'}>
      <Text bold wrap="truncate">
        Population · {p.names.length} parameters · seed {pop.seed}
      </Text>
      {p.names.slice(start, start + listRows).map((n, k) => {
        const q = pop.parameters[n];
        const unit = displayScale(n).unit;
        // Absolute spreads are in the parameter's unit: shown in the same display unit as the center.
        const sp = (x: number, kind: string): string =>
          `${kind === 'absolute' ? fmtParam(x, n, 3) : fmtNum(x, 3)} ${kind === 'absolute' ? unit || 'abs' : kind}`;
        const sel = start + k === p.cursor;
        const txt = `${sel ? '›' : ' '}${n.padEnd(nameW)} ${q.family.padEnd(14)} center ${fmtParam(q.d2d.center, n).padStart(8)} ${unit.padEnd(unitW)} d2d ${sp(q.d2d.spread, q.d2d.spreadKind)}  c2c ${sp(q.c2c.spread, q.c2c.spreadKind)}`;
        return (
          <Text key={n} wrap="truncate" inverse={p.focused && sel} bold={sel}>
            {txt}
          </Text>
        );
      })}
      {par ? (
        <>
          <Text wrap="truncate" bold>
            {name}
            {displayScale(name!).unit ? ` (${displayScale(name!).unit})` : ''} fitted values over {values.length} cycles
            {isLogFamily(par) ? ' (log axis)' : ''}
          </Text>
          <Text wrap="truncate">
            <Text color={COLORS.bar}>█ histogram</Text> <Text color={COLORS.pdf}>─ population (d2d ⊕ c2c)</Text>
          </Text>
          {chart}
        </>
      ) : null}
    </Box>
  );
}
