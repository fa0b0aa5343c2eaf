/** Writes docs/formats.md from the file schemas (src/schema). `npm run docs:formats`; test/house/formats-doc.test.ts checks it is current. */
import { join } from 'node:path';
import { formatsMarkdown } from '../src/schema/docs.js';
import { writeFileAtomic } from '../src/io/atomic.js';

const out = join(import.meta.dirname, '..', 'docs', 'formats.md');
writeFileAtomic(out, formatsMarkdown());
process.stdout.write(`wrote ${out}\n`);
