/** The help overlay (`?`). */
import { Box, Text } from 'ink';

export const HELP_LINES: [string, string][] = [
  ['↑/↓  j/k', 'move in the focused pane (PgUp/PgDn, g/G: page, top, bottom)'],
  ['Tab / Shift-Tab', 'next / previous pane: cycles → parameters → population'],
  ['Enter', 'cycles: go to the parameter table · parameters: fix/free'],
  ['o', 'sort the cycles: worst RMS first → device → number of flags'],
  ['b', 'show bad fits only (flagged, not converged, or RMS > 0.15 dec)'],
  ['/', 'search devices, cycles (D3#2) or flag codes; Enter keeps, Esc clears'],
  ['f or Space', 'fix the selected parameter at its value, or free it'],
  ['r', 'refit the selected cycle with the free parameters'],
  ['s', 'save the refit into fits.json (atomic write)'],
  ['Esc or u', 'cancel a running refit (Esc) / discard its result / back to the cycle list'],
  ['?', 'this help'],
  ['q', 'quit'],
];

/** Keys and plot legend, in a bordered box with a filled background (drawn over the panes); long lines wrap, none is cut. */
export function HelpOverlay({ width }: { width: number }) {
  const keyW = 18;
  return (
    <Box flexDirection="column" borderStyle="double" borderColor="cyan" width={width} paddingX={1} backgroundColor="black">
      <Text bold color="cyan">
        jartcal inspect: keys
      </Text>
      {HELP_LINES.map(([k, d]) => (
        <Box key={k} flexDirection="row">
          <Box width={keyW} flexShrink={0}>
            <Text bold>{k}</Text>
          </Box>
          <Box flexGrow={1} flexShrink={1}>
            <Text wrap="wrap">{d}</Text>
          </Box>
        </Box>
      ))}
      <Text dimColor wrap="wrap">
        Plot: log10|I| against V. Red points are the SET branches, cyan the RESET branches, yellow the model with the fitted parameters, the
        magenta dotted line the current compliance. Residuals are log10|I_meas| − log10|I_model|.
      </Text>
      <Text dimColor wrap="wrap">
        Parameters are shown in one display unit each (lengths in nm, N in 1e26 m⁻³); files keep SI units.
      </Text>
      <Text dimColor>Press ? or Esc to close.</Text>
    </Box>
  );
}
