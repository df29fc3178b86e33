/** Builds composite message bodies: each part as a 4-byte big-endian length and its bytes. */
import { ensureRoom, writeUint32BE, writeUtf8 } from '../core/bytes.js';
import { CommandException } from '../core/errors.js';

const MAX_PART = 0xffffffff;

/**
 * Appends parts to one growing buffer that `clear()` keeps for reuse.
 *
 * ```ts
 * const body = new CompositeMessageBuilder().append('{"id":1}').append(image).getData();
 * ```
 */
export class CompositeMessageBuilder {
  private _buf: Uint8Array;
  private _len = 0;

  /** @param capacity initial buffer size in bytes; the buffer grows as parts are appended. */
  constructor(capacity = 256) {
    this._buf = new Uint8Array(capacity);
  }

  /**
   * Appends one part: text (written as UTF-8) or bytes (copied); returns the builder, so appends
   * chain. Throws CommandException for anything else or a part longer than 2^32-1 bytes.
   */
  append(part: string | Uint8Array): this {
    const at = this._len;
    let end: number;
    if (typeof part === 'string') {
      this._buf = ensureRoom(this._buf, at, 4 + 3 * part.length);
      end = writeUtf8(part, this._buf, at + 4);
    } else if (part instanceof Uint8Array) {
      if (part.length > MAX_PART)
        throw new CommandException(`a composite part holds at most ${MAX_PART} bytes`, 'AMPS_VALUE_TOO_LONG');
      this._buf = ensureRoom(this._buf, at, 4 + part.length);
      this._buf.set(part, at + 4);
      end = at + 4 + part.length;
    } else {
      throw new CommandException(
        `a composite part must be a string or a Uint8Array, got ${typeof part}`,
        'AMPS_INVALID_ARGUMENT',
      );
    }
    writeUint32BE(this._buf, at, end - at - 4);
    this._len = end;
    return this;
  }

  /** Removes every part, keeping the buffer; returns the builder. */
  clear(): this {
    this._len = 0;
    return this;
  }

  /**
   * The body built so far: a view of the builder's own buffer, not a copy. It is valid only
   * until the next `append` or `clear` (which may overwrite or replace the buffer); call
   * `.slice()` on it to keep the bytes longer, e.g. before reusing the builder for another
   * message whose `setData` still refers to this one.
   */
  getData(): Uint8Array {
    return this._buf.subarray(0, this._len);
  }
}
