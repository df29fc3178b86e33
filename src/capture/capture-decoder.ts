/**
 * From capture file bytes to frames: packets (pcap or pcapng) → link layer → IP → TCP
 * reassembly per direction → transports (TLS, WebSocket; see transport.ts) → frames. Streaming: feed the file in chunks; memory holds only
 * open connections' unfinished frames and out-of-order segments, whatever the file size.
 */
import { StreamException } from '../core/errors.js';
import { formatEndpoint } from './address.js';
import { FrameStream, type FrameHandler, type FrameStreamOptions } from './frame-stream.js';
import {
  IP_FRAGMENT,
  IP_MALFORMED,
  IP_OTHER,
  newSegment,
  parseTcp,
  segmentAddress,
  TcpFlag,
  type TcpSegment,
} from './ip.js';
import { ipOffset, linkTypeName, NOT_IP, UNKNOWN_LINK } from './link.js';
import type { CapturePacket } from './packet.js';
import { PcapReader } from './pcap.js';
import { PcapngReader } from './pcapng.js';
import { TcpDirection, type ReassemblyLimits } from './tcp.js';
import { TransportSink, type TransportOptions } from './transport.js';

/** A capture file format, told by the file's first four bytes. */
export type CaptureFormat = 'pcap' | 'pcapng';

/** The capture format whose magic number opens `head` (at least 4 bytes), or undefined. */
export function captureFormat(head: Uint8Array): CaptureFormat | undefined {
  if (head.length < 4) return undefined;
  const magic = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  switch (magic) {
    case 0xa1b2c3d4:
    case 0xd4c3b2a1:
    case 0xa1b23c4d:
    case 0x4d3cb2a1:
      return 'pcap';
    case 0x0a0d0d0a:
      return 'pcapng';
    default:
      return undefined;
  }
}

/** Receives frames and notices (see {@link FrameHandler}) plus packet-level warnings. */
export interface CaptureHandler extends FrameHandler {
  /**
   * A packet that could not be used: an IP fragment (`AMPS_UNSUPPORTED`), a malformed header or
   * an unknown link type (`AMPS_BAD_CAPTURE`). `offset` is the packet record's file offset.
   */
  warning(error: StreamException): void;
}

/** Options of a {@link CaptureDecoder}. */
export interface CaptureDecoderOptions extends FrameStreamOptions, ReassemblyLimits, TransportOptions {
  /** Longest packet record accepted (default 16 MiB). */
  maxRecordLength?: number;
  /**
   * Most connection directions tracked at once (default 10000), which bounds memory on captures
   * of very many connections: past it, the least recently active direction is set aside (with an
   * `evicted` notice) and joined mid-stream if it shows again.
   */
  maxDirections?: number;
  /**
   * Most bytes held at once across every direction (default 64 MiB): partial frames,
   * out-of-order segments and the windows searched for a frame boundary. Past it, the least
   * recently active directions holding bytes are set aside (with an `evicted` notice) until the
   * total is within it again, so many connections each holding a little cannot add up to a lot.
   */
  maxBufferedBytes?: number;
}

/** The default {@link CaptureDecoderOptions.maxBufferedBytes}: 64 MiB. */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** Counters a {@link CaptureDecoder} keeps. */
export interface CaptureStats {
  packets: number;
  /** Packets carrying TCP. */
  tcpPackets: number;
  /** Packets not carrying TCP over IP (ARP, UDP, ...), skipped. */
  otherPackets: number;
  /** Packets that could not be used (fragments, malformed headers, unknown link types). */
  badPackets: number;
  /** Connection directions seen. */
  directions: number;
  retransmittedBytes: number;
  outOfOrderSegments: number;
  gaps: number;
  gapBytes: number;
}

/** Capture counters, all zero. */
export function newCaptureStats(): CaptureStats {
  return {
    packets: 0,
    tcpPackets: 0,
    otherPackets: 0,
    badPackets: 0,
    directions: 0,
    retransmittedBytes: 0,
    outOfOrderSegments: 0,
    gaps: 0,
    gapBytes: 0,
  };
}

interface Flow {
  readonly tcp: TcpDirection;
  readonly frames: FrameStream;
  readonly transport: TransportSink;
  reverse: Flow | undefined;
  readonly key: string;
  readonly src: Uint8Array;
  readonly dst: Uint8Array;
  readonly srcPort: number;
  readonly dstPort: number;
  /** Bytes the direction held when last counted. */
  held: number;
}

// Directions forgotten recently (closed or set aside) are remembered, so a frame count goes on
// where it stopped and late retransmissions after a close do not open a new stream.
const FORGOTTEN_MEMORY = 16384;

interface Forgotten {
  /** The index the next frame of this direction gets. */
  index: number;
  /** Closed by FIN/RST (true), or only set aside to bound memory (false). */
  closed: boolean;
}

/**
 * Decodes a pcap or pcapng capture into the frames of every TCP direction in it.
 *
 * ```ts
 * const decoder = new CaptureDecoder(handler);
 * for await (const chunk of file) decoder.push(chunk);
 * decoder.end();
 * ```
 */
export class CaptureDecoder {
  /** Capture time of the packet being processed: seconds since the epoch. */
  seconds = 0;
  /** Capture time of the packet being processed: nanoseconds within the second. */
  nanos = 0;
  /** Fraction digits the capture's clock resolves for the packet being processed (6 to 9). */
  digits = 6;
  /** The file's format, once its first four bytes have arrived. */
  format: CaptureFormat | undefined = undefined;
  readonly stats: CaptureStats = newCaptureStats();

  private reader: PcapReader | PcapngReader | undefined = undefined;
  private readonly head = new Uint8Array(4);
  private headLength = 0;
  private readonly flows = new Map<string, Flow>();
  private readonly forgotten = new Map<string, Forgotten>();
  private last: Flow | undefined = undefined;
  /** Bytes held by every direction, and the directions holding any, least recently active first. */
  private heldTotal = 0;
  private readonly holders = new Set<Flow>();
  private readonly segment: TcpSegment = newSegment();
  private readonly warnedLinkTypes = new Set<number>();
  private readonly onPacket = (packet: CapturePacket): void => this.packet(packet);

  constructor(
    private readonly handler: CaptureHandler,
    private readonly options: CaptureDecoderOptions = {},
  ) {}

  /** Bytes held across every direction (see {@link CaptureDecoderOptions.maxBufferedBytes}). */
  get bufferedBytes(): number {
    return this.heldTotal;
  }

  /** Feeds the next chunk of the file. Throws StreamException (`AMPS_BAD_CAPTURE`) when the file is not a readable capture. */
  push(chunk: Uint8Array): void {
    if (this.reader === undefined) {
      if (this.headLength + chunk.length < 4) {
        this.head.set(chunk, this.headLength);
        this.headLength += chunk.length;
        return;
      }
      const take = 4 - this.headLength;
      this.head.set(chunk.subarray(0, take), this.headLength);
      this.reader = this.openReader();
      this.reader.push(this.head.slice());
      chunk = chunk.subarray(take);
    }
    this.reader.push(chunk);
  }

  /**
   * Signals the end of the file: every open direction ends (reporting frames cut off), then a
   * StreamException is thrown if the file itself was cut short or corrupt.
   */
  end(): void {
    for (const flow of [...this.flows.values()]) flow.tcp.finish('eof');
    this.collectStats();
    this.flows.clear();
    this.holders.clear();
    this.heldTotal = 0;
    this.last = undefined;
    if (this.reader === undefined) {
      throw new StreamException(
        this.headLength === 0
          ? 'the file is empty'
          : `the file ends after ${this.headLength} bytes, before a capture header`,
        'AMPS_BAD_CAPTURE',
        0,
        'capture',
      );
    }
    this.reader.end();
  }

  private openReader(): PcapReader | PcapngReader {
    this.format = captureFormat(this.head);
    const options = { maxRecordLength: this.options.maxRecordLength };
    if (this.format === 'pcap') return new PcapReader(this.onPacket, options);
    if (this.format === 'pcapng') return new PcapngReader(this.onPacket, options);
    const hex = Array.from(this.head, (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new StreamException(`not a pcap or pcapng file (it starts with ${hex})`, 'AMPS_BAD_CAPTURE', 0, 'capture');
  }

  private packet(p: CapturePacket): void {
    const stats = this.stats;
    stats.packets++;
    this.seconds = p.seconds;
    this.nanos = p.nanos;
    this.digits = p.digits;
    const at = ipOffset(p.linkType, p.data);
    if (at < 0) {
      if (at === NOT_IP) {
        stats.otherPackets++;
      } else if (at === UNKNOWN_LINK) {
        stats.badPackets++;
        if (!this.warnedLinkTypes.has(p.linkType)) {
          this.warnedLinkTypes.add(p.linkType);
          this.warn(`packets of ${linkTypeName(p.linkType)} are not read`, 'AMPS_UNSUPPORTED', p.fileOffset);
        }
      } else {
        this.badPacket(p, `packet of ${p.data.length} bytes is too short for its ${linkTypeName(p.linkType)} header`);
      }
      return;
    }
    const seg = this.segment;
    const result = parseTcp(p.data, at, seg);
    if (result === IP_OTHER) {
      stats.otherPackets++;
    } else if (result === IP_FRAGMENT) {
      stats.badPackets++;
      this.warn(`packet ${stats.packets}: ${seg.problem}`, 'AMPS_UNSUPPORTED', p.fileOffset);
    } else if (result === IP_MALFORMED) {
      this.badPacket(p, seg.problem);
    } else {
      stats.tcpPackets++;
      this.tcp(seg);
    }
  }

  private tcp(seg: TcpSegment): void {
    let flow = this.last;
    if (flow === undefined || !sameFlow(flow, seg)) {
      const key = directionName(segmentAddress(seg, true), seg.srcPort, segmentAddress(seg, false), seg.dstPort);
      flow = this.flows.get(key);
      if (flow === undefined) {
        if (seg.payload.length === 0 && !(seg.flags & TcpFlag.SYN)) return; // a bare ACK, FIN or RST of nothing we track
        if (this.forgotten.get(key)?.closed === true && !(seg.flags & TcpFlag.SYN)) {
          this.stats.retransmittedBytes += seg.payload.length;
          return;
        }
        flow = this.open(key, seg);
      } else {
        // Most recently active last: the map's order is the order of eviction.
        this.flows.delete(key);
        this.flows.set(key, flow);
      }
      this.last = flow;
    }
    if (seg.flags & TcpFlag.SYN && flow.tcp.isNewConnection(seg.seq)) {
      // The ports were reused for a new connection: the old one is over.
      this.retire(flow);
      flow = this.open(flow.key, seg);
      this.last = flow;
    }
    flow.tcp.segment(seg);
    const reverse = flow.reverse;
    if (seg.flags & TcpFlag.RST) {
      if (reverse !== undefined) reverse.tcp.finish('rst');
    } else if (seg.flags & TcpFlag.ACK && reverse !== undefined) {
      reverse.tcp.acknowledged(seg.ack);
    }
    if (flow.tcp.closed && (reverse === undefined || reverse.tcp.closed)) {
      this.retire(flow);
      if (reverse !== undefined) this.retire(reverse);
    }
    this.recount(flow);
    if (reverse !== undefined) this.recount(reverse);
    if (this.heldTotal > (this.options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES)) this.shed(flow);
  }

  // Brings a live direction's share of the bytes held up to date, and marks it most recent.
  private recount(flow: Flow): void {
    if (this.flows.get(flow.key) !== flow) return;
    const held = flow.tcp.bufferedBytes + flow.frames.bufferedBytes;
    this.heldTotal += held - flow.held;
    flow.held = held;
    this.holders.delete(flow);
    if (held > 0) this.holders.add(flow);
  }

  // Sets aside the least recently active directions holding bytes, sparing `current`'s
  // connection, until the bytes held are within the budget.
  private shed(current: Flow): void {
    const budget = this.options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    for (const flow of this.holders) {
      if (this.heldTotal <= budget) return;
      if (flow === current || flow === current.reverse) continue;
      this.handler.notice(flow.frames, {
        kind: 'evicted',
        bytes: flow.held,
        message: `more than ${budget} bytes held across connection directions: this one, the least recently active holding any (${flow.held} bytes), is set aside (a frame it was in the middle of is reported truncated) and joined mid-stream if it shows again`,
      });
      this.retire(flow, false);
    }
  }

  private open(key: string, seg: TcpSegment): Flow {
    const conn = key;
    const frames = new FrameStream(conn, this.handler, { checkStart: true, ...this.options }, seg.srcPort, seg.dstPort);
    if (seg.flags & TcpFlag.SYN) frames.side = seg.flags & TcpFlag.ACK ? 'server' : 'client';
    const carried = this.forgotten.get(key);
    if (carried !== undefined) {
      frames.index = carried.index;
      this.forgotten.delete(key);
    }
    const transport = new TransportSink(frames, this.options);
    const flow: Flow = {
      tcp: new TcpDirection(transport, this.options),
      frames,
      transport,
      reverse: undefined,
      key,
      src: segmentAddress(seg, true),
      dst: segmentAddress(seg, false),
      srcPort: seg.srcPort,
      dstPort: seg.dstPort,
      held: 0,
    };
    const reverseKey = directionName(flow.dst, seg.dstPort, flow.src, seg.srcPort);
    const reverse = this.flows.get(reverseKey);
    if (reverse !== undefined) {
      flow.reverse = reverse;
      reverse.reverse = flow;
      frames.peer = reverse.frames;
      reverse.frames.peer = frames;
      transport.peer = reverse.transport;
      reverse.transport.peer = transport;
      frames.side ??= otherSide(reverse.frames.side);
      reverse.frames.side ??= otherSide(frames.side);
    }
    this.flows.set(key, flow);
    this.stats.directions++;
    if (this.flows.size > (this.options.maxDirections ?? 10000)) this.evictOldest(flow);
    return flow;
  }

  private evictOldest(keep: Flow): void {
    for (const flow of this.flows.values()) {
      if (flow === keep || flow === keep.reverse) continue;
      this.handler.notice(flow.frames, {
        kind: 'evicted',
        bytes: 0,
        message: `more than ${this.options.maxDirections ?? 10000} connection directions open: the least recently active one is set aside (a frame it was in the middle of is reported truncated) and joined mid-stream if it shows again`,
      });
      this.retire(flow, false);
      return;
    }
  }

  // Ends a direction and forgets it, remembering where its frame count stopped.
  private retire(flow: Flow, closed = true): void {
    if (this.flows.get(flow.key) !== flow) return;
    flow.tcp.finish('eof');
    this.addStats(flow.tcp);
    this.flows.delete(flow.key);
    this.heldTotal -= flow.held;
    flow.held = 0;
    this.holders.delete(flow);
    if (flow.reverse !== undefined) flow.reverse.reverse = undefined;
    if (this.last === flow) this.last = undefined;
    this.forgotten.set(flow.key, { index: flow.frames.index, closed });
    if (this.forgotten.size > FORGOTTEN_MEMORY) this.forgotten.delete(this.forgotten.keys().next().value!);
  }

  private collectStats(): void {
    for (const flow of this.flows.values()) this.addStats(flow.tcp);
  }

  private addStats(tcp: TcpDirection): void {
    const stats = this.stats;
    stats.retransmittedBytes += tcp.retransmittedBytes;
    stats.outOfOrderSegments += tcp.outOfOrderSegments;
    stats.gaps += tcp.gaps;
    stats.gapBytes += tcp.gapBytes;
  }

  private badPacket(p: CapturePacket, problem: string): void {
    this.stats.badPackets++;
    this.warn(`packet ${this.stats.packets}: ${problem}`, 'AMPS_BAD_CAPTURE', p.fileOffset);
  }

  private warn(message: string, code: 'AMPS_BAD_CAPTURE' | 'AMPS_UNSUPPORTED', offset: number): void {
    this.handler.warning(new StreamException(message, code, offset, 'capture'));
  }
}

function otherSide(side: 'client' | 'server' | undefined): 'client' | 'server' | undefined {
  return side === undefined ? undefined : side === 'client' ? 'server' : 'client';
}

function sameFlow(flow: Flow, seg: TcpSegment): boolean {
  if (flow.srcPort !== seg.srcPort || flow.dstPort !== seg.dstPort) return false;
  return (
    sameBytes(flow.src, seg.packet, seg.srcAt, seg.addressLength) &&
    sameBytes(flow.dst, seg.packet, seg.dstAt, seg.addressLength)
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array, at: number, length: number): boolean {
  if (a.length !== length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[at + i]) return false;
  return true;
}

/** A direction's name: `10.0.0.1:51000->10.0.0.2:9007`. */
function directionName(src: Uint8Array, srcPort: number, dst: Uint8Array, dstPort: number): string {
  return `${formatEndpoint(src, srcPort)}->${formatEndpoint(dst, dstPort)}`;
}
