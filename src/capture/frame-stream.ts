/**
 * One direction's byte stream cut into AMPS frames (docs/wire-format.md section 1), with what a capture
 * adds to plain framing: a stream joined mid-way, bytes lost to the capture, and a stream that
 * ends inside a frame.
 *
 * States: OPENING (a connection seen from its start, with `checkStart`: its first frame header
 * must be plausible, or the stream is some other protocol and is skipped), SYNCED (frame
 * boundaries known: bytes go through a FrameSplitter), SKIPPING (a gap
 * fell inside a frame whose length was known: the rest of that frame is skipped, and the next
 * boundary is certain), HUNTING (boundary unknown: after joining mid-way, a gap across a frame
 * boundary, or an impossible length). Hunting trusts a boundary only with proof: a TCP segment
 * that starts with a plausible frame header (length within the limit, payload opening with `{`,
 * `<` or a digit) whose length lands exactly on a second plausible header, or exactly on the
 * end of the stream.
 */
import { StreamException } from '../core/errors.js';
import { DEFAULT_MAX_FRAME_LENGTH, FrameSplitter } from '../frame/index.js';
import { readUint32BE } from '../core/bytes.js';
import type { EndReason, StreamSink } from './tcp.js';
import type { Transport } from './transport-support.js';

/** What happened to a stream besides frames, for a reader of the output. */
export type NoticeKind =
  | 'joined'
  | 'resync'
  | 'gap'
  | 'unsynced'
  | 'not-amps'
  | 'evicted'
  | 'no-keys'
  | 'tls-error'
  | 'ws-error';

/** A notice about a stream: its kind, the bytes it concerns, and a sentence saying what happened. */
export interface StreamNotice {
  kind: NoticeKind;
  bytes: number;
  message: string;
}

/** Receives what a {@link FrameStream} finds. `stream.index` is the frame's index during each call. */
export interface FrameHandler {
  /** A complete frame's payload (without its prefix); the bytes stay valid after the call. */
  frame(stream: FrameStream, payload: Uint8Array): void;
  /**
   * A frame cut off by the end of the stream or by a gap: `frameLength` is its declared
   * payload length (undefined when the prefix itself is cut), `bytesPresent` counts the bytes
   * seen including prefix bytes.
   */
  truncated(stream: FrameStream, frameLength: number | undefined, bytesPresent: number): void;
  /** A frame whose prefix cannot be right (a length above the limit); framing is lost after it. */
  frameError(stream: FrameStream, error: StreamException, frameLength: number): void;
  /** Something the reader of the output should know about the stream. */
  notice(stream: FrameStream, notice: StreamNotice): void;
}

/** Options of a {@link FrameStream}. */
export interface FrameStreamOptions {
  /** Largest frame payload accepted (default 64 MiB). */
  maxFrameLength?: number;
  /** Bytes kept while hunting for a trusted boundary (default 256 KiB). */
  huntWindow?: number;
  /** Bytes searched for a trusted boundary before giving up on the stream (default 4 MiB). */
  huntLimit?: number;
  /**
   * Whether a stream seen from its first byte must open with a plausible frame header; when it
   * does not, it is skipped with a `not-amps` notice (a capture's other TCP traffic).
   */
  checkStart?: boolean;
}

const SYNCED = 0;
const SKIPPING = 1;
const HUNTING = 2;
const GAVE_UP = 3;
const ENDED = 4;
const OPENING = 5;

const MAX_CANDIDATES = 32;

// First payload bytes a frame may open with: `{` (amps/json), a digit (fix, nvfix), `<` (xml).
const PLAUSIBLE_START = new Uint8Array(256);
PLAUSIBLE_START[0x7b] = 1;
PLAUSIBLE_START[0x3c] = 1;
for (let c = 0x30; c <= 0x39; c++) PLAUSIBLE_START[c] = 1;

interface Candidate {
  /** Stream offset of the segment start the chain begins at. */
  start: number;
  /** Stream offset of the next header to check. */
  next: number;
  /** Headers checked and found plausible. */
  headers: number;
}

/**
 * The frames of one stream direction. Feed it as a {@link StreamSink} (from TCP reassembly, or
 * directly for a raw file of frames); it reports to a {@link FrameHandler}.
 */
export class FrameStream implements StreamSink {
  /** Index of the next frame in this direction, counted from 0 (frames, truncated frames, frame errors). */
  index = 0;
  /** The opposite direction of the same connection, when there is one. */
  peer: FrameStream | undefined = undefined;
  /** Free for the handler to keep per-stream state (a detected protocol, counters). */
  tag: unknown = undefined;
  /** How this direction's messages travel, once its first bytes told (see the transport layers). */
  transport: Transport = 'tcp';
  /**
   * Which end of its connection sends this direction, when the capture shows the handshake:
   * `client` sent the SYN, `server` answered it. Undefined for a connection joined mid-way and
   * for raw streams.
   */
  side: 'client' | 'server' | undefined = undefined;

  private state = SYNCED;
  /** Stream offset of the next byte. */
  private pos = 0;
  private readonly splitter: FrameSplitter;
  private readonly maxFrameLength: number;
  private readonly huntWindow: number;
  private readonly huntLimit: number;
  private readonly checkStart: boolean;
  /** OPENING: the stream's first bytes, until a frame header's worth has arrived. */
  private opening: Uint8Array | undefined = undefined;
  private openingLength = 0;
  /** Stream offset where the splitter's stream began. */
  private splitBase = 0;
  /** Splitter-relative offset of the first byte of the frame being read. */
  private consumed = 0;
  /** The length prefix of the frame being read, as far as it has arrived. */
  private readonly prefix = new Uint8Array(4);
  private prefixHave = 0;
  private prefixAt = -1;
  /** SKIPPING: bytes left of the frame a gap broke. */
  private skipLeft = 0;
  /** HUNTING: where the search began, what started it, the window of recent bytes, the chains. */
  private huntFrom = 0;
  private huntJoined = false;
  /** Bytes searched since hunting began (gaps not counted). */
  private huntSearched = 0;
  private window: Uint8Array | undefined = undefined;
  private windowBase = 0;
  private windowLength = 0;
  private candidates: Candidate[] = [];

  private readonly onFrame = (payload: Uint8Array): void => {
    this.consumed += 4 + payload.length;
    this.handler.frame(this, payload);
    this.index++;
  };

  /**
   * @param conn the direction's name, `10.0.0.1:51000->10.0.0.2:9007`
   * @param srcPort the sending port (0 when not from a capture)
   * @param dstPort the receiving port (0 when not from a capture)
   */
  constructor(
    readonly conn: string,
    private readonly handler: FrameHandler,
    options: FrameStreamOptions = {},
    readonly srcPort = 0,
    readonly dstPort = 0,
  ) {
    this.maxFrameLength = options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
    this.splitter = new FrameSplitter({ maxFrameLength: this.maxFrameLength });
    this.huntWindow = Math.max(64, options.huntWindow ?? 256 * 1024);
    this.huntLimit = options.huntLimit ?? 4 * 1024 * 1024;
    this.checkStart = options.checkStart ?? false;
  }

  /** Memory held for the stream: a partial frame's pieces and the window searched for a boundary. */
  get bufferedBytes(): number {
    return this.splitter.retained + (this.window?.length ?? 0);
  }

  /** Bytes of the stream seen so far, gaps included. */
  get offset(): number {
    return this.pos;
  }

  begin(fromStart: boolean): void {
    if (!fromStart) this.startHunt(true);
    else if (this.checkStart) this.state = OPENING;
  }

  data(bytes: Uint8Array, segmentStart: boolean): void {
    switch (this.state) {
      case SYNCED:
        this.pushSynced(bytes);
        return;
      case SKIPPING:
        if (bytes.length <= this.skipLeft) {
          this.skipLeft -= bytes.length;
          this.pos += bytes.length;
          if (this.skipLeft === 0) this.startSynced();
          return;
        }
        this.pos += this.skipLeft;
        bytes = bytes.subarray(this.skipLeft);
        this.startSynced();
        this.pushSynced(bytes);
        return;
      case HUNTING:
        this.hunt(bytes, segmentStart);
        return;
      case OPENING:
        this.open(bytes);
        return;
      default:
        this.pos += bytes.length;
    }
  }

  gap(missing: number): void {
    if (this.state === OPENING) this.opened();
    const at = this.pos;
    this.pos += missing;
    if (this.state === SYNCED) {
      const partial = at - this.splitBase - this.consumed;
      const frameLength = this.partialLength();
      if (partial > 0) {
        this.handler.truncated(this, frameLength, partial);
        this.index++;
      }
      if (partial > 0 && frameLength !== undefined && partial - 4 + missing <= frameLength) {
        this.skipLeft = frameLength - (partial - 4) - missing;
        this.notice(
          'gap',
          missing,
          `${missing} bytes missing from the capture at stream byte ${at}, inside a frame of ${frameLength} bytes: that frame is dropped, and the next one starts where its length says`,
        );
        this.state = SKIPPING;
        if (this.skipLeft === 0) this.startSynced();
        return;
      }
      this.notice(
        'gap',
        missing,
        `${missing} bytes missing from the capture at stream byte ${at}${partial > 0 ? ', across a frame boundary: the frame it broke is dropped' : ''}; looking for a trusted frame boundary`,
      );
      this.startHunt(false);
      return;
    }
    if (this.state === SKIPPING && missing <= this.skipLeft) {
      this.skipLeft -= missing;
      this.notice(
        'gap',
        missing,
        `${missing} bytes missing from the capture at stream byte ${at}, inside a frame already dropped`,
      );
      if (this.skipLeft === 0) this.startSynced();
      return;
    }
    if (this.state === SKIPPING || this.state === HUNTING) {
      this.notice(
        'gap',
        missing,
        `${missing} bytes missing from the capture at stream byte ${at}; looking for a trusted frame boundary`,
      );
      const hunting = this.state === HUNTING;
      const from = hunting ? this.huntFrom : at;
      const searched = hunting ? this.huntSearched : 0;
      this.startHunt(hunting && this.huntJoined);
      this.huntFrom = from;
      this.huntSearched = searched;
    }
  }

  end(_reason: EndReason): void {
    if (this.state === OPENING) this.opened();
    if (this.state === HUNTING) this.huntAtEnd();
    if (this.state === SYNCED) {
      const partial = this.pos - this.splitBase - this.consumed;
      if (partial > 0) {
        this.handler.truncated(this, this.partialLength(), partial);
        this.index++;
      }
    }
    this.state = ENDED;
    this.window = undefined;
    this.candidates = [];
    // An ended stream holds nothing: its peer may keep it referenced for a long time.
    this.splitter.reset();
  }

  /**
   * A whole AMPS message framed by another layer (a WebSocket connection): handed to the
   * handler as a frame, counted like one.
   */
  message(payload: Uint8Array): void {
    this.handler.frame(this, payload);
    this.index++;
  }

  /** A message another layer's framing cut off: reported like a truncated frame. */
  cutOff(frameLength: number | undefined, bytesPresent: number): void {
    this.handler.truncated(this, frameLength, bytesPresent);
    this.index++;
  }

  /** A notice from another layer of this direction. */
  report(kind: NoticeKind, bytes: number, message: string): void {
    this.notice(kind, bytes, message);
  }

  // ---- opening --------------------------------------------------------------------------

  // Gathers the first 5 bytes (a length prefix and the first payload byte), then judges them.
  private open(bytes: Uint8Array): void {
    const held = (this.opening ??= new Uint8Array(5));
    const take = Math.min(5 - this.openingLength, bytes.length);
    held.set(bytes.subarray(0, take), this.openingLength);
    this.openingLength += take;
    if (this.openingLength < 5) return;
    if (!this.plausibleAt(held, 0)) {
      const first = Array.from(held, (b) => b.toString(16).padStart(2, '0')).join(' ');
      this.notice('not-amps', 0, `the connection does not open with an AMPS frame (first bytes ${first}): not decoded`);
      this.opening = undefined;
      this.state = GAVE_UP;
      this.pos += bytes.length;
      return;
    }
    this.opened();
    if (take < bytes.length) this.pushSynced(bytes.subarray(take));
  }

  // Leaves OPENING: the bytes held so far start the synced stream.
  private opened(): void {
    this.state = SYNCED;
    const held = this.opening;
    this.opening = undefined;
    if (held !== undefined && this.openingLength > 0) this.pushSynced(held.subarray(0, this.openingLength));
  }

  // ---- synced ---------------------------------------------------------------------------

  private startSynced(): void {
    this.state = SYNCED;
    this.splitter.reset();
    this.splitBase = this.pos;
    this.consumed = 0;
    this.prefixHave = 0;
    this.prefixAt = -1;
  }

  private pushSynced(bytes: Uint8Array): void {
    const chunkAt = this.pos;
    this.pos += bytes.length;
    try {
      this.splitter.push(bytes, this.onFrame);
    } catch (err) {
      if (!(err instanceof StreamException) || err.code !== 'AMPS_FRAME_TOO_LARGE') throw err;
      this.framingLost(bytes, chunkAt, this.splitBase + err.offset);
      return;
    }
    this.trackPrefix(bytes, chunkAt);
  }

  // Keeps the prefix bytes of a frame left partial, so a truncation can say its length.
  private trackPrefix(bytes: Uint8Array, chunkAt: number): void {
    const frameAt = this.splitBase + this.consumed;
    if (frameAt === this.pos) return;
    if (frameAt !== this.prefixAt) {
      this.prefixAt = frameAt;
      this.prefixHave = 0;
    }
    while (this.prefixHave < 4) {
      const i = frameAt + this.prefixHave - chunkAt;
      if (i < 0 || i >= bytes.length) break;
      this.prefix[this.prefixHave++] = bytes[i]!;
    }
  }

  private partialLength(): number | undefined {
    return this.prefixAt === this.splitBase + this.consumed && this.prefixHave === 4
      ? readUint32BE(this.prefix, 0)
      : undefined;
  }

  // A frame declared more than the limit at stream offset `at`: report it and hunt after it.
  private framingLost(bytes: Uint8Array, chunkAt: number, at: number): void {
    let length = 0;
    for (let k = 0; k < 4; k++) {
      const i = at + k - chunkAt;
      length = length * 256 + (i >= 0 ? bytes[i]! : this.prefix[k]!);
    }
    const error = new StreamException(
      `frame declares ${length} payload bytes, more than the limit of ${this.maxFrameLength}`,
      'AMPS_FRAME_TOO_LARGE',
      at,
      'frame',
    );
    this.handler.frameError(this, error, length);
    this.index++;
    const resume = Math.min(at + 4, this.pos);
    this.pos = resume;
    this.startHunt(false);
    this.hunt(bytes.subarray(resume - chunkAt), false);
  }

  // ---- hunting --------------------------------------------------------------------------

  private startHunt(joined: boolean): void {
    this.state = HUNTING;
    this.huntFrom = this.pos;
    this.huntJoined = joined;
    this.huntSearched = 0;
    this.window = undefined;
    this.windowBase = this.pos;
    this.windowLength = 0;
    this.candidates = [];
  }

  private hunt(bytes: Uint8Array, segmentStart: boolean): void {
    const piece = this.huntWindow >> 1;
    for (let from = 0; from < bytes.length; from += piece) {
      const part = bytes.subarray(from, Math.min(bytes.length, from + piece));
      if (segmentStart && from === 0) this.addCandidate(this.pos);
      this.appendWindow(part);
      this.pos += part.length;
      this.huntSearched += part.length;
      const confirmed = this.check();
      if (confirmed !== undefined) {
        this.sync(confirmed);
        if (from + piece < bytes.length) this.data(bytes.subarray(from + piece), false);
        return;
      }
      if (this.huntSearched > this.huntLimit) {
        this.giveUp();
        this.pos += bytes.length - from - part.length;
        return;
      }
    }
  }

  private addCandidate(at: number): void {
    if (this.candidates.length === MAX_CANDIDATES) this.candidates.shift();
    this.candidates.push({ start: at, next: at, headers: 0 });
  }

  private appendWindow(part: Uint8Array): void {
    let window = this.window;
    const needed = this.windowLength + part.length;
    if (window === undefined || needed > window.length) {
      if (needed > this.huntWindow) {
        // Full: drop the oldest bytes (chains still waiting there can no longer be checked).
        const drop = needed - this.huntWindow;
        window ??= new Uint8Array(this.huntWindow);
        if (window.length < this.huntWindow) {
          const grown = new Uint8Array(this.huntWindow);
          grown.set(window.subarray(drop, this.windowLength));
          window = grown;
        } else {
          window.copyWithin(0, drop, this.windowLength);
        }
        this.windowBase += drop;
        this.windowLength -= drop;
      } else {
        const grown = new Uint8Array(Math.min(this.huntWindow, Math.max(needed, (window?.length ?? 0) * 2, 4096)));
        if (window !== undefined) grown.set(window.subarray(0, this.windowLength));
        window = grown;
      }
      this.window = window;
    }
    window.set(part, this.windowLength);
    this.windowLength += part.length;
  }

  /** Whether the 5 bytes at `buf[at]` can open a frame: a length within the limit, a payload opening with `{`, `<` or a digit. */
  private plausibleAt(buf: Uint8Array, at: number): boolean {
    const length = readUint32BE(buf, at);
    return length !== 0 && length <= this.maxFrameLength && PLAUSIBLE_START[buf[at + 4]!] === 1;
  }

  // Advances every chain over the bytes now present; returns the first one proven.
  private check(): Candidate | undefined {
    const window = this.window!;
    const cands = this.candidates;
    for (let c = 0; c < cands.length; c++) {
      const cand = cands[c]!;
      while (cand.next + 5 <= this.pos) {
        const at = cand.next - this.windowBase;
        if (at < 0 || !this.plausibleAt(window, at)) {
          cands.splice(c--, 1);
          break;
        }
        if (++cand.headers === 2) return cand;
        cand.next += 4 + readUint32BE(window, at);
      }
    }
    return undefined;
  }

  private huntAtEnd(): void {
    for (const cand of this.candidates) {
      if (cand.headers >= 1 && cand.next === this.pos && cand.start >= this.windowBase) {
        this.sync(cand);
        return;
      }
    }
    const skipped = this.pos - this.huntFrom;
    if (skipped > 0) {
      this.notice(
        'unsynced',
        skipped,
        `the stream ended before a trusted frame boundary: ${skipped} bytes not decoded`,
      );
    }
  }

  // Starts splitting at the earliest proven boundary still in the window.
  private sync(cand: Candidate): void {
    const at = cand.start >= this.windowBase ? cand.start : cand.next;
    const skipped = at - this.huntFrom;
    if (this.huntJoined) {
      this.notice(
        'joined',
        skipped,
        `the capture joined this connection mid-stream: ${skipped} bytes skipped before the first trusted frame boundary`,
      );
    } else {
      this.notice('resync', skipped, `frame boundary found again at stream byte ${at} after skipping ${skipped} bytes`);
    }
    const rest = this.window!.subarray(at - this.windowBase, this.windowLength);
    // The splitter may keep views of what it is given: the window is handed over, not reused.
    this.window = undefined;
    this.candidates = [];
    this.pos = at;
    this.startSynced();
    this.pushSynced(rest);
  }

  private giveUp(): void {
    const skipped = this.pos - this.huntFrom;
    this.notice(
      'unsynced',
      skipped,
      `no trusted frame boundary in ${skipped} bytes: the rest of this stream is not decoded`,
    );
    this.state = GAVE_UP;
    this.window = undefined;
    this.candidates = [];
  }

  private notice(kind: NoticeKind, bytes: number, message: string): void {
    this.handler.notice(this, { kind, bytes, message });
  }
}
