/**
 * The frame splitter, pushed the input in a random chunking. The first input byte seeds the
 * chunking, the second picks maxFrameLength; the rest is the stream. A reference split of the
 * whole stream (WIRE.md section 1) says which frames must arrive, whether an oversize length
 * must stop the stream, and what must be left buffered at the end.
 */
import { Finding, expectSame } from '../engine/oracles.mjs';
import { Random } from '../engine/random.mjs';

const MAX_LENGTHS = [0, 1, 4, 16, 255, 4096, 65536, undefined];

/** The length prefix at `at` of `stream`. */
function prefixAt(stream, at) {
  return ((stream[at] << 24) | (stream[at + 1] << 16) | (stream[at + 2] << 8) | stream[at + 3]) >>> 0;
}

/**
 * The reference split of `stream` with lengths up to `max` (WIRE.md section 1): how many whole
 * frames it holds, where an oversize prefix starts, and the bytes left after the last whole frame.
 * Frames are not kept: a stream of many tiny frames would make the harness, not the splitter,
 * cost more per byte as the input grows.
 */
export function referenceFrames(stream, max) {
  let count = 0;
  let at = 0;
  while (stream.length - at >= 4) {
    const n = prefixAt(stream, at);
    if (n > max) return { count, oversizeAt: at, leftover: 0 };
    if (n > stream.length - at - 4) break;
    count++;
    at += 4 + n;
  }
  return { count, oversizeAt: -1, leftover: stream.length - at };
}

/** Checks each delivered payload, as it arrives, against the next frame of the reference split. */
class FrameChecker {
  constructor(stream) {
    this.stream = stream;
    this.at = 0;
    this.count = 0;
  }

  check(payload) {
    const { stream, at } = this;
    const n = prefixAt(stream, at);
    const expected = stream.subarray(at + 4, at + 4 + n);
    expectSame(() => `frame ${this.count} (at byte ${at}) vs reference split`, payload, expected);
    this.at = at + 4 + n;
    this.count++;
  }
}

/**
 * Cuts `stream` into chunks, made as they are taken: views of one copy, as a socket hands over
 * pieces of its own buffer. (Copying each chunk, or making them all first, would make a large
 * input cost more per byte in the harness than in the splitter, and hide what the scaling
 * oracle looks for.) Now and then an empty chunk is pushed too.
 */
function* chunksOf(stream, seed) {
  const rng = new Random(seed);
  const copy = stream.slice();
  const style = seed & 3; // one byte at a time, small, mixed, or few large chunks
  let emptyAt = rng.oneIn(4) ? rng.below(stream.length + 1) : -1;
  for (let at = 0; at < stream.length; ) {
    if (emptyAt >= 0 && at >= emptyAt) {
      emptyAt = -1;
      yield new Uint8Array(0);
    }
    const n =
      style === 0
        ? 1
        : style === 1
          ? rng.between(1, 7)
          : style === 2
            ? rng.between(0, 64)
            : rng.between(1, stream.length);
    yield copy.subarray(at, at + n);
    at += n;
  }
  if (emptyAt >= 0) yield new Uint8Array(0);
}

export const frame = {
  name: 'frame',
  requires: ['FrameSplitter', 'StreamException'],
  dictionary: 'binary',
  code: ['frame', 'core'],
  fixtures: ['frame'],
  run(lib, input) {
    if (input.length < 2) return;
    const max = MAX_LENGTHS[input[1] & 7];
    const stream = input.subarray(2);
    const expected = referenceFrames(stream, max ?? 64 * 1024 * 1024);
    const splitter = new lib.FrameSplitter(max === undefined ? {} : { maxFrameLength: max });
    const frames = new FrameChecker(stream);
    const onFrame = (payload) => {
      if (frames.count === expected.count)
        throw new Finding('mismatch', `a frame delivered after the ${expected.count} of the reference split`);
      frames.check(payload);
    };
    let error;
    for (const chunk of chunksOf(stream, input[0])) {
      try {
        splitter.push(chunk, onFrame);
      } catch (err) {
        if (!(err instanceof lib.AMPSException)) throw err;
        error = err;
        break;
      }
      if (splitter.buffered > stream.length)
        throw new Finding('contract', `buffered ${splitter.buffered} exceeds the ${stream.length} bytes pushed`);
    }
    expectSame('frames delivered vs reference split', frames.count, expected.count);
    if (expected.oversizeAt >= 0) {
      if (error === undefined)
        throw new Finding(
          'mismatch',
          `a frame declaring more than maxFrameLength ${max} at byte ${expected.oversizeAt} was not refused`,
        );
      expectSame('oversize frame error', [error.code, error.offset], ['AMPS_FRAME_TOO_LARGE', expected.oversizeAt]);
      return;
    }
    if (error !== undefined)
      throw new Finding('mismatch', `push threw ${error.code} (${error.message}) on a stream the reference splits`);
    expectSame('buffered at the end vs bytes after the last whole frame', splitter.buffered, expected.leftover);
    let endError;
    try {
      splitter.end();
    } catch (err) {
      if (!(err instanceof lib.StreamException)) throw err;
      endError = err;
    }
    if (expected.leftover === 0) expectSame('end() after whole frames', endError?.message, undefined);
    else
      expectSame('end() inside a frame', [endError?.code, endError?.offset], ['AMPS_FRAME_TRUNCATED', stream.length]);
  },
};
