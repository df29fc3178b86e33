/**
 * pcapng files: a sequence of blocks, each `type u32, total length u32, body, total length u32`
 * in the byte order of its section.
 *
 *   Section Header (0x0A0D0D0A): byte-order magic 0x1A2B3C4D, version 1.x, section length i64, options
 *   Interface Description (1): link type u16, reserved u16, snaplen u32, options
 *     (if_tsresol = 9: units per second, 10^-v or 2^-(v & 0x7f) when the top bit is set;
 *      if_tsoffset = 14: seconds added to every timestamp)
 *   Enhanced Packet (6): interface u32, timestamp high u32, low u32, caplen u32, origlen u32, data
 *   Simple Packet (3): origlen u32, data (captured length = block room, at most the snaplen)
 *   Packet (2, obsolete): interface u16, drops u16, timestamp high, low, caplen, origlen, data
 * Every other block type is skipped. A new section header starts a new list of interfaces.
 */
import { u16, u32 } from './endian.js';
import { RecordStream } from './record-stream.js';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2;
const SPB = 3;
const EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_END = 0;
const OPT_TSRESOL = 9;
const OPT_TSOFFSET = 14;
// Interfaces one section may describe: a packet block names its interface in 16 bits (32 in an
// enhanced packet block), so a section of more is not a capture but a way to fill memory.
const MAX_INTERFACES = 65536;
// Above this many units per second, 16-bit long division in doubles would lose precision.
const EXACT_DIVISOR_MAX = 2 ** 36;

interface Interface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second. */
  unitsPerSecond: number;
  /** Seconds added to every timestamp (if_tsoffset). */
  offsetSeconds: number;
  /** Fraction digits the units resolve, from 6 to 9. */
  digits: number;
}

// Decimal digits needed to show a time in these units, kept between microseconds and nanoseconds.
function fractionDigits(unitsPerSecond: number): number {
  return Math.min(9, Math.max(6, Math.ceil(Math.log10(unitsPerSecond) - 1e-9)));
}

/** Streaming reader of a pcapng file: `push` chunks, `end` at the end of the file. */
export class PcapngReader extends RecordStream {
  protected readonly format = 'pcapng';
  private le = true;
  private sectionSeen = false;
  private interfaces: Interface[] = [];

  protected recordLength(buf: Uint8Array, at: number, avail: number): number {
    if (avail < 12) return -1;
    let le = this.le;
    const type = u32(buf, at, le);
    if (type === SHB) {
      const magic = u32(buf, at + 8, false);
      if (magic === BYTE_ORDER_MAGIC) le = false;
      else if (magic === 0x4d3c2b1a) le = true;
      else
        throw this.error(
          `section header has byte-order magic 0x${magic.toString(16).padStart(8, '0')} (expected 1a2b3c4d)`,
          this.offset + 8,
        );
    } else if (!this.sectionSeen) {
      throw this.error(
        `not a pcapng file: first block type 0x${u32(buf, at, false).toString(16).padStart(8, '0')} is not a section header`,
        this.offset,
      );
    }
    const length = u32(buf, at + 4, le);
    if (length < 12 || length % 4 !== 0)
      throw this.error(`block length ${length} is not a multiple of 4 of at least 12`, this.offset + 4);
    if (length > this.maxRecordLength)
      throw this.error(`block length ${length} exceeds the limit of ${this.maxRecordLength}`, this.offset + 4);
    return length;
  }

  protected record(buf: Uint8Array, at: number, length: number): void {
    const type = u32(buf, at, this.le);
    if (type === SHB) this.readSectionHeader(buf, at, length);
    const le = this.le;
    if (u32(buf, at + length - 4, le) !== length) {
      throw this.error(
        `block trailer length ${u32(buf, at + length - 4, le)} differs from its header length ${length}`,
        this.offset + length - 4,
      );
    }
    switch (type) {
      case IDB:
        this.readInterface(buf, at, length);
        break;
      case EPB:
        this.readPacket(buf, at, length, u32(buf, at + 8, le), 28);
        break;
      case PB:
        this.readPacket(buf, at, length, u16(buf, at + 8, le), 28);
        break;
      case SPB:
        this.readSimplePacket(buf, at, length);
        break;
      default:
        break; // statistics, name resolution, custom and future blocks
    }
  }

  protected finish(): void {
    if (!this.sectionSeen) throw this.error('the file is empty: no pcapng section header', 0);
  }

  private readSectionHeader(buf: Uint8Array, at: number, length: number): void {
    this.le = u32(buf, at + 8, false) !== BYTE_ORDER_MAGIC;
    if (length < 28) throw this.error(`section header block of ${length} bytes is shorter than 28`, this.offset + 4);
    const major = u16(buf, at + 12, this.le);
    if (major !== 1)
      throw this.error(
        `unsupported pcapng version ${major}.${u16(buf, at + 14, this.le)} (expected 1.x)`,
        this.offset + 12,
      );
    this.sectionSeen = true;
    this.interfaces = [];
  }

  private readInterface(buf: Uint8Array, at: number, length: number): void {
    if (length < 20)
      throw this.error(`interface description block of ${length} bytes is shorter than 20`, this.offset + 4);
    if (this.interfaces.length >= MAX_INTERFACES)
      throw this.error(`more than ${MAX_INTERFACES} interfaces in one section`, this.offset);
    const iface: Interface = {
      linkType: u16(buf, at + 8, this.le),
      snaplen: u32(buf, at + 12, this.le),
      unitsPerSecond: 1e6,
      offsetSeconds: 0,
      digits: 6,
    };
    const end = at + length - 4;
    let p = at + 16;
    while (p + 4 <= end) {
      const code = u16(buf, p, this.le);
      const size = u16(buf, p + 2, this.le);
      const value = p + 4;
      if (code === OPT_END) break;
      if (value + size > end)
        throw this.error(`interface option ${code} of ${size} bytes runs past its block`, this.offset + (p - at));
      if (code === OPT_TSRESOL && size >= 1) {
        const v = buf[value]!;
        iface.unitsPerSecond = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
        iface.digits = fractionDigits(iface.unitsPerSecond);
      } else if (code === OPT_TSOFFSET && size >= 8) {
        const hi = u32(buf, value + (this.le ? 4 : 0), this.le) | 0; // signed high half
        const lo = u32(buf, value + (this.le ? 0 : 4), this.le);
        iface.offsetSeconds = hi * 4294967296 + lo;
      }
      p = value + ((size + 3) & ~3);
    }
    this.interfaces.push(iface);
  }

  private readPacket(buf: Uint8Array, at: number, length: number, interfaceId: number, dataAt: number): void {
    if (length < dataAt + 4)
      throw this.error(`packet block of ${length} bytes is shorter than ${dataAt + 4}`, this.offset + 4);
    const iface = this.interfaceFor(interfaceId, 8);
    const caplen = u32(buf, at + 20, this.le);
    if (caplen > length - dataAt - 4) {
      throw this.error(
        `packet block declares ${caplen} captured bytes but holds room for ${length - dataAt - 4}`,
        this.offset + 20,
      );
    }
    const p = this.packet;
    p.interfaceId = interfaceId;
    p.linkType = iface.linkType;
    p.digits = iface.digits;
    setTime(p, u32(buf, at + 12, this.le), u32(buf, at + 16, this.le), iface);
    p.originalLength = u32(buf, at + 24, this.le);
    p.data = buf.subarray(at + dataAt, at + dataAt + caplen);
    p.fileOffset = this.offset;
    this.onPacket(p);
  }

  private readSimplePacket(buf: Uint8Array, at: number, length: number): void {
    if (length < 16) throw this.error(`simple packet block of ${length} bytes is shorter than 16`, this.offset + 4);
    const iface = this.interfaceFor(0, 0);
    const originalLength = u32(buf, at + 8, this.le);
    let caplen = Math.min(originalLength, length - 16);
    if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
    const p = this.packet;
    p.interfaceId = 0;
    p.linkType = iface.linkType;
    p.digits = iface.digits;
    p.seconds = 0; // simple packet blocks carry no timestamp
    p.nanos = 0;
    p.originalLength = originalLength;
    p.data = buf.subarray(at + 12, at + 12 + caplen);
    p.fileOffset = this.offset;
    this.onPacket(p);
  }

  private interfaceFor(id: number, at: number): Interface {
    const iface = this.interfaces[id];
    if (iface === undefined) {
      throw this.error(
        `packet refers to interface ${id}, but the section describes ${this.interfaces.length}`,
        this.offset + at,
      );
    }
    return iface;
  }
}

// Splits the 64-bit unit count `hi:lo` into seconds and nanoseconds exactly, by long division
// in 16-bit digits (every intermediate stays below 2^53 while the divisor is at most 2^36).
function setTime(p: { seconds: number; nanos: number }, hi: number, lo: number, iface: Interface): void {
  const d = iface.unitsPerSecond;
  if (d > EXACT_DIVISOR_MAX || !Number.isInteger(d)) {
    const units = (BigInt(hi) << 32n) | BigInt(lo);
    const per = BigInt(d);
    p.seconds = Number(units / per) + iface.offsetSeconds;
    p.nanos = Number(((units % per) * 1_000_000_000n) / per);
    return;
  }
  // Each step: cur = r * 65536 + digit; quotient digit appended to q; r = cur mod d.
  let cur = hi >>> 16;
  let q = Math.floor(cur / d);
  let r = cur - q * d;
  cur = r * 65536 + (hi & 0xffff);
  q = q * 65536 + Math.floor(cur / d);
  r = cur % d;
  cur = r * 65536 + (lo >>> 16);
  q = q * 65536 + Math.floor(cur / d);
  r = cur % d;
  cur = r * 65536 + (lo & 0xffff);
  q = q * 65536 + Math.floor(cur / d);
  r = cur % d;
  p.seconds = q + iface.offsetSeconds;
  p.nanos = 1e9 % d === 0 ? r * (1e9 / d) : Math.floor((r * 1e9) / d);
}
