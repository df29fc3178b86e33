/**
 * Framing (docs/wire-format.md section 1): splitting a byte stream into frame payloads, and writing the
 * length prefix. Portable: nothing here needs Node; the Node stream adapter is in `../node`.
 */
export { DEFAULT_MAX_FRAME_LENGTH, FrameSplitter, type FrameCallback, type FrameSplitterOptions } from './splitter.js';
export { splitFrames, type FrameSource } from './split-frames.js';
export { FrameSplitterStream } from './web-stream.js';
export { frame } from './frame.js';
