/** The device/cycle list: RMS of log10|I|, convergence and flags; the selected row highlighted. */
import { Box, Text } from 'ink';
import { flagShort, fmtRms, type CycleRow, type SortKey } from '../inspect/quality.js';

export interface CycleListProps {
  rows: CycleRow[];
  selected: number;
  height: number;
  width: number;
  focused: boolean;
  sort: SortKey;
  badOnly: boolean;
  search: string;
  searching: boolean;
  total: number;
}

export function CycleList(p: CycleListProps) {
  const visible = Math.max(1, p.height - 3);
  const cur = Math.max(
    0,
    p.rows.findIndex((r) => r.index === p.selected),
  );
  const start = Math.max(0, Math.min(cur - Math.floor(visible / 2), p.rows.length - visible));
  const shown = p.rows.slice(start, start + visible);
  const labelW = Math.min(16, Math.max(5, ...p.rows.map((r) => `${r.device}#${r.cycle}`.length)));
  const filter = [p.badOnly ? 'bad only' : '', p.search ? `/${p.search}` : ''].filter(Boolean).join(' ');
  return (
    <Box
      flexDirection="column"
      width={p.width}
      height={p.height}
      borderStyle="single"
      borderColor={p.focused ? 'green' : 'gray'}
      paddingX={0}
    >
      <Text bold wrap="truncate">
        Cycles {p.rows.length}/{p.total} · {p.sort}
        {filter ? ` · ${filter}` : ''}
      </Text>
      {p.searching ? (
        <Text color="yellow" wrap="truncate">
          search: {p.search}█
        </Text>
      ) : null}
      {shown.length === 0 ? <Text dimColor>no cycle matches</Text> : null}
      {shown.map((r) => {
        const sel = r.index === p.selected;
        const flags = r.flags.map(flagShort).join(' ');
        const txt = `${sel ? '›' : ' '}${`${r.device}#${r.cycle}`.padEnd(labelW).slice(0, labelW)} ${fmtRms(r.rmsLog10).padStart(6)} ${r.converged ? ' ' : '✗'} ${flags}`;
        return (
          <Text key={r.index} wrap="truncate" inverse={sel && p.focused} color={r.bad ? 'red' : undefined} bold={sel}>
            {txt}
          </Text>
        );
      })}
    </Box>
  );
}
