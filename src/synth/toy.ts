/**
 * A toy bipolar switching cell for ingest fixtures and tests that must not depend on the physics
 * model: HRS with a sinh-shaped I-V, an abrupt SET at vSetV (negative) to an ohmic LRS, a RESET that
 * starts at vResetV (positive) and decays back to HRS. Not JART; only shaped like a real loop.
 */
export interface ToyDevice {
  hrsOhm: number;
  lrsOhm: number;
  vSetV: number;
  vResetV: number;
  vMinV: number;
  vMaxV: number;
  stepV: number;
  rateVps: number;
}

export function toyLoop(d: ToyDevice): { tS: Float64Array; vV: Float64Array; iA: Float64Array } {
  const v: number[] = [];
  const legs: [number, number][] = [
    [0, d.vMinV],
    [d.vMinV, 0],
    [0, d.vMaxV],
    [d.vMaxV, 0],
  ];
  v.push(0);
  for (const [a, b] of legs) {
    const n = Math.max(1, Math.round(Math.abs(b - a) / d.stepV));
    for (let k = 1; k <= n; k++) v.push(a + ((b - a) * k) / n);
  }
  const n = v.length;
  const tS = new Float64Array(n),
    vV = Float64Array.from(v),
    iA = new Float64Array(n);
  let state = 0; // 0 = HRS, 1 = LRS (continuous during RESET)
  for (let k = 0; k < n; k++) {
    if (k > 0) tS[k] = tS[k - 1] + Math.abs(v[k] - v[k - 1]) / d.rateVps;
    const x = v[k];
    if (x <= d.vSetV) state = 1;
    if (x >= d.vResetV && state > 0) state = Math.max(0, state * Math.exp(-(x - d.vResetV) / 0.05));
    const gH = (Math.sinh(x / 0.25) * 0.25) / d.hrsOhm;
    const gL = x / d.lrsOhm;
    iA[k] = (1 - state) * gH + state * gL;
  }
  return { tS, vV, iA };
}
