/**
 * A small seeded PRNG (xorshift128+ reduced to 32-bit outputs). The fuzzer must be reproducible
 * from `--seed`, and Math.random cannot be seeded.
 */
export class Random {
  /** @param {number} seed any integer; 0 is remapped so the state is never all zero */
  constructor(seed) {
    this.a = (seed | 0) ^ 0x9e3779b9 || 1;
    this.b = Math.imul(seed | 0, 0x85ebca6b) ^ 0xc2b2ae35 || 2;
    this.c = 0x27d4eb2f;
    this.d = 0x165667b1;
    for (let i = 0; i < 8; i++) this.next();
  }

  /** A uniformly distributed unsigned 32-bit integer (xoshiro128**). */
  next() {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** An integer in [0, n); n must be positive. */
  below(n) {
    return n <= 1 ? 0 : this.next() % n;
  }

  /** An integer in [lo, hi]. */
  between(lo, hi) {
    return lo + this.below(hi - lo + 1);
  }

  /** True with probability 1/n. */
  oneIn(n) {
    return this.below(n) === 0;
  }

  /** A random element of a non-empty array. */
  pick(items) {
    return items[this.below(items.length)];
  }

  /**
   * A length biased toward small values (half the draws are at most 8), so most edits touch a
   * few bytes but some touch long ranges.
   */
  smallLength(max) {
    if (max <= 1) return max;
    const cap = this.oneIn(2) ? Math.min(max, 8) : this.oneIn(4) ? max : Math.min(max, 64);
    return 1 + this.below(cap);
  }
}

function rotl(x, k) {
  return (x << k) | (x >>> (32 - k));
}
