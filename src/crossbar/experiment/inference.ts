/**
 * Inference after programming: trains the digital network (tfjs), maps each layer's weights onto
 * its devices (weight scaling: max|W| → 0.9·w_max, undone digitally after the ADC), programs every
 * device (write-verify / open-loop / ideal) and evaluates the analog network with the forward
 * periphery; repeated over device draws (mean ± std), recording pulses used and residual errors.
 */
import type { ExperimentConfig } from './config.js';
import type { AnalogLayer } from '../core/analogLayer.js';
import { buildNetwork, type Dataset, type EpochRecord } from './inSitu.js';
import { digitalWeights, evaluateDigital, trainDigital } from '../train/digital.js';
import {
  createOpenLoopPlanner,
  describeFailures,
  failureKey,
  programCell,
  PROGRAM_FAILURES,
  type ProgramFailure,
} from '../program/writeVerify.js';
import { nominalDevice } from '../device/factory.js';
import { createRng } from '../../util/rng.js';
import { meanStd } from './summary.js';
import { attachWire } from '../array/wireLayer.js';
import type { InferenceCheckpoint, InferenceDraw } from './checkpoint.js';

export interface InferenceResume {
  /** a checkpoint of the same run: its digital weights are reused and its finished draws kept */
  from?: InferenceCheckpoint;
  /** called after the digital training and after every draw with the state to save */
  save?: (cp: Omit<InferenceCheckpoint, 'configKey'>) => void;
}

export async function runInference(
  cfg: ExperimentConfig,
  train: Dataset,
  test: Dataset,
  log: (m: string) => void,
  resume: InferenceResume = {},
): Promise<{ repeats: EpochRecord[][]; extra: Record<string, unknown> }> {
  const nTest = Math.min(cfg.training.testSamples, test.n);
  let digital: InferenceCheckpoint['digital'];
  if (resume.from) {
    digital = resume.from.digital;
    log(`digital training restored from the checkpoint (${digital.accuracy.toFixed(2)} %), ${resume.from.draws.length} draw(s) done`);
  } else {
    const { model, records } = trainDigital(cfg, train, test, 0, undefined, (r) =>
      log(`digital epoch ${r.epoch}: ${r.testAccuracy.toFixed(2)} %`),
    );
    digital = { weights: digitalWeights(model), records, accuracy: 100 * evaluateDigital(model, test, nTest, cfg.network.sizes[0]) };
  }
  const digitalAcc = digital.accuracy,
    records = digital.records as { trainLoss: number }[];
  const wd = digital.weights;
  // every finished draw: its record and programming statistics (the checkpoint's unit)
  const draws: InferenceDraw[] = resume.from ? resume.from.draws.slice(0, cfg.training.repeats) : [];
  resume.save?.({ digital, draws });
  for (let r = draws.length; r < cfg.training.repeats; r++) {
    const t0 = performance.now();
    const { mlp, layers, trainRng, engine } = buildNetwork(cfg, r);
    // open loop: pulse counts from one nominal device, from the zero-init state every cell was set to
    const openLoop =
      cfg.program.method === 'open-loop'
        ? createOpenLoopPlanner(nominalDevice(cfg, engine, createRng(cfg.seed).fork(5000 + r)), cfg.program.maxPulses)
        : null;
    let pulses = 0,
      errAbs = 0,
      err2 = 0,
      cells = 0,
      bad = 0,
      unsigned = 0;
    const weightTops: number[] = [];
    // ramped write-verify: why cells ended out of tolerance, and each cell's last pulse width and amplitude (its operating point)
    const ramp =
      cfg.program.method === 'write-verify' && cfg.program.ramp !== 'none'
        ? { min: cfg.program.widthRange[0], max: cfg.program.widthRange[1], amplitude: cfg.program.ramp === 'amplitude' }
        : null;
    const spec = { maxPulses: cfg.program.maxPulses, ramp };
    const failures = new Map<ProgramFailure, number>(PROGRAM_FAILURES.map((f) => [f, 0]));
    const widthFactors: number[] = [],
      amplitudeFactors: number[] = [];
    let widthTotal = 0;
    const targets: Float64Array[] = [];
    layers.forEach((layer, li) => {
      const w = wd[li];
      // a digital bias stays a float (added after the digital output scale): only the analog cells set omega
      let omega = 0;
      layer.forEachCell((row, col) => {
        omega = Math.max(omega, Math.abs(w[row * layer.cols + col]));
      });
      if (layer.digitalBias) for (let row = 0; row < layer.outSize; row++) layer.digitalBias[row] = w[row * layer.cols + layer.inSize];
      const wTop =
        0.9 *
        weightReach(layer, (n) => {
          unsigned += n;
        });
      weightTops.push(wTop);
      const s = omega > 0 ? wTop / omega : 1;
      layer.outScale = 1 / s;
      const tolW = cfg.program.tolerance * wTop;
      const tg = new Float64Array(layer.outSize * layer.cols);
      targets.push(tg);
      layer.forEachCell((row, col, tile, k) => {
        const target = w[row * layer.cols + col] * s;
        tg[row * layer.cols + col] = target;
        if (cfg.program.method === 'ideal') tile.dev.setWeight(k, target);
        else {
          const res = openLoop ? openLoop(tile.dev, k, target, tolW) : programCell(tile.dev, k, target, { ...spec, tol: tolW });
          pulses += res.pulses;
          if (!res.converged) bad++;
          if (ramp) {
            if (res.reason) failures.set(res.reason, (failures.get(res.reason) ?? 0) + 1);
            widthFactors.push(res.widthFactor ?? 1);
            if (ramp.amplitude) amplitudeFactors.push(res.amplitudeFactor ?? 1);
            widthTotal += res.width ?? res.pulses;
          }
        }
        tile.w[k] = tile.dev.weight(k);
        const e = (tile.w[k] - target) / s;
        errAbs += Math.abs(e);
        err2 += e * e;
        cells++;
      });
      log(`repeat ${r + 1}: layer ${li + 1} programmed (${cells} cells so far, ${pulses} pulses)`);
    });
    // the same devices' periphery with the exact target weights (no programming error): separates the
    // programming loss from the forward-path loss (DAC/ADC, output noise, bound management)
    const saved = layers.map((l) => l.getWeights());
    layers.forEach((l, li) =>
      l.forEachCell((row, col, t, k) => {
        t.w[k] = targets[li][row * l.cols + col];
      }),
    );
    const accExact = 100 * mlp.evaluate(test.images, test.labels, nTest, trainRng);
    layers.forEach((l, li) =>
      l.forEachCell((row, col, t, k) => {
        t.w[k] = saved[li][row * l.cols + col];
      }),
    );
    // with wire resistance: the same programmed devices without it first (separates the IR-drop loss),
    // then each resistance of wire.sweepOhm on the same devices
    const accNoWire =
      cfg.wire.rWireOhm > 0 || cfg.wire.sweepOhm.length ? 100 * mlp.evaluate(test.images, test.labels, nTest, trainRng) : null;
    type WireEval = NonNullable<InferenceDraw['wireSweep']>[number];
    const evalWire = (rWireOhm: number): WireEval => {
      const st = layers.map((l) => attachWire(l, { ...cfg.wire, rWireOhm }));
      const one = {
        rWireOhm,
        accuracy: 100 * mlp.evaluate(test.images, test.labels, nTest, trainRng),
        currentRatioMin: Math.min(...st.map((w) => w.currentRatioMin)),
        iterationsMax: Math.max(...st.map((w) => w.iterationsMax)),
        converged: st.every((w) => w.converged),
      };
      for (const l of layers) l.product = null;
      log(
        `repeat ${r + 1}: wire ${rWireOhm} Ω per segment: ${one.accuracy.toFixed(2)} % (without it ${accNoWire!.toFixed(2)} %); the weakest tile delivers ${(100 * one.currentRatioMin).toFixed(1)} % of the wire-free current; solver iterations ≤ ${one.iterationsMax}${one.converged ? '' : ' (NOT converged)'}`,
      );
      return one;
    };
    const wireSweep = cfg.wire.sweepOhm.map(evalWire);
    const wire = cfg.wire.rWireOhm > 0 ? evalWire(cfg.wire.rWireOhm) : undefined;
    const acc = wire ? wire.accuracy : (accNoWire ?? 100 * mlp.evaluate(test.images, test.labels, nTest, trainRng));
    const sec = (performance.now() - t0) / 1000;
    const rampStats: Record<string, number | number[]> = {};
    if (ramp) {
      const q = (xs: number[]): number[] => {
        xs.sort((a, b) => a - b);
        return [0.1, 0.5, 0.9].map((p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]);
      };
      rampStats.widthFactorQuantiles = q(widthFactors);
      if (ramp.amplitude) rampStats.amplitudeFactorQuantiles = q(amplitudeFactors);
      rampStats.widthTotal = widthTotal;
      for (const [f, n] of failures) rampStats[failureKey(f)] = n;
      log(`repeat ${r + 1}: ${describeFailures(rampStats, cells)}`);
    }
    log(
      `repeat ${r + 1}: programmed ${cells} cells with ${pulses} pulses (${bad} out of tolerance), analog accuracy ${acc.toFixed(2)} % (exact weights on the same periphery ${accExact.toFixed(2)} %, digital ${digitalAcc.toFixed(2)} %)`,
    );
    draws.push({
      record: {
        epoch: 1,
        lr: 0,
        trainLoss: records[records.length - 1]?.trainLoss ?? NaN,
        testAccuracy: acc,
        seconds: sec,
        pulsesApplied: pulses,
        coincidences: 0,
      },
      programming: {
        repeat: r,
        pulses,
        meanAbsError: errAbs / cells,
        rmsError: Math.sqrt(err2 / cells),
        notConverged: bad,
        weightTop: weightTops,
        unsignedDevices: unsigned,
        seconds: sec,
        exactWeightAccuracy: accExact,
        ...rampStats,
        ...(accNoWire !== null ? { wireFreeAccuracy: accNoWire } : {}),
        ...(wire
          ? {
              rWireOhm: wire.rWireOhm,
              wireSolverIterationsMax: wire.iterationsMax,
              wireSolverConverged: wire.converged ? 1 : 0,
              wireCurrentRatioMin: wire.currentRatioMin,
            }
          : {}),
      },
      ...(wireSweep.length ? { wireSweep } : {}),
    });
    resume.save?.({ digital, draws });
  }
  const repeats: EpochRecord[][] = draws.map((d) => [d.record]);
  const programming = draws.map((d) => d.programming);
  const [m, sd] = meanStd(draws.map((d) => d.record.testAccuracy));
  const [me, sde] = meanStd(programming.map((p) => p.exactWeightAccuracy as number));
  // wire.sweepOhm: accuracy per wire resistance, mean ± std over the draws (each draw evaluated on its own devices)
  const wireSweep = cfg.wire.sweepOhm.map((rWireOhm, k) => {
    const accs = draws.map((d) => d.wireSweep?.[k]?.accuracy).filter((a): a is number => a !== undefined);
    const [wm, ws] = meanStd(accs);
    return {
      rWireOhm,
      accuracyMean: wm,
      accuracyStd: ws,
      accuracies: accs,
      currentRatioMin: Math.min(...draws.map((d) => d.wireSweep?.[k]?.currentRatioMin ?? 1)),
    };
  });
  const noWire = programming.map((p) => p.wireFreeAccuracy).filter((a): a is number => a !== undefined);
  return {
    repeats,
    extra: {
      digitalAccuracy: digitalAcc,
      digitalRecords: records,
      programming,
      analogAccuracyMean: m,
      analogAccuracyStd: sd,
      exactWeightAccuracyMean: me,
      exactWeightAccuracyStd: sde,
      ...(noWire.length ? wireFreeSummary(noWire) : {}),
      ...(wireSweep.length ? { wireSweep } : {}),
    },
  };
}

function wireFreeSummary(accs: number[]): { wireFreeAccuracyMean: number; wireFreeAccuracyStd: number } {
  const [wireFreeAccuracyMean, wireFreeAccuracyStd] = meanStd(accs);
  return { wireFreeAccuracyMean, wireFreeAccuracyStd };
}

/**
 * The weight magnitude the layer's largest |w| is mapped to (before the 0.9 margin): the 10th percentile
 * over the layer's devices of min(w_max, −w_min), the reach in both signs, so that nine devices in ten can
 * hold the layer's extreme weights. Devices whose range does not straddle zero (a wide calibrated
 * population: a device that cannot reach one sign) are left out of the quantile and counted (`onUnsigned`);
 * if no device straddles zero the mapping's nominal range is used. (Before session 8: the smaller reach of
 * each tile's first device, which such a device turned negative.)
 */
export function weightReach(layer: AnalogLayer, onUnsigned: (n: number) => void): number {
  const reach: number[] = [];
  let unsigned = 0,
    nominal = Infinity;
  layer.forEachCell((_row, _col, tile, k) => {
    const x = Math.min(tile.dev.wMax(k), -tile.dev.wMin(k));
    if (x > 0) reach.push(x);
    else unsigned++;
  });
  onUnsigned(unsigned);
  if (reach.length === 0) {
    for (const t of layer.tiles.flat()) nominal = Math.min(nominal, Math.abs(t.dev.wMax(0)), Math.abs(t.dev.wMin(0)));
    return nominal;
  }
  reach.sort((a, b) => a - b);
  return reach[Math.floor(0.1 * (reach.length - 1))];
}
