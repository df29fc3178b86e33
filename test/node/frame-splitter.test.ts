import { once } from 'node:events';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamException } from '../../src/index.js';
import { createFrameSplitter } from '../../src/node/index.js';
import { cut, cutting, framed, payloads, rejection, sameBytes } from '../frame/framed-streams.js';

const bytes = (...values: number[]) => new Uint8Array(values);

/** Pipes `chunks` through a new splitter and gathers the payloads it emits. */
async function throughTransform(
  chunks: readonly Uint8Array[],
  options?: Parameters<typeof createFrameSplitter>[0],
): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  await pipeline(
    Readable.from(chunks, { objectMode: false }),
    createFrameSplitter(options),
    async (frames: AsyncIterable<Uint8Array>) => {
      for await (const p of frames) out.push(p);
    },
  );
  return out;
}

describe('createFrameSplitter', () => {
  it('is a Transform emitting one payload per data event', async () => {
    const splitter = createFrameSplitter();
    expect(splitter).toBeInstanceOf(Transform);
    expect(splitter.readableObjectMode).toBe(true);
    expect(splitter.writableObjectMode).toBe(false);
    const got: Uint8Array[] = [];
    splitter.on('data', (p: Uint8Array) => got.push(p));
    splitter.write(Buffer.from([0, 0, 0, 2, 1]));
    splitter.write(Buffer.from([2, 0, 0, 0, 0, 0]));
    splitter.end(Buffer.from([0, 0, 1, 3]));
    await once(splitter, 'end');
    expect(got).toEqual([bytes(1, 2), bytes(), bytes(3)]);
  });

  it('emits an error when the input ends inside a frame', async () => {
    const error = (await rejection(throughTransform([bytes(0, 0, 0, 5, 1, 2)]))) as StreamException;
    expect(error).toBeInstanceOf(StreamException);
    expect(error.code).toBe('AMPS_FRAME_TRUNCATED');
    expect(error.offset).toBe(6);
  });

  it('emits an error for an oversize frame', async () => {
    const error = (await rejection(
      throughTransform([bytes(0, 0, 0, 0, 0, 0, 0, 5)], { maxFrameLength: 4 }),
    )) as StreamException;
    expect(error.code).toBe('AMPS_FRAME_TOO_LARGE');
    expect(error.offset).toBe(4);
  });

  it('stops taking chunks while its reader lags, and loses nothing', async () => {
    const perChunk = 100;
    const chunks: Uint8Array[] = [];
    for (let c = 0; c < 10; c++) {
      chunks.push(
        framed(Array.from({ length: perChunk }, (_, i) => bytes(c, i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))),
      );
    }
    const splitter = createFrameSplitter({ highWaterMark: 16 });
    const accepted = chunks.map((c) => splitter.write(c));
    // Nobody reads: only the first chunk was split; the rest wait on the writable side.
    await new Promise((resolve) => setImmediate(resolve));
    expect(splitter.readableLength).toBe(perChunk);
    expect(accepted.indexOf(false)).toBeGreaterThan(-1);
    expect(splitter.writableLength).toBeGreaterThan(0);
    splitter.end();
    const got: Uint8Array[] = [];
    for await (const p of splitter) got.push(p as Uint8Array);
    expect(got.length).toBe(10 * perChunk);
    got.forEach((p, n) => {
      expect(p[0]).toBe(Math.floor(n / perChunk));
      expect(p[1]).toBe(n % perChunk);
    });
  });

  it('delivers the payloads whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(payloads, cutting, async (list, sizes) => {
        const got = await throughTransform(
          cut(framed(list), sizes).map((c) => Buffer.from(c.buffer, c.byteOffset, c.length)),
        );
        expect(got.length).toBe(list.length);
        expect(sameBytes(got, list)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});
