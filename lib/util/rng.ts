/**
 * Seeded, serialisable pseudo-random numbers shared by every stochastic part of the toolkit
 * (synthetic faces, augmentation, fold assignment, shuffling, weight init seeds).
 *
 * The generator is sfc32 (Small Fast Counting, 128-bit state): fast in JS, passes PractRand far
 * beyond what we draw, and its whole state is four uint32 values, so a checkpoint can store it and
 * `--resume` continues the exact same stream.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const x = rng.uniform(-1, 1);
 * const saved = rng.state;          // [a, b, c, d]
 * const again = Rng.fromState(saved); // continues identically
 * ```
 * @module
 */

/** Four uint32 words: the complete state of an {@link Rng}. */
export type RngState = [number, number, number, number];

/** A deterministic random stream. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** Seed from any 32-bit integer (or a string, hashed with FNV-1a). */
  constructor(seed: number | string = 0) {
    const s = typeof seed === "string" ? fnv1a(seed) : seed >>> 0;
    // splitmix32 expands the seed into four well-mixed words.
    let x = s;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Rebuild a generator from a saved {@link RngState}. */
  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    r.state = state;
    return r;
  }

  /** The current state; assign to restore. */
  get state(): RngState {
    return [this.#a, this.#b, this.#c, this.#d];
  }
  set state(s: RngState) {
    if (s.length !== 4 || s.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
      throw new Error(`Rng state must be four uint32 words, got ${JSON.stringify(s)}`);
    }
    [this.#a, this.#b, this.#c, this.#d] = s;
  }

  /** Next uint32. */
  nextUint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = (this.#b ^ (this.#b >>> 9)) >>> 0;
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Rng.int needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Standard normal deviate (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** True with probability p. */
  bernoulli(p = 0.5): boolean {
    return this.next() < p;
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** An independent child stream, derived deterministically from this one and a label. */
  fork(label: string): Rng {
    return new Rng((this.nextUint32() ^ fnv1a(label)) >>> 0);
  }
}

/** 32-bit FNV-1a hash of a string. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
