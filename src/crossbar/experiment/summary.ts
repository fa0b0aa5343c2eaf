/** Mean ± std over repeats of per-epoch records (std: sample standard deviation, 0 for one repeat). */
export interface Rec {
  epoch: number;
  testAccuracy: number;
  trainLoss: number;
}

export function meanStd(v: number[]): [number, number] {
  const n = v.length;
  if (n === 0) return [NaN, NaN];
  const m = v.reduce((a, b) => a + b, 0) / n;
  const s = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1)) : 0;
  return [m, s];
}

export function summarize(repeats: Rec[][]): {
  finalAccuracy: number;
  accuracyStd: number;
  accuracyPerEpoch: number[];
  lossPerEpoch: number[];
} {
  const finals = repeats.filter((r) => r.length > 0).map((r) => r[r.length - 1].testAccuracy);
  const [m, s] = meanStd(finals);
  const nEp = Math.max(0, ...repeats.map((r) => r.length));
  const accuracyPerEpoch: number[] = [],
    lossPerEpoch: number[] = [];
  for (let e = 0; e < nEp; e++) {
    accuracyPerEpoch.push(meanStd(repeats.filter((r) => r.length > e).map((r) => r[e].testAccuracy))[0]);
    lossPerEpoch.push(meanStd(repeats.filter((r) => r.length > e).map((r) => r[e].trainLoss))[0]);
  }
  return { finalAccuracy: m, accuracyStd: s, accuracyPerEpoch, lossPerEpoch };
}
