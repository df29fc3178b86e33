// What a partial frame costs the splitter: the bytes held for it stay within a small factor of
// the bytes received, however a peer cuts the frame up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameSplitter } from '../../src/index.js';

/** A frame of `length` payload bytes, prefix first, cut into pieces of the given sizes (repeating). */
function feed(
  splitter: FrameSplitter,
  length: number,
  sizes: readonly number[],
  onStep: (received: number) => void,
): number {
  const prefix = new Uint8Array([length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff]);
  splitter.push(prefix, () => {});
  let received = 0;
  let frames = 0;
  for (let i = 0; received < length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, length - received);
    splitter.push(new Uint8Array(n).fill(i & 0xff), () => frames++);
    received += n;
    if (received < length) onStep(received);
  }
  return frames;
}

describe('FrameSplitter memory for a partial frame', () => {
  it('alternating 256-byte and 1-byte pieces hold less than twice what arrived', () => {
    const splitter = new FrameSplitter();
    let worst = 0;
    const frames = feed(splitter, 1 << 20, [256, 1], (received) => {
      expect(splitter.buffered).toBe(4 + received);
      worst = Math.max(worst, splitter.retained / received);
    });
    expect(frames).toBe(1);
    expect(worst).toBeLessThan(1.3);
    expect(splitter.retained).toBe(0);
  });

  it('a frame dribbled one byte at a time holds its bytes in blocks that double up to 4 KiB', () => {
    const splitter = new FrameSplitter();
    feed(splitter, 100_000, [1], (received) => {
      expect(splitter.retained).toBeLessThanOrEqual(2 * received + 64);
    });
  });

  it('any cutting holds at most about three times the bytes received', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(1, 63, 64, 65, 255, 256)), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 60_000 }),
        (sizes, length) => {
          const splitter = new FrameSplitter();
          const frames = feed(splitter, length, sizes, (received) => {
            expect(splitter.retained).toBeLessThanOrEqual(3 * received + 64);
          });
          expect(frames).toBe(1);
          expect(splitter.retained).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
