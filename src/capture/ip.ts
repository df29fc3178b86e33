/**
 * IPv4 and IPv6 down to the TCP segment.
 *
 *   IPv4: version/IHL, tos, total length u16, id, flags(3 bits)+fragment offset(13), ttl,
 *     protocol, checksum, src 4, dst 4, options up to IHL*4. More-fragments or a non-zero offset
 *     means a fragment, reported as unsupported rather than misread.
 *   IPv6: 40 bytes (payload length u16 at 4, next header at 6, src 16 at 8, dst 16 at 24), then
 *     extension headers chained by next-header until TCP (6).
 *   TCP: src port, dst port, seq u32, ack u32, data offset (high nibble of byte 12, in words),
 *     flags at 13 (FIN 1, SYN 2, RST 4, ACK 16).
 * Checksums are never checked: loopback and offloading captures carry them unfilled.
 */
import { readUint32BE } from '../core/bytes.js';
import { u16be } from './endian.js';

/** TCP flag bits. */
export const TcpFlag = Object.freeze({ FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const);

/** One TCP segment as `TcpDirection.segment` takes it (the decoder fills one in place per packet); views are valid during the packet only. */
export interface TcpSegment {
  /** 4 or 6. */
  ipVersion: number;
  /** The packet: the addresses are `addressLength` bytes at `srcAt` and `dstAt` in it. */
  packet: Uint8Array;
  srcAt: number;
  dstAt: number;
  /** 4 or 16. */
  addressLength: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  /** The captured payload bytes (fewer than `wireLength` when the capture cut the packet). */
  payload: Uint8Array;
  /** The payload's length on the wire, from the IP header. */
  wireLength: number;
  /** For a result other than {@link IP_TCP}: what was wrong, for a message. */
  problem: string;
}

/** {@link parseTcp}: the segment was read. */
export const IP_TCP = 0;
/** {@link parseTcp}: an IP packet carrying something other than TCP. */
export const IP_OTHER = 1;
/** {@link parseTcp}: an IP fragment (not reassembled). */
export const IP_FRAGMENT = 2;
/** {@link parseTcp}: the IP or TCP header is malformed or cut short. */
export const IP_MALFORMED = 3;

const EMPTY = new Uint8Array(0);
const PROTO_TCP = 6;
const MAX_EXTENSION_HEADERS = 16;

/** A fresh segment holder to reuse across packets. */
export function newSegment(): TcpSegment {
  return {
    ipVersion: 0,
    packet: EMPTY,
    srcAt: 0,
    dstAt: 0,
    addressLength: 0,
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    flags: 0,
    payload: EMPTY,
    wireLength: 0,
    problem: '',
  };
}

/** The source (or destination) address of a segment, as a new array. */
export function segmentAddress(seg: TcpSegment, source: boolean): Uint8Array {
  const at = source ? seg.srcAt : seg.dstAt;
  return seg.packet.slice(at, at + seg.addressLength);
}

/** Reads the IP packet at `data[at]` into `seg`; returns IP_TCP, IP_OTHER, IP_FRAGMENT or IP_MALFORMED. */
export function parseTcp(data: Uint8Array, at: number, seg: TcpSegment): number {
  if (data.length < at + 1) return malformed(seg, 'packet ends before its IP header');
  const version = data[at]! >> 4;
  if (version === 4) return ipv4(data, at, seg);
  if (version === 6) return ipv6(data, at, seg);
  return malformed(seg, `IP version ${version}`);
}

function ipv4(data: Uint8Array, at: number, seg: TcpSegment): number {
  if (data.length < at + 20) return malformed(seg, 'IPv4 header cut short');
  const headerLength = (data[at]! & 0x0f) * 4;
  if (headerLength < 20) return malformed(seg, `IPv4 header length ${headerLength}`);
  let totalLength = u16be(data, at + 2);
  // Captures taken before segmentation offload show a total length of 0: trust the capture.
  if (totalLength === 0) totalLength = data.length - at;
  if (totalLength < headerLength)
    return malformed(seg, `IPv4 total length ${totalLength} is less than its header length ${headerLength}`);
  if (data.length < at + headerLength) return malformed(seg, 'IPv4 options cut short');
  const fragment = u16be(data, at + 6);
  if ((fragment & 0x3fff) !== 0) {
    if (data[at + 9] !== PROTO_TCP) return IP_OTHER;
    seg.problem = `IPv4 fragment (offset ${(fragment & 0x1fff) * 8}${fragment & 0x2000 ? ', more fragments' : ''}): fragments are not reassembled`;
    return IP_FRAGMENT;
  }
  if (data[at + 9] !== PROTO_TCP) return IP_OTHER;
  seg.ipVersion = 4;
  seg.packet = data;
  seg.srcAt = at + 12;
  seg.dstAt = at + 16;
  seg.addressLength = 4;
  return tcp(data, at + headerLength, at + totalLength, seg);
}

function ipv6(data: Uint8Array, at: number, seg: TcpSegment): number {
  if (data.length < at + 40) return malformed(seg, 'IPv6 header cut short');
  const payloadLength = u16be(data, at + 4);
  // A payload length of 0 means a jumbogram or an offloaded capture: trust the capture.
  const end = payloadLength === 0 ? data.length : at + 40 + payloadLength;
  let next = data[at + 6]!;
  let p = at + 40;
  for (let n = 0; next !== PROTO_TCP; n++) {
    if (n === MAX_EXTENSION_HEADERS) return malformed(seg, 'too many IPv6 extension headers');
    if (data.length < p + 8) return malformed(seg, 'IPv6 extension header cut short');
    switch (next) {
      case 0: // hop-by-hop options
      case 43: // routing
      case 60: // destination options
      case 135: // mobility
      case 139: // host identity
      case 140: // shim6
        next = data[p]!;
        p += (data[p + 1]! + 1) * 8;
        break;
      case 51: // authentication header: length in 4-byte words, minus 2
        next = data[p]!;
        p += (data[p + 1]! + 2) * 4;
        break;
      case 44: {
        // fragment
        const fragment = u16be(data, p + 2);
        if ((fragment & 0xfff9) !== 0) {
          if (data[p] !== PROTO_TCP) return IP_OTHER;
          seg.problem = `IPv6 fragment (offset ${fragment & 0xfff8}${fragment & 1 ? ', more fragments' : ''}): fragments are not reassembled`;
          return IP_FRAGMENT;
        }
        next = data[p]!; // an atomic fragment: the whole packet
        p += 8;
        break;
      }
      default:
        return IP_OTHER; // ESP, no next header, UDP, ICMPv6, ...
    }
    if (p > end) return malformed(seg, 'IPv6 extension headers run past the payload');
  }
  seg.ipVersion = 6;
  seg.packet = data;
  seg.srcAt = at + 8;
  seg.dstAt = at + 24;
  seg.addressLength = 16;
  return tcp(data, p, end, seg);
}

function tcp(data: Uint8Array, at: number, end: number, seg: TcpSegment): number {
  if (data.length < at + 20 || end < at + 20) return malformed(seg, 'TCP header cut short');
  const headerLength = (data[at + 12]! >> 4) * 4;
  if (headerLength < 20 || at + headerLength > end) return malformed(seg, `TCP header length ${headerLength}`);
  if (data.length < at + headerLength) return malformed(seg, 'TCP options cut short');
  seg.srcPort = u16be(data, at);
  seg.dstPort = u16be(data, at + 2);
  seg.seq = readUint32BE(data, at + 4);
  seg.ack = readUint32BE(data, at + 8);
  seg.flags = data[at + 13]!;
  const start = at + headerLength;
  seg.wireLength = end - start;
  seg.payload = data.subarray(start, Math.min(end, data.length));
  return IP_TCP;
}

function malformed(seg: TcpSegment, problem: string): number {
  seg.problem = problem;
  return IP_MALFORMED;
}
