/**
 * Classic pcap (libpcap) files.
 *
 * File header, 24 bytes, in the writer's byte order (told by the magic):
 *   magic u32 (a1b2c3d4 = microseconds, a1b23c4d = nanoseconds), version major u16, minor u16,
 *   thiszone i32, sigfigs u32, snaplen u32, link type u32 (low 16 bits; the rest are FCS flags)
 * Then records: ts_sec u32, ts_frac u32, caplen u32, origlen u32, caplen bytes of packet.
 */
import { u16, u32 } from './endian.js';
import { RecordStream } from './record-stream.js';

const FILE_HEADER = 24;
const RECORD_HEADER = 16;

/** Streaming reader of a classic pcap file: `push` chunks, `end` at the end of the file. */
export class PcapReader extends RecordStream {
  protected readonly format = 'pcap';
  private headerRead = false;
  private le = true;
  private nanoResolution = false;

  protected recordLength(buf: Uint8Array, at: number, avail: number): number {
    if (!this.headerRead) return FILE_HEADER;
    if (avail < RECORD_HEADER) return -1;
    const caplen = u32(buf, at + 8, this.le);
    if (caplen > this.maxRecordLength) {
      throw this.error(
        `packet record declares ${caplen} captured bytes, more than the limit of ${this.maxRecordLength}`,
        this.offset + 8,
      );
    }
    return RECORD_HEADER + caplen;
  }

  protected record(buf: Uint8Array, at: number, length: number): void {
    if (!this.headerRead) {
      this.readFileHeader(buf, at);
      return;
    }
    const p = this.packet;
    p.seconds = u32(buf, at, this.le);
    const frac = u32(buf, at + 4, this.le);
    if (frac >= (this.nanoResolution ? 1e9 : 1e6)) {
      throw this.error(`timestamp fraction ${frac} is out of range`, this.offset + 4);
    }
    p.nanos = this.nanoResolution ? frac : frac * 1000;
    p.originalLength = u32(buf, at + 12, this.le);
    p.data = buf.subarray(at + RECORD_HEADER, at + length);
    p.fileOffset = this.offset;
    this.onPacket(p);
  }

  protected finish(): void {
    if (!this.headerRead) throw this.error('the file is empty: no pcap file header', 0);
  }

  private readFileHeader(buf: Uint8Array, at: number): void {
    const magic = u32(buf, at, false);
    switch (magic) {
      case 0xa1b2c3d4:
        this.le = false;
        this.nanoResolution = false;
        break;
      case 0xd4c3b2a1:
        this.le = true;
        this.nanoResolution = false;
        break;
      case 0xa1b23c4d:
        this.le = false;
        this.nanoResolution = true;
        break;
      case 0x4d3cb2a1:
        this.le = true;
        this.nanoResolution = true;
        break;
      default:
        throw this.error(`not a pcap file: magic number 0x${magic.toString(16).padStart(8, '0')}`, 0);
    }
    const major = u16(buf, at + 4, this.le);
    if (major !== 2)
      throw this.error(`unsupported pcap version ${major}.${u16(buf, at + 6, this.le)} (expected 2.x)`, 4);
    this.packet.linkType = u32(buf, at + 20, this.le) & 0xffff;
    this.packet.digits = this.nanoResolution ? 9 : 6;
    this.packet.interfaceId = 0;
    this.headerRead = true;
  }
}
