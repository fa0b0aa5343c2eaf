/**
 * Exports of src/ that nothing imports: walks the import graph of src/, test/, scripts/ and bench/ (static imports,
 * re-exports and `export *` followed; a namespace or dynamic `import()` counts as using every export of its module;
 * the library entry src/index.ts is used by definition, and so is the member export of a registry folder whose index finds
 * its modules at run time, e.g. each `reader` of src/ingest/formats) and lists each export of a src/ module never reached.
 *
 *   node --import tsx scripts/dead-exports.ts [--json]
 *
 * Each line says whether the name is still used inside its own module (then only the `export` is dead) or not at all.
 * Exit status 0 always; `test/house/dead-exports.test.ts` runs it and fails on a dead value export.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const DIRS = ['src', 'test', 'scripts', 'bench'];
/** Registries that find their members at run time (no import names them): the export each member provides. */
const REGISTRIES: { dir: string; export: string }[] = [{ dir: 'src/ingest/formats', export: 'reader' }];

export interface DeadExport {
  file: string;
  name: string;
  /** a type or interface (erased), else a value */
  typeOnly: boolean;
  /** the name is still used inside its own module */
  usedLocally: boolean;
  /** a re-export (`export { x } from './y.js'`) nothing imports */
  reexport: boolean;
}

interface ModuleInfo {
  /** exported name → where it comes from: this module (local) or another module's name (re-export) */
  exports: Map<string, { local: true; typeOnly: boolean } | { local: false; from: string; name: string }>;
  stars: string[];
  /** (module, name) pairs this module imports; name '*' = every export */
  imports: { from: string; name: string }[];
  text: string;
}

function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = join(dir, n);
    if (n === 'node_modules') return [];
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx|mts)$/.test(n) && !n.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveSpec(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const p = resolve(dirname(from), spec).replace(/\.(js|mjs|ts)$/, '');
  for (const q of [`${p}.ts`, `${p}.tsx`, `${p}.mts`, join(p, 'index.ts')]) {
    try {
      if (statSync(q).isFile()) return q;
    } catch {
      /* next */
    }
  }
  return null;
}

const hasExport = (n: ts.Node): boolean =>
  ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

function readModule(file: string): ModuleInfo {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const info: ModuleInfo = { exports: new Map(), stars: [], imports: [], text };
  const addLocal = (name: string, typeOnly: boolean): void => void info.exports.set(name, { local: true, typeOnly });
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const m = resolveSpec(file, st.moduleSpecifier.text);
      const cl = st.importClause;
      if (!m) continue;
      if (!cl) continue; // side-effect import
      if (cl.name) info.imports.push({ from: m, name: 'default' });
      const nb = cl.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) info.imports.push({ from: m, name: '*' });
      if (nb && ts.isNamedImports(nb))
        for (const el of nb.elements) info.imports.push({ from: m, name: (el.propertyName ?? el.name).text });
    } else if (ts.isExportDeclaration(st)) {
      const m = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? resolveSpec(file, st.moduleSpecifier.text) : null;
      if (!st.exportClause) {
        if (m) info.stars.push(m);
      } else if (ts.isNamespaceExport(st.exportClause)) {
        if (m) info.exports.set(st.exportClause.name.text, { local: false, from: m, name: '*' });
      } else
        for (const el of st.exportClause.elements) {
          const orig = (el.propertyName ?? el.name).text;
          if (m) info.exports.set(el.name.text, { local: false, from: m, name: orig });
          else addLocal(el.name.text, st.isTypeOnly || el.isTypeOnly);
        }
    } else if (ts.isExportAssignment(st)) {
      addLocal('default', false);
    } else if (hasExport(st)) {
      const isDefault = (ts.getModifiers(st as ts.HasModifiers) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      const typeOnly = ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st);
      if (isDefault) addLocal('default', typeOnly);
      else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) addLocal(d.name.text, false);
      } else if ('name' in st && st.name && ts.isIdentifier(st.name as ts.Node)) addLocal((st.name as ts.Identifier).text, typeOnly);
    }
  }
  // dynamic import('…') anywhere: every export of that module counts as used
  const visit = (n: ts.Node): void => {
    if (
      ts.isCallExpression(n) &&
      n.expression.kind === ts.SyntaxKind.ImportKeyword &&
      n.arguments[0] &&
      ts.isStringLiteral(n.arguments[0])
    ) {
      const m = resolveSpec(file, n.arguments[0].text);
      if (m) info.imports.push({ from: m, name: '*' });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return info;
}

export function findDeadExports(root = ROOT): DeadExport[] {
  const files = DIRS.flatMap((d) => walk(join(root, d)));
  const mods = new Map(files.map((f) => [f, readModule(f)]));
  const used = new Set<string>();
  const key = (m: string, n: string): string => `${m}\0${n}`;
  const mark = (m: string, name: string): void => {
    const info = mods.get(m);
    if (!info) return;
    if (name === '*') {
      for (const n of info.exports.keys()) mark(m, n);
      for (const s of info.stars) mark(s, '*');
      return;
    }
    if (used.has(key(m, name))) return;
    used.add(key(m, name));
    const e = info.exports.get(name);
    if (e && !e.local) mark(e.from, e.name);
    else if (!e) for (const s of info.stars) mark(s, name);
  };
  mark(join(root, 'src', 'index.ts'), '*');
  for (const r of REGISTRIES) for (const m of mods.keys()) if (dirname(m) === join(root, r.dir)) mark(m, r.export);
  for (const info of mods.values()) for (const imp of info.imports) mark(imp.from, imp.name);
  /** The local export a (re-)exported name comes from. */
  const origin = (m: string, name: string, depth = 0): { typeOnly: boolean } | null => {
    const e = mods.get(m)?.exports.get(name);
    if (depth > 20) return null;
    if (e) return e.local ? e : origin(e.from, e.name, depth + 1);
    for (const st of mods.get(m)?.stars ?? []) {
      const o = origin(st, name, depth + 1);
      if (o) return o;
    }
    return null;
  };
  const out: DeadExport[] = [];
  for (const [m, info] of mods) {
    if (!m.startsWith(join(root, 'src') + '/')) continue;
    for (const [name, e] of info.exports) {
      if (used.has(key(m, name))) continue;
      if (!e.local) {
        out.push({
          file: relative(root, m),
          name,
          typeOnly: origin(e.from, e.name)?.typeOnly ?? false,
          usedLocally: false,
          reexport: true,
        });
        continue;
      }
      const uses = info.text.match(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))?.length ?? 0;
      out.push({ file: relative(root, m), name, typeOnly: e.typeOnly, usedLocally: uses > 1, reexport: false });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith('dead-exports.ts')) {
  const dead = findDeadExports();
  if (process.argv.includes('--json')) console.log(JSON.stringify(dead, null, 2));
  else {
    for (const d of dead)
      console.log(
        `${d.file}: ${d.name}${d.typeOnly ? ' (type)' : ''} — ${d.reexport ? 're-exported, never imported' : d.usedLocally ? 'used only in its own module' : 'not used at all'}`,
      );
    console.log(
      `${dead.length} dead export(s): ${dead.filter((d) => !d.typeOnly).length} value(s), ${dead.filter((d) => d.typeOnly).length} type(s)`,
    );
  }
}
