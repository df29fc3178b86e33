/** FrameSplitterStream: frame splitting as a WHATWG TransformStream (browsers, Deno, Bun, Node). */
import { FrameSplitter, type FrameSplitterOptions } from './splitter.js';

/**
 * A `TransformStream` from byte chunks to frame payloads. The readable side errors with
 * StreamException for an oversize frame, or when the writable side closes inside a frame.
 *
 * ```ts
 * const frames = response.body.pipeThrough(new FrameSplitterStream());
 * ```
 */
export class FrameSplitterStream extends TransformStream<Uint8Array, Uint8Array> {
  constructor(options?: FrameSplitterOptions) {
    const splitter = new FrameSplitter(options);
    let enqueue: (payload: Uint8Array) => void;
    super({
      start(controller) {
        enqueue = (payload) => controller.enqueue(payload);
      },
      transform(chunk) {
        splitter.push(chunk, enqueue);
      },
      flush() {
        splitter.end();
      },
    });
  }
}
