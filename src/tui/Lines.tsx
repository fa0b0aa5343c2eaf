/** Renders coloured chart lines (from charts.ts) as Ink Text rows. */
import { Box, Text } from 'ink';
import type { Line } from './canvas.js';

export function Lines({ lines }: { lines: Line[] }) {
  return (
    <Box flexDirection="column">
      {lines.map((segs, r) => (
        <Text key={r} wrap="truncate">
          {segs.map((s, i) => (
            <Text key={i} color={s.color} dimColor={s.dim}>
              {s.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
