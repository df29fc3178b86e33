/**
 * The interface every header protocol implements, and the one place that turns a protocol's
 * "write into a buffer with room for `bound` bytes" into encode, encodeInto and encodeFrame.
 */
import { checkMessage, checkTarget } from './arguments.js';
import { writeUint32BE } from './bytes.js';
import { CommandException } from './errors.js';
import { UNKNOWN, type Message, type ValueCodec } from './message.js';

/** A header protocol (`amps`/`json`, `fix`, `nvfix`, `xml`). */
export interface Protocol {
  /** The protocol's name as AMPS spells it. */
  readonly name: string;
  /**
   * Decodes one payload (without the 4-byte frame prefix) into a zero-copy view over it.
   * Pass `into` to reuse a Message (and its index storage) instead of allocating one.
   * Throws StreamException on malformed input.
   */
  decode(payload: Uint8Array, into?: Message): Message;
  /** The payload for `message`: Command first, then the other fields in the order set. */
  encode(message: Message): Uint8Array;
  /**
   * Writes the payload into `target` at `offset` and returns the number of bytes written.
   * Throws CommandException (`AMPS_BUFFER_TOO_SMALL`, with `needed`) if it does not fit.
   */
  encodeInto(message: Message, target: Uint8Array, offset?: number): number;
  /** The payload with its 4-byte big-endian length prefix. */
  encodeFrame(message: Message): Uint8Array;
}

/**
 * What a protocol's encoder provides: an upper bound on the encoded size, and a writer that
 * writes into a buffer holding at least that many bytes and returns the end offset.
 * @internal
 */
export interface PayloadWriter {
  bound(message: Message): number;
  write(message: Message, target: Uint8Array, offset: number): number;
  /**
   * Optional: `write` when `target` has room for the bound from `offset` on, in one call (so
   * the writer can share the work of finding the bound with the writing); otherwise returns -1
   * having written nothing.
   */
  writeIfRoom?(message: Message, target: Uint8Array, offset: number): number;
}

/**
 * Whether the encoder of `codec` writes entry `e` of `msg`: a known field always; an unknown one
 * only back into the protocol that decoded it, whose key and value it copies verbatim.
 * @internal
 */
export function writesEntry(msg: Message, e: number, codec: ValueCodec): boolean {
  return msg._idAt(e) !== UNKNOWN || msg._codec === codec;
}

/**
 * Whether the encoder of `codec` writes a SOW batch's records from their fields and bodies: they
 * were decoded by another protocol, so the body holds them in that protocol's layout.
 * @internal
 */
export function transcodesRecords(msg: Message, codec: ValueCodec): boolean {
  return msg._recordCount > 0 && msg._codec !== codec;
}

let scratch = new Uint8Array(4096);

function scratchOf(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
  return scratch;
}

/**
 * encode, encodeInto and encodeFrame over a PayloadWriter. encodeInto writes straight into the
 * caller's buffer when the bound fits (no allocation); otherwise it encodes into a shared
 * scratch buffer first to learn the exact size.
 * @internal
 */
export function encoders(writer: PayloadWriter): Pick<Protocol, 'encode' | 'encodeInto' | 'encodeFrame'> {
  return {
    encode(message) {
      checkMessage(message);
      const buf = scratchOf(writer.bound(message));
      return buf.slice(0, writer.write(message, buf, 0));
    },
    encodeInto(message, target, offset = 0) {
      checkMessage(message);
      checkTarget(target);
      if (!Number.isInteger(offset) || offset < 0 || offset > target.length) {
        throw new CommandException(`offset ${offset} is outside the target buffer (length ${target.length})`);
      }
      let bound: number;
      if (writer.writeIfRoom !== undefined) {
        const end = writer.writeIfRoom(message, target, offset);
        if (end >= 0) return end - offset;
        bound = writer.bound(message);
      } else {
        bound = writer.bound(message);
        if (target.length - offset >= bound) return writer.write(message, target, offset) - offset;
      }
      const buf = scratchOf(bound);
      const n = writer.write(message, buf, 0);
      if (n > target.length - offset) {
        throw new CommandException(
          `the encoded message needs ${n} bytes; ${target.length - offset} are left in the target`,
          'AMPS_BUFFER_TOO_SMALL',
          n,
        );
      }
      target.set(buf.subarray(0, n), offset);
      return n;
    },
    encodeFrame(message) {
      checkMessage(message);
      const buf = scratchOf(writer.bound(message) + 4);
      const end = writer.write(message, buf, 4);
      writeUint32BE(buf, 0, end - 4);
      return buf.slice(0, end);
    },
  };
}
