/**
 * `key=value` pair bodies, shared by the FIX and NVFIX body helpers: a scanner that walks the
 * pairs of a body as byte positions, and a writer that appends pairs to a reusable buffer.
 *
 * Grammar (WIRE.md section 5):
 *   body  = *(pair sep) [pair]            ; the separator after the last pair is optional
 *   pair  = key "=" value
 *   key   = 1*DIGIT                       ; FIX: a tag number
 *         / *(any byte except "=" / sep)  ; NVFIX: a name
 *   value = *(any byte except sep)        ; a value may contain "="
 *   sep   = one ASCII byte, default %x01
 */
import { utf8Bytes, utf8Slice, writeUtf8 } from './bytes.js';
import { CommandException, StreamException } from './errors.js';
import type { Message } from './message.js';

const EQUALS = 0x3d;
const NO_BYTES = new Uint8Array(0);
const DIGIT_0 = 0x30;

/** What a body helper accepts as a body: bytes, text (encoded as UTF-8) or a message's body. */
export type BodyInput = Uint8Array | string | Pick<Message, 'getData'>;

/**
 * The byte of a field separator given as a one-character string. It must be ASCII (so it can
 * never be part of a multi-byte character) and not `=`; for numeric keys not a digit either.
 */
export function separatorByte(separator: string, numericKeys: boolean): number {
  const c = typeof separator === 'string' && separator.length === 1 ? separator.charCodeAt(0) : -1;
  if (c < 0 || c >= 0x80 || c === EQUALS || (numericKeys && c >= DIGIT_0 && c <= DIGIT_0 + 9)) {
    throw new CommandException(
      `field separator must be one ASCII character other than '='${numericKeys ? ' and the digits' : ''}, got ${JSON.stringify(separator)}`,
      'AMPS_INVALID_ARGUMENT',
    );
  }
  return c;
}

// A value may start with U+FEFF; utf8Slice's decoder would drop it as a byte-order mark.
const keepBom = new TextDecoder('utf-8', { ignoreBOM: true });

/** The bytes `[start, end)` as UTF-8 text (invalid sequences become U+FFFD, a leading U+FEFF stays). */
export function bodyText(buf: Uint8Array, start: number, end: number): string {
  if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) {
    return keepBom.decode(buf.subarray(start, end));
  }
  return utf8Slice(buf, start, end);
}

/**
 * The whole of `buf` as text when every byte decodes to exactly one UTF-16 unit (ASCII, or a
 * lone invalid byte becoming U+FFFD), so byte offsets are string offsets; otherwise undefined.
 * Any other sequence yields fewer units than bytes. Because the key/value delimiters are ASCII
 * and UTF-8 decoding resynchronises at every ASCII byte, `substring(start, end)` of the result
 * equals decoding `[start, end)` alone: one native decode replaces one decode per value.
 */
export function sameLengthText(buf: Uint8Array): string | undefined {
  const text = keepBom.decode(buf);
  return text.length === buf.length ? text : undefined;
}

/** The bytes of a body argument; throws CommandException for anything else. */
export function bodyBytes(body: BodyInput): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return utf8Bytes(body);
  if (body !== null && typeof body === 'object' && typeof body.getData === 'function') return body.getData();
  throw new CommandException('a body must be a Uint8Array, a string or a Message', 'AMPS_INVALID_ARGUMENT');
}

// ---- scanning -------------------------------------------------------------------------------
// Small functions that V8 inlines into each loop below: the cursor and the Map-building loops
// share them, and the loops run on local variables rather than on the cursor's fields.

/** The tag read by the last {@link tagEnd} call (a module slot, so scanning allocates nothing). */
let scannedTag = 0;

/**
 * Offset of the `=` ending the decimal tag that starts at `i`, leaving the tag in `scannedTag`.
 * Throws StreamException for anything else.
 */
function tagEnd(b: Uint8Array, i: number, sep: number, protocol: string): number {
  const start = i;
  const n = b.length;
  let tag = 0;
  for (;;) {
    if (i === n) throw missingEquals(i, 'tag', protocol);
    const c = b[i]!;
    if (c === EQUALS) break;
    const d = c - DIGIT_0;
    if (d >>> 0 > 9) {
      if (c === sep) throw missingEquals(i, 'tag', protocol);
      throw new StreamException("expected a digit or '=' in the tag", 'AMPS_BAD_BODY', i, protocol);
    }
    tag = tag * 10 + d;
    i++;
  }
  if (i === start) throw new StreamException("expected a tag before '='", 'AMPS_BAD_BODY', i, protocol);
  if (tag > Number.MAX_SAFE_INTEGER) throw new StreamException('expected a tag no larger than 2^53-1', 'AMPS_BAD_BODY', start, protocol);
  scannedTag = tag;
  return i;
}

/** Offset of the `=` ending the name that starts at `i`; throws StreamException if there is none. */
function nameEnd(b: Uint8Array, i: number, sep: number, protocol: string): number {
  const n = b.length;
  for (;;) {
    if (i === n) throw missingEquals(i, 'name', protocol);
    const c = b[i]!;
    if (c === EQUALS) return i;
    if (c === sep) throw missingEquals(i, 'name', protocol);
    i++;
  }
}

/** Whether the value scanned by the last {@link valueEnd} call was all ASCII. */
let scannedAscii = true;

/**
 * Offset of the separator ending the value that starts at `i`, or the body's length; notes in
 * `scannedAscii` whether the value was ASCII.
 */
function valueEnd(b: Uint8Array, i: number, sep: number): number {
  const n = b.length;
  let high = 0;
  for (; i < n; i++) {
    const c = b[i]!;
    if (c === sep) break;
    high |= c;
  }
  scannedAscii = high < 0x80;
  return i;
}

function missingEquals(at: number, key: string, protocol: string): StreamException {
  return new StreamException(`expected '=' after the ${key}`, 'AMPS_BAD_BODY', at, protocol);
}

/**
 * Every pair of a body with decimal tags as tag → value text; a repeated tag keeps its last
 * value. Throws StreamException (`AMPS_BAD_BODY`) for a malformed pair.
 */
export function shredTags(b: Uint8Array, sep: number, protocol: string, values: ValueText): Map<number, string> {
  const map = new Map<number, string>();
  const n = b.length;
  values.start(b);
  let i = 0;
  while (i < n) {
    const eq = tagEnd(b, i, sep, protocol);
    const end = valueEnd(b, eq + 1, sep);
    map.set(scannedTag, values.value(eq + 1, end, scannedAscii));
    i = end + 1;
  }
  values.finish();
  return map;
}

/**
 * Every pair of a body with named keys as name → value text; a repeated name keeps its last
 * value. Throws StreamException (`AMPS_BAD_BODY`) for a malformed pair.
 */
export function shredNames(b: Uint8Array, sep: number, protocol: string, names: NameCache, values: ValueText): Map<string, string> {
  const map = new Map<string, string>();
  const n = b.length;
  values.start(b);
  let i = 0;
  for (let field = 0; i < n; field++) {
    const name = names.name(field, b, i, sep, protocol);
    const eq = scannedEnd;
    const end = valueEnd(b, eq + 1, sep);
    map.set(name, values.value(eq + 1, end, scannedAscii));
    i = end + 1;
  }
  values.finish();
  return map;
}

const fromCharCode = String.fromCharCode;
const SHORT_VALUE = 8;

/** The ASCII bytes `b[start, start + length)`, `length` at most SHORT_VALUE, as a string. */
function shortAscii(b: Uint8Array, start: number, length: number): string {
  switch (length) {
    case 0: return '';
    case 1: return fromCharCode(b[start]!);
    case 2: return fromCharCode(b[start]!, b[start + 1]!);
    case 3: return fromCharCode(b[start]!, b[start + 1]!, b[start + 2]!);
    case 4: return fromCharCode(b[start]!, b[start + 1]!, b[start + 2]!, b[start + 3]!);
    case 5: return fromCharCode(b[start]!, b[start + 1]!, b[start + 2]!, b[start + 3]!, b[start + 4]!);
    case 6: return fromCharCode(b[start]!, b[start + 1]!, b[start + 2]!, b[start + 3]!, b[start + 4]!, b[start + 5]!);
    case 7: return fromCharCode(b[start]!, b[start + 1]!, b[start + 2]!, b[start + 3]!, b[start + 4]!, b[start + 5]!, b[start + 6]!);
    default: return fromCharCode(b[start]!, b[start + 1]!, b[start + 2]!, b[start + 3]!, b[start + 4]!, b[start + 5]!, b[start + 6]!, b[start + 7]!);
  }
}

/**
 * Makes the value strings of one body. A short ASCII value can be built straight from its bytes
 * (cheaper than a decoder call); any other value needs one decode of the whole body, after which
 * every value is a slice of it (see {@link sameLengthText}; values are decoded one by one when the
 * body's bytes and characters do not line up). Which way is cheaper depends on the body, so each
 * body is read the way the previous one needed: bodies of one kind look alike.
 */
export class ValueText {
  private _b: Uint8Array = NO_BYTES;
  private _text: string | undefined = undefined;
  private _decoded = false;
  /** Some value of this body needs the decoder. */
  private _needed = false;
  /** Decode the whole body up front (the previous body needed it). */
  private _eager = false;

  /** Starts on the body `b`. */
  start(b: Uint8Array): void {
    this._b = b;
    this._needed = false;
    this._decoded = this._eager;
    this._text = this._eager ? sameLengthText(b) : undefined;
  }

  /** Ends the body, letting go of it. */
  finish(): void {
    this._eager = this._needed;
    this._b = NO_BYTES;
    this._text = undefined;
  }

  /** The text of `[start, end)`; `ascii` says the caller saw only ASCII bytes there. */
  value(start: number, end: number, ascii: boolean): string {
    const short = ascii && end - start <= SHORT_VALUE;
    if (!this._decoded) {
      if (short) return shortAscii(this._b, start, end - start);
      this._text = sameLengthText(this._b);
      this._decoded = true;
    }
    if (!short) this._needed = true;
    return this._text !== undefined ? this._text.substring(start, end) : bodyText(this._b, start, end);
  }
}

/** The offset of the `=` after the name returned by the last {@link NameCache.name} call. */
let scannedEnd = 0;

const NAME_SETS = 256;
const LONGEST_CACHED_NAME = 32;
const REMEMBERED_FIELDS = 64;

/**
 * The strings of recently seen ASCII names, found again by their bytes: field names repeat from
 * body to body, so most names need neither a new string nor a new hash in the Map. Bodies of one
 * kind list their fields in the same order, so the name at each position of the previous body is
 * tried first: one comparison both finds the `=` and proves the name. Otherwise a hash of the
 * name picks two slots (the newer first, so two names sharing a hash do not evict each other).
 * Fixed sizes, so memory stays bounded whatever the input.
 */
export class NameCache {
  private readonly _slots: string[] = new Array<string>(2 * NAME_SETS).fill('');
  private readonly _previous: string[] = new Array<string>(REMEMBERED_FIELDS).fill('');
  private _ascii = false;

  /**
   * The name of field number `field`, which starts at `b[start]`, leaving the offset of its `=`
   * in `scannedEnd`; throws StreamException when the field has no `=`.
   */
  name(field: number, b: Uint8Array, start: number, sep: number, protocol: string): string {
    if (field < REMEMBERED_FIELDS) {
      // A remembered name holds neither '=' nor the separator, so matching bytes then '=' is the
      // same answer nameEnd would give.
      const guess = this._previous[field]!;
      const eq = start + guess.length;
      if (guess.length > 0 && eq < b.length && b[eq] === EQUALS && sameAscii(guess, b, start, guess.length)) {
        scannedEnd = eq;
        return guess;
      }
    }
    const eq = nameEnd(b, start, sep, protocol);
    scannedEnd = eq;
    const name = this._lookup(b, start, eq);
    if (field < REMEMBERED_FIELDS) this._previous[field] = this._ascii ? name : '';
    return name;
  }

  /** The name in `b[start, end)` from the hash slots, or a new string kept there when ASCII. */
  private _lookup(b: Uint8Array, start: number, end: number): string {
    const len = end - start;
    this._ascii = false;
    if (len === 0 || len > LONGEST_CACHED_NAME) return bodyText(b, start, end);
    const slots = this._slots;
    // The length and the bytes at both ends tell most field names apart.
    const hash = Math.imul(len ^ (b[start]! << 8) ^ (b[start + (len >> 1)]! << 16) ^ (b[end - 1]! << 24), 0x9e3779b1);
    const slot = (hash >>> 24) << 1;
    const first = slots[slot]!;
    const second = slots[slot + 1]!;
    this._ascii = true;
    if (sameAscii(first, b, start, len)) return first;
    if (sameAscii(second, b, start, len)) return second;
    const fresh = bodyText(b, start, end);
    // Comparing char codes with bytes proves equality only for ASCII, so only ASCII is kept.
    let ascii = fresh.length === len;
    for (let j = 0; ascii && j < len; j++) ascii = b[start + j]! < 0x80;
    this._ascii = ascii;
    if (ascii) {
      slots[slot + 1] = first;
      slots[slot] = fresh;
    }
    return fresh;
  }
}

/** Whether the cached ASCII `name` spells the `len` bytes at `b[start]`. */
function sameAscii(name: string, b: Uint8Array, start: number, len: number): boolean {
  if (name.length !== len) return false;
  for (let j = 0; j < len; j++) if (name.charCodeAt(j) !== b[start + j]) return false;
  return true;
}

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
   * Moves to the next pair; false at the end of the body. Throws StreamException
   * (`AMPS_BAD_BODY`, with the offset) for a pair without `=` or, with numeric keys, a key that
   * is not a decimal tag.
   */
  next(): boolean {
    const b = this.bytes;
    const start = this._pos;
    if (start >= b.length) return false;
    let eq: number;
    if (this._numeric) {
      eq = tagEnd(b, start, this._sep, this._protocol);
      this.tag = scannedTag;
    } else {
      eq = nameEnd(b, start, this._sep, this._protocol);
    }
    const end = valueEnd(b, eq + 1, this._sep);
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
    return bodyText(this.bytes, this.valueStart, this.valueEnd);
  }

  /** The current value's bytes: a view into {@link PairScanner.bytes}, not a copy. */
  valueBytes(): Uint8Array {
    return this.bytes.subarray(this.valueStart, this.valueEnd);
  }
}

/**
 * Called once per field by a FIX shredder's `forEach` with the tag and the value's byte positions
 * in `bytes`; return `false` to stop early.
 */
export type TagVisitor = (tag: number, valueStart: number, valueEnd: number, bytes: Uint8Array) => void | boolean;

/**
 * Called once per field by an NVFIX shredder's `forEach` with the byte positions of the name and
 * the value in `bytes`; return `false` to stop early.
 */
export type NameVisitor = (keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, bytes: Uint8Array) => void | boolean;

/**
 * What the FIX and NVFIX shredders share: lookups that make no string but the answer, a
 * visitor, and a reusable cursor. Each body is checked whole, whichever path reads it.
 */
export class PairReader<C extends PairScanner> {
  /** @internal For get/getBytes: never handed to user code, so never in use twice. */
  readonly _scan: C;
  private readonly _visit: C;
  private readonly _cursor: C;
  private readonly _newCursor: () => C;
  private _visiting = false;

  /** @internal */
  constructor(newCursor: () => C) {
    this._newCursor = newCursor;
    this._scan = newCursor();
    this._visit = newCursor();
    this._cursor = newCursor();
  }

  /**
   * The shredder's own cursor, restarted on `body` (bytes, text or a `Message`). It is the same
   * object on every call, so a loop over one body must finish before the next `cursor()` call;
   * construct a cursor of your own for cursors that live side by side.
   */
  cursor(body: BodyInput): C {
    return this._cursor.reset(bodyBytes(body));
  }

  /** @internal The text of the last field whose key is `key` (a tag, or a name's UTF-8 bytes). */
  _lastText(body: BodyInput, key: number | Uint8Array): string | undefined {
    const c = this._seek(body, key);
    const value = c.keyStart >= 0 ? c.value() : undefined;
    c.reset();
    return value;
  }

  /** @internal Like `_lastText`, as a view of the body's bytes. */
  _lastBytes(body: BodyInput, key: number | Uint8Array): Uint8Array | undefined {
    const c = this._seek(body, key);
    const value = c.keyStart >= 0 ? c.valueBytes() : undefined;
    c.reset();
    return value;
  }

  /** The scan cursor on the last field whose key is `key`, or with keyStart -1. */
  private _seek(body: BodyInput, key: number | Uint8Array): C {
    if (typeof key !== 'number' && !(key instanceof Uint8Array)) {
      throw new CommandException(`a FIX tag must be a number, got ${typeof key}`, 'AMPS_INVALID_ARGUMENT');
    }
    const c = this._scan.reset(bodyBytes(body));
    if (!c.findLast(key)) c.keyStart = -1;
    return c;
  }

  /** @internal Calls `visitor` per field (its shape chosen by the key grammar) until it returns false. */
  _each(body: BodyInput, visitor: TagVisitor | NameVisitor): void {
    if (typeof visitor !== 'function') throw new CommandException('forEach needs a visitor function', 'AMPS_INVALID_ARGUMENT');
    // One cursor serves every call; a visitor that calls forEach again gets a fresh one.
    const nested = this._visiting;
    const c = nested ? this._newCursor() : this._visit;
    c.reset(bodyBytes(body));
    this._visiting = true;
    try {
      if (c._numeric) {
        const visit = visitor as TagVisitor;
        while (c.next()) if (visit(c.tag, c.valueStart, c.valueEnd, c.bytes) === false) break;
      } else {
        const visit = visitor as NameVisitor;
        while (c.next()) if (visit(c.keyStart, c.keyEnd, c.valueStart, c.valueEnd, c.bytes) === false) break;
      }
    } finally {
      this._visiting = nested;
      c.reset();
    }
  }
}

/** Whether `buf[start, end)` holds exactly `key` (UTF-8 bytes). */
export function bytesEqual(buf: Uint8Array, start: number, end: number, key: Uint8Array): boolean {
  if (end - start !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (buf[start + i] !== key[i]) return false;
  return true;
}

/** A value a pair writer appends: text (written as UTF-8) or bytes (written as they are). */
export type PairValue = string | Uint8Array;

/**
 * Appends `key=value<sep>` pairs to one growing buffer that `reset()` keeps for reuse. A pair
 * whose key or value cannot be written is refused with a CommandException and leaves the buffer
 * as it was before the pair.
 */
export class PairWriter {
  /** @internal */
  _buf: Uint8Array;
  /** @internal Bytes in use. */
  _len = 0;
  private readonly _sep: number;
  private _mark = 0;

  constructor(separator: number, capacity = 256) {
    this._sep = separator;
    this._buf = new Uint8Array(capacity);
  }

  /** Starts a pair with a positive integer tag (FIX). */
  tag(tag: number): this {
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
    return this;
  }

  /** Starts a pair with a name (NVFIX): any text without `=` or the separator. */
  name(name: string): this {
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
    return this;
  }

  /**
   * Ends the pair started by `tag()` or `name()` with `value` (or its slice `offset`, `length`:
   * UTF-16 units of a string, bytes of a Uint8Array; `length` defaults to the rest) and the
   * separator. A value containing the separator is refused and the whole pair is dropped.
   */
  value(value: PairValue, offset?: number, length?: number): this {
    let end: number;
    try {
      end = this._writeValue(value, offset, length);
    } catch (err) {
      this._len = this._mark;
      throw err;
    }
    this._buf[end] = this._sep;
    this._len = end + 1;
    return this;
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
      throw new CommandException(`a value must be a string or a Uint8Array, got ${typeof value}`, 'AMPS_INVALID_ARGUMENT');
    }
    const b = this._buf;
    const sep = this._sep;
    for (let i = start; i < end; i++) {
      if (b[i] === sep) {
        throw new CommandException(`a value cannot contain the field separator (byte ${i - start} of the value)`, 'AMPS_UNENCODABLE');
      }
    }
    return end;
  }

  /** The pairs written so far: a view of the writer's buffer, valid until the next write or reset. */
  view(): Uint8Array {
    return this._buf.subarray(0, this._len);
  }

  /** The pairs written so far as text. */
  text(): string {
    return bodyText(this._buf, 0, this._len);
  }

  /** Forgets every pair, keeping the buffer. */
  reset(): void {
    this._len = 0;
    this._mark = 0;
  }

  private _room(extra: number): void {
    this._buf = ensureRoom(this._buf, this._len, extra);
  }
}

/**
 * What the FIX and NVFIX builders share: one growing buffer of pairs that `reset()` keeps for
 * reuse. The subclasses add `append`, which writes a key of their grammar.
 */
export class PairBuilder {
  /** @internal */
  readonly _out: PairWriter;

  /** @internal */
  constructor(separator: string, numericKeys: boolean) {
    this._out = new PairWriter(separatorByte(separator, numericKeys));
  }

  /** The body built so far, as text. */
  getString(): string {
    return this._out.text();
  }

  /**
   * The body built so far: a view of the builder's own buffer, not a copy. It is valid only
   * until the next `append` or `reset` (which may overwrite or replace the buffer); call
   * `.slice()` on it to keep the bytes longer.
   */
  getBytes(): Uint8Array {
    return this._out.view();
  }

  /** Empties the body, keeping the buffer for the next one; returns the builder. */
  reset(): this {
    this._out.reset();
    return this;
  }
}

/**
 * `buf` if it has room for `extra` more bytes after the first `used`, else a larger copy of its
 * first `used` bytes (doubling, so appends stay amortised O(1)).
 */
export function ensureRoom(buf: Uint8Array, used: number, extra: number): Uint8Array {
  const need = used + extra;
  if (need <= buf.length) return buf;
  const grown = new Uint8Array(Math.max(need, buf.length * 2, 64));
  grown.set(buf.subarray(0, used));
  return grown;
}

/**
 * `[from, to)` of a slice `offset`, `length` of something `size` long; throws CommandException
 * when the slice does not lie inside it.
 */
export function sliceBounds(size: number, offset = 0, length?: number): [number, number] {
  const len = length ?? size - offset;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(len) || offset < 0 || len < 0 || offset + len > size) {
    throw new CommandException(
      `offset ${String(offset)} and length ${String(length)} do not select a slice of a value ${size} long`,
      'AMPS_INVALID_ARGUMENT',
    );
  }
  return [offset, offset + len];
}
