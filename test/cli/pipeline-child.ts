/** Runs the pipeline with the options in argv[2] (JSON) and prints its result as the last stdout line (used by pipeline.test.ts). */
import { runPipeline, type PipelineOptions } from '../../src/cli/pipeline.js';

const r = await runPipeline(JSON.parse(process.argv[2]) as PipelineOptions);
process.stdout.write('\n' + JSON.stringify(r) + '\n');
