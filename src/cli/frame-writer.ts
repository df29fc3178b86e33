/**
 * `decode -w FILE`: the frames that passed the filters, written out so a capture can be cut
 * down and shared. `.bin`: the frames one after another, each with its 4-byte length (as a raw
 * stream reads them back). Any other name: a pcap in which every connection opens with a
 * handshake and carries its kept frames, one TCP segment (or a few, for long frames) per frame,
 * at the capture time of the packet that completed it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { FrameStream } from '../capture/frame-stream.js';
import { buildPacket, PcapWriter, TcpConversation, type Side } from './synthetic/capture-writer.js';
import type { FrameTime } from './format.js';

/** Where kept frames go. */
export interface FrameSink {
  /** A kept frame's payload (without its length prefix), from `stream`, at `time` when known. */
  frame(stream: FrameStream, payload: Uint8Array, time: FrameTime | undefined): void;
  /** Writes what is buffered and closes the file. */
  close(): void;
}

// Bytes gathered before each write to the file.
const BUFFER = 256 * 1024;
// Largest TCP payload per packet: an IPv4 packet holds at most 65535 bytes.
const MAX_SEGMENT = 65000;

/** A file written in large pieces. */
class BufferedFile {
  private readonly fd: number;
  private parts: Uint8Array[] = [];
  private size = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.size += bytes.length;
    if (this.size >= BUFFER) this.flush();
  }

  flush(): void {
    for (const part of this.parts) writeSync(this.fd, part);
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Frames to a raw `.bin` stream. */
export class RawFrameSink implements FrameSink {
  private readonly file: BufferedFile;

  constructor(path: string) {
    this.file = new BufferedFile(path);
  }

  frame(_stream: FrameStream, payload: Uint8Array): void {
    const prefix = new Uint8Array(4);
    new DataView(prefix.buffer).setUint32(0, payload.length);
    this.file.write(prefix);
    this.file.write(payload.slice());
  }

  close(): void {
    this.file.close();
  }
}

interface Connection {
  readonly tcp: TcpConversation;
  /** The direction whose frames the client sends. */
  readonly clientConn: string;
}

/** Frames to a pcap file, re-packetised per connection. */
export class PcapFrameSink implements FrameSink {
  private readonly file: BufferedFile;
  private writer: PcapWriter | undefined = undefined;
  private readonly connections = new WeakMap<FrameStream, Connection>();
  /** Directions whose name holds no addresses (raw streams): their frames are not written. */
  readonly skipped = new Set<string>();

  constructor(path: string) {
    this.file = new BufferedFile(path);
  }

  frame(stream: FrameStream, payload: Uint8Array, time: FrameTime | undefined): void {
    const seconds = time?.seconds ?? 0;
    const nanos = time?.nanos ?? 0;
    if (this.writer === undefined) {
      this.writer = new PcapWriter({ nanos: (time?.digits ?? 6) > 6 });
      this.file.write(this.writer.header());
    }
    const c = this.connection(stream, seconds, nanos);
    if (c === undefined) return;
    const side: Side = stream.conn === c.clientConn ? 'client' : 'server';
    const bytes = new Uint8Array(4 + payload.length);
    new DataView(bytes.buffer).setUint32(0, payload.length);
    bytes.set(payload, 4);
    for (const seg of c.tcp.send(side, bytes, { mss: MAX_SEGMENT })) this.packet(seg, seconds, nanos);
  }

  close(): void {
    this.file.close();
  }

  private connection(stream: FrameStream, seconds: number, nanos: number): Connection | undefined {
    let c = this.connections.get(stream) ?? (stream.peer === undefined ? undefined : this.connections.get(stream.peer));
    if (c === undefined) {
      const ends = endpoints(stream.conn);
      if (ends === undefined) {
        this.skipped.add(stream.conn);
        return undefined;
      }
      // The side that sent the SYN is the client; without the handshake, the first direction seen.
      const [src, dst] = ends;
      const fromClient = stream.side !== 'server';
      const [client, server] = fromClient ? [src, dst] : [dst, src];
      const tcp = new TcpConversation({
        client: client.host,
        clientPort: client.port,
        server: server.host,
        serverPort: server.port,
      });
      c = { tcp, clientConn: fromClient ? stream.conn : `${formatEnd(client)}->${formatEnd(server)}` };
      for (const seg of tcp.handshake()) this.packet(seg, seconds, nanos);
    }
    this.connections.set(stream, c);
    return c;
  }

  private packet(seg: Parameters<typeof buildPacket>[0], seconds: number, nanos: number): void {
    this.file.write(this.writer!.record(buildPacket(seg), seconds, nanos));
  }
}

interface End {
  host: string;
  port: number;
}

// `10.0.0.1:51000->[2001:db8::1]:9007` into its two ends; undefined for a name without addresses.
function endpoints(conn: string): [End, End] | undefined {
  const arrow = conn.indexOf('->');
  if (arrow < 0) return undefined;
  const a = end(conn.slice(0, arrow));
  const b = end(conn.slice(arrow + 2));
  return a === undefined || b === undefined ? undefined : [a, b];
}

function end(text: string): End | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|(\d+\.\d+\.\d+\.\d+)):(\d+)$/.exec(text);
  if (m === null) return undefined;
  return { host: m[1] ?? m[2]!, port: Number(m[3]) };
}

function formatEnd(e: End): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

/** The sink for `-w path`: raw frames for `.bin`, a pcap otherwise. */
export function frameSinkFor(path: string): FrameSink {
  return /\.bin$/i.test(path) ? new RawFrameSink(path) : new PcapFrameSink(path);
}
