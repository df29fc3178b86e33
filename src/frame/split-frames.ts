/** splitFrames: frame payloads from any iterable of chunks, as an async iterator. */
import { CommandException } from '../core/errors.js';
import { FrameSplitter, describe, type FrameSplitterOptions } from './splitter.js';

/**
 * Where chunks can come from: anything async-iterable or iterable of bytes (a Node socket or
 * file stream, an async generator, an array), or a WHATWG ReadableStream, read through its
 * reader where the stream is not async-iterable itself.
 */
export type FrameSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array>;

/**
 * The frame payloads carried by `source`, in order. Throws StreamException
 * (`AMPS_FRAME_TOO_LARGE`) for an oversize frame and (`AMPS_FRAME_TRUNCATED`) when the source
 * ends inside a frame. Stopping early (`break`) closes the source.
 *
 * ```ts
 * for await (const payload of splitFrames(socket)) console.log(amps.decode(payload).getTopic());
 * ```
 */
export async function* splitFrames(
  source: FrameSource,
  options?: FrameSplitterOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const splitter = new FrameSplitter(options);
  const ready: Uint8Array[] = [];
  const collect = (payload: Uint8Array): void => {
    ready.push(payload);
  };
  for await (const chunk of chunksOf(source)) {
    splitter.push(chunk, collect);
    // Index rather than iterate so the array is reused for the next chunk.
    for (let i = 0; i < ready.length; i++) yield ready[i]!;
    ready.length = 0;
  }
  splitter.end();
}

function chunksOf(source: FrameSource): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (source !== null && typeof source === 'object') {
    if (Symbol.asyncIterator in source || Symbol.iterator in source) return source as AsyncIterable<Uint8Array>;
    if (typeof (source as ReadableStream<Uint8Array>).getReader === 'function')
      return readerChunks(source as ReadableStream<Uint8Array>);
  }
  throw new CommandException(
    `splitFrames takes an iterable, an async iterable or a ReadableStream of Uint8Array, got ${describe(source)}`,
  );
}

async function* readerChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel();
    reader.releaseLock();
  }
}
