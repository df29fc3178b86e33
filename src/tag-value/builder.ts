/** What the FIX and NVFIX builders share: `key=value<sep>` pairs appended to one reusable buffer. */
import { ensureRoom, utf8Slice, writeUtf8 } from '../core/bytes.js';
import { CommandException } from '../core/errors.js';
import { EQUALS, separatorByte } from './pairs.js';

const DIGIT_0 = 0x30;

/** A value a builder appends: text (written as UTF-8) or bytes (written as they are). */
export type PairValue = string | Uint8Array;

/**
 * One growing buffer of pairs that `reset()` keeps for reuse. The subclasses add `append`, which
 * starts a pair with a key of their grammar (`_tag` or `_name`) and ends it with `_value`. A pair
 * whose key or value cannot be written is refused with a CommandException and leaves the buffer
 * as it was before the pair.
 */
export class PairBuilder {
  /** @internal */
  _buf: Uint8Array = new Uint8Array(256);
  /** @internal Bytes in use. */
  _len = 0;
  private readonly _sep: number;
  /** Where the pair being written starts. */
  private _mark = 0;

  /** @internal */
  constructor(separator: string, numericKeys: boolean) {
    this._sep = separatorByte(separator, 'field separator', numericKeys, true);
  }

  /** The body built so far, as text. */
  getString(): string {
    return utf8Slice(this._buf, 0, this._len);
  }

  /**
   * The body built so far: a view of the builder's own buffer, not a copy. It is valid only
   * until the next `append` or `reset` (which may overwrite or replace the buffer); call
   * `.slice()` on it to keep the bytes longer.
   */
  getBytes(): Uint8Array {
    return this._buf.subarray(0, this._len);
  }

  /** Empties the body, keeping the buffer for the next one; returns the builder. */
  reset(): this {
    this._len = 0;
    this._mark = 0;
    return this;
  }

  /** @internal Starts a pair with a positive integer tag (FIX). */
  _tag(tag: number): void {
    if (typeof tag !== 'number' || !Number.isSafeInteger(tag) || tag <= 0) {
      throw new CommandException(`a FIX tag must be a positive integer, got ${String(tag)}`, 'AMPS_INVALID_ARGUMENT');
    }
    this._mark = this._len;
    let digits = 1;
    for (let t = tag; t >= 10; t = Math.floor(t / 10)) digits++;
    this._room(digits + 1);
    const b = this._buf;
    let o = this._len + digits;
    b[o] = EQUALS;
    this._len = o + 1;
    for (let t = tag; o > this._mark; t = Math.floor(t / 10)) b[--o] = DIGIT_0 + (t % 10);
  }

  /** @internal Starts a pair with a name (NVFIX): any text without `=` or the separator. */
  _name(name: string): void {
    if (typeof name !== 'string') {
      throw new CommandException(`an NVFIX key must be a string, got ${typeof name}`, 'AMPS_INVALID_ARGUMENT');
    }
    this._mark = this._len;
    this._room(3 * name.length + 1);
    const start = this._len;
    const end = writeUtf8(name, this._buf, start);
    for (let i = start; i < end; i++) {
      const c = this._buf[i];
      if (c === EQUALS || c === this._sep) {
        throw new CommandException(
          `an NVFIX key cannot contain ${c === EQUALS ? "'='" : 'the field separator'}: ${JSON.stringify(name)}`,
          'AMPS_UNENCODABLE',
        );
      }
    }
    this._buf[end] = EQUALS;
    this._len = end + 1;
  }

  /**
   * @internal Ends the pair started by `_tag()` or `_name()` with `value` (or its slice `offset`,
   * `length`: UTF-16 units of a string, bytes of a Uint8Array; `length` defaults to the rest) and
   * the separator. A value containing the separator is refused and the whole pair is dropped.
   */
  _value(value: PairValue, offset?: number, length?: number): void {
    let end: number;
    try {
      end = this._writeValue(value, offset, length);
    } catch (err) {
      this._len = this._mark;
      throw err;
    }
    this._buf[end] = this._sep;
    this._len = end + 1;
  }

  /** Writes the value after the key without moving `_len`; returns its end. */
  private _writeValue(value: PairValue, offset: number | undefined, length: number | undefined): number {
    const start = this._len;
    let end: number;
    if (typeof value === 'string') {
      let text = value;
      if (offset !== undefined || length !== undefined) {
        const [from, to] = sliceBounds(value.length, offset, length);
        text = value.substring(from, to);
      }
      this._room(3 * text.length + 1);
      end = writeUtf8(text, this._buf, start);
    } else if (value instanceof Uint8Array) {
      const [from, to] = sliceBounds(value.length, offset, length);
      this._room(to - from + 1);
      this._buf.set(value.subarray(from, to), start);
      end = start + (to - from);
    } else {
      throw new CommandException(
        `a value must be a string or a Uint8Array, got ${typeof value}`,
        'AMPS_INVALID_ARGUMENT',
      );
    }
    const b = this._buf;
    const sep = this._sep;
    for (let i = start; i < end; i++) {
      if (b[i] === sep) {
        throw new CommandException(
          `a value cannot contain the field separator (byte ${i - start} of the value)`,
          'AMPS_UNENCODABLE',
        );
      }
    }
    return end;
  }

  private _room(extra: number): void {
    this._buf = ensureRoom(this._buf, this._len, extra);
  }
}

/**
 * `[from, to)` of a slice `offset`, `length` of something `size` long; throws CommandException
 * when the slice does not lie inside it.
 */
function sliceBounds(size: number, offset = 0, length?: number): [number, number] {
  const len = length ?? size - offset;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(len) || offset < 0 || len < 0 || offset + len > size) {
    throw new CommandException(
      `offset ${String(offset)} and length ${String(length)} do not select a slice of a value ${size} long`,
      'AMPS_INVALID_ARGUMENT',
    );
  }
  return [offset, offset + len];
}
