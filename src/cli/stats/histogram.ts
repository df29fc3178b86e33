/**
 * A histogram of durations in a fixed number of buckets, so percentiles over any number of
 * samples take the same memory. Log-linear buckets: exact up to 64 ns, then 64 buckets per
 * power of two, each at most 1/64 of its lower bound wide. A percentile is reported as the
 * middle of its bucket, clamped to the exact minimum and maximum, so it is within 1/128
 * (0.8 %) of a sample that lies at that rank.
 */

const SUB_BITS = 6;
const SUB = 1 << SUB_BITS; // 64 buckets per power of two
// Powers of two up to 2^53 ns (104 days); longer durations share the last bucket.
const BUCKETS = (53 - SUB_BITS + 1) * SUB + SUB;

/** The relative error bound of a reported percentile. */
export const PERCENTILE_ERROR = 1 / (2 * SUB);

/** Durations in nanoseconds, counted per bucket. */
export class DurationHistogram {
  readonly counts = new Float64Array(BUCKETS);
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;

  /** Counts one duration (negative durations, from captures out of time order, count as 0). */
  add(nanos: number): void {
    const v = nanos > 0 ? Math.floor(nanos) : 0;
    this.counts[bucketOf(v)]!++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** The duration at fraction `q` (0 to 1) of the samples, in nanoseconds; NaN when empty. */
  percentile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const [low, width] = bucketRange(i);
        const mid = width <= 1 ? low : low + width / 2;
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }
}

/** The bucket of a whole number of nanoseconds. */
export function bucketOf(v: number): number {
  if (v < SUB) return v;
  const e = Math.min(53, Math.floor(Math.log2(v)));
  // log2 can round up just below a power of two: correct it.
  const exp = 2 ** e > v ? e - 1 : e;
  const sub = Math.min(SUB - 1, Math.floor(v / 2 ** (exp - SUB_BITS)) - SUB);
  return (exp - SUB_BITS + 1) * SUB + sub;
}

/** `[lowest value, width]` of a bucket. */
export function bucketRange(bucket: number): [number, number] {
  if (bucket < SUB) return [bucket, 1];
  const exp = Math.floor(bucket / SUB) - 1 + SUB_BITS;
  const sub = bucket % SUB;
  const width = 2 ** (exp - SUB_BITS);
  return [(SUB + sub) * width, width];
}
