/**
 * Little- and big-endian integer reads for capture headers, whose byte order is set per file
 * (pcap) or per section (pcapng). The caller guarantees the bytes are there. (A 32-bit network
 * order read is core's `readUint32BE`.)
 */

/** A 16-bit unsigned integer, little-endian when `le`. */
export function u16(buf: Uint8Array, offset: number, le: boolean): number {
  return le ? buf[offset]! | (buf[offset + 1]! << 8) : (buf[offset]! << 8) | buf[offset + 1]!;
}

/** A 32-bit unsigned integer, little-endian when `le`. */
export function u32(buf: Uint8Array, offset: number, le: boolean): number {
  return le
    ? (buf[offset]! | (buf[offset + 1]! << 8) | (buf[offset + 2]! << 16) | (buf[offset + 3]! << 24)) >>> 0
    : ((buf[offset]! << 24) | (buf[offset + 1]! << 16) | (buf[offset + 2]! << 8) | buf[offset + 3]!) >>> 0;
}

/** A 16-bit big-endian (network order) unsigned integer. */
export function u16be(buf: Uint8Array, offset: number): number {
  return (buf[offset]! << 8) | buf[offset + 1]!;
}
