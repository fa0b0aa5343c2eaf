/**
 * The toolkit version recorded in every output file: the `version` of the package's own package.json,
 * read at load time. The path is taken relative to this module, which sits one folder below the package
 * root both as source (src/version.ts, run through tsx) and compiled (dist/version.js, run by
 * `bin/jartcal.js`), so the same line works from either and from any current directory.
 */
import { createRequire } from 'node:module';

const requirePackage = createRequire(import.meta.url);
const pkg = requirePackage('../package.json') as { version?: unknown };
if (typeof pkg.version !== 'string' || pkg.version === '') {
  throw new Error('jartcal: package.json has no "version" string');
}

export const TOOLKIT_VERSION: string = pkg.version;
