/**
 * Writing synthetic captures: TCP/IP packets in every link layer the readers support, and pcap
 * or pcapng files holding them. Used by the tests, by `scripts/make-sample-capture.mjs` and by
 * `amps-wire bench`; no tcpdump needed. Checksums are filled in so other tools show the files
 * clean (the readers never check them).
 */
import { CommandException } from '../../core/errors.js';
import { TcpFlag } from '../../capture/ip.js';
import { LinkType } from '../../capture/link.js';

/** One TCP segment to write. */
export interface SegmentSpec {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** TcpFlag bits (ACK is usual on everything after the first SYN). */
  flags: number;
  payload: Uint8Array;
}

/** How to wrap a segment into a link-layer packet. */
export interface PacketOptions {
  /** Link layer (default Ethernet). */
  linkType?: number;
  /** 802.1Q VLAN ids, outermost first (Ethernet only). */
  vlans?: readonly number[];
  /** IPv4 options bytes (a multiple of 4, at most 40). */
  ipOptions?: Uint8Array;
  /** IPv6 extension headers to insert before TCP (next-header numbers, e.g. 0 and 60); each is 8 bytes. */
  ipv6Extensions?: readonly number[];
  /** Family value a null/loopback header carries for IPv6 (default 30, as macOS writes). */
  nullIpv6Family?: number;
  /** Write the IPv4 fragment field (flags and offset) as given: for testing fragments. */
  ipv4Fragment?: number;
  /** Bytes of trailing link padding (as Ethernet adds to short frames). */
  padding?: number;
}

/** The bytes of an IPv4 (`10.0.0.1`) or IPv6 (`2001:db8::1`) address. */
export function parseAddress(text: string): Uint8Array {
  if (!text.includes(':')) {
    const parts = text.split('.');
    const out = new Uint8Array(4);
    if (parts.length !== 4) throw new CommandException(`not an IPv4 address: ${text}`);
    parts.forEach((p, i) => {
      const v = Number(p);
      if (!Number.isInteger(v) || v < 0 || v > 255 || p === '')
        throw new CommandException(`not an IPv4 address: ${text}`);
      out[i] = v;
    });
    return out;
  }
  const [head = '', tail, extra] = text.split('::');
  if (extra !== undefined) throw new CommandException(`not an IPv6 address: ${text}`);
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const zeros = 8 - front.length - back.length;
  if ((tail === undefined && zeros !== 0) || zeros < 0) throw new CommandException(`not an IPv6 address: ${text}`);
  const all = [...front, ...new Array<number>(zeros).fill(0), ...back];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    if (!Number.isInteger(g) || g < 0 || g > 0xffff) throw new CommandException(`not an IPv6 address: ${text}`);
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** A whole captured packet for `seg`, starting at the link-layer header. */
export function buildPacket(seg: SegmentSpec, options: PacketOptions = {}): Uint8Array {
  const src = parseAddress(seg.src);
  const dst = parseAddress(seg.dst);
  const tcp = tcpBytes(seg, src, dst);
  const ip = src.length === 4 ? ipv4Bytes(src, dst, tcp, options) : ipv6Bytes(src, dst, tcp, options);
  const link = linkHeader(options.linkType ?? LinkType.Ethernet, src.length === 4, options);
  const out = new Uint8Array(link.length + ip.length + (options.padding ?? 0));
  out.set(link, 0);
  out.set(ip, link.length);
  return out;
}

function tcpBytes(seg: SegmentSpec, src: Uint8Array, dst: Uint8Array): Uint8Array {
  const out = new Uint8Array(20 + seg.payload.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, seg.srcPort);
  v.setUint16(2, seg.dstPort);
  v.setUint32(4, seg.seq >>> 0);
  v.setUint32(8, seg.ack >>> 0);
  out[12] = 5 << 4;
  out[13] = seg.flags;
  v.setUint16(14, 65535);
  out.set(seg.payload, 20);
  // Checksum over the pseudo-header (addresses, protocol, TCP length) and the segment.
  let sum = sum16(src, 0) + sum16(dst, 0) + 6 + out.length;
  sum += sum16(out, 0);
  v.setUint16(16, fold(sum));
  return out;
}

function ipv4Bytes(src: Uint8Array, dst: Uint8Array, tcp: Uint8Array, options: PacketOptions): Uint8Array {
  const opts = options.ipOptions ?? new Uint8Array(0);
  const headerLength = 20 + opts.length;
  const out = new Uint8Array(headerLength + tcp.length);
  const v = new DataView(out.buffer);
  out[0] = 0x40 | (headerLength / 4);
  v.setUint16(2, out.length);
  v.setUint16(4, 0x1234);
  v.setUint16(6, options.ipv4Fragment ?? 0x4000); // don't fragment
  out[8] = 64;
  out[9] = 6;
  out.set(src, 12);
  out.set(dst, 16);
  out.set(opts, 20);
  v.setUint16(10, fold(sum16(out.subarray(0, headerLength), 0)));
  out.set(tcp, headerLength);
  return out;
}

function ipv6Bytes(src: Uint8Array, dst: Uint8Array, tcp: Uint8Array, options: PacketOptions): Uint8Array {
  const ext = options.ipv6Extensions ?? [];
  const out = new Uint8Array(40 + ext.length * 8 + tcp.length);
  const v = new DataView(out.buffer);
  out[0] = 0x60;
  v.setUint16(4, out.length - 40);
  out[6] = ext.length > 0 ? ext[0]! : 6;
  out[7] = 64;
  out.set(src, 8);
  out.set(dst, 24);
  ext.forEach((_, i) => {
    out[40 + i * 8] = i + 1 < ext.length ? ext[i + 1]! : 6; // next header; length 0 = 8 bytes
  });
  out.set(tcp, 40 + ext.length * 8);
  return out;
}

function linkHeader(linkType: number, ipv4: boolean, options: PacketOptions): Uint8Array {
  const etherType = ipv4 ? 0x0800 : 0x86dd;
  switch (linkType) {
    case LinkType.Ethernet: {
      const vlans = options.vlans ?? [];
      const out = new Uint8Array(14 + vlans.length * 4);
      out.set([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01], 0);
      let p = 12;
      for (const id of vlans) {
        out.set([0x81, 0x00, (id >> 8) & 0x0f, id & 0xff], p);
        p += 4;
      }
      out.set([etherType >> 8, etherType & 0xff], p);
      return out;
    }
    case LinkType.LinuxSll: {
      const out = new Uint8Array(16);
      out.set([0, 0, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 0x01, 0, 0, etherType >> 8, etherType & 0xff]);
      return out;
    }
    case LinkType.LinuxSll2: {
      const out = new Uint8Array(20);
      out.set([etherType >> 8, etherType & 0xff, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 0x01, 0, 0]);
      return out;
    }
    case LinkType.Null: {
      const family = ipv4 ? 2 : (options.nullIpv6Family ?? 30);
      return new Uint8Array([family & 0xff, family >> 8, 0, 0]); // the capturing host's order: little-endian here
    }
    case LinkType.Loop: {
      const family = ipv4 ? 2 : 24;
      return new Uint8Array([0, 0, family >> 8, family & 0xff]);
    }
    case LinkType.Raw:
    case LinkType.RawBsd12:
    case LinkType.RawBsd14:
    case LinkType.IPv4:
    case LinkType.IPv6:
      return new Uint8Array(0);
    default:
      throw new CommandException(`cannot write link type ${linkType}`);
  }
}

function sum16(buf: Uint8Array, start: number): number {
  let sum = 0;
  let i = start;
  for (; i + 1 < buf.length; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
  if (i < buf.length) sum += buf[i]! << 8;
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return ~sum & 0xffff;
}

/** Options of a classic pcap file. */
export interface PcapFileOptions {
  linkType?: number;
  /** Nanosecond timestamps (magic a1b23c4d) instead of microseconds. */
  nanos?: boolean;
  /** Write little-endian (default) or big-endian. */
  littleEndian?: boolean;
  snaplen?: number;
}

/** Writes a classic pcap file: `header()` once, then `record(...)` per packet. */
export class PcapWriter {
  private readonly le: boolean;
  private readonly nanos: boolean;

  constructor(private readonly options: PcapFileOptions = {}) {
    this.le = options.littleEndian ?? true;
    this.nanos = options.nanos ?? false;
  }

  /** The 24-byte file header. */
  header(): Uint8Array {
    const out = new Uint8Array(24);
    const v = new DataView(out.buffer);
    v.setUint32(0, this.nanos ? 0xa1b23c4d : 0xa1b2c3d4, this.le);
    v.setUint16(4, 2, this.le);
    v.setUint16(6, 4, this.le);
    v.setUint32(16, this.options.snaplen ?? 262144, this.le);
    v.setUint32(20, this.options.linkType ?? LinkType.Ethernet, this.le);
    return out;
  }

  /** One packet record; `originalLength` defaults to the packet's length (more means cut by snaplen). */
  record(packet: Uint8Array, seconds: number, nanos: number, originalLength = packet.length): Uint8Array {
    const out = new Uint8Array(16 + packet.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, seconds, this.le);
    v.setUint32(4, this.nanos ? nanos : Math.floor(nanos / 1000), this.le);
    v.setUint32(8, packet.length, this.le);
    v.setUint32(12, originalLength, this.le);
    out.set(packet, 16);
    return out;
  }
}

/** An interface of a pcapng section. */
export interface PcapngInterface {
  linkType: number;
  snaplen?: number;
  /** The if_tsresol option byte (default: none, meaning microseconds). */
  tsresol?: number;
  /** The if_tsoffset option, in seconds. */
  tsoffset?: number;
}

/** Writes pcapng blocks; a file is `section()`, `interface()`s, then packets (and any other blocks). */
export class PcapngWriter {
  private readonly le: boolean;
  private interfaces: PcapngInterface[] = [];

  constructor(options: { littleEndian?: boolean } = {}) {
    this.le = options.littleEndian ?? true;
  }

  /** A section header block; starts a new list of interfaces. */
  section(): Uint8Array {
    this.interfaces = [];
    const body = new Uint8Array(16);
    const v = new DataView(body.buffer);
    v.setUint32(0, 0x1a2b3c4d, this.le);
    v.setUint16(4, 1, this.le);
    v.setUint16(6, 0, this.le);
    v.setInt32(8, -1, this.le); // section length unknown
    v.setInt32(12, -1, this.le);
    return this.block(0x0a0d0d0a, body, [[4, new TextEncoder().encode('amps-wire test')]]);
  }

  /** An interface description block. */
  interface(iface: PcapngInterface): Uint8Array {
    this.interfaces.push(iface);
    const body = new Uint8Array(8);
    const v = new DataView(body.buffer);
    v.setUint16(0, iface.linkType, this.le);
    v.setUint32(4, iface.snaplen ?? 0, this.le);
    const options: [number, Uint8Array][] = [[2, new TextEncoder().encode('eth0')]];
    if (iface.tsresol !== undefined) options.push([9, new Uint8Array([iface.tsresol])]);
    if (iface.tsoffset !== undefined) {
      const o = new Uint8Array(8);
      new DataView(o.buffer).setBigInt64(0, BigInt(iface.tsoffset), this.le);
      options.push([14, o]);
    }
    return this.block(1, body, options);
  }

  /** An enhanced packet block; the timestamp is written in the interface's resolution. */
  enhancedPacket(
    interfaceId: number,
    packet: Uint8Array,
    seconds: number,
    nanos: number,
    originalLength = packet.length,
  ): Uint8Array {
    const iface = this.interfaces[interfaceId];
    const body = new Uint8Array(20 + pad4(packet.length));
    const v = new DataView(body.buffer);
    v.setUint32(0, interfaceId, this.le);
    const units = timestampUnits(seconds - (iface?.tsoffset ?? 0), nanos, iface?.tsresol);
    v.setUint32(4, Number(units >> 32n), this.le);
    v.setUint32(8, Number(units & 0xffffffffn), this.le);
    v.setUint32(12, packet.length, this.le);
    v.setUint32(16, originalLength, this.le);
    body.set(packet, 20);
    return this.block(6, body, [[1, new TextEncoder().encode('a comment')]]);
  }

  /** A simple packet block (no timestamp, interface 0). */
  simplePacket(packet: Uint8Array, originalLength = packet.length): Uint8Array {
    const body = new Uint8Array(4 + pad4(packet.length));
    new DataView(body.buffer).setUint32(0, originalLength, this.le);
    body.set(packet, 4);
    return this.block(3, body, []);
  }

  /** Any block, e.g. an unknown type the reader must skip. */
  block(type: number, body: Uint8Array, options: readonly [number, Uint8Array][]): Uint8Array {
    let optionsLength = 0;
    for (const [, value] of options) optionsLength += 4 + pad4(value.length);
    if (options.length > 0) optionsLength += 4; // opt_endofopt
    const total = 12 + pad4(body.length) + optionsLength;
    const out = new Uint8Array(total);
    const v = new DataView(out.buffer);
    v.setUint32(0, type, this.le);
    v.setUint32(4, total, this.le);
    out.set(body, 8);
    let p = 8 + pad4(body.length);
    for (const [code, value] of options) {
      v.setUint16(p, code, this.le);
      v.setUint16(p + 2, value.length, this.le);
      out.set(value, p + 4);
      p += 4 + pad4(value.length);
    }
    v.setUint32(total - 4, total, this.le);
    return out;
  }
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function timestampUnits(seconds: number, nanos: number, tsresol: number | undefined): bigint {
  const ns = BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
  if (tsresol === undefined) return ns / 1000n;
  if (tsresol & 0x80) return (ns << BigInt(tsresol & 0x7f)) / 1_000_000_000n;
  const per = 10n ** BigInt(tsresol);
  return (ns * per) / 1_000_000_000n;
}

/** One side of a {@link TcpConversation}. */
export type Side = 'client' | 'server';

/** Endpoints of a {@link TcpConversation}. */
export interface ConversationOptions {
  client: string;
  clientPort: number;
  server: string;
  serverPort: number;
  clientIsn?: number;
  serverIsn?: number;
}

/**
 * Sequence-number bookkeeping for writing one TCP connection: produces the segments of a
 * handshake, of data sent by either side (cut where asked), and of FIN or RST.
 */
export class TcpConversation {
  private readonly seq: Record<Side, number>;

  constructor(private readonly options: ConversationOptions) {
    this.seq = { client: (options.clientIsn ?? 1000) >>> 0, server: (options.serverIsn ?? 5000) >>> 0 };
  }

  /** The next sequence number `side` will send. */
  nextSeq(side: Side): number {
    return this.seq[side];
  }

  /** SYN, SYN-ACK, ACK. */
  handshake(): SegmentSpec[] {
    const syn = this.segment('client', TcpFlag.SYN, new Uint8Array(0));
    syn.ack = 0;
    this.seq.client = (this.seq.client + 1) >>> 0;
    const synAck = this.segment('server', TcpFlag.SYN | TcpFlag.ACK, new Uint8Array(0));
    this.seq.server = (this.seq.server + 1) >>> 0;
    return [syn, synAck, this.segment('client', TcpFlag.ACK, new Uint8Array(0))];
  }

  /**
   * Segments carrying `bytes` from `side`: cut at the given sizes (the last size repeats), or
   * into segments of at most `mss` bytes.
   */
  send(side: Side, bytes: Uint8Array, cut: { sizes?: readonly number[]; mss?: number } = {}): SegmentSpec[] {
    const out: SegmentSpec[] = [];
    const sizes = cut.sizes ?? [cut.mss ?? 1460];
    let p = 0;
    for (let i = 0; p < bytes.length; i++) {
      const size = Math.max(1, sizes[Math.min(i, sizes.length - 1)]!);
      const piece = bytes.subarray(p, Math.min(bytes.length, p + size));
      out.push(this.segment(side, TcpFlag.ACK | TcpFlag.PSH, piece));
      this.seq[side] = (this.seq[side] + piece.length) >>> 0;
      p += piece.length;
    }
    return out;
  }

  /** A FIN (with ACK) from `side`. */
  fin(side: Side): SegmentSpec {
    const seg = this.segment(side, TcpFlag.FIN | TcpFlag.ACK, new Uint8Array(0));
    this.seq[side] = (this.seq[side] + 1) >>> 0;
    return seg;
  }

  /** A RST from `side`. */
  rst(side: Side): SegmentSpec {
    return this.segment(side, TcpFlag.RST | TcpFlag.ACK, new Uint8Array(0));
  }

  /** Advances `side`'s sequence number as if `count` bytes were sent but not captured. */
  lose(side: Side, count: number): void {
    this.seq[side] = (this.seq[side] + count) >>> 0;
  }

  private segment(side: Side, flags: number, payload: Uint8Array): SegmentSpec {
    const o = this.options;
    const fromClient = side === 'client';
    return {
      src: fromClient ? o.client : o.server,
      dst: fromClient ? o.server : o.client,
      srcPort: fromClient ? o.clientPort : o.serverPort,
      dstPort: fromClient ? o.serverPort : o.clientPort,
      seq: this.seq[side],
      ack: this.seq[fromClient ? 'server' : 'client'],
      flags,
      payload,
    };
  }
}
