/**
 * FIX message bodies: `tag=value` pairs, each followed by the field separator (default `\x01`),
 * e.g. `35=D\x0155=IBM\x0144=101.25\x01` (grammar in ../tag-value/pairs.ts). A value may contain `=`
 * but never the separator; tags are positive integers.
 */
import { type BodyInput, bodyBytes } from '../core/body.js';
import { PairBuilder, type PairValue } from '../tag-value/builder.js';
import { PairScanner } from '../tag-value/cursor.js';
import { PairScan, separatorByte } from '../tag-value/pairs.js';
import { PairReader, type TagVisitor } from '../tag-value/reader.js';
import { shredTags } from '../tag-value/shred.js';
import { ValueText } from '../tag-value/value-text.js';

const PROTOCOL = 'fix-body';

/**
 * Builds a FIX body pair by pair into one growing buffer that `reset()` keeps for reuse.
 *
 * ```ts
 * const body = new FIXBuilder().append(35, 'D').append(55, 'IBM').getBytes();
 * ```
 */
export class FIXBuilder extends PairBuilder {
  /** @param fieldSeparator one ASCII character other than `=` and the digits; default `\x01`. */
  constructor(fieldSeparator = '\x01') {
    super(fieldSeparator, true);
  }

  /**
   * Appends `tag=value` and the separator; returns the builder, so appends chain. `value` is
   * text (written as UTF-8) or bytes (written as they are); `offset` and `length` select a slice
   * of it (UTF-16 units of a string, bytes of a Uint8Array; `length` defaults to the rest).
   * Throws CommandException: `AMPS_INVALID_ARGUMENT` for a tag that is not a positive integer or
   * a slice outside the value, `AMPS_UNENCODABLE` for a value containing the separator. A
   * refused pair leaves the body as it was.
   */
  append(tag: number, value: PairValue, offset?: number, length?: number): this {
    this._tag(tag);
    this._value(value, offset, length);
    return this;
  }
}

/**
 * A reusable cursor over the fields of a FIX body: each `next()` sets `tag` and the byte
 * positions of the value, without making strings.
 *
 * ```ts
 * const c = new FIXCursor().reset(bytes);
 * while (c.next()) if (c.tag === 55) route(c.bytes, c.valueStart, c.valueEnd);
 * ```
 */
export class FIXCursor extends PairScanner {
  /** @param fieldSeparator as for {@link FIXShredder}. */
  constructor(fieldSeparator = '\x01') {
    super(separatorByte(fieldSeparator, 'field separator', true, true), true, PROTOCOL);
  }
}

/**
 * Called by {@link FIXShredder.forEach} once per field with its tag and the value's byte
 * positions in `bytes`; return `false` to stop early.
 */
export type FIXFieldVisitor = TagVisitor;

/**
 * Reads FIX bodies. Every method accepts the body as bytes, as text, or as a `Message` (its
 * `getData()`), and throws StreamException (`AMPS_BAD_BODY`, with the byte offset) for a field
 * without `=` or a tag that is not a decimal number. The separator after the last field is
 * optional; empty fields are skipped. When a tag occurs more than once, the last occurrence wins.
 */
export class FIXShredder extends PairReader<FIXCursor> {
  private readonly _values = new ValueText();
  private readonly _pair = new PairScan();

  /** @param fieldSeparator one ASCII character other than `=` and the digits; default `\x01`. */
  constructor(fieldSeparator = '\x01') {
    super(() => new FIXCursor(fieldSeparator));
  }

  /** Every field of the body as tag → value text; a repeated tag keeps its last value. */
  toMap(body: BodyInput): Map<number, string> {
    return shredTags(bodyBytes(body), this._scan._sep, PROTOCOL, this._values, this._pair);
  }

  /**
   * The value of `tag` (its last occurrence), or undefined when absent; makes no string but the
   * answer. The whole body is still checked, so a malformed body throws whatever is asked.
   */
  get(body: BodyInput, tag: number): string | undefined {
    return this._lastText(body, tag);
  }

  /** Like {@link FIXShredder.get} but returns the value's bytes: a view into the body, not a copy. */
  getBytes(body: BodyInput, tag: number): Uint8Array | undefined {
    return this._lastBytes(body, tag);
  }

  /**
   * Calls `visitor(tag, valueStart, valueEnd, bytes)` for each field in order, making no strings;
   * stops early when it returns `false`. `bytes` is the body (as bytes) the positions refer to.
   * Fields after the stop are not checked.
   */
  forEach(body: BodyInput, visitor: FIXFieldVisitor): void {
    this._each(body, visitor);
  }
}
