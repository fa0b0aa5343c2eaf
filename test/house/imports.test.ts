/**
 * The module graph of src/: no import cycle, the library entry reaches no CLI or UI module, and
 * every module under src/io touches files. Runtime imports only (`import type` is erased, a dynamic
 * `import()` is lazy); the graph is read from the source text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

/** Relative runtime imports of a module, as paths of src/ files. */
function importsOf(file: string): { local: string[]; external: string[] } {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const local: string[] = [],
    external: string[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm;
  for (let m; (m = re.exec(text));) {
    if (m[2]) continue; // import type / export type
    if (
      m[3] &&
      /^\{[^}]*\}$/s.test(m[3].trim()) &&
      m[3]
        .replace(/[{}\s]/g, '')
        .split(',')
        .filter(Boolean)
        .every((x) => x.startsWith('type '))
    )
      continue;
    const spec = m[4] ?? m[5];
    if (!spec.startsWith('.')) {
      external.push(spec);
      continue;
    }
    const p = resolve(dirname(file), spec).replace(/\.js$/, '');
    const hit = [`${p}.ts`, `${p}.tsx`, join(p, 'index.ts')].find((q) => {
      try {
        return statSync(q).isFile();
      } catch {
        return false;
      }
    });
    if (hit) local.push(hit);
  }
  return { local, external };
}

const files = walk(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string): string => relative(ROOT, f);

/** Strongly connected components of more than one module (Tarjan). */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>(),
    low = new Map<string, number>(),
    on = new Set<string>(),
    stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

test('the cycle finder finds a cycle', () => {
  assert.deepEqual(
    cycles(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']],
        ['d', ['a']],
      ]),
    ),
    [['a', 'b', 'c']],
  );
});

test('src/ has no import cycle', () => {
  const found = cycles(new Map([...graph].map(([f, i]) => [f, i.local]))).map((c) => c.map(rel));
  assert.deepEqual(found, [], `import cycles:\n${found.map((c) => c.join(' ↔ ')).join('\n')}`);
});

test('the library entry src/index.ts reaches no CLI or terminal-UI module', () => {
  const seen = new Set<string>();
  const todo = [join(SRC, 'index.ts')];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...graph.get(f)!.local);
  }
  const ui = [...seen].map(rel).filter((f) => f.startsWith('src/cli/') || f.startsWith('src/tui/'));
  assert.deepEqual(ui, []);
});

test('every module under src/io touches files (pure logic lives in its stage)', () => {
  const pure = files
    .filter((f) => rel(f).startsWith('src/io/'))
    .filter((f) => {
      const { local, external } = graph.get(f)!;
      return (
        !external.some((e) => e === 'node:fs' || e === 'node:fs/promises') && !local.some((l) => /src\/io\/(atomic|json)\.ts$/.test(l))
      );
    })
    .map(rel);
  assert.deepEqual(pure, []);
});
