/**
 * A bounded, transformed parameter space (generic: no physics here).
 * Each free parameter p maps to an unconstrained-looking coordinate u:
 *   positive parameters: u = ln(p)            (relative changes, the natural scale of most JART parameters)
 *   with an offset:      u = ln(p + offset)   (a log scale that still reaches p = 0: the external
 *                                              series resistance, whose range starts at 0 Ω)
 *   others:              u = p / scale        (scale = max(|default|, range/10), so u moves O(1))
 * Bounds are carried into u; the optimiser clamps to them.
 */
export interface SpaceParam {
  name: string;
  min: number;
  max: number;
  positive: boolean;
  /** Typical magnitude, used for the linear scale of non-positive parameters. */
  typical: number;
  /** u = ln(p + offset) (p ≥ min ≥ 0 allowed; offset > 0); overrides `positive`. */
  offset?: number;
}

export interface ParamSpace {
  readonly names: readonly string[];
  readonly uMin: Float64Array;
  readonly uMax: Float64Array;
  toU(values: ArrayLike<number>): Float64Array;
  fromU(u: ArrayLike<number>): Float64Array;
  /** d p / d u at u (for converting standard errors back to parameter units). */
  dpdu(u: ArrayLike<number>): Float64Array;
  clampU(u: Float64Array): Float64Array;
}

export function createSpace(params: readonly SpaceParam[]): ParamSpace {
  const n = params.length;
  const scale = new Float64Array(n);
  const uMin = new Float64Array(n);
  const uMax = new Float64Array(n);
  const off = new Float64Array(n);
  const isLog = params.map((p) => p.positive || (p.offset ?? 0) > 0);
  const pMin = Float64Array.from(params, (p) => p.min);
  const pMax = Float64Array.from(params, (p) => p.max);
  params.forEach((p, i) => {
    if ((p.offset ?? 0) > 0) {
      off[i] = p.offset!;
      uMin[i] = Math.log(Math.max(p.min, 0) + off[i]);
      uMax[i] = Math.log(p.max + off[i]);
      scale[i] = 1;
    } else if (p.positive) {
      const lo = p.min > 0 ? p.min : Math.max(p.typical, Number.MIN_VALUE) * 1e-6;
      uMin[i] = Math.log(lo);
      uMax[i] = Math.log(p.max);
      scale[i] = 1;
    } else {
      scale[i] = Math.max(Math.abs(p.typical), (p.max - p.min) / 10) || 1;
      uMin[i] = p.min / scale[i];
      uMax[i] = p.max / scale[i];
    }
  });
  const toU = (v: ArrayLike<number>): Float64Array => {
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) u[i] = isLog[i] ? Math.log(v[i] + off[i]) : v[i] / scale[i];
    return u;
  };
  const fromU = (u: ArrayLike<number>): Float64Array => {
    const v = new Float64Array(n);
    // Clamped to the parameter's own bounds: exp(ln(min)) can round to just below min (1e-10 →
    // 9.999999999999996e-11), which a parameter check such as resolveParams then refuses.
    for (let i = 0; i < n; i++) {
      const p = isLog[i] ? Math.max(0, Math.exp(u[i]) - off[i]) : u[i] * scale[i];
      v[i] = Math.min(pMax[i], Math.max(pMin[i], p));
    }
    return v;
  };
  return {
    names: params.map((p) => p.name),
    uMin,
    uMax,
    toU,
    fromU,
    dpdu(u) {
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = isLog[i] ? Math.exp(u[i]) : scale[i];
      return d;
    },
    clampU(u) {
      for (let i = 0; i < n; i++) u[i] = Math.min(uMax[i], Math.max(uMin[i], u[i]));
      return u;
    },
  };
}
