/**
 * Whether an in-situ run learned and, when it did not, why, in figures a user can act on: the trend of the
 * training loss and the spread of the population's switching speed (pulses per swing, device/swingSpread.ts).
 */
import { describeSwingSpread, type SwingSpread } from '../device/swingSpread.js';

/** The training loss over one tenth of an epoch (results.json `lossTrace`). */
export type LossPoint = { epoch: number; samples: number; loss: number };

/** Whether an in-situ run learned, and if not, why, with the measured figures (results.json `diagnosis`). */
export interface InSituDiagnosis {
  /** final accuracy at least 50 % (chance is 10 %) */
  learned: boolean;
  finalAccuracy: number;
  /**
   * training loss of the first and last tenth of the run, and its direction; 'at chance' when the last is at or
   * above the loss of a uniform guess (ln of the number of classes, 2.30 for MNIST) less 5 %, whatever its slope
   */
  lossTrend: { first: number; last: number; trend: 'falling' | 'flat' | 'rising' | 'at chance' } | null;
  /** p90/p10 of the pulses per swing over sampled devices, in decades (full model on a population) */
  swingDecades: number | null;
  /** shares of sampled devices that swing in ≤ fastPulses pulses / not within the cap (the larger of SET and RESET) */
  fastShare: number | null;
  neverShare: number | null;
  reason: string | null;
}

/**
 * The direction of a training loss from its first to its last value. A loss that ends at the level of a
 * uniform guess over `classes` classes (NLL ln K; within 5 % of it or above) is 'at chance' however it got
 * there: falling from an overshoot to ln K is no learning. 'rising' stays 'rising' (also a failure, and the
 * more telling word).
 */
function lossTrendOf(first: number, last: number, classes = 10): 'falling' | 'flat' | 'rising' | 'at chance' {
  if (last > 1.05 * first) return 'rising';
  if (last >= 0.95 * Math.log(classes)) return 'at chance';
  return last < 0.95 * first ? 'falling' : 'flat';
}

export function inSituDiagnosis(
  finalAccuracy: number,
  trace: LossPoint[],
  lossPerEpoch: number[],
  swing: SwingSpread | null,
  classes = 10,
): InSituDiagnosis {
  const pts = trace.length >= 2 ? trace.map((p) => p.loss) : lossPerEpoch;
  let lossTrend: InSituDiagnosis['lossTrend'] = null;
  if (pts.length >= 2) {
    const first = pts[0],
      last = pts[pts.length - 1];
    lossTrend = { first, last, trend: lossTrendOf(first, last, classes) };
  }
  const learned = finalAccuracy >= 50;
  let reason: string | null = null;
  if (!learned) {
    const loss = lossTrend
      ? `the training loss went from ${lossTrend.first.toFixed(2)} to ${lossTrend.last.toFixed(2)} (${lossTrend.trend === 'at chance' ? `at chance: a uniform guess over ${classes} classes gives ln ${classes} = ${Math.log(classes).toFixed(2)}` : lossTrend.trend}); `
      : '';
    reason = swing
      ? `${loss}one pulse shape serves every device, and this population's ${describeSwingSpread(swing)}: devices that swing in a few pulses flip their weight at every update and those that do not swing within the cap do not learn. Write-verify programming sets each device through its own read-back instead (inference after programming).`
      : `${loss}final accuracy ${finalAccuracy.toFixed(2)} % (chance 10 %).`;
  }
  return {
    learned,
    finalAccuracy,
    lossTrend,
    swingDecades: swing ? swing.decades : null,
    fastShare: swing ? Math.max(swing.set.fastShare, swing.reset.fastShare) : null,
    neverShare: swing ? Math.max(swing.set.neverShare, swing.reset.neverShare) : null,
    reason,
  };
}
