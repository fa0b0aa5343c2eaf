/**
 * The crossbar run in the report: the results.json that `jartcal crossbar run` writes (schema
 * jartcal.crossbar-results/1), read leniently (only the fields shown), and its overview card.
 */
import { accuracyChart, esc } from '../plot/index.js';
import { fmtUnit } from './format.js';

export interface CrossbarView {
  path: string;
  name: string;
  mode: string;
  finalAccuracy: number;
  accuracyStd: number | null;
  accuracyPerEpoch: number[];
  repeats: { epoch: number; accuracy: number }[][];
  trainSamples?: number;
  testSamples?: number;
  epochs?: number;
  population?: string;
  operatingPoint?: { vSetV?: number; vResetV?: number; pulseS?: number; setPulses?: number; resetPulses?: number };
}

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** The fields of a crossbar results file the report shows; null (with the reason) when it is not one. */
export function crossbarView(raw: unknown, path: string): { view: CrossbarView | null; problem?: string } {
  const r = raw as Record<string, unknown> | null;
  if (!r || typeof r !== 'object') return { view: null, problem: `${path}: not a JSON object` };
  if (typeof r.schema !== 'string' || !r.schema.startsWith('jartcal.crossbar-results/'))
    return { view: null, problem: `${path}: schema is ${JSON.stringify(r.schema)}, expected "jartcal.crossbar-results/1"` };
  const fa = num(r.finalAccuracy);
  if (fa === undefined) return { view: null, problem: `${path}: finalAccuracy is missing` };
  const per = Array.isArray(r.accuracyPerEpoch) ? (r.accuracyPerEpoch as unknown[]).map((x) => num(x) ?? NaN) : [fa];
  const reps = Array.isArray(r.repeats)
    ? (r.repeats as { records?: { epoch?: unknown; testAccuracy?: unknown }[] }[]).map((rep) =>
        (rep.records ?? []).map((x) => ({ epoch: num(x.epoch) ?? NaN, accuracy: num(x.testAccuracy) ?? NaN })),
      )
    : [];
  const cfg = (r.config ?? {}) as { training?: Record<string, unknown> };
  const t = cfg.training ?? {};
  const pop = r.population as { path?: unknown; file?: unknown } | null | undefined;
  const pu = (r.operatingPoint as { pulses?: Record<string, unknown> | null } | null | undefined)?.pulses;
  const jart = (cfg as { device?: { jart?: Record<string, unknown> } }).device?.jart ?? {};
  return {
    view: {
      path,
      name: String(r.name ?? ''),
      mode: String(r.mode ?? ''),
      finalAccuracy: fa,
      accuracyStd: num(r.accuracyStd) ?? null,
      accuracyPerEpoch: per,
      repeats: reps,
      trainSamples: num(t.trainSamples),
      testSamples: num(t.testSamples),
      epochs: num(t.epochs),
      population: typeof pop?.path === 'string' ? pop.path : typeof pop?.file === 'string' ? pop.file : undefined,
      operatingPoint: pu
        ? {
            vSetV: num(pu.vSetV),
            vResetV: num(pu.vResetV),
            pulseS: num(jart.widthS),
            setPulses: num(pu.setPulses),
            resetPulses: num(pu.resetPulses),
          }
        : undefined,
    },
  };
}

type Fig = (file: string, title: string, svg: string) => string;

const MODE: Record<string, string> = {
  'in-situ': 'in-situ training on the simulated crossbar',
  digital: 'floating-point (digital) baseline',
  inference: 'digital training, programming, analog inference',
};

/** The overview card: the final accuracy as a number, what was run, and the accuracy chart. */
export function crossbarCard(cb: CrossbarView | null, fig: Fig, note?: string): string {
  if (!cb)
    return `<div class="card"><h3>Crossbar accuracy</h3><p>${esc(note ?? 'No crossbar run (the pipeline ran with --skip-crossbar, or pass --crossbar results.json).')}</p></div>`;
  const reps = cb.repeats.length;
  const what = [
    `MNIST, ${MODE[cb.mode] ?? esc(cb.mode)}`,
    cb.epochs !== undefined ? `${cb.epochs} epoch${cb.epochs === 1 ? '' : 's'}` : '',
    cb.trainSamples !== undefined ? `${cb.trainSamples.toLocaleString('en')} training samples` : '',
    cb.testSamples !== undefined ? `tested on ${cb.testSamples.toLocaleString('en')}` : '',
    reps > 1 ? `${reps} repeats` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const op = cb.operatingPoint;
  const pulses =
    op && op.vSetV !== undefined && op.vResetV !== undefined
      ? ` Update pulses ${fmtUnit(op.vSetV, 'V')} (SET) / ${fmtUnit(op.vResetV, 'V')} (RESET)${op.pulseS !== undefined ? `, ${fmtUnit(op.pulseS, 's', 3)}` : ''}${op.setPulses !== undefined && op.resetPulses !== undefined ? `: a full swing of the central device takes ${op.setPulses.toLocaleString('en')} SET / ${op.resetPulses.toLocaleString('en')} RESET pulses` : ''}.`
      : '';
  const std = cb.accuracyStd !== null && reps > 1 ? ` ± ${cb.accuracyStd.toFixed(2)}` : '';
  return (
    `<div class="card"><h3>Crossbar accuracy</h3><p class="big" id="crossbar-accuracy">${cb.finalAccuracy.toFixed(2)} %${std}</p>` +
    `<p>Final MNIST test accuracy of <code>${esc(cb.name)}</code>: ${esc(what)}.${pulses} Results: <code>${esc(cb.path)}</code>.</p>` +
    fig(
      'crossbar_accuracy',
      `${cb.name}: test accuracy`,
      accuracyChart({ title: 'MNIST test accuracy', perEpoch: cb.accuracyPerEpoch, repeats: cb.repeats, width: 340, height: 240 }),
    ) +
    '</div>'
  );
}
