/** createFrameSplitter: frame splitting as a Node Transform stream. */
import { Transform, type TransformCallback } from 'node:stream';
import { FrameSplitter, type FrameSplitterOptions } from '../frame/splitter.js';

/** Options for {@link createFrameSplitter}: the splitter's, plus the readable side's buffer size. */
export interface NodeFrameSplitterOptions extends FrameSplitterOptions {
  /** How many payloads the readable side buffers before it stops taking chunks (default 16). */
  highWaterMark?: number;
}

/**
 * A Node `Transform` that takes byte chunks and emits one frame payload (`Uint8Array`) per
 * `data` event (object mode). It respects backpressure: while its readers lag it stops taking
 * chunks. Errors with StreamException for an oversize frame, or when the input ends inside a
 * frame.
 *
 * ```js
 * socket.pipe(createFrameSplitter()).on('data', (payload) => handle(amps.decode(payload)));
 * ```
 */
export function createFrameSplitter(options: NodeFrameSplitterOptions = {}): Transform {
  const splitter = new FrameSplitter(options);
  const stream = new Transform({
    readableObjectMode: true,
    readableHighWaterMark: options.highWaterMark ?? 16,
    transform(chunk: Uint8Array, _encoding: BufferEncoding, callback: TransformCallback) {
      try {
        splitter.push(chunk, emit);
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback();
    },
    flush(callback: TransformCallback) {
      try {
        splitter.end();
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback();
    },
  });
  const emit = (payload: Uint8Array): void => {
    stream.push(payload);
  };
  return stream;
}
