// Frame splitting (issue 4, "Speed"): a stream of frames as a socket delivers it, in 64 KiB
// chunks with frames straddling the chunk edges, split by FrameSplitter, by the splitter people
// write by hand, and (for 1 KiB frames) against merely copying the same bytes once.
import { FrameSplitter } from '../../dist/esm/index.js';

/** Socket reads of 64 KiB, the size Node's net.Socket hands out. */
const CHUNK = 64 * 1024;

/**
 * `bytes` worth of frames with `size`-byte payloads, cut into 64 KiB Buffers as a socket would
 * hand them over (each chunk its own allocation). Neither size divides 64 KiB once the 4-byte
 * prefix is added, so frames straddle chunk edges, some inside their prefix.
 */
function socketStream(size, bytes) {
  const count = Math.floor(bytes / (4 + size));
  const stream = Buffer.alloc(count * (4 + size));
  for (let i = 0, o = 0; i < count; i++, o += 4 + size) {
    stream.writeUInt32BE(size, o);
    stream.fill(i & 0xff, o + 4, o + 4 + size);
  }
  const chunks = [];
  for (let o = 0; o < stream.length; o += CHUNK) chunks.push(Buffer.from(stream.subarray(o, o + CHUNK)));
  return { chunks, count, length: stream.length };
}

// What a consumer does with each payload: touch it, so both contenders hand over real bytes.
let folded = 0;
const consume = (payload) => {
  folded = (folded + payload.length + payload[0]) | 0;
};

function splitOurs(chunks) {
  const splitter = new FrameSplitter();
  folded = 0;
  for (let i = 0; i < chunks.length; i++) splitter.push(chunks[i], consume);
  splitter.end();
  return folded;
}

/** The usual hand-written splitter: Buffer.concat the remainder with each chunk, readUInt32BE, subarray. */
function splitByHand(chunks) {
  let rest;
  folded = 0;
  for (let i = 0; i < chunks.length; i++) {
    const buf = rest === undefined ? chunks[i] : Buffer.concat([rest, chunks[i]]);
    let pos = 0;
    while (buf.length - pos >= 4) {
      const n = buf.readUInt32BE(pos);
      if (buf.length - pos - 4 < n) break;
      consume(buf.subarray(pos + 4, pos + 4 + n));
      pos += 4 + n;
    }
    rest = pos < buf.length ? buf.subarray(pos) : undefined;
  }
  if (rest !== undefined) throw new Error('stream ended inside a frame');
  return folded;
}

/** The bytes copied once into one buffer allocated up front: memcpy and nothing else. */
function copier(stream) {
  const target = Buffer.allocUnsafe(stream.length);
  return () => {
    let o = 0;
    for (let i = 0; i < stream.chunks.length; i++) {
      target.set(stream.chunks[i], o);
      o += stream.chunks[i].length;
    }
    return target[o - 1];
  };
}

/** Both splitters must see every frame and agree on what they saw. */
function checker(name, stream) {
  return () => {
    let frames = 0;
    const splitter = new FrameSplitter();
    for (const c of stream.chunks) splitter.push(c, () => frames++);
    splitter.end();
    if (frames !== stream.count)
      throw new Error(`${name}: FrameSplitter delivered ${frames} frames, expected ${stream.count}`);
    if (splitOurs(stream.chunks) !== splitByHand(stream.chunks)) throw new Error(`${name}: the splitters disagree`);
  };
}

const small = socketStream(64, 4 << 20);
const large = socketStream(1024, 32 << 20);

/** FrameSplitter against the hand-written splitter on `stream`. */
function againstHand(name, goal, stream, payloadSize) {
  return {
    name,
    issue: 4,
    goal,
    ours: () => splitOurs(stream.chunks),
    baselineName: 'hand-written splitter (Buffer.concat remainder + readUInt32BE + subarray)',
    baseline: () => splitByHand(stream.chunks),
    bytes: stream.length,
    check: checker(name, stream),
    note: `one op splits a ${stream.length >> 20} MiB stream of ${stream.count} frames with ${payloadSize} payloads, in 64 KiB chunks; frames/s = ops/s × ${stream.count}.`,
  };
}

export default [
  againstHand('frame-split/64B', 2, small, '64-byte'),
  againstHand('frame-split/1KiB', 1.5, large, '1 KiB'),
  {
    name: 'frame-split/1KiB-vs-copy',
    issue: 4,
    goal: 1,
    ours: () => splitOurs(large.chunks),
    baselineName: 'memcpy of the same chunks into one preallocated buffer',
    baseline: copier(large),
    bytes: large.length,
    check: checker('frame-split/1KiB-vs-copy', large),
    note: 'zero-copy splitting must beat copying the bytes once: the baseline only copies the 64 KiB chunks into a 32 MiB buffer allocated up front (no allocation, no framing).',
  },
];
