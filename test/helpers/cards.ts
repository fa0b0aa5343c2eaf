/**
 * Readers of the exported parameter cards for tests: a SPICE tokenizer (comments, dot-cards, X instances
 * with nodes and a model, name=number pairs, `+` continuation lines) and a Spectre (Verilog-A instance)
 * line reader. Both assert the syntax and return every instance's numbers as parsed back.
 */
import assert from 'node:assert/strict';

export const CARD_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function pairsInto(target: Record<string, number>, tokens: string[], where: string): void {
  for (const t of tokens) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(t);
    assert.ok(m, `${where}: expected name=value, got ${t}`);
    assert.match(m[2], CARD_NUMBER, `${where}: value ${m[2]}`);
    assert.equal(target[m[1]], undefined, `${where}: duplicate ${m[1]}`);
    target[m[1]] = Number(m[2]);
  }
}

export function readSpiceCards(text: string): { instances: Map<string, Record<string, number>> } {
  const instances = new Map<string, Record<string, number>>();
  let current: Record<string, number> | null = null;
  let ended = false;
  text.split('\n').forEach((line, i) => {
    const where = `line ${i + 1}: ${line}`;
    if (line.trim() === '' || line.startsWith('*')) return;
    assert.ok(!ended, `${where}: text after .end`);
    const tok = line.trim().split(/\s+/);
    if (tok[0] === '+') {
      assert.ok(current, `${where}: parameter outside an instance`);
      pairsInto(current, tok.slice(1), where);
      return;
    }
    if (tok[0].startsWith('.')) {
      assert.ok(['.hdl', '.end', '.include', '.param'].includes(tok[0].toLowerCase()), `${where}: unknown card`);
      if (tok[0] === '.hdl') assert.match(tok[1], /^".+\.va"$/);
      if (tok[0] === '.end') ended = true;
      current = null;
      return;
    }
    assert.match(tok[0], /^X[A-Za-z0-9_]+$/, `${where}: instance name`);
    assert.ok(tok.length >= 4, `${where}: X name n1 n2 model`);
    current = {};
    instances.set(tok[0], current);
    pairsInto(current, tok.slice(4), where);
  });
  assert.ok(ended, 'missing .end');
  return { instances };
}

/** Spectre instance lines `Xname (n1 n2) module a=1 b=2`; other lines must be comments or known statements. */
export function readSpectreCards(text: string, module = 'JART_VCM_1b_var'): Map<string, Record<string, number>> {
  const instances = new Map<string, Record<string, number>>();
  text.split('\n').forEach((line, i) => {
    const where = `line ${i + 1}: ${line}`;
    if (line.trim() === '' || line.startsWith('//')) return;
    if (/^simulator lang=spectre$/.test(line) || /^ahdl_include ".+\.va"$/.test(line)) return;
    const m = /^(X\w+) \((\w+) (\w+)\) (\w+)((?: \S+)*)$/.exec(line);
    assert.ok(m, `${where}: not an instance line`);
    assert.equal(m[4], module, `${where}: module`);
    assert.ok(!instances.has(m[1]), `${where}: duplicate instance`);
    const rec: Record<string, number> = {};
    pairsInto(rec, m[5].trim().split(/\s+/).filter(Boolean), where);
    instances.set(m[1], rec);
  });
  return instances;
}
