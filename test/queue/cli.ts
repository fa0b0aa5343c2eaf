/** Runs the CLI from the TypeScript sources (the queue tests start `jartcal worker` processes with it). */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
