import fc from 'fast-check';
import { thrown } from '../helpers/decoding.js';
import { describe, expect, it } from 'vitest';
import {
  AMPSException,
  CommandException,
  DEFAULT_MAX_FRAME_LENGTH,
  FrameSplitter,
  StreamException,
  frame,
} from '../../src/index.js';
import { cut, cutting, framed, patterned, payloads, sameBytes } from './framed-streams.js';

const bytes = (...values: number[]) => new Uint8Array(values);

/** Pushes each chunk and returns the payloads delivered, copied as they arrive. */
function split(chunks: readonly Uint8Array[], splitter = new FrameSplitter()): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of chunks) splitter.push(c, (p) => out.push(p));
  return out;
}

describe('FrameSplitter examples', () => {
  it('delivers a frame inside one chunk as a view of that chunk', () => {
    const chunk = bytes(0, 0, 0, 3, 10, 11, 12, 0, 0, 0, 1, 13);
    const got = split([chunk]);
    expect(got).toEqual([bytes(10, 11, 12), bytes(13)]);
    expect(got[0]!.buffer).toBe(chunk.buffer);
    expect(got[0]!.byteOffset).toBe(4);
    expect(got[1]!.buffer).toBe(chunk.buffer);
    expect(got[1]!.byteOffset).toBe(11);
  });

  it('keeps views relative to a chunk that is itself a view at an offset', () => {
    const backing = bytes(99, 99, 0, 0, 0, 2, 7, 8, 99);
    const got = split([backing.subarray(2, 8)]);
    expect(got).toEqual([bytes(7, 8)]);
    expect(got[0]!.buffer).toBe(backing.buffer);
    expect(got[0]!.byteOffset).toBe(6);
  });

  it('delivers a frame whose prefix straddles chunks as a view of the chunk holding the payload', () => {
    const second = bytes(2, 5, 6, 0);
    const got = split([bytes(0, 0), bytes(0), second, bytes(0, 0, 1, 9)]);
    expect(got).toEqual([bytes(5, 6), bytes(9)]);
    expect(got[0]!.buffer).toBe(second.buffer);
  });

  it('assembles a payload that straddles chunks once, into its own buffer', () => {
    const a = bytes(0, 0, 0, 5, 1, 2);
    const b = bytes(3);
    const c = bytes(4, 5, 0, 0, 0, 0);
    const got = split([a, b, c]);
    expect(got).toEqual([bytes(1, 2, 3, 4, 5), bytes()]);
    expect(got[0]!.buffer).not.toBe(a.buffer);
    expect(got[0]!.buffer).not.toBe(c.buffer);
    expect(got[0]!.buffer.byteLength).toBe(5);
  });

  it('assembles a payload fed in small and large pieces alike', () => {
    const payload = patterned(9000, 3);
    const stream = framed([payload, bytes(1)]);
    const sizes = [3, 1, 1, 1, 2, 300, 1, 255, 256, 5000, 7, 1, 3000];
    const splitter = new FrameSplitter();
    const got: Uint8Array[] = [];
    let o = 0;
    for (const n of sizes) {
      splitter.push(stream.slice(o, o + n), (p) => got.push(p));
      o += n;
      expect(splitter.buffered).toBe(o);
    }
    splitter.push(stream.slice(o), (p) => got.push(p));
    splitter.end();
    expect(got).toEqual([payload, bytes(1)]);
  });

  it('delivers zero-length frames, alone and in runs', () => {
    expect(split([bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 42, 0, 0, 0, 0)])).toEqual([
      bytes(),
      bytes(),
      bytes(42),
      bytes(),
    ]);
    expect(split([bytes(0, 0), bytes(0, 0)])).toEqual([bytes()]);
  });

  it('delivers payloads that stay valid after the callback and after later pushes', () => {
    const splitter = new FrameSplitter();
    const kept: Uint8Array[] = [];
    splitter.push(bytes(0, 0, 0, 2, 1, 2, 0, 0), (p) => kept.push(p));
    splitter.push(bytes(0, 3, 3, 4), (p) => kept.push(p));
    splitter.push(bytes(5, 0, 0, 0, 1, 6), (p) => kept.push(p));
    splitter.end();
    expect(kept).toEqual([bytes(1, 2), bytes(3, 4, 5), bytes(6)]);
  });

  it('ignores empty chunks in every state', () => {
    const e = bytes();
    expect(split([e, bytes(0, 0), e, bytes(0, 2), e, bytes(1), e, bytes(2), e])).toEqual([bytes(1, 2)]);
  });

  it('accepts a Node Buffer and delivers plain Uint8Array views of it', () => {
    const chunk = Buffer.from([0, 0, 0, 2, 65, 66]);
    const [payload] = split([chunk]);
    expect(payload).toEqual(bytes(65, 66));
    expect(Object.getPrototypeOf(payload)).toBe(Uint8Array.prototype);
    expect(payload!.buffer).toBe(chunk.buffer);
  });

  it('frame() writes the big-endian length prefix before a copy of the payload', () => {
    const payload = bytes(1, 2, 3);
    const f = frame(payload);
    expect(f).toEqual(bytes(0, 0, 0, 3, 1, 2, 3));
    payload[0] = 9;
    expect(f[4]).toBe(1);
    expect(frame(bytes())).toEqual(bytes(0, 0, 0, 0));
    expect(frame(patterned(0x012345, 1)).subarray(0, 4)).toEqual(bytes(0, 0x01, 0x23, 0x45));
    expect(split([frame(patterned(300, 2))])).toEqual([patterned(300, 2)]);
  });

  it('frame() refuses what is not bytes with CommandException', () => {
    const error = thrown(() => frame('abc' as unknown as Uint8Array));
    expect(error).toBeInstanceOf(CommandException);
    expect((error as CommandException).code).toBe('AMPS_INVALID_ARGUMENT');
  });
});

describe('FrameSplitter limits', () => {
  it('defaults maxFrameLength to 64 MiB', () => {
    expect(DEFAULT_MAX_FRAME_LENGTH).toBe(67_108_864);
    expect(new FrameSplitter().maxFrameLength).toBe(67_108_864);
  });

  it('accepts a frame of exactly maxFrameLength', () => {
    const splitter = new FrameSplitter({ maxFrameLength: 3 });
    expect(split([bytes(0, 0, 0, 3, 1, 2, 3)], splitter)).toEqual([bytes(1, 2, 3)]);
  });

  it('refuses a declared length over the maximum as soon as the prefix is complete', () => {
    const splitter = new FrameSplitter({ maxFrameLength: 3 });
    const got: Uint8Array[] = [];
    // One good frame (7 bytes), then a prefix declaring 4 with no payload byte yet.
    const error = thrown(() => splitter.push(bytes(0, 0, 0, 1, 9, 0, 0, 0, 4), (p) => got.push(p)));
    expect(got).toEqual([bytes(9)]);
    expect(error).toBeInstanceOf(StreamException);
    const e = error as StreamException;
    expect(e.code).toBe('AMPS_FRAME_TOO_LARGE');
    expect(e.offset).toBe(5);
    expect(e.protocol).toBe('frame');
    expect(e.message).toBe('frame: frame declares 4 payload bytes, more than maxFrameLength 3 at byte 5');
    expect(splitter.buffered).toBe(0);
  });

  it('refuses an oversize length whose prefix straddles chunks, at the prefix offset', () => {
    const splitter = new FrameSplitter();
    splitter.push(bytes(0, 0, 0, 0, 0xff), () => {});
    splitter.push(bytes(0xff), () => {});
    expect(splitter.buffered).toBe(2);
    const error = thrown(() => splitter.push(bytes(0xff, 0xff, 1, 2, 3), () => {})) as StreamException;
    expect(error.code).toBe('AMPS_FRAME_TOO_LARGE');
    expect(error.offset).toBe(4);
    expect(error.message).toContain('4294967295');
  });

  it('stays failed after an oversize frame until reset', () => {
    const splitter = new FrameSplitter({ maxFrameLength: 0 });
    const first = thrown(() => splitter.push(bytes(0, 0, 0, 1), () => {}));
    expect(thrown(() => splitter.push(bytes(0, 0, 0, 0), () => {}))).toBe(first);
    expect(thrown(() => splitter.end())).toBe(first);
    splitter.reset();
    expect(split([bytes(0, 0, 0, 0)], splitter)).toEqual([bytes()]);
  });

  it('holds only the bytes received of a frame declaring 64 MiB', () => {
    const splitter = new FrameSplitter();
    const chunk = new Uint8Array(14);
    chunk.set([0x04, 0, 0, 0]); // 64 MiB exactly: allowed
    splitter.push(chunk, () => {});
    expect(splitter.buffered).toBe(14);
    splitter.push(new Uint8Array(10), () => {});
    expect(splitter.buffered).toBe(24);
  });

  it('rejects invalid maxFrameLength values with CommandException', () => {
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN, '10' as unknown as number]) {
      const error = thrown(() => new FrameSplitter({ maxFrameLength: bad }));
      expect(error).toBeInstanceOf(CommandException);
    }
    expect(new FrameSplitter({ maxFrameLength: 2 ** 32 - 1 }).maxFrameLength).toBe(2 ** 32 - 1);
  });

  it('rejects a chunk that is not bytes with CommandException', () => {
    const splitter = new FrameSplitter();
    for (const bad of ['abc', null, undefined, [0, 0, 0, 0], new ArrayBuffer(4)]) {
      const error = thrown(() => splitter.push(bad as unknown as Uint8Array, () => {}));
      expect(error).toBeInstanceOf(CommandException);
      expect((error as CommandException).code).toBe('AMPS_INVALID_ARGUMENT');
    }
  });
});

describe('FrameSplitter end of stream', () => {
  it('ends cleanly on a frame boundary and starts a new stream at offset 0', () => {
    const splitter = new FrameSplitter();
    split([bytes(0, 0, 0, 1, 5)], splitter);
    expect(splitter.offset).toBe(5);
    splitter.end();
    expect(splitter.offset).toBe(0);
    expect(splitter.buffered).toBe(0);
    new FrameSplitter().end();
  });

  it('reports a stream that ends inside a length prefix, at the end offset', () => {
    const splitter = new FrameSplitter();
    split([bytes(0, 0, 0, 1, 5, 0), bytes(0)], splitter);
    expect(splitter.buffered).toBe(2);
    const error = thrown(() => splitter.end()) as StreamException;
    expect(error).toBeInstanceOf(StreamException);
    expect(error.code).toBe('AMPS_FRAME_TRUNCATED');
    expect(error.offset).toBe(7);
    expect(error.protocol).toBe('frame');
    expect(error.message).toBe(
      'frame: stream ended after 2 of the 4 length-prefix bytes of the frame starting at byte 5 at byte 7',
    );
  });

  it('reports a stream that ends inside a payload, at the end offset', () => {
    const splitter = new FrameSplitter();
    split([bytes(0, 0, 0, 0, 0, 0, 0, 9, 1, 2), bytes(3)], splitter);
    expect(splitter.buffered).toBe(7);
    const error = thrown(() => splitter.end()) as StreamException;
    expect(error.code).toBe('AMPS_FRAME_TRUNCATED');
    expect(error.offset).toBe(11);
    expect(error.message).toBe(
      'frame: stream ended after 3 of the 9 payload bytes of the frame starting at byte 4 at byte 11',
    );
  });

  it('reports a stream that ends right after a complete prefix', () => {
    const splitter = new FrameSplitter();
    split([bytes(0, 0, 0, 2)], splitter);
    const error = thrown(() => splitter.end()) as StreamException;
    expect(error.code).toBe('AMPS_FRAME_TRUNCATED');
    expect(error.offset).toBe(4);
    expect(error.message).toContain('after 0 of the 2 payload bytes');
  });
});

describe('FrameSplitter when the callback throws', () => {
  it('rethrows, and delivers the rest of the chunk on the next push', () => {
    const splitter = new FrameSplitter();
    const got: Uint8Array[] = [];
    const boom = new Error('boom');
    const failOnTwo = (p: Uint8Array) => {
      got.push(p);
      if (p[0] === 2) throw boom;
    };
    const stream = framed([bytes(1), bytes(2), bytes(3), bytes(4, 4)]);
    expect(thrown(() => splitter.push(stream.subarray(0, 13), failOnTwo))).toBe(boom);
    expect(got).toEqual([bytes(1), bytes(2)]);
    expect(splitter.buffered).toBe(3); // the third frame and one byte of the fourth's prefix
    expect(thrown(() => splitter.end())).toBeInstanceOf(CommandException);
    splitter.push(stream.subarray(13), (p) => got.push(p));
    splitter.end();
    expect(got).toEqual([bytes(1), bytes(2), bytes(3), bytes(4, 4)]);
  });

  it('keeps offsets right when the throwing frame was assembled from pieces', () => {
    const splitter = new FrameSplitter({ maxFrameLength: 4 });
    splitter.push(bytes(0, 0, 0, 2, 7), () => {});
    const boom = new Error('boom');
    expect(
      thrown(() =>
        splitter.push(bytes(8, 0, 0, 0, 5), () => {
          throw boom;
        }),
      ),
    ).toBe(boom);
    const error = thrown(() => splitter.push(bytes(1), () => {})) as StreamException;
    expect(error.code).toBe('AMPS_FRAME_TOO_LARGE');
    expect(error.offset).toBe(6);
  });
});

describe('FrameSplitter properties', () => {
  it('delivers the payloads whatever the chunking', () => {
    fc.assert(
      fc.property(payloads, cutting, (list, sizes) => {
        const splitter = new FrameSplitter();
        const got = split(cut(framed(list), sizes), splitter);
        splitter.end();
        expect(got.length).toBe(list.length);
        expect(sameBytes(got, list)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('never holds more than the bytes received of the partial frame', () => {
    fc.assert(
      fc.property(payloads, cutting, (list, sizes) => {
        const stream = framed(list);
        const splitter = new FrameSplitter();
        // Where each frame starts, to know how much of the current one has arrived.
        const starts: number[] = [];
        for (let o = 0, i = 0; i < list.length; o += 4 + list[i]!.length, i++) starts.push(o);
        let received = 0;
        let delivered = 0;
        // Collected and compared once: an expect() per one-byte chunk would dominate the run.
        const wrong: string[] = [];
        for (const chunk of cut(stream, sizes)) {
          splitter.push(chunk, () => delivered++);
          received += chunk.length;
          const partial = delivered < list.length ? received - starts[delivered]! : 0;
          const limit = 4 + (list[delivered]?.length ?? 0);
          if (splitter.buffered !== partial || partial > limit || splitter.offset !== received) {
            wrong.push(
              `after ${received} bytes: buffered ${splitter.buffered}, expected ${partial}; offset ${splitter.offset}`,
            );
          }
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('reports a stream cut inside a frame with the offset where it ends', () => {
    fc.assert(
      fc.property(
        payloads.filter((l) => l.length > 0),
        fc.double({ min: 0, max: 1, noNaN: true }),
        cutting,
        (list, where, sizes) => {
          const stream = framed(list);
          const boundaries = new Set<number>();
          for (let o = 0, i = 0; i <= list.length; i++) {
            boundaries.add(o);
            if (i < list.length) o += 4 + list[i]!.length;
          }
          const end = Math.min(stream.length - 1, Math.floor(where * stream.length));
          fc.pre(!boundaries.has(end));
          const splitter = new FrameSplitter();
          const got = split(cut(stream.subarray(0, end), sizes), splitter);
          const error = thrown(() => splitter.end()) as StreamException;
          expect(error).toBeInstanceOf(StreamException);
          expect(error.code).toBe('AMPS_FRAME_TRUNCATED');
          expect(error.offset).toBe(end);
          expect(sameBytes(got, list.slice(0, got.length))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('throws only AMPSException on arbitrary bytes, at a stream offset it has received', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }),
        (noise, sizes) => {
          const splitter = new FrameSplitter({ maxFrameLength: 100 });
          try {
            split(cut(noise, sizes), splitter);
            splitter.end();
          } catch (error) {
            expect(error).toBeInstanceOf(AMPSException);
            expect((error as StreamException).offset).toBeLessThanOrEqual(noise.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
