/**
 * FrameSplitter: turns a byte stream cut into arbitrary chunks into frame payloads
 * (docs/wire-format.md section 1: a 4-byte big-endian length N, then N payload bytes).
 *
 * An integer-state reader: it is either reading a length prefix (possibly held partly from the
 * previous chunk) or reading the payload of a frame whose length is known. Frames that lie
 * inside one chunk are delivered as views of it. A frame that straddles chunks is held as views
 * of its pieces and assembled once, when its last byte arrives, so holding a partial frame costs
 * only the bytes actually received, whatever length the peer declared.
 */
import { readUint32BE } from '../core/bytes.js';
import { describe, optionsObject } from '../core/arguments.js';
import { CommandException, StreamException } from '../core/errors.js';

/** The default {@link FrameSplitterOptions.maxFrameLength}: 64 MiB. */
export const DEFAULT_MAX_FRAME_LENGTH = 64 * 1024 * 1024;

/** Options shared by every frame splitting entry point. */
export interface FrameSplitterOptions {
  /**
   * The largest payload length accepted, in bytes (default 64 MiB, at most 2^32-1). A frame
   * declaring more fails with `AMPS_FRAME_TOO_LARGE` as soon as its prefix is read.
   */
  maxFrameLength?: number;
}

/** Receives one frame payload; the bytes stay valid after the call returns. */
export type FrameCallback = (payload: Uint8Array) => void;

const PROTOCOL = 'frame';
const PREFIX = 4;
const MAX_UINT32 = 0xffffffff;
/** Pieces of a straddling frame shorter than this are copied rather than held as views. */
const COPY_BELOW = 256;
/**
 * Sizes of the blocks small pieces are copied into (less when less of the frame is left): a run
 * of small pieces starts with a small block and doubles it as it fills, so a block never holds
 * much more room than the run has bytes, however small pieces and views alternate.
 */
const FIRST_BLOCK = 64;
const BLOCK = 4096;

// Reader states.
const READ_PREFIX = 0;
const READ_PAYLOAD = 1;

/**
 * Splits a stream of length-prefixed frames. Push chunks as they arrive; every complete frame
 * is handed to the callback, in order. Chunks must not be modified after they are pushed:
 * payloads (and partial frames held between pushes) are views of them.
 *
 * ```ts
 * const splitter = new FrameSplitter();
 * socket.on('data', (chunk) => splitter.push(chunk, (payload) => handle(amps.decode(payload))));
 * socket.on('end', () => splitter.end());
 * ```
 */
export class FrameSplitter {
  /** The largest payload length accepted. */
  readonly maxFrameLength: number;

  private _state = READ_PREFIX;
  /** Prefix bytes received so far for the current frame (0 to 3 between pushes). */
  private _prefixHave = 0;
  private readonly _prefix = new Uint8Array(PREFIX);
  /** Declared payload length of the current frame (in READ_PAYLOAD). */
  private _length = 0;
  /** The payload bytes received so far for the current frame: views of chunks, or of a block. */
  private readonly _pieces: Uint8Array[] = [];
  private _have = 0;
  /** Where small pieces of the current frame are copied (always the last piece while set). */
  private _block: Uint8Array | undefined = undefined;
  private _blockUsed = 0;
  /** Size of the next block of the current run of small pieces. */
  private _nextBlock = FIRST_BLOCK;
  /** Bytes of memory the held pieces take: views count their length, blocks their size. */
  private _retained = 0;
  /** Stream offset of the current frame's first prefix byte. */
  private _frameStart = 0;
  /** Stream bytes taken in so far (split or held). */
  private _received = 0;
  /** Bytes received but not yet split because a callback threw; split first by the next push. */
  private readonly _unsplit: Uint8Array[] = [];
  /** Set once an oversize frame is seen: the framing is lost, so every later call fails. */
  private _failure: StreamException | undefined = undefined;
  /** Set while a push is splitting (calling onFrame). */
  private _busy = false;

  constructor(options: FrameSplitterOptions = {}) {
    const max = optionsObject(options, 'FrameSplitter').maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
    if (!Number.isInteger(max) || max < 0 || max > MAX_UINT32) {
      throw new CommandException(`maxFrameLength must be an integer from 0 to ${MAX_UINT32}, got ${String(max)}`);
    }
    this.maxFrameLength = max;
  }

  /** Bytes held for a partial frame (its prefix bytes and payload bytes received so far). */
  get buffered(): number {
    let n = this._state === READ_PREFIX ? this._prefixHave : PREFIX + this._have;
    for (const chunk of this._unsplit) n += chunk.length;
    return n;
  }

  /**
   * Bytes of memory the partial frame's pieces take (views count their length, copy blocks
   * their size): what a peer dribbling a frame costs beyond {@link buffered}.
   * @internal
   */
  get retained(): number {
    return this._retained;
  }

  /** Stream bytes taken in so far: the stream offset of the next byte to arrive. */
  get offset(): number {
    let n = this._received;
    for (const chunk of this._unsplit) n += chunk.length;
    return n;
  }

  /**
   * Splits `chunk`, calling `onFrame` once per frame it completes, in order. Throws
   * StreamException (`AMPS_FRAME_TOO_LARGE`) when a frame declares more than `maxFrameLength`;
   * the stream cannot be split any further after that. If `onFrame` throws, `push` rethrows
   * at once and keeps the rest of the chunk, which the next `push` splits first.
   */
  push(chunk: Uint8Array, onFrame: FrameCallback): void {
    if (this._failure !== undefined) throw this._failure;
    if (!(chunk instanceof Uint8Array)) {
      throw new CommandException(`FrameSplitter.push takes a Uint8Array, got ${describe(chunk)}`);
    }
    if (typeof onFrame !== 'function')
      throw new CommandException(`FrameSplitter.push takes an onFrame function, got ${describe(onFrame)}`);
    // A push from inside an onFrame callback would split into the middle of the frame being
    // delivered: refused, which leaves the state as it was.
    if (this._busy) throw new CommandException('FrameSplitter.push() cannot be called from inside an onFrame callback');
    this._busy = true;
    try {
      if (this._unsplit.length === 0) {
        this._split(chunk, onFrame);
        return;
      }
      this._unsplit.push(chunk);
      while (this._unsplit.length > 0) this._split(this._unsplit.shift()!, onFrame);
    } finally {
      this._busy = false;
    }
  }

  /**
   * Declares the end of the stream. Throws StreamException (`AMPS_FRAME_TRUNCATED`, at the
   * offset where the stream ended) when a partial prefix or payload is held. Afterwards the
   * splitter is ready for a new stream, offsets starting again at 0.
   */
  end(): void {
    if (this._busy) throw new CommandException('FrameSplitter.end() cannot be called from inside an onFrame callback');
    if (this._failure !== undefined) throw this._failure;
    if (this._unsplit.length > 0) {
      throw new CommandException(
        'end() called with bytes left unsplit after a callback threw; push an empty chunk first',
      );
    }
    const error = this._truncation();
    this.reset();
    if (error !== undefined) throw error;
  }

  /** Drops everything held (and a failure) and starts a new stream at offset 0. */
  reset(): void {
    this._state = READ_PREFIX;
    this._prefixHave = 0;
    this._length = 0;
    this._pieces.length = 0;
    this._block = undefined;
    this._retained = 0;
    this._nextBlock = FIRST_BLOCK;
    this._have = 0;
    this._frameStart = 0;
    this._received = 0;
    this._unsplit.length = 0;
    this._failure = undefined;
  }

  private _truncation(): StreamException | undefined {
    const at = this._received;
    if (this._state === READ_PAYLOAD) {
      return new StreamException(
        `stream ended after ${this._have} of the ${this._length} payload bytes of the frame starting at byte ${this._frameStart}`,
        'AMPS_FRAME_TRUNCATED',
        at,
        PROTOCOL,
      );
    }
    if (this._prefixHave > 0) {
      return new StreamException(
        `stream ended after ${this._prefixHave} of the 4 length-prefix bytes of the frame starting at byte ${this._frameStart}`,
        'AMPS_FRAME_TRUNCATED',
        at,
        PROTOCOL,
      );
    }
    return undefined;
  }

  private _split(chunk: Uint8Array, onFrame: FrameCallback): void {
    const len = chunk.length;
    const base = this._received;
    this._received = base + len;
    let pos = 0;
    try {
      if (this._prefixHave !== 0) {
        pos = this._finishPrefix(chunk);
        if (pos === len && this._state === READ_PREFIX) return;
      }
      if (this._state === READ_PAYLOAD) {
        const need = this._length - this._have;
        if (len - pos < need) {
          this._hold(chunk, pos);
          return;
        }
        const payload =
          this._have === 0
            ? new Uint8Array(chunk.buffer, chunk.byteOffset + pos, need)
            : this._assemble(chunk, pos, need);
        this._state = READ_PREFIX;
        pos += need;
        onFrame(payload);
      }
      // The hot loop: whole frames inside this chunk, delivered as views. Views are built from
      // the chunk's buffer, read once here: a subarray() per frame costs twice as much (more
      // again on a Node Buffer, whose subarray goes through its species constructor).
      const max = this.maxFrameLength;
      const buffer = chunk.buffer;
      const byteOffset = chunk.byteOffset;
      while (len - pos >= PREFIX) {
        const n = readUint32BE(chunk, pos);
        if (n > max) throw this._tooLarge(n, base + pos);
        const start = pos + PREFIX;
        if (len - start < n) {
          this._frameStart = base + pos;
          this._length = n;
          this._state = READ_PAYLOAD;
          this._hold(chunk, start);
          return;
        }
        pos = start + n;
        onFrame(new Uint8Array(buffer, byteOffset + start, n));
      }
      if (pos < len) {
        this._frameStart = base + pos;
        for (let i = pos; i < len; i++) this._prefix[this._prefixHave++] = chunk[i]!;
      }
    } catch (error) {
      if (error !== this._failure) {
        // A callback threw: keep what is left of the chunk for the next push.
        this._received = base + pos;
        if (pos < len) this._unsplit.unshift(chunk.subarray(pos));
      }
      throw error;
    }
  }

  /** Completes a prefix begun in an earlier chunk; returns the position after the bytes used. */
  private _finishPrefix(chunk: Uint8Array): number {
    const take = Math.min(PREFIX - this._prefixHave, chunk.length);
    for (let i = 0; i < take; i++) this._prefix[this._prefixHave++] = chunk[i]!;
    if (this._prefixHave < PREFIX) return take;
    this._prefixHave = 0;
    const n = readUint32BE(this._prefix, 0);
    if (n > this.maxFrameLength) throw this._tooLarge(n, this._frameStart);
    this._length = n;
    this._state = READ_PAYLOAD;
    return take;
  }

  /**
   * Holds `chunk[pos..]` as a piece of the current frame's payload: as a view, or, for a small
   * piece, copied into a block the frame's small pieces share, so a peer dribbling a frame a
   * few bytes per read costs those bytes rather than a view object per read. A block never
   * exceeds what is left of the frame, so it too is bounded by what the peer sends.
   */
  private _hold(chunk: Uint8Array, pos: number): void {
    const n = chunk.length - pos;
    if (n === 0) return;
    const left = this._length - this._have;
    this._have += n;
    if (n >= COPY_BELOW) {
      this._pieces.push(chunk.subarray(pos));
      this._retained += n;
      this._block = undefined;
      this._nextBlock = FIRST_BLOCK;
      return;
    }
    let block = this._block;
    if (block === undefined || block.length - this._blockUsed < n) {
      block = this._block = new Uint8Array(Math.min(Math.max(this._nextBlock, n), left));
      this._nextBlock = Math.min(BLOCK, block.length * 2);
      this._retained += block.length;
      this._blockUsed = 0;
      this._pieces.push(block);
    }
    block.set(chunk.subarray(pos), this._blockUsed);
    this._blockUsed += n;
    this._pieces[this._pieces.length - 1] = block.subarray(0, this._blockUsed);
  }

  /** The current frame's payload: the held pieces plus `chunk[pos, pos + need)`, copied once. */
  private _assemble(chunk: Uint8Array, pos: number, need: number): Uint8Array {
    const payload = new Uint8Array(this._length);
    let o = 0;
    for (const piece of this._pieces) {
      payload.set(piece, o);
      o += piece.length;
    }
    payload.set(chunk.subarray(pos, pos + need), o);
    this._pieces.length = 0;
    this._block = undefined;
    this._retained = 0;
    this._nextBlock = FIRST_BLOCK;
    this._have = 0;
    return payload;
  }

  private _tooLarge(length: number, at: number): StreamException {
    this._failure = new StreamException(
      `frame declares ${length} payload bytes, more than maxFrameLength ${this.maxFrameLength}`,
      'AMPS_FRAME_TOO_LARGE',
      at,
      PROTOCOL,
    );
    this._pieces.length = 0;
    this._block = undefined;
    this._retained = 0;
    this._nextBlock = FIRST_BLOCK;
    this._have = 0;
    this._prefixHave = 0;
    this._state = READ_PREFIX;
    return this._failure;
  }
}

export { describe };
