/**
 * Test helpers over src/cli/synthetic/capture-writer.ts: whole capture files from segment lists, frames from
 * payload text, and a handler that records everything a CaptureDecoder reports.
 */
import { CaptureDecoder, type CaptureDecoderOptions, type CaptureHandler } from '../../src/capture/capture-decoder.js';
import type { FrameStream, StreamNotice } from '../../src/capture/frame-stream.js';
import type { CapturePacket } from '../../src/capture/packet.js';
import type { RecordStream, RecordStreamOptions } from '../../src/capture/record-stream.js';
import {
  buildPacket,
  PcapngWriter,
  PcapWriter,
  type PacketOptions,
  type PcapFileOptions,
  type SegmentSpec,
} from '../../src/cli/synthetic/capture-writer.js';
import { concatBytes } from '../../src/core/bytes.js';
import { AMPSException, StreamException } from '../../src/core/errors.js';
import { frame } from '../../src/frame/index.js';

export * from '../../src/cli/synthetic/capture-writer.js';

const encoder = new TextEncoder();

/** A frame: 4-byte big-endian length, then the payload (text is UTF-8). */
export function frameOf(payload: string | Uint8Array): Uint8Array {
  return frame(typeof payload === 'string' ? encoder.encode(payload) : payload);
}

/** Concatenation of byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

/** A classic pcap file of the segments, one per record, a millisecond apart from t = 1700000000 s. */
export function pcapOf(
  segments: readonly SegmentSpec[],
  file: PcapFileOptions = {},
  packet: PacketOptions = {},
): Uint8Array {
  const w = new PcapWriter(file);
  const linkType = file.linkType ?? packet.linkType;
  const options: PacketOptions = linkType === undefined ? packet : { ...packet, linkType };
  const parts = [w.header()];
  for (const [i, s] of segments.entries()) parts.push(w.record(buildPacket(s, options), 1_700_000_000, i * 1_000_000));
  return concat(...parts);
}

/** A pcapng file of the segments on one Ethernet interface. */
export function pcapngOf(segments: readonly SegmentSpec[], littleEndian = true): Uint8Array {
  const w = new PcapngWriter({ littleEndian });
  const parts = [w.section(), w.interface({ linkType: 1, tsresol: 9 })];
  for (const [i, s] of segments.entries())
    parts.push(w.enhancedPacket(0, buildPacket(s), 1_700_000_000, i * 1_000_000));
  return concat(...parts);
}

/** `file` cut into fresh chunks of the given sizes (the last size repeats). */
export function* chunksOf(file: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  for (let p = 0, i = 0; p < file.length; i++) {
    const size = Math.max(1, sizes[Math.min(i, sizes.length - 1)]!);
    yield file.slice(p, p + size);
    p += size;
  }
}

/** A packet as a capture reader handed it out, copied. */
export interface PacketSeen {
  linkType: number;
  interfaceId: number;
  seconds: number;
  nanos: number;
  digits: number;
  data: number[];
  originalLength: number;
  fileOffset: number;
}

/**
 * The packets a reader (PcapReader or PcapngReader) hands out for `file` pushed in chunks of
 * the given sizes (the last repeats), and the StreamException it threw, if any.
 */
export function readPackets(
  Reader: new (onPacket: (p: CapturePacket) => void, options?: RecordStreamOptions) => RecordStream,
  file: Uint8Array,
  chunkSizes: readonly number[] = [file.length || 1],
  options: RecordStreamOptions = {},
): { packets: PacketSeen[]; error?: StreamException } {
  const packets: PacketSeen[] = [];
  const reader = new Reader((p) => packets.push({ ...p, data: [...p.data] }), options);
  try {
    for (const chunk of chunksOf(file, chunkSizes)) reader.push(chunk);
    reader.end();
  } catch (err) {
    if (err instanceof StreamException) return { packets, error: err };
    throw err;
  }
  return { packets };
}

/** One event a {@link Recorder} saw. */
export type CaptureEvent =
  | { kind: 'frame'; conn: string; index: number; text: string; length: number; seconds: number; nanos: number }
  | { kind: 'truncated'; conn: string; index: number; frameLength: number | undefined; bytesPresent: number }
  | { kind: 'frameError'; conn: string; index: number; code: string; frameLength: number; offset: number }
  | { kind: 'notice'; conn: string; notice: StreamNotice }
  | { kind: 'warning'; code: string; message: string; offset: number };

const decoder = new TextDecoder();

/** A CaptureHandler that records every call as data. */
export class Recorder implements CaptureHandler {
  readonly events: CaptureEvent[] = [];
  source: CaptureDecoder | undefined = undefined;

  frame(stream: FrameStream, payload: Uint8Array): void {
    this.events.push({
      kind: 'frame',
      conn: stream.conn,
      index: stream.index,
      text: decoder.decode(payload),
      length: payload.length,
      seconds: this.source?.seconds ?? 0,
      nanos: this.source?.nanos ?? 0,
    });
  }
  truncated(stream: FrameStream, frameLength: number | undefined, bytesPresent: number): void {
    this.events.push({ kind: 'truncated', conn: stream.conn, index: stream.index, frameLength, bytesPresent });
  }
  frameError(stream: FrameStream, error: StreamException, frameLength: number): void {
    this.events.push({
      kind: 'frameError',
      conn: stream.conn,
      index: stream.index,
      code: error.code,
      frameLength,
      offset: error.offset,
    });
  }
  notice(stream: FrameStream, notice: StreamNotice): void {
    this.events.push({ kind: 'notice', conn: stream.conn, notice });
  }
  warning(error: StreamException): void {
    this.events.push({ kind: 'warning', code: error.code, message: error.message, offset: error.offset });
  }

  /** The frames' payload texts, per direction. */
  frames(conn?: string): string[] {
    return this.events.flatMap((e) => (e.kind === 'frame' && (conn === undefined || e.conn === conn) ? [e.text] : []));
  }
  /** Events of one kind. */
  of<K extends CaptureEvent['kind']>(kind: K): Extract<CaptureEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<CaptureEvent, { kind: K }> => e.kind === kind);
  }
}

/** What decoding a capture produced: the recorder, and the error thrown (if any). */
export interface Decoded {
  recorder: Recorder;
  decoder: CaptureDecoder;
  error: AMPSException | undefined;
}

/**
 * Decodes `file` with a CaptureDecoder, pushed in chunks of the given sizes (the last size
 * repeats; default: all at once). Only AMPSException is caught: anything else fails the test.
 */
export function decodeCapture(
  file: Uint8Array,
  chunkSizes: readonly number[] = [file.length || 1],
  options: CaptureDecoderOptions = {},
): Decoded {
  const recorder = new Recorder();
  const decoder = new CaptureDecoder(recorder, options);
  recorder.source = decoder;
  let error: AMPSException | undefined;
  try {
    for (const chunk of chunksOf(file, chunkSizes)) decoder.push(chunk);
  } catch (err) {
    if (!(err instanceof AMPSException)) throw err;
    error = err;
  }
  try {
    decoder.end();
  } catch (err) {
    if (!(err instanceof AMPSException)) throw err;
    error ??= err;
  }
  return { recorder, decoder, error };
}
