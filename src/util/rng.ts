/**
 * Seeded random numbers. Every stochastic function takes an `Rng`; there is no global RNG.
 * Generator: xoshiro128** (32-bit state words, fast in JS), seeded through splitmix32.
 * Same seed → same stream on every platform.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** An independent generator derived from this one's stream and a label (for per-worker/per-device streams). */
  fork(label: number): Rng;
  readonly seed: number;
}

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t = t ^ (t >>> 15);
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  const sm = splitmix32(seed >>> 0);
  let s0 = sm(),
    s1 = sm(),
    s2 = sm(),
    s3 = sm();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  let spare = NaN;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  const next = (): number => (nextU32() * 2 ** 21 + (nextU32() >>> 11)) / 2 ** 53;
  const rng: Rng = {
    seed: seed >>> 0,
    next,
    normal(): number {
      if (!Number.isNaN(spare)) {
        const s = spare;
        spare = NaN;
        return s;
      }
      let u = 0,
        v = 0,
        q = 0;
      do {
        u = 2 * next() - 1;
        v = 2 * next() - 1;
        q = u * u + v * v;
      } while (q >= 1 || q === 0);
      const f = Math.sqrt((-2 * Math.log(q)) / q);
      spare = v * f;
      return u * f;
    },
    int(n: number): number {
      return Math.floor(next() * n);
    },
    fork(label: number): Rng {
      return createRng((nextU32() ^ Math.imul(label + 1, 0x85ebca6b)) >>> 0);
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
