import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS } from '../../src/cli/commands.js';
import { topHelp } from '../../src/cli/main.js';

test('every registered command loads, names itself, and is listed in the top-level help with its --help text', async () => {
  const help = await topHelp();
  for (const name of Object.keys(COMMANDS)) {
    const { command } = await COMMANDS[name]();
    assert.equal(command.name, name);
    assert.ok(command.summary.length > 10, name);
    assert.match(command.help, /Usage|usage|jartcal/, name);
    assert.match(help, new RegExp(`^  ${name} +${command.summary.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
  }
});

test('the pipeline refuses a missing campaign folder with a clear message', async () => {
  const { command } = await COMMANDS.pipeline();
  await assert.rejects(command.run(['--data', 'no/such/folder', '--out', 'out/never']), /measurement data "no\/such\/folder" not found/);
});
