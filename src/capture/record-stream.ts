/**
 * The streaming core shared by the pcap and pcapng readers: a capture file is a sequence of
 * records whose length is known from a few header bytes. Records lying inside one pushed chunk
 * are handed out as views of it; a record straddling chunks is gathered into a carry buffer that
 * grows only as its bytes arrive (never to a declared length), so memory stays bounded by the
 * largest record actually present.
 */
import { StreamException } from '../core/errors.js';
import { DEFAULT_MAX_RECORD_LENGTH, newPacket, type PacketHandler } from './packet.js';

/** Most header bytes any record format needs before its length is known. */
const HEADER_MAX = 24;
// A carried record of known length up to this size gets its storage at once; longer ones grow
// as their bytes arrive, so a corrupt length cannot make the reader allocate much.
const PREALLOCATE_MAX = 256 * 1024;
const NO_CARRY = new Uint8Array(0);

/** Options of the capture file readers. */
export interface RecordStreamOptions {
  /** Longest record (packet record or pcapng block) accepted; default 16 MiB. */
  maxRecordLength?: number | undefined;
}

/** A capture file read as length-delimited records, fed in chunks, handing out packets. */
export abstract class RecordStream {
  /** The packet holder handed to `onPacket`, reused for every packet. */
  protected readonly packet = newPacket();
  protected readonly maxRecordLength: number;
  /** Absolute offset in the file of the record being read. */
  protected offset = 0;
  private carry = NO_CARRY;
  private carryLen = 0;
  /** Length of the record in the carry buffer, or -1 while its header is incomplete. */
  private carryNeed = -1;
  private failure: StreamException | undefined = undefined;

  constructor(
    protected readonly onPacket: PacketHandler,
    options: RecordStreamOptions = {},
  ) {
    this.maxRecordLength = options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;
  }

  /** The format's name, used in error messages (`pcap`, `pcapng`). */
  protected abstract readonly format: string;

  /**
   * The total length of the record starting at `buf[at]`, given `avail` bytes from there; -1
   * when more bytes are needed to tell. Throws StreamException for an impossible length.
   */
  protected abstract recordLength(buf: Uint8Array, at: number, avail: number): number;

  /** Handles one whole record, `buf[at, at + length)`; the view is valid during the call only. */
  protected abstract record(buf: Uint8Array, at: number, length: number): void;

  /** Checks, at the end of the input, that the file was complete. */
  protected abstract finish(): void;

  /** Feeds the next chunk of the file. Throws StreamException (`AMPS_BAD_CAPTURE`) on bad bytes. */
  push(chunk: Uint8Array): void {
    if (this.failure !== undefined) throw this.failure;
    try {
      let pos = this.carryLen > 0 ? this.fillCarry(chunk) : 0;
      while (pos < chunk.length) {
        const avail = chunk.length - pos;
        const length = this.recordLength(chunk, pos, avail);
        if (length < 0 || length > avail) {
          this.carryNeed = length;
          this.appendCarry(chunk, pos, avail);
          break;
        }
        this.record(chunk, pos, length);
        pos += length;
        this.offset += length;
      }
    } catch (err) {
      if (err instanceof StreamException) this.failure = err;
      throw err;
    }
  }

  /** Signals the end of the file; throws StreamException if it ends inside a record. */
  end(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.carryLen > 0) {
      const what = this.carryNeed < 0 ? 'a record header' : `a record of ${this.carryNeed} bytes`;
      this.failure = this.error(`the file ends inside ${what} (${this.carryLen} bytes present)`, this.offset);
      throw this.failure;
    }
    this.finish();
  }

  /** A StreamException with code `AMPS_BAD_CAPTURE` at file offset `offset`. */
  protected error(message: string, offset: number): StreamException {
    return new StreamException(message, 'AMPS_BAD_CAPTURE', offset, this.format);
  }

  // Completes the carried record from the front of `chunk`; returns how many bytes were used.
  private fillCarry(chunk: Uint8Array): number {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.carryNeed < 0) {
        const take = Math.min(HEADER_MAX - this.carryLen, chunk.length - pos);
        this.appendCarry(chunk, pos, take);
        pos += take;
        this.carryNeed = this.recordLength(this.carry, 0, this.carryLen);
        if (this.carryNeed < 0) continue;
      }
      const take = Math.min(this.carryNeed - this.carryLen, chunk.length - pos);
      if (take < 0) {
        // The header bytes gathered already hold the whole (short) record and more.
        const extra = -take;
        this.carryLen -= extra;
        pos -= extra;
      } else {
        this.appendCarry(chunk, pos, take);
        pos += take;
      }
      if (this.carryLen === this.carryNeed) {
        const length = this.carryNeed;
        const carried = this.carry;
        // Packets are handed on as views, and readers downstream may hold them (a frame split
        // across packets): the next carried record gets fresh storage instead of overwriting.
        this.carry = NO_CARRY;
        this.carryLen = 0;
        this.carryNeed = -1;
        this.record(carried, 0, length);
        this.offset += length;
        return pos;
      }
    }
    return pos;
  }

  private appendCarry(chunk: Uint8Array, start: number, count: number): void {
    const needed = this.carryLen + count;
    if (needed > this.carry.length) {
      const known = this.carryNeed >= needed && this.carryNeed <= PREALLOCATE_MAX ? this.carryNeed : 0;
      const grown = new Uint8Array(Math.max(needed, known, this.carry.length * 2, 256));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(chunk.subarray(start, start + count), this.carryLen);
    this.carryLen = needed;
  }
}
