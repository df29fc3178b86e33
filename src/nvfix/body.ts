/**
 * NVFIX message bodies: `name=value` pairs, each followed by the field separator (default
 * `\x01`), e.g. `symbol=IBM\x01side=buy\x01` (grammar in ../tag-value/pairs.ts). A value may contain
 * `=` but never the separator; a name contains neither.
 */
import { type BodyInput, bodyBytes } from '../core/body.js';
import { bytesEqual, utf8Bytes, utf8Slice } from '../core/bytes.js';
import { CommandException } from '../core/errors.js';
import { PairBuilder, type PairValue } from '../tag-value/builder.js';
import { PairScanner } from '../tag-value/cursor.js';
import { NameCache } from '../tag-value/name-cache.js';
import { PairScan, separatorByte } from '../tag-value/pairs.js';
import { PairReader, type NameVisitor } from '../tag-value/reader.js';
import { shredNames } from '../tag-value/shred.js';
import { ValueText } from '../tag-value/value-text.js';

const PROTOCOL = 'nvfix-body';

/**
 * Builds an NVFIX body pair by pair into one growing buffer that `reset()` keeps for reuse.
 *
 * ```ts
 * const body = new NVFIXBuilder().append('symbol', 'IBM').append('qty', '100').getBytes();
 * ```
 */
export class NVFIXBuilder extends PairBuilder {
  /** @param fieldSeparator one ASCII character other than `=`; default `\x01`. */
  constructor(fieldSeparator = '\x01') {
    super(fieldSeparator, false);
  }

  /**
   * Appends `name=value` and the separator; returns the builder, so appends chain. `value` is
   * text (written as UTF-8) or bytes (written as they are); `offset` and `length` select a slice
   * of it (UTF-16 units of a string, bytes of a Uint8Array; `length` defaults to the rest).
   * Throws CommandException: `AMPS_UNENCODABLE` for a name containing `=` or the separator or a
   * value containing the separator, `AMPS_INVALID_ARGUMENT` for a name that is not a string or a
   * slice outside the value. A refused pair leaves the body as it was. An empty name is allowed.
   */
  append(name: string, value: PairValue, offset?: number, length?: number): this {
    this._name(name);
    this._value(value, offset, length);
    return this;
  }
}

/**
 * A reusable cursor over the fields of an NVFIX body: each `next()` sets the byte positions of
 * the name and the value, without making strings.
 *
 * ```ts
 * const c = new NVFIXCursor().reset(bytes);
 * while (c.next()) if (c.keyIs('symbol')) route(c.bytes, c.valueStart, c.valueEnd);
 * ```
 */
export class NVFIXCursor extends PairScanner {
  private _name = '';
  private _nameBytes: Uint8Array = new Uint8Array(0);

  /** @param fieldSeparator as for {@link NVFIXShredder}. */
  constructor(fieldSeparator = '\x01') {
    super(separatorByte(fieldSeparator, 'field separator', false, true), false, PROTOCOL);
  }

  /** The current name as UTF-8 text. */
  key(): string {
    return utf8Slice(this.bytes, this.keyStart, this.keyEnd);
  }

  /** Whether the current name is `name`; allocates only when `name` differs from the last one asked. */
  keyIs(name: string): boolean {
    return bytesEqual(this.bytes, this.keyStart, this.keyEnd, this._utf8(name));
  }

  /** @internal `name` as UTF-8, remembered for the next call with the same name. */
  _utf8(name: string): Uint8Array {
    if (name !== this._name) {
      if (typeof name !== 'string')
        throw new CommandException(`an NVFIX name must be a string, got ${typeof name}`, 'AMPS_INVALID_ARGUMENT');
      this._nameBytes = utf8Bytes(name);
      this._name = name;
    }
    return this._nameBytes;
  }
}

/**
 * Called by {@link NVFIXShredder.forEach} once per field with the byte positions of its name
 * and value in `bytes`; return `false` to stop early.
 */
export type NVFIXFieldVisitor = NameVisitor;

/**
 * Reads NVFIX bodies. Every method accepts the body as bytes, as text, or as a `Message` (its
 * `getData()`), and throws StreamException (`AMPS_BAD_BODY`, with the byte offset) for a field
 * without `=`. The separator after the last field is optional; empty fields are skipped. When a name occurs more than
 * once, the last occurrence wins. Names such as `__proto__` are ordinary keys of the Map.
 */
export class NVFIXShredder extends PairReader<NVFIXCursor> {
  private readonly _names = new NameCache();
  private readonly _values = new ValueText();
  private readonly _pair = new PairScan();

  /** @param fieldSeparator one ASCII character other than `=`; default `\x01`. */
  constructor(fieldSeparator = '\x01') {
    super(() => new NVFIXCursor(fieldSeparator));
  }

  /** Every field of the body as name → value text; a repeated name keeps its last value. */
  toMap(body: BodyInput): Map<string, string> {
    return shredNames(bodyBytes(body), this._scan._sep, PROTOCOL, this._names, this._values, this._pair);
  }

  /**
   * The value of `name` (its last occurrence), or undefined when absent; makes no string but the
   * answer. The whole body is still checked, so a malformed body throws whatever is asked.
   */
  get(body: BodyInput, name: string): string | undefined {
    return this._lastText(body, this._scan._utf8(name));
  }

  /** Like {@link NVFIXShredder.get} but returns the value's bytes: a view into the body, not a copy. */
  getBytes(body: BodyInput, name: string): Uint8Array | undefined {
    return this._lastBytes(body, this._scan._utf8(name));
  }

  /**
   * Calls `visitor(keyStart, keyEnd, valueStart, valueEnd, bytes)` for each field in order,
   * making no strings; stops early when it returns `false`. `bytes` is the body (as bytes) the
   * positions refer to. Fields after the stop are not checked.
   */
  forEach(body: BodyInput, visitor: NVFIXFieldVisitor): void {
    this._each(body, visitor);
  }
}
