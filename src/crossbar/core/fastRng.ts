/**
 * A small-state generator for hot loops (pulse trains, output noise, c2c draws): xoshiro128+ with
 * inline state, seeded from the project's `Rng` (so every stream derives from the recorded seed).
 * Methods avoid allocation; `normal()` is Marsaglia's polar method with a cached spare.
 */
import type { Rng } from '../../util/rng.js';

export class FastRng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seedFrom: Rng) {
    this.s0 = (seedFrom.next() * 4294967296) >>> 0;
    this.s1 = (seedFrom.next() * 4294967296) >>> 0;
    this.s2 = (seedFrom.next() * 4294967296) >>> 0;
    this.s3 = (seedFrom.next() * 4294967296) >>> 0 || 1;
  }

  /** The generator's full state (for checkpoints). */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.hasSpare ? 1 : 0, this.spare];
  }
  setState(s: number[]): void {
    [this.s0, this.s1, this.s2, this.s3] = s;
    this.hasSpare = s[4] === 1;
    this.spare = s[5];
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const result = (this.s0 + this.s3) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform in [0, 1) with 32-bit resolution. */
  uniform(): number {
    return this.u32() * 2.3283064365386963e-10;
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0,
      v = 0,
      q = 0;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /** A 31-slot Bernoulli(p) pulse train as a bit mask (bit b = pulse in slot b), BL ≤ 32. */
  train(p: number, bl: number): number {
    if (p <= 0) return 0;
    if (p >= 1) return bl >= 32 ? -1 >>> 0 : ((1 << bl) - 1) >>> 0;
    const thr = p * 4294967296;
    let m = 0;
    for (let b = 0; b < bl; b++) if (this.u32() < thr) m |= 1 << b;
    return m >>> 0;
  }
}

/** Number of set bits of a 32-bit integer. */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
