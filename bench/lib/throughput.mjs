// Throughput end to end: a stream cut into socket-sized chunks, split into frames, each frame
// decoded and its fields read the way a subscriber reads them. Also the two bounds around it:
// memcpy of the same bytes (the physical ceiling) and splitting alone.
import { buildStream } from './stream.mjs';
import { cpuNs, summary } from './measure.mjs';

/** Socket reads of 64 KiB, the size Node's net.Socket hands out. */
const CHUNK = 64 * 1024;

/**
 * A minimal splitter, used only while amps-wire has no FrameSplitter yet: the same contract
 * (views when a frame lies in one chunk, a copy when it straddles).
 */
class FallbackSplitter {
  #held = new Uint8Array(0);
  push(chunk, onFrame) {
    let buf = chunk;
    if (this.#held.length > 0) {
      buf = new Uint8Array(this.#held.length + chunk.length);
      buf.set(this.#held);
      buf.set(chunk, this.#held.length);
    }
    let o = 0;
    while (buf.length - o >= 4) {
      const n = ((buf[o] << 24) | (buf[o + 1] << 16) | (buf[o + 2] << 8) | buf[o + 3]) >>> 0;
      if (buf.length - o - 4 < n) break;
      onFrame(buf.subarray(o + 4, o + 4 + n));
      o += 4 + n;
    }
    this.#held = buf.slice(o);
  }
}

/** The splitter to use and its name. */
export function splitterOf(lib) {
  if (typeof lib.FrameSplitter === 'function') {
    return { name: 'FrameSplitter', make: () => new lib.FrameSplitter({ maxFrameLength: 64 << 20 }) };
  }
  return { name: 'bench fallback splitter (no FrameSplitter in amps-wire yet)', make: () => new FallbackSplitter() };
}

/**
 * Reads a decoded message as a subscriber would: route on the command; for a publish read topic,
 * subscription id, sequence (exact, as bigint) and the body; for a SOW batch each record's key
 * and body; for an ack its command id and status. Returns what it saw, to check against the stream.
 */
function reader() {
  const seen = { publish: 0, sow: 0, ack: 0, records: 0, bodyBytes: 0, text: 0, lastSequence: 0n };
  const read = (m) => {
    const command = m.getCommand();
    if (command === 'publish') {
      seen.publish++;
      seen.text += m.getTopic().length + m.getSubscriptionId().length;
      seen.lastSequence = m.getSequence();
      seen.bodyBytes += m.getData().length;
    } else if (command === 'sow') {
      seen.sow++;
      for (const r of m.records()) {
        seen.records++;
        seen.text += r.getSowKey().length;
        seen.bodyBytes += r.getData().length;
      }
    } else if (command === 'ack') {
      seen.ack++;
      seen.text += m.getCommandId().length + m.getStatus().length;
    } else {
      throw new Error(`unexpected command ${command}`);
    }
  };
  return { seen, read };
}

/** CPU and wall seconds one pass of `work(chunk)` over every chunk of `stream` takes. */
function timePass(stream, work) {
  const c0 = cpuNs();
  const t0 = process.hrtime.bigint();
  for (let o = 0; o < stream.length; o += CHUNK) work(stream.subarray(o, o + CHUNK));
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return { cpu: (cpuNs() - c0) / 1e9, wall };
}

/**
 * CPU seconds (median and spread) of `passes` passes, after untimed passes over a prefix of the
 * stream for `warmupMs` of CPU time, so the timed passes run optimized code; wall seconds beside.
 */
function medianPass(stream, makeWork, passes, warmupMs) {
  const prefix = stream.subarray(0, Math.min(stream.length, 16 << 20));
  const warmEnd = cpuNs() + warmupMs * 1e6;
  do timePass(prefix, makeWork());
  while (cpuNs() < warmEnd);
  const times = [];
  for (let p = 0; p < passes; p++) times.push(timePass(stream, makeWork()));
  return { cpu: summary(times.map((t) => t.cpu)), wall: summary(times.map((t) => t.wall)) };
}

/** Messages and MB (10^6 bytes, prefixes included) per CPU second, and per wall second beside. */
function rates(stream, frames, t) {
  return {
    seconds: t.cpu.median,
    messagesPerSecond: frames / t.cpu.median,
    mbPerSecond: stream.length / t.cpu.median / 1e6,
    wallSeconds: t.wall.median,
  };
}

/**
 * split → decode → read over `built` (from buildStream) in protocol `codec`. Throws if what was
 * read differs from what the stream holds, so a figure is never reported for a wrong decode.
 */
function pipeline(lib, codec, splitter, built, { passes, warmupMs }) {
  // Decoding into one reused Message is how a zero-allocation subscriber reads a stream.
  const into = new lib.Message();
  let last;
  const makeWork = () => {
    const s = splitter.make();
    const r = reader();
    last = r.seen;
    const onFrame = (payload) => r.read(codec.decode(payload, into));
    return (chunk) => s.push(chunk, onFrame);
  };
  const t = medianPass(built.bytes, makeWork, passes, warmupMs);
  for (const k of ['publish', 'sow', 'ack', 'records', 'bodyBytes']) {
    if (last[k] !== built.expected[k]) {
      throw new Error(`${codec.name}: decoded ${last[k]} ${k}, the stream holds ${built.expected[k]}`);
    }
  }
  return { ...rates(built.bytes, built.frames, t), spread: t };
}

/** Frames counted by splitting alone (no decode). */
function splitOnly(splitter, built, { passes, warmupMs }) {
  let count = 0;
  const makeWork = () => {
    const s = splitter.make();
    count = 0;
    const onFrame = () => {
      count++;
    };
    return (chunk) => s.push(chunk, onFrame);
  };
  const t = medianPass(built.bytes, makeWork, passes, warmupMs);
  if (count !== built.frames) throw new Error(`split found ${count} frames, the stream holds ${built.frames}`);
  return rates(built.bytes, count, t);
}

/** Copying the same chunks into one reused buffer: what moving the bytes alone costs. */
function memcpy(built, { passes, warmupMs }) {
  const scratch = new Uint8Array(CHUNK);
  const t = medianPass(built.bytes, () => (chunk) => scratch.set(chunk), passes, warmupMs);
  return rates(built.bytes, built.frames, t);
}

/**
 * One split → decode → read pass over a mixed stream of `totalBytes` in protocol `name`, as a
 * function to run repeatedly (for profiling); it returns the frames it read.
 */
export function streamPass(lib, name, totalBytes) {
  const codec = lib.protocol(name);
  const splitter = splitterOf(lib);
  const built = buildStream(name, { totalBytes, mix: 'mixed' });
  const into = new lib.Message();
  return () => {
    const s = splitter.make();
    const r = reader();
    const onFrame = (payload) => r.read(codec.decode(payload, into));
    timePass(built.bytes, (chunk) => s.push(chunk, onFrame));
    return built.frames;
  };
}

/** Body sizes of the size series: 64 B to 1 MiB, ×4 each step. */
export const SERIES_SIZES = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576];

/**
 * Everything throughput mode measures for one protocol.
 * @param opts `{ mixedBytes, seriesBytes, passes, warmupMs, seriesWarmupMs, withCeiling }`
 */
export function measureProtocol(lib, name, { mixedBytes, seriesBytes, passes, warmupMs, seriesWarmupMs, withCeiling }) {
  const codec = lib.protocol(name);
  const splitter = splitterOf(lib);
  const mixed = buildStream(name, { totalBytes: mixedBytes, mix: 'mixed' });
  const timing = { passes, warmupMs };
  const result = {
    protocol: name,
    splitter: splitter.name,
    mixed: {
      bytes: mixed.bytes.length,
      frames: mixed.frames,
      contents: mixed.expected,
      pipeline: pipeline(lib, codec, splitter, mixed, timing),
      splitOnly: splitOnly(splitter, mixed, timing),
      memcpy: withCeiling ? memcpy(mixed, timing) : undefined,
    },
    series: [],
  };
  for (const bodySize of SERIES_SIZES) {
    const built = buildStream(name, { totalBytes: seriesBytes, mix: 'publish', bodySize, minFrames: 8 });
    const point = pipeline(lib, codec, splitter, built, { passes, warmupMs: seriesWarmupMs });
    result.series.push({ bodySize, frames: built.frames, bytes: built.bytes.length, ...point });
  }
  return result;
}
