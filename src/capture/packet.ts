/** What the capture readers hand out for each captured packet. */

/**
 * One captured packet. The reader reuses a single instance: read what you need during the
 * callback, and copy `data` if you keep it.
 */
export interface CapturePacket {
  /** The link-layer type (LINKTYPE_* value: 1 Ethernet, 113 Linux SLL, ...). */
  linkType: number;
  /** The pcapng interface the packet came from (0 for classic pcap). */
  interfaceId: number;
  /** Capture time: whole seconds since the Unix epoch. */
  seconds: number;
  /** Capture time: nanoseconds within the second. */
  nanos: number;
  /** Fraction digits the capture's clock resolves: 6 for microseconds (and coarser), up to 9 for nanoseconds. */
  digits: number;
  /** The captured bytes, starting at the link-layer header. A view valid during the callback. */
  data: Uint8Array;
  /** The packet's length on the wire (more than `data.length` when the capture cut it short). */
  originalLength: number;
  /** Offset in the capture file of the record holding the packet. */
  fileOffset: number;
}

/** Receives the packets of a capture, in file order. */
export type PacketHandler = (packet: CapturePacket) => void;

/** A fresh packet holder for a reader to reuse. */
export function newPacket(): CapturePacket {
  return {
    linkType: 0,
    interfaceId: 0,
    seconds: 0,
    nanos: 0,
    digits: 6,
    data: new Uint8Array(0),
    originalLength: 0,
    fileOffset: 0,
  };
}

/** Default bound on one packet record (or pcapng block); a longer declared length is corrupt. */
export const DEFAULT_MAX_RECORD_LENGTH = 16 * 1024 * 1024;
