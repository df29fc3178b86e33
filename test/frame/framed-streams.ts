// Arbitraries and helpers shared by the frame splitting tests (test/frame and test/node): lists
// of payloads (empty ones, small ones, some over 64 KiB), their framed stream, and ways of
// cutting that stream into chunks, down to one byte at a time.
import fc from 'fast-check';

/** A payload of `length` bytes whose content tells where it came from (cheap to build large). */
export function patterned(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 7) & 0xff;
  return out;
}

/** Payloads: mostly short, some empty, now and then one over 64 KiB. */
export const payloads = fc.array(
  fc.oneof(
    { weight: 10, arbitrary: fc.uint8Array({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.constant(new Uint8Array(0)) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.integer({ min: 65_537, max: 140_000 }), fc.nat(255)).map(([n, s]) => patterned(n, s)),
    },
  ),
  { maxLength: 12 },
);

/** The stream of frames carrying `list`, built independently of the code under test. */
export function framed(list: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of list) total += 4 + p.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let o = 0;
  for (const p of list) {
    view.setUint32(o, p.length);
    out.set(p, o + 4);
    o += 4 + p.length;
  }
  return out;
}

/**
 * A way of cutting a stream: one byte at a time, fixed-size chunks, or a cycle of random sizes
 * (small ones land inside prefixes, large ones hold many frames).
 */
export const cutting = fc.oneof(
  fc.constant([1]),
  fc.integer({ min: 2, max: 70_000 }).map((n) => [n]),
  fc.array(fc.oneof(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 100_000 })), {
    minLength: 1,
    maxLength: 10,
  }),
);

/** `stream` cut into chunks of the sizes in `sizes`, cycled; each chunk is a copy in its own buffer. */
export function cut(stream: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let o = 0, i = 0; o < stream.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, stream.length - o);
    chunks.push(stream.slice(o, o + n));
    o += n;
  }
  return chunks;
}

/** What `promise` rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Whether two lists of payloads hold the same bytes (faster than toEqual on large payloads). */
export function sameBytes(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  }
  return true;
}
