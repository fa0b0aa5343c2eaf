// The docs are for users: no development-log entries (work-period labels, commit hashes), no `runs/` path
// that no command in the same file makes, no path outside the repository, and links between docs resolve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { REPO_ROOT } from '../helpers/shared.js';

const DOCS = join(REPO_ROOT, 'docs');

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...markdownFiles(p));
    else if (name.endsWith('.md')) out.push(p);
  }
  return out;
}

interface Finding { line: number; what: string; text: string }

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;
const cleanPath = (p: string): string => p.replace(/[.,:;]+$/, '');

/** Numbered work periods: "session 5", "sessions 3 and 4", "session-2", "sprint 3", "work period 2". */
export function workPeriodLabels(text: string): Finding[] {
  const out: Finding[] = [];
  for (const m of text.matchAll(/\b(?:sessions?|sprints?|work[- ]periods?)[\s-]*\d+/gi)) {
    out.push({ line: lineOf(text, m.index), what: 'work-period label', text: m[0] });
  }
  return out;
}

/** 7–40 lowercase hex digits with at least one digit and one letter, standing alone: a commit hash. */
export function commitHashes(text: string): Finding[] {
  const out: Finding[] = [];
  for (const m of text.matchAll(/(?<![\w#.-])[0-9a-f]{7,40}(?![\w-])/g)) {
    if (/[0-9]/.test(m[0]) && /[a-f]/.test(m[0])) out.push({ line: lineOf(text, m.index), what: 'commit-hash-like token', text: m[0] });
  }
  return out;
}

/** Absolute file-system paths (`/tmp/x`, `/home/...`, `~/...`) and the shared folder beside the checkout. */
export function outsidePaths(text: string): Finding[] {
  const out: Finding[] = [];
  const withoutUrls = text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s)>\]`'"]*/gi, (s) => ' '.repeat(s.length));
  for (const m of withoutUrls.matchAll(/(?:^|[\s`("'=])((?:\/|~\/)(?:[\w.-]+\/)+[\w.-]*)/gm)) {
    out.push({ line: lineOf(text, m.index), what: 'absolute path', text: m[1] });
  }
  for (const m of text.matchAll(/(?:\.\.\/)+shared\b[^\s`)]*|(?<![\w$/.-])shared\/(?:jart|measurements|aihwkit-jart|reference-paper|design|hooks)\b[^\s`)]*/g)) {
    out.push({ line: lineOf(text, m.index), what: 'path into the shared folder (not part of the repository)', text: cleanPath(m[0]) });
  }
  return out;
}

// Scripts that write under runs/ without an --out/--dir flag: shown in a doc, they make these folders.
// Each entry is checked against the script's source below, so the table cannot drift from the code.
const IMPLICIT_OUTPUTS: { script: string; folder: string; sourceMarker: string }[] = [
  { script: 'scripts/studies/fit-shared.ts', folder: 'runs/fit-shared/', sourceMarker: "join(REPO_ROOT, 'runs', 'fit-shared')" },
];

/** A path with placeholders (NAME, TAG, P.json, NAME[-TAG]) as a regular expression. */
function pathPattern(path: string): RegExp {
  const parts = path.split(/([A-Z][A-Z0-9_]*(?:\[[^\]]*\])?)/);
  const body = parts.map((s, i) => (i % 2 === 1 ? '[^/\\s]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}`);
}

/** `runs/...` paths that no `--out`/`--dir` flag and no shown script of the same file produces. */
export function unmadeRunsPaths(text: string): Finding[] {
  const producers: string[] = [];
  for (const m of text.matchAll(/--(?:out|dir|out-dir|dataset-out)(?:=|\s+)"?((?:runs|out)\/[^\s`'")\]|]*)/g)) producers.push(cleanPath(m[1]));
  for (const imp of IMPLICIT_OUTPUTS) if (text.includes(imp.script)) producers.push(imp.folder);
  const out: Finding[] = [];
  for (const m of text.matchAll(/(?<![\w/.-])runs\/([^\s`'")\]|,;]*)/g)) {
    if (/^\.*$/.test(m[1])) continue; // the folder itself ("runs/", "runs/...")
    const path = cleanPath(m[0]);
    const made = producers.some((prod) => {
      const re = pathPattern(prod);
      const hit = path.match(re);
      if (hit && (hit[0].length === path.length || prod.endsWith('/') || path[hit[0].length] === '/' || path[hit[0].length] === '.')) return true;
      // the path names the folder a produced file lies in
      return prod.startsWith(path.endsWith('/') ? path : `${path}/`);
    });
    if (!made) out.push({ line: lineOf(text, m.index), what: 'runs/ path no command in this file makes', text: path });
  }
  return out;
}

/** GitHub's heading anchor. */
const slug = (heading: string): string =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(m[1].replace(/`/g, ''));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Relative links and images that point at nothing, or out of the repository. */
export function brokenLinks(file: string, text: string): Finding[] {
  const out: Finding[] = [];
  const body = text.replace(/```[\s\S]*?```/g, (s) => s.replace(/[^\n]/g, ' ')).replace(/`[^`\n]*`/g, (s) => ' '.repeat(s.length));
  for (const m of body.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    const [pathPart, anchor] = target.split('#');
    const where = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
    const line = lineOf(text, m.index);
    const rel = relative(REPO_ROOT, where);
    if (rel.startsWith('..') || rel.startsWith(sep)) { out.push({ line, what: 'link out of the repository', text: target }); continue; }
    if (!existsSync(where)) { out.push({ line, what: 'link to a missing file', text: target }); continue; }
    if (anchor && where.endsWith('.md') && !anchorsOf(where).has(anchor)) out.push({ line, what: 'link to a missing heading', text: target });
  }
  return out;
}

const format = (file: string, fs: Finding[]): string => fs.map((f) => `${relative(REPO_ROOT, file)}:${f.line}: ${f.what}: ${f.text}`).join('\n');

test('the detectors flag what they are meant to flag (so a clean result means something)', () => {
  assert.equal(workPeriodLabels('Until session 6 open loop did nothing; sessions 3 and 4; the session-2 runs').length, 3);
  assert.equal(workPeriodLabels('one session of the inspector; 30 epochs').length, 0);
  assert.deepEqual(commitHashes('the fit stage at commit 8b51dd2, merged a43339e; 1e26 m^-3, 2049 points, deadbeef, #ff00aa7').map((f) => f.text), ['8b51dd2', 'a43339e']);
  assert.deepEqual(outsidePaths('--out /tmp/xb and `../shared/jart/spec.md`, see shared/aihwkit-jart/x.csv; I/V at 0.1 V/s; https://example.org/a/b').map((f) => f.text),
    ['/tmp/xb', '../shared/jart/spec.md', 'shared/aihwkit-jart/x.csv']);
  assert.equal(outsidePaths('`$JARTCAL_SHARED/measurements/x.xlsx`, test/ingest/shared.test.ts').length, 0);
  const doc = [
    '`npx jartcal crossbar run experiments/paper-fp.json --out runs/paper-fp --resume` writes runs/paper-fp/results.json;',
    '`npx jartcal crossbar run experiments/NAME.json --out runs/short/NAME` writes runs/short/NAME/accuracy.svg;',
    '`node --import tsx scripts/studies/fit-shared.ts polimi --tag t` then `jartcal population runs/fit-shared/polimi-t.fits.json`;',
    'and runs/never/made.json is not made, nor runs/asrun/x.',
  ].join('\n');
  assert.deepEqual(unmadeRunsPaths(doc).map((f) => f.text), ['runs/never/made.json', 'runs/asrun/x']);
  const here = join(DOCS, 'README-probe.md');
  assert.deepEqual(brokenLinks(here, '[a](fitting.md) [b](no-such.md) [c](../../outside.md) [d](fitting.md#no-such-heading) `[e](x.md)`').map((f) => f.text),
    ['no-such.md', '../../outside.md', 'fitting.md#no-such-heading']);
});

test('the implicit outputs of scripts named in docs match the scripts', () => {
  for (const imp of IMPLICIT_OUTPUTS) {
    assert.ok(readFileSync(join(REPO_ROOT, imp.script), 'utf8').includes(imp.sourceMarker), `${imp.script} no longer writes ${imp.folder}`);
  }
});

test('docs hold no development-log entries and no paths outside the repository', () => {
  const files = markdownFiles(DOCS);
  assert.ok(files.length >= 8, 'docs/*.md found');
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const found = [...workPeriodLabels(text), ...commitHashes(text), ...outsidePaths(text), ...unmadeRunsPaths(text)];
    if (found.length) problems.push(format(file, found));
  }
  assert.equal(problems.join('\n'), '');
});

test('relative links and images in docs/ and README.md resolve', () => {
  const problems: string[] = [];
  for (const file of [...markdownFiles(DOCS), join(REPO_ROOT, 'README.md')]) {
    const found = brokenLinks(file, readFileSync(file, 'utf8'));
    if (found.length) problems.push(format(file, found));
  }
  assert.equal(problems.join('\n'), '');
});

test('every study in docs/results/ is listed in its index (docs/results/README.md)', () => {
  const index = readFileSync(join(DOCS, 'results', 'README.md'), 'utf8');
  for (const name of readdirSync(join(DOCS, 'results')).filter((n) => n.endsWith('.md') && n !== 'README.md')) {
    assert.ok(index.includes(`](${name})`), `docs/results/README.md does not list ${name}`);
  }
});

test('CHANGELOG.md is in Keep a Changelog form: Unreleased first, dated releases, the standard sections, short entries', () => {
  const text = readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
  const releases = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  assert.equal(releases[0], '[Unreleased]');
  for (const r of releases.slice(1)) assert.match(r, /^\[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}$/, `release heading "${r}"`);
  for (const m of text.matchAll(/^### (.+)$/gm))
    assert.ok(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'].includes(m[1]), `section "${m[1]}"`);
  const unreleased = text.slice(text.indexOf('## [Unreleased]'), text.indexOf('\n## [', text.indexOf('## [Unreleased]') + 1));
  const long = unreleased
    .split(/\n- /)
    .slice(1)
    .map((b) => b.replace(/\n### [\s\S]*$/, '').replace(/\s+/g, ' ').trim())
    .filter((b) => b.length > 300);
  assert.deepEqual(long, [], 'an Unreleased entry over 300 characters: one change per entry, in a line or two');
  const found = [...workPeriodLabels(text), ...commitHashes(text)];
  assert.equal(format(join(REPO_ROOT, 'CHANGELOG.md'), found), '');
});

test('README.md, CHANGELOG.md and the READMEs under src/, scripts/ and fixtures/ hold no work-period labels or commit hashes', () => {
  const readmes = ['src', 'scripts', 'fixtures', 'experiments', 'presets', 'measurements'].flatMap((d) =>
    existsSync(join(REPO_ROOT, d)) ? markdownFiles(join(REPO_ROOT, d)) : [],
  );
  const problems: string[] = [];
  for (const file of [join(REPO_ROOT, 'README.md'), join(REPO_ROOT, 'CHANGELOG.md'), ...readmes]) {
    const text = readFileSync(file, 'utf8');
    const found = [...workPeriodLabels(text), ...commitHashes(text)];
    if (found.length) problems.push(format(file, found));
  }
  assert.equal(problems.join('\n'), '');
});
