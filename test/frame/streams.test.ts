import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandException, FrameSplitterStream, StreamException, splitFrames } from '../../src/index.js';
import { cut, cutting, framed, payloads, rejection, sameBytes } from './framed-streams.js';

const bytes = (...values: number[]) => new Uint8Array(values);

async function collect(frames: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  if (frames instanceof ReadableStream) {
    const reader = frames.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value);
    return out;
  }
  for await (const p of frames) out.push(p);
  return out;
}

async function* slowly(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) {
    await Promise.resolve();
    yield c;
  }
}

function readableOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
}

/** Runs `chunks` through a FrameSplitterStream and gathers what its readable side yields. */
async function throughWebStream(chunks: readonly Uint8Array[], maxFrameLength?: number): Promise<Uint8Array[]> {
  const frames = readableOf(chunks).pipeThrough(
    new FrameSplitterStream(maxFrameLength === undefined ? undefined : { maxFrameLength }),
  );
  return collect(frames);
}

describe('splitFrames', () => {
  it('splits a plain array of chunks', async () => {
    expect(await collect(splitFrames([bytes(0, 0, 0, 1, 7, 0), bytes(0, 0, 2, 8, 9)]))).toEqual([
      bytes(7),
      bytes(8, 9),
    ]);
  });

  it('splits an async generator and a WHATWG ReadableStream', async () => {
    const chunks = [bytes(0, 0), bytes(0, 1, 7, 0, 0, 0, 0)];
    expect(await collect(splitFrames(slowly(chunks)))).toEqual([bytes(7), bytes()]);
    expect(await collect(splitFrames(readableOf(chunks)))).toEqual([bytes(7), bytes()]);
  });

  it('reads a ReadableStream through its reader where it is not async-iterable', async () => {
    const stream = readableOf([bytes(0, 0, 0, 1, 3)]);
    const readerOnly = { getReader: () => stream.getReader() } as unknown as ReadableStream<Uint8Array>;
    expect(await collect(splitFrames(readerOnly))).toEqual([bytes(3)]);
  });

  it('reports truncation at the end of the source with the offset where it ended', async () => {
    const error = (await rejection(collect(splitFrames(slowly([bytes(0, 0, 0, 3, 1), bytes(2)]))))) as StreamException;
    expect(error).toBeInstanceOf(StreamException);
    expect(error.code).toBe('AMPS_FRAME_TRUNCATED');
    expect(error.offset).toBe(6);
  });

  it('yields the frames before an oversize one, then throws', async () => {
    const got: Uint8Array[] = [];
    const error = await rejection(
      (async () => {
        for await (const p of splitFrames([bytes(0, 0, 0, 1, 5), bytes(0, 0, 0, 9)], { maxFrameLength: 8 }))
          got.push(p);
      })(),
    );
    expect(got).toEqual([bytes(5)]);
    expect((error as StreamException).code).toBe('AMPS_FRAME_TOO_LARGE');
    expect((error as StreamException).offset).toBe(5);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        yield bytes(0, 0, 0, 1, 1, 0, 0, 0, 1, 2);
        yield bytes(0, 0, 0, 1, 3);
      } finally {
        closed = true;
      }
    }
    for await (const p of splitFrames(source())) {
      expect(p).toEqual(bytes(1));
      break;
    }
    expect(closed).toBe(true);
  });

  it('rejects a source that is not iterable, and chunks that are not bytes, with CommandException', async () => {
    const notIterable = await rejection(collect(splitFrames(42 as unknown as Iterable<Uint8Array>)));
    expect(notIterable).toBeInstanceOf(CommandException);
    const strings = await rejection(collect(splitFrames(['\0\0\0\0'] as unknown as Iterable<Uint8Array>)));
    expect(strings).toBeInstanceOf(CommandException);
  });

  it('delivers the payloads whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(payloads, cutting, fc.boolean(), async (list, sizes, async) => {
        const chunks = cut(framed(list), sizes);
        const got = await collect(splitFrames(async ? slowly(chunks) : chunks));
        expect(got.length).toBe(list.length);
        expect(sameBytes(got, list)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('FrameSplitterStream', () => {
  it('is a TransformStream from chunks to payloads', async () => {
    const stream = new FrameSplitterStream();
    expect(stream).toBeInstanceOf(TransformStream);
    expect(await throughWebStream([bytes(0, 0, 0), bytes(2, 4, 5, 0, 0, 0, 0)])).toEqual([bytes(4, 5), bytes()]);
  });

  it('errors its readable side when the input closes inside a frame', async () => {
    const error = (await rejection(throughWebStream([bytes(0, 0, 0, 2, 4)]))) as StreamException;
    expect(error).toBeInstanceOf(StreamException);
    expect(error.code).toBe('AMPS_FRAME_TRUNCATED');
    expect(error.offset).toBe(5);
  });

  it('errors its readable side on an oversize frame', async () => {
    const error = (await rejection(throughWebStream([bytes(0, 0, 0, 1, 1, 0, 0, 1, 0)], 255))) as StreamException;
    expect(error.code).toBe('AMPS_FRAME_TOO_LARGE');
    expect(error.offset).toBe(5);
  });

  it('delivers the payloads whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(payloads, cutting, async (list, sizes) => {
        const got = await throughWebStream(cut(framed(list), sizes));
        expect(got.length).toBe(list.length);
        expect(sameBytes(got, list)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});
