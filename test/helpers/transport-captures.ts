/**
 * Captures of recorded loopback traffic (scripts/record-transport.mjs) and decoding them with the
 * Node transport support.
 */
import { readFileSync } from 'node:fs';
import type { CaptureDecoderOptions } from '../../src/capture/capture-decoder.js';
import { nodeTransportOptions } from '../../src/node/capture-support.js';
import type { Chunk } from '../../scripts/record-transport.mjs';
import { CaptureDecoder } from '../../src/capture/capture-decoder.js';
import type { FrameStream } from '../../src/capture/frame-stream.js';
import { chunksOf, pcapOf, Recorder, TcpConversation, type SegmentSpec } from './pcap-writer.js';

/** A Recorder that also keeps each message as `conn #index transport text`. */
export class TransportRecorder extends Recorder {
  readonly lines: string[] = [];

  override frame(stream: FrameStream, payload: Uint8Array): void {
    super.frame(stream, payload);
    this.lines.push(`${stream.conn} #${stream.index} ${stream.transport} ${new TextDecoder().decode(payload)}`);
  }
}

/** A pcap of one recorded connection, the client at 10.0.0.1:51000, cut at `mss` per segment. */
export function pcapOfChunks(chunks: readonly Chunk[], serverPort: number, mss = 1460): Uint8Array {
  const conv = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort });
  const segments: SegmentSpec[] = [...conv.handshake()];
  for (const c of chunks) segments.push(...conv.send(c.side, c.bytes, { mss }));
  segments.push(conv.fin('client'), conv.fin('server'));
  return pcapOf(segments);
}

/** Decodes `file` with the given key log text (none when undefined), pushed in chunks of `chunk` bytes. */
export function decodeWithKeys(
  file: Uint8Array,
  keyLog: string | undefined,
  options: CaptureDecoderOptions = {},
  chunk = 4096,
): TransportRecorder {
  const recorder = new TransportRecorder();
  const decoder = new CaptureDecoder(recorder, { ...nodeTransportOptions(keyLog), ...options });
  for (const piece of chunksOf(file, [chunk])) decoder.push(piece);
  decoder.end();
  return recorder;
}

/** A committed fixture of test/fixtures/transport. */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../fixtures/transport/${name}`, import.meta.url)));
}

/** A committed key log of test/fixtures/transport. */
export function fixtureKeys(name: string): string {
  return readFileSync(new URL(`../fixtures/transport/${name}`, import.meta.url), 'utf8');
}
