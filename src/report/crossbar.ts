/**
 * The crossbar run in the report: the results.json that `jartcal crossbar run` writes (schema
 * jartcal.crossbar-results/1) through its schema, and its overview card.
 */
import { accuracyChart, esc } from '../plot/index.js';
import { fmtUnit } from './format.js';
import { crossbarResultsSchema } from '../schema/crossbar-results.js';
import { firstProblem } from '../schema/issues.js';
import { FAILURE_WORDS, type ProgramFailure } from '../crossbar/program/writeVerify.js';

const RAMP_WORDS: Record<string, string> = { width: 'width-ramped ', amplitude: 'width- and amplitude-ramped ' };

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
  /** in-situ runs: whether training learned and, if not, why (results.json `diagnosis`) */
  diagnosis?: { learned: boolean; reason?: string; lossFirst?: number; lossLast?: number; trend?: string };
  /** the second answer beside an in-situ run: inference after programming (results.json `inference`) */
  inference?: {
    accuracy: number;
    digitalAccuracy?: number;
    inTolerance?: number;
    cells?: number;
    failures: [string, number][];
    ramp?: string;
    path?: string;
  };
}

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** The fields of a crossbar results file the report shows; null (with the reason) when it is not one (its schema, src/schema/crossbar-results.ts). */
export function crossbarView(raw: unknown, path: string): { view: CrossbarView | null; problem?: string } {
  const parsed = crossbarResultsSchema.safeParse(raw);
  if (!parsed.success) return { view: null, problem: `${path}: ${firstProblem(parsed.error).message}` };
  const r = parsed.data;
  const fa = r.finalAccuracy;
  const reps = r.repeats
    ? r.repeats.map((rep) => rep.records.map((x) => ({ epoch: x.epoch, accuracy: x.testAccuracy })))
    : r.records
      ? [r.records.map((x) => ({ epoch: x.epoch, accuracy: x.testAccuracy }))]
      : [];
  const cfg = r.config as { training?: Record<string, unknown>; device?: { jart?: Record<string, unknown> } };
  const t = cfg.training ?? {};
  const pop = r.population as { path?: unknown; file?: unknown } | null | undefined;
  const pu = r.operatingPoint?.pulses;
  const jart = cfg.device?.jart ?? {};
  const dg = r.diagnosis as Record<string, unknown> | null | undefined;
  const lt = (dg?.lossTrend ?? null) as Record<string, unknown> | null;
  const inf = r.inference as Record<string, unknown> | null | undefined;
  const infAcc = num(inf?.accuracy);
  return {
    view: {
      diagnosis:
        dg && typeof dg.learned === 'boolean'
          ? {
              learned: dg.learned,
              reason: typeof dg.reason === 'string' ? dg.reason : undefined,
              lossFirst: num(lt?.first),
              lossLast: num(lt?.last),
              trend: typeof lt?.trend === 'string' ? lt.trend : undefined,
            }
          : undefined,
      inference:
        inf && infAcc !== undefined
          ? {
              accuracy: infAcc,
              digitalAccuracy: num(inf.digitalAccuracy),
              inTolerance: num(inf.inTolerance),
              cells: num(inf.cells),
              failures: Object.entries((inf.failures ?? {}) as Record<string, unknown>).filter(
                (e): e is [string, number] => typeof e[1] === 'number',
              ),
              ramp: typeof inf.ramp === 'string' ? inf.ramp : undefined,
              path: typeof inf.path === 'string' ? inf.path : undefined,
            }
          : undefined,
      path,
      name: r.name,
      mode: r.mode ?? '',
      finalAccuracy: fa,
      accuracyStd: r.accuracyStd ?? null,
      accuracyPerEpoch: r.accuracyPerEpoch ?? [fa],
      repeats: reps,
      trainSamples: num(t.trainSamples),
      testSamples: num(t.testSamples),
      epochs: num(t.epochs),
      population: typeof pop?.path === 'string' ? pop.path : typeof pop?.file === 'string' ? pop.file : undefined,
      operatingPoint: pu
        ? { vSetV: pu.vSetV, vResetV: pu.vResetV, pulseS: num(jart.widthS), setPulses: pu.setPulses, resetPulses: pu.resetPulses }
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
  const inf = cb.inference;
  const second = inf
    ? `<p class="big" id="crossbar-inference-accuracy">${inf.accuracy.toFixed(2)} %</p><p>Inference after ${RAMP_WORDS[inf.ramp ?? 'none'] ?? ''}write-verify programming of the same population` +
      (inf.digitalAccuracy !== undefined ? ` (the digital network: ${inf.digitalAccuracy.toFixed(2)} %)` : '') +
      (inf.inTolerance !== undefined
        ? `: ${(100 * inf.inTolerance).toFixed(1)} % of ${inf.cells?.toLocaleString('en') ?? ''} cells within tolerance`
        : '') +
      (inf.failures.length
        ? `; out of tolerance: ${inf.failures.map(([k, n]) => `${n.toLocaleString('en')} ${esc(FAILURE_WORDS[k as ProgramFailure] ?? k)}`).join(', ')}`
        : '') +
      `.${inf.path ? ` Results: <code>${esc(inf.path)}</code>.` : ''}</p>`
    : '';
  const dg = cb.diagnosis;
  const why =
    dg && !dg.learned && dg.reason
      ? `<p id="crossbar-diagnosis"><strong>In-situ training did not learn.</strong> ${esc(dg.reason)}</p>`
      : '';
  return (
    `<div class="card"><h3>Crossbar accuracy</h3><p class="big" id="crossbar-accuracy">${cb.finalAccuracy.toFixed(2)} %${std}</p>` +
    `<p>Final MNIST test accuracy of <code>${esc(cb.name)}</code>: ${esc(what)}.${pulses} Results: <code>${esc(cb.path)}</code>.</p>` +
    why +
    second +
    fig(
      'crossbar_accuracy',
      `${cb.name}: test accuracy`,
      accuracyChart({ title: 'MNIST test accuracy', perEpoch: cb.accuracyPerEpoch, repeats: cb.repeats, width: 340, height: 240 }),
    ) +
    '</div>'
  );
}
