/**
 * Units the ingest's fast table (src/ingest/units.ts) does not know, through mathjs: spelled-out and
 * prefixed units such as "milliampere", "microamp", "kV", "millivolt", "hour". mathjs is loaded on the
 * first call only (importing it takes seconds, docs/results/mathjs-units.md), so a file whose units the
 * fast table knows never loads it. mathjs does not parse "µ", "μ" or "Ω"; they are spelled for it first.
 */
import { createRequire } from 'node:module';

type MathUnit = { equalBase(u: MathUnit): boolean; toNumber(unit: string): number };
type MathJs = { unit(s: string): MathUnit };

let mathjs: MathJs | null = null;
function load(): MathJs {
  mathjs ??= createRequire(import.meta.url)('mathjs') as MathJs;
  return mathjs;
}

const BASE = { A: 'A', V: 'V', s: 's', ohm: 'ohm' } as const;

/**
 * Scale factor of `unit` to the SI unit `kind` (A, V, s or Ω), or null when mathjs does not know it or it
 * is a unit of another quantity. Loads mathjs on the first call.
 */
export function unitScaleMathjs(unit: string, kind: keyof typeof BASE): number | null {
  const u = unit
    .trim()
    .replace(/^[[(]|[\])]$/g, '')
    .trim()
    .replace(/^[µμ]/, 'u')
    .replace(/Ω/g, 'ohm');
  if (!u || !/^[A-Za-z][A-Za-z0-9^/ ]*$/.test(u)) return null;
  try {
    const m = load();
    const parsed = m.unit(`1 ${u}`);
    const base = m.unit(`1 ${BASE[kind]}`);
    if (!parsed.equalBase(base)) return null;
    const f = parsed.toNumber(BASE[kind]);
    return Number.isFinite(f) && f > 0 ? f : null;
  } catch {
    return null;
  }
}

/** Whether mathjs has been loaded in this process (a fast-table file never loads it). */
export function mathjsLoaded(): boolean {
  return mathjs !== null;
}
