/** `jartcal` from the sources (for the tmux test): node --import tsx test/tui/cli-entry.ts inspect fits.json */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
