// Runs the CLI in-process-free fashion for tests: `node --import tsx test/ingest/run-cli.ts ingest ...`.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
