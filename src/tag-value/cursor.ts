/** A reusable cursor over the pairs of one body: byte positions, strings only when asked. */
import { type BodyInput, bodyBytes } from '../core/body.js';
import { bytesEqual, utf8Slice } from '../core/bytes.js';
import { PairScan, nameEnd, skipEmpty, tagEnd, valueEnd } from './pairs.js';

const NO_BYTES = new Uint8Array(0);

/**
 * A reusable cursor over the pairs of one body. `next()` moves to the following pair and sets
 * the byte positions of its key and value in {@link PairScanner.bytes}; no string is made unless
 * {@link PairScanner.value} (or a subclass's key accessor) asks for one.
 */
export class PairScanner {
  /** The body being scanned; positions are offsets into it. */
  bytes: Uint8Array = NO_BYTES;
  /** Offset of the current key's first byte. */
  keyStart = 0;
  /** Offset just past the current key (the `=`). */
  keyEnd = 0;
  /** Offset of the current value's first byte. */
  valueStart = 0;
  /** Offset just past the current value (the separator, or the end of the body). */
  valueEnd = 0;
  /** With numeric keys (FIX), the current key as a number; otherwise -1. */
  tag = -1;
  /** @internal Offset where the next pair starts. */
  _pos = 0;
  /** @internal */
  readonly _sep: number;
  /** @internal */
  readonly _numeric: boolean;
  /** @internal Named in errors. */
  readonly _protocol: string;
  /** @internal What the scanning steps read besides offsets. */
  readonly _pair = new PairScan();

  /** @internal Subclasses supply the separator byte and the key grammar. */
  constructor(separator: number, numericKeys: boolean, protocol: string) {
    this._sep = separator;
    this._numeric = numericKeys;
    this._protocol = protocol;
  }

  /**
   * Starts over on `body` (bytes, text or a `Message`); without an argument, lets go of the body
   * (the cursor keeps no other reference to it).
   */
  reset(body: BodyInput = NO_BYTES): this {
    this.bytes = bodyBytes(body);
    this._pos = 0;
    this.keyStart = this.keyEnd = this.valueStart = this.valueEnd = 0;
    this.tag = -1;
    return this;
  }

  /**
   * Moves to the next pair, skipping empty fields; false at the end of the body. Throws StreamException
   * (`AMPS_BAD_BODY`, with the offset) for a pair without `=` or, with numeric keys, a key that
   * is not a decimal tag.
   */
  next(): boolean {
    const b = this.bytes;
    const start = skipEmpty(b, this._pos, this._sep);
    if (start >= b.length) return false;
    let eq: number;
    if (this._numeric) {
      eq = tagEnd(b, start, this._sep, this._protocol, this._pair);
      this.tag = this._pair.tag;
    } else {
      eq = nameEnd(b, start, this._sep, this._protocol);
    }
    const end = valueEnd(b, eq + 1, this._sep, this._pair);
    this.keyStart = start;
    this.keyEnd = eq;
    this.valueStart = eq + 1;
    this.valueEnd = end;
    this._pos = end + 1;
    return true;
  }

  /**
   * Scans the rest of the body for pairs whose key is `key` (the tag, with numeric keys; else the
   * name's UTF-8 bytes). When there is one, returns true with the positions on the last of them.
   */
  findLast(key: number | Uint8Array): boolean {
    let keyStart = -1;
    let keyEnd = 0;
    let valueStart = 0;
    let valueEnd = 0;
    while (this.next()) {
      if (typeof key === 'number' ? this.tag === key : bytesEqual(this.bytes, this.keyStart, this.keyEnd, key)) {
        keyStart = this.keyStart;
        keyEnd = this.keyEnd;
        valueStart = this.valueStart;
        valueEnd = this.valueEnd;
      }
    }
    if (keyStart < 0) return false;
    this.keyStart = keyStart;
    this.keyEnd = keyEnd;
    this.valueStart = valueStart;
    this.valueEnd = valueEnd;
    if (typeof key === 'number') this.tag = key;
    return true;
  }

  /** The current value as UTF-8 text. */
  value(): string {
    return utf8Slice(this.bytes, this.valueStart, this.valueEnd);
  }

  /** The current value's bytes: a view into {@link PairScanner.bytes}, not a copy. */
  valueBytes(): Uint8Array {
    return this.bytes.subarray(this.valueStart, this.valueEnd);
  }
}
