/**
 * TCP reassembly for one direction of a connection: turns segments in capture order into the
 * byte stream the receiver saw, in order.
 *
 * Sequence numbers are compared modulo 2^32 (`(a - b) | 0`). Bytes already delivered are never
 * replaced, and a segment arriving ahead of the stream is kept (copied) until the hole before it
 * fills; where an early copy and a later one overlap, the first copy wins. A hole becomes a gap
 * (bytes the capture never saw) when the receiver acknowledges data beyond it, when the held
 * segments exceed a limit, or when the direction ends. Checksums are not checked.
 */
import type { TcpSegment } from './ip.js';
import { TcpFlag } from './ip.js';

/** How a direction ended. */
export type EndReason = 'fin' | 'rst' | 'eof';

/** Receives the reassembled stream of one direction. */
export interface StreamSink {
  /**
   * Called once before anything else: `fromStart` is true when the connection's SYN was seen
   * (the stream starts at its first byte), false when the capture joined it mid-way.
   */
  begin(fromStart: boolean): void;
  /** The next bytes, in order; `segmentStart` when they begin at a TCP segment's first byte. */
  data(bytes: Uint8Array, segmentStart: boolean): void;
  /** `missing` bytes the capture never saw come next in the stream. */
  gap(missing: number): void;
  /** The direction ended; nothing follows. */
  end(reason: EndReason): void;
}

/** Bounds on what one direction holds while waiting for a hole to fill. */
export interface ReassemblyLimits {
  /** Most bytes of out-of-order segments held (default 1 MiB). */
  maxHeldBytes?: number;
  /** Most out-of-order pieces held (default 256). */
  maxHeldSegments?: number;
}

// Direction states.
const NEW = 0;
const OPEN = 1;
const CLOSED = 2;

interface Held {
  seq: number;
  bytes: Uint8Array;
  /** Whether the piece begins at its segment's first byte. */
  segmentStart: boolean;
}

/** One direction of a TCP connection being reassembled. */
export class TcpDirection {
  /** Bytes received again after they were delivered (retransmissions, overlaps). */
  retransmittedBytes = 0;
  /** Segments that arrived ahead of a hole. */
  outOfOrderSegments = 0;
  /** Holes given up on, and their bytes. */
  gaps = 0;
  gapBytes = 0;

  private state = NEW;
  /** Sequence number of the SYN that opened the direction, or -1 when it was not seen. */
  private synSeq = -1;
  /** The sequence number of the next byte the stream expects. */
  private next = 0;
  private finSeq = 0;
  private finSeen = false;
  /** Out-of-order pieces, sorted by sequence number, never overlapping each other. */
  private held: Held[] = [];
  private heldBytes = 0;
  private readonly maxHeldBytes: number;
  private readonly maxHeldSegments: number;

  constructor(
    private readonly sink: StreamSink,
    limits: ReassemblyLimits = {},
  ) {
    this.maxHeldBytes = limits.maxHeldBytes ?? 1024 * 1024;
    this.maxHeldSegments = limits.maxHeldSegments ?? 256;
  }

  /** Bytes of out-of-order segments held, waiting for the hole before them. */
  get bufferedBytes(): number {
    return this.heldBytes;
  }

  /** Whether the direction has ended (FIN reached, RST, or {@link finish}). */
  get closed(): boolean {
    return this.state === CLOSED;
  }

  /** Whether a SYN with sequence number `seq` would start a different connection than this one. */
  isNewConnection(seq: number): boolean {
    return this.state === CLOSED || (this.state === OPEN && this.synSeq !== seq);
  }

  /** Takes one segment travelling in this direction. */
  segment(seg: TcpSegment): void {
    if (this.state === CLOSED) {
      this.retransmittedBytes += seg.payload.length;
      return;
    }
    const flags = seg.flags;
    let seq = seg.seq;
    if (flags & TcpFlag.SYN) {
      if (this.state === NEW) {
        this.state = OPEN;
        this.synSeq = seq;
        this.next = (seq + 1) >>> 0;
        this.sink.begin(true);
      }
      seq = (seq + 1) >>> 0; // data on a SYN starts after it
    } else if (this.state === NEW) {
      this.state = OPEN;
      this.next = seq;
      this.sink.begin(false);
    }
    if (seg.payload.length > 0) this.accept(seq, seg.payload);
    if (flags & TcpFlag.RST) {
      this.finish('rst');
      return;
    }
    if (flags & TcpFlag.FIN && !this.finSeen) {
      this.finSeen = true;
      this.finSeq = (seq + seg.wireLength) >>> 0;
    }
    if (this.finSeen && this.next === this.finSeq && this.held.length === 0) this.close('fin');
  }

  /**
   * The receiver acknowledged every byte before `ack`: if held segments lie before it, the hole
   * ahead of them was received but not captured, so it is a gap now.
   */
  acknowledged(ack: number): void {
    if (this.state !== OPEN || this.held.length === 0) return;
    if (((ack - this.held[0]!.seq) | 0) >= 0) this.skipHole();
  }

  /** Ends the direction: held segments are delivered with gaps between them, then `end(reason)`. */
  finish(reason: EndReason): void {
    if (this.state === CLOSED) return;
    if (this.state === OPEN) while (this.held.length > 0) this.skipHole();
    this.close(this.finSeen && this.next === this.finSeq ? 'fin' : reason);
  }

  private close(reason: EndReason): void {
    if (this.state === CLOSED) return;
    if (this.state === NEW) this.sink.begin(false);
    this.state = CLOSED;
    this.held = [];
    this.heldBytes = 0;
    this.sink.end(reason);
  }

  private accept(seq: number, payload: Uint8Array): void {
    const ahead = (seq - this.next) | 0;
    if (ahead > 0 || this.held.length > 0) {
      // Early, or in order but possibly overlapping held pieces, which were here first.
      if (ahead > 0) this.outOfOrderSegments++;
      this.hold(seq, payload);
      if (ahead <= 0) this.drain();
      return;
    }
    const skip = -ahead;
    if (skip >= payload.length) {
      this.retransmittedBytes += payload.length;
      return;
    }
    this.retransmittedBytes += skip;
    this.next = (this.next + payload.length - skip) >>> 0;
    this.sink.data(skip === 0 ? payload : payload.subarray(skip), skip === 0);
  }

  // Keeps the parts of a segment that neither the delivered stream nor a held piece covers yet
  // (first copy wins).
  private hold(seq: number, payload: Uint8Array): void {
    const base = this.next;
    const origin = (seq - base) | 0;
    let from = Math.max(origin, 0);
    const to = origin + payload.length;
    if (to <= from) {
      this.retransmittedBytes += payload.length;
      return;
    }
    this.retransmittedBytes += from - origin;
    const copy = payload.slice(from - origin);
    const copyOrigin = from;
    const held = this.held;
    let i = 0;
    while (from < to) {
      while (i < held.length && ((held[i]!.seq - base) | 0) + held[i]!.bytes.length <= from) i++;
      const hs = i < held.length ? (held[i]!.seq - base) | 0 : to;
      if (hs > from) {
        const end = Math.min(hs, to);
        held.splice(i, 0, {
          seq: (base + from) >>> 0,
          bytes: copy.subarray(from - copyOrigin, end - copyOrigin),
          segmentStart: from === origin,
        });
        this.heldBytes += end - from;
        i++;
        from = end;
      } else {
        const he = hs + held[i]!.bytes.length;
        this.retransmittedBytes += Math.min(he, to) - from;
        from = he;
      }
    }
    while (this.heldBytes > this.maxHeldBytes || held.length > this.maxHeldSegments) this.skipHole();
  }

  // Delivers held pieces that the stream has reached.
  private drain(): void {
    const held = this.held;
    while (held.length > 0) {
      const first = held[0]!;
      const ahead = (first.seq - this.next) | 0;
      if (ahead > 0) return;
      held.shift();
      this.heldBytes -= first.bytes.length;
      const skip = -ahead;
      if (skip >= first.bytes.length) {
        this.retransmittedBytes += first.bytes.length;
        continue;
      }
      this.retransmittedBytes += skip;
      this.next = (this.next + first.bytes.length - skip) >>> 0;
      this.sink.data(skip === 0 ? first.bytes : first.bytes.subarray(skip), skip === 0 && first.segmentStart);
    }
    if (this.finSeen && this.next === this.finSeq) this.close('fin');
  }

  // Gives up on the hole before the first held piece: reports it as a gap and moves on.
  private skipHole(): void {
    const first = this.held[0]!;
    const missing = (first.seq - this.next) | 0;
    if (missing > 0) {
      this.gaps++;
      this.gapBytes += missing;
      this.sink.gap(missing);
      this.next = first.seq;
    }
    this.drain();
  }
}
