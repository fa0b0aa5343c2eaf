// The toolkit version comes from package.json, from the sources (tsx), from the compiled dist/ and
// through the `jartcal` bin, whatever the current directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import ts from 'typescript';
import { REPO_ROOT } from '../helpers/shared.js';
import { TOOLKIT_VERSION } from '../../src/version.js';
import { TOOLKIT_VERSION as LIBRARY_VERSION } from '../../src/index.js';

const packageVersion = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('TOOLKIT_VERSION (source and library entry) equals package.json\'s version', () => {
  assert.match(packageVersion, /^\d+\.\d+\.\d+/);
  assert.equal(TOOLKIT_VERSION, packageVersion);
  assert.equal(LIBRARY_VERSION, packageVersion);
});

test('src/version.ts compiled into a dist/ folder reads the package.json one level up, not a copy', async () => {
  // The same source, transpiled as the build does, placed as PKG/dist/version.js beside a package.json
  // with another version: the compiled module must report that one.
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-version-'));
  try {
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'probe', version: '9.8.7-probe', type: 'module' }));
    const src = readFileSync(join(REPO_ROOT, 'src', 'version.ts'), 'utf8');
    const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(dir, 'dist', 'version.js'), js);
    const mod = (await import(pathToFileURL(join(dir, 'dist', 'version.js')).href)) as { TOOLKIT_VERSION: string };
    assert.equal(mod.TOOLKIT_VERSION, '9.8.7-probe');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`jartcal --version` through bin/jartcal.js prints package.json\'s version from another directory', (t) => {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'))) {
    t.skip('dist/ not built (npm ci builds it)');
    return;
  }
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'jartcal.js'), '--version'], { cwd: tmpdir(), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), packageVersion);
});
