import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { COMMANDS, SUMMARIES } from '../../src/cli/commands.js';
import { topHelp } from '../../src/cli/main.js';
import { closest } from '../../src/util/suggest.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { runCli } from '../helpers/cli.js';

const run = runCli;

test('every registered command loads, names itself, has the static summary of the registry, and is listed in the top-level help', async () => {
  const help = topHelp();
  assert.deepEqual(Object.keys(SUMMARIES), Object.keys(COMMANDS));
  for (const name of Object.keys(COMMANDS)) {
    const { command } = await COMMANDS[name]();
    assert.equal(command.name, name);
    assert.equal(command.summary, SUMMARIES[name], `${name}: the module's summary and the registry's differ`);
    assert.ok(command.summary.length > 10, name);
    assert.match(command.help, /Usage|usage|jartcal/, name);
    assert.match(help, new RegExp(`^  ${name} +${command.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  }
});

test('jartcal --help loads no command module', () => {
  // a fresh process whose module resolver reports every src/cli/ module loaded while the help is printed
  const graph = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { register } from 'node:module';
     register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(s, c, n) { const r = await n(s, c); if (r.url.includes('/src/cli/')) process.stderr.write('LOADED ' + r.url + '\\\\n'); return r; }\`));
     const { main } = await import(${JSON.stringify(join(REPO_ROOT, 'src', 'cli', 'main.ts'))});
     const w = process.stdout.write.bind(process.stdout); process.stdout.write = () => true; await main(['--help']); process.stdout.write = w;`,
    ],
    { encoding: 'utf8', cwd: REPO_ROOT },
  );
  assert.equal(graph.status, 0, graph.stderr);
  const loaded = graph.stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.replace(/^.*\/src\/cli\//, ''));
  assert.ok(loaded.includes('main.ts') && loaded.includes('commands.ts'), graph.stderr);
  for (const name of Object.keys(COMMANDS)) assert.ok(!loaded.includes(`${name}.ts`), `--help loaded ${name}.ts: ${loaded.join(', ')}`);
});

test('a mistyped flag or command gets a "did you mean"', async () => {
  const a = await run(['pipeline', '--worker', '2']);
  assert.equal(a.code, 2);
  assert.match(a.err, /pipeline: unknown option --worker \(did you mean --workers\?\)\. See `jartcal pipeline --help`/);
  const b = await run(['fit', 'x.json', '--out', 'f.json', '--max-eval', '3']);
  assert.match(b.err, /unknown option --max-eval \(did you mean --max-evals\?\)/);
  const c = await run(['simualte']);
  assert.match(c.err, /unknown command "simualte" \(did you mean "simulate"\?\)/);
  const d = await run(['simulate', '--sweep', '--zzzzzz', '1']);
  assert.match(d.err, /unknown option --zzzzzz\. See/, 'nothing close: no guess');
  assert.equal(closest('rnwe', ['rnew', 'lnew', 'rdet']), 'rnew');
  assert.equal(closest('Ndiscmn', ['Ndiscmin', 'Ndiscmax']), 'Ndiscmin');
  assert.equal(closest('xyz', ['rnew', 'lnew']), undefined);
});

test('the pipeline refuses a missing campaign folder with a clear message', async () => {
  const { command } = await COMMANDS.pipeline();
  await assert.rejects(command.run(['--data', 'no/such/folder', '--out', 'out/never']), /measurement data "no\/such\/folder" not found/);
});

test('the pipeline module does not import the command registry (no cli import cycle)', async () => {
  const { readFileSync } = await import('node:fs');
  const src = readFileSync(join(REPO_ROOT, 'src', 'cli', 'pipeline.ts'), 'utf8');
  assert.ok(!/from '\.\/commands\.js'|import\('\.\/commands\.js'\)/.test(src));
  assert.ok(!/\.run\(\[/.test(src), 'stages are called as functions, not through argv');
});

test('src/cli/main.ts run directly is the command (as bin/jartcal.js), and imported it runs nothing', () => {
  const direct = spawnSync(process.execPath, ['--import', 'tsx', join('src', 'cli', 'main.ts'), '--version'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(direct.status, 0, direct.stderr);
  assert.match(direct.stdout, /^\d+\.\d+\.\d+/);
  const imported = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', `await import(${JSON.stringify(join(REPO_ROOT, 'src', 'cli', 'main.ts'))});`],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  assert.equal(imported.status, 0, imported.stderr);
  assert.equal(imported.stdout, '');
});
