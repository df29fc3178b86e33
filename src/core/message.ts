/**
 * Message: a lazy, zero-copy view of one decoded payload that is also a builder.
 *
 * Decoders record an index entry per header field, `(id, start, end, flags, keyStart, keyEnd)`
 * into a plain array of small integers (cheaper to allocate than a typed array), in wire order; nothing becomes a string until `get()` asks, and then the
 * string is cached. Setters store strings in the same slots, so a decoded message can be edited
 * and re-encoded, and fields keep the order they were first set in.
 */
import {
  asciiEquals,
  copyBytes,
  internedSlice,
  isUintText,
  parseBigUintBytes,
  parseUintBytes,
  significantDigits,
  utf8Bytes,
  utf8Slice,
} from './bytes.js';
import { CommandException, StreamException } from './errors.js';
import type { MessageAccessors } from './accessors.js';
import { FIELDS, Field, type FieldName, fieldId } from './fields.js';

/** A value a field setter accepts; `undefined` clears the field. */
export type FieldValue = string | number | bigint | boolean | Uint8Array | undefined;

/**
 * What a decoder leaves behind for resolving escaped values later: the protocol's name and how
 * to turn an escaped wire value into its string.
 * @internal
 */
export interface ValueCodec {
  readonly name: string;
  /** Resolves the escaped value in `buf[start, end)`; throws StreamException when malformed. */
  unescape(buf: Uint8Array, start: number, end: number): string;
}

/**
 * How a decoder reads one SOW record: decodes the record at `pos` of `buf` (records end at `end`)
 * into `into` and returns the position after it. Records are checked and counted when the
 * batch is decoded, and read again with this as they are iterated, so a batch of many records
 * costs no memory per record until its records are asked for.
 * @internal
 */
export type RecordReader = (buf: Uint8Array, pos: number, end: number, into: Message) => number;

/** @internal Entry layout: six int32 per entry. */
export const STRIDE = 6;

/**
 * A new Message's index: room for eight entries (a typical header) copied from one literal on
 * the first write, rather than the three reallocations an empty array takes growing to seven
 * entries (json-decode/delivery-200B-new-message: 1040 -> 928 B/op). All small integers, so
 * the array stays PACKED_SMI.
 */
function newIndex(): number[] {
  // biome-ignore format: one row per entry
  return [
    0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0,
  ];
}

/** @internal Entry flag: the wire value holds escapes (or entities, CDATA) to resolve. */
export const F_ESCAPED = 1;
/** @internal Entry flag: the value was set by the caller and lives in the value array. */
export const F_SET = 2;
/** @internal Entry flag: an unknown key whose value is raw protocol text (not a string). */
export const F_RAW = 4;
/** @internal Entry flag: an unknown key whose key text holds escapes. */
export const F_KEY_ESCAPED = 8;
/** @internal Entry id of an unknown key, kept so it stays retrievable by its key. */
export const UNKNOWN = -1;

const EMPTY = new Uint8Array(0);
const REPEATS: readonly boolean[] = FIELDS.map((f) => f.repeats);
const OVER_UINT64 = 1n << 64n;

function invalidInteger(msg: Message, id: number, value: string, why: string): StreamException {
  const entry = msg._find(id);
  return new StreamException(
    `${FIELDS[id]!.name} value ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value)} ${why}`,
    'AMPS_BAD_INTEGER',
    entry >= 0 ? msg._ent[entry * STRIDE + 1]! : 0,
    msg._codec?.name,
  );
}

function resolveField(field: string | number): number {
  const id = fieldId(field);
  if (id === undefined) throw new CommandException(`unknown header field ${String(field)}`, 'AMPS_UNKNOWN_FIELD');
  return id;
}

function valueText(value: Exclude<FieldValue, undefined>): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return utf8Slice(value, 0, value.length);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CommandException(`cannot set a field to ${value}`);
    return String(value);
  }
  return String(value);
}

/** A field name (`'Topic'`, an alias such as `'TransmissionTime'`) or id (`Field.Topic`). */
export type FieldKey = FieldName | number | (string & {});

/**
 * One AMPS message: the result of a protocol's `decode`, or built with `new Message()` and
 * setters. Values are read lazily: `get()` turns the wire bytes into a string on first use and
 * caches it; `getBytes()` and `getData()` return views of the decoded payload whenever no
 * unescaping is needed. The payload must stay unchanged while the message is used; `copy()`
 * detaches a message from it.
 */
export class Message {
  /** @internal The payload that entry offsets point into. */
  _buf: Uint8Array = EMPTY;
  /** @internal Index entries, STRIDE int32 each. */
  _ent: number[] = newIndex();
  /** @internal Number of entries in use. */
  _n = 0;
  /** @internal Cached or set string values, by entry index; allocated on first use. */
  _vals: (string | undefined)[] | undefined = undefined;
  /** @internal The codec that resolves escaped values. */
  _codec: ValueCodec | undefined = undefined;
  /** @internal Body as offsets into `_buf` (when `_data` is undefined). */
  _dataStart = 0;
  /** @internal */
  _dataEnd = 0;
  /** @internal Body set by the caller. */
  _data: Uint8Array | undefined = undefined;
  /** @internal Number of records of a SOW batch. */
  _recordCount = 0;
  /** @internal Where the records lie in `_buf`, and how to read one. */
  _recordsStart = 0;
  /** @internal */
  _recordsEnd = 0;
  /** @internal */
  _recordReader: RecordReader | undefined = undefined;
  /** @internal Records built by the caller (to be encoded), not read from `_buf`. */
  _recordList: readonly Message[] | undefined = undefined;
  /** @internal Bumped whenever the header changes; encoders key what they cache on it. */
  _version = 0;
  /** @internal The version the json encoder last wrote without its header cache, or -1: how it sees a message encoded again. */
  _encodedAt = -1;

  // ---- decoder side -------------------------------------------------------------------------

  /**
   * Empties the message to decode `buf` into it, keeping its index storage.
   * @internal
   */
  _reset(buf: Uint8Array, codec: ValueCodec | undefined): void {
    this._version++;
    this._buf = buf;
    this._codec = codec;
    // Only the entries in use can hold a cached string.
    const vals = this._vals;
    if (vals !== undefined) for (let e = 0; e < this._n; e++) vals[e] = undefined;
    this._n = 0;
    this._data = undefined;
    this._dataStart = 0;
    this._dataEnd = 0;
    this._recordCount = 0;
    this._recordReader = undefined;
    this._recordList = undefined;
  }

  /**
   * Records a field's wire value; a repeated field replaces the earlier value in place.
   * @internal
   */
  _add(id: number, start: number, end: number, flags: number, keyStart = 0, keyEnd = 0): void {
    const e = id === UNKNOWN ? -1 : this._find(id);
    if (e < 0) {
      this._append(id, start, end, flags, keyStart, keyEnd);
      return;
    }
    if (this._vals !== undefined) this._vals[e] = undefined;
    this._write(e, id, start, end, flags, keyStart, keyEnd);
  }

  /**
   * Appends an entry for a field the caller knows is not present yet (no duplicate search).
   * @internal
   */
  _append(id: number, start: number, end: number, flags: number, keyStart: number, keyEnd: number): void {
    this._write(this._n++, id, start, end, flags, keyStart, keyEnd);
  }

  private _write(
    e: number,
    id: number,
    start: number,
    end: number,
    flags: number,
    keyStart: number,
    keyEnd: number,
  ): void {
    const ent = this._ent;
    const p = e * STRIDE;
    ent[p] = id;
    ent[p + 1] = start;
    ent[p + 2] = end;
    ent[p + 3] = flags;
    ent[p + 4] = keyStart;
    ent[p + 5] = keyEnd;
  }

  /** @internal Drops the entries decoded so far (none of them has a cached string yet). */
  _dropFields(): void {
    this._n = 0;
  }

  /** @internal Sets the body to `_buf[start, end)`. */
  _setBody(start: number, end: number): void {
    this._data = undefined;
    this._dataStart = start;
    this._dataEnd = end;
  }

  /** @internal Sets the records of a SOW batch: `count` of them in `_buf[start, end)`, read by `reader`. */
  _setRecords(reader: RecordReader, start: number, end: number, count: number): void {
    this._recordReader = reader;
    this._recordsStart = start;
    this._recordsEnd = end;
    this._recordCount = count;
    this._recordList = undefined;
  }

  /** @internal Makes this message a SOW batch of records built by the caller, for encoding. */
  _setRecordList(records: readonly Message[]): void {
    this._recordReader = undefined;
    this._recordCount = records.length;
    this._recordList = records;
  }

  /** @internal Entry index of field `id`, or -1. */
  _find(id: number): number {
    const ent = this._ent;
    for (let e = 0, p = 0; e < this._n; e++, p += STRIDE) if (ent[p] === id) return e;
    return -1;
  }

  /** @internal The string value of entry `e`. */
  _text(e: number): string {
    const vals = this._vals;
    const cached = vals === undefined ? undefined : vals[e];
    if (cached !== undefined) return cached;
    const p = e * STRIDE;
    const ent = this._ent;
    const start = ent[p + 1]!;
    const end = ent[p + 2]!;
    let text: string;
    if (ent[p + 3]! & F_ESCAPED) {
      text = this._codec!.unescape(this._buf, start, end);
    } else if (ent[p] === Field.Command && end - start === 1 && this._buf[start] === 0x70) {
      text = 'publish'; // servers abbreviate publish as "p" (docs/wire-format.md section 2)
    } else {
      const id = ent[p]!;
      text = id >= 0 && REPEATS[id] ? internedSlice(this._buf, start, end) : utf8Slice(this._buf, start, end);
    }
    (this._vals ??= [])[e] = text;
    return text;
  }

  /** @internal The string value of known field `id`, or undefined when absent. */
  _valueOf(id: number): string | undefined {
    const e = this._find(id);
    return e < 0 ? undefined : this._text(e);
  }

  /** @internal Whether entry `e`'s value is these plain wire bytes (no escapes, not set). */
  _isPlain(e: number): boolean {
    return (this._ent[e * STRIDE + 3]! & (F_ESCAPED | F_SET)) === 0;
  }

  // Codecs read entries through these, never through the storage layout.

  /** @internal Number of entries (header fields and unknown keys), in wire or set order. */
  _count(): number {
    return this._n;
  }

  /** @internal Field id of entry `e` (UNKNOWN for an unknown key). */
  _idAt(e: number): number {
    return this._ent[e * STRIDE]!;
  }

  /** @internal Where entry `e`'s wire value starts in the payload. */
  _valueStart(e: number): number {
    return this._ent[e * STRIDE + 1]!;
  }

  /** @internal Where entry `e`'s wire value ends in the payload. */
  _valueEnd(e: number): number {
    return this._ent[e * STRIDE + 2]!;
  }

  /** @internal Entry `e`'s flags (F_ESCAPED, F_SET, F_RAW, F_KEY_ESCAPED). */
  _flagsAt(e: number): number {
    return this._ent[e * STRIDE + 3]!;
  }

  /** @internal Where an unknown key's wire text starts in the payload. */
  _keyStart(e: number): number {
    return this._ent[e * STRIDE + 4]!;
  }

  /** @internal Where an unknown key's wire text ends in the payload. */
  _keyEnd(e: number): number {
    return this._ent[e * STRIDE + 5]!;
  }

  /** @internal The payload the entries' offsets point into. */
  _payload(): Uint8Array {
    return this._buf;
  }

  /** @internal Copies entry `e`'s wire value bytes into `t` at `o`; returns the offset after them. */
  _copyValue(e: number, t: Uint8Array, o: number): number {
    const p = e * STRIDE;
    return copyBytes(this._buf, this._ent[p + 1]!, this._ent[p + 2]!, t, o);
  }

  /** @internal Copies an unknown key's wire text into `t` at `o`; returns the offset after it. */
  _copyKey(e: number, t: Uint8Array, o: number): number {
    const p = e * STRIDE;
    return copyBytes(this._buf, this._ent[p + 4]!, this._ent[p + 5]!, t, o);
  }

  // ---- public reading ---------------------------------------------------------------------

  /**
   * The value of a header field as a string, or `undefined` when absent (or JSON `null`).
   * A field present with an empty value gives `''`. A Command of `p` reads as `publish`.
   * For a key that is not a header field, the value of that unknown key as decoded, if any.
   */
  get(field: FieldKey): string | undefined {
    const id = fieldId(field);
    if (id !== undefined) return this._valueOf(id);
    return typeof field === 'string' ? this._unknown(field) : undefined;
  }

  private _unknown(key: string): string | undefined {
    const ent = this._ent;
    let found = -1;
    for (let e = 0, p = 0; e < this._n; e++, p += STRIDE) {
      if (ent[p] !== UNKNOWN) continue;
      const ks = ent[p + 4]!;
      const ke = ent[p + 5]!;
      const name = ent[p + 3]! & F_KEY_ESCAPED ? this._codec!.unescape(this._buf, ks, ke) : undefined;
      if (
        name !== undefined ? name === key : asciiEquals(this._buf, ks, ke, key) || utf8Slice(this._buf, ks, ke) === key
      )
        found = e;
    }
    return found < 0 ? undefined : this._text(found);
  }

  /**
   * The value's bytes: a zero-copy view into the decoded payload when the wire form needs no
   * unescaping, otherwise newly encoded UTF-8.
   */
  getBytes(field: FieldKey): Uint8Array | undefined {
    const id = fieldId(field);
    if (id === undefined) {
      const text = typeof field === 'string' ? this._unknown(field) : undefined;
      return text === undefined ? undefined : utf8Bytes(text);
    }
    const e = this._find(id);
    if (e < 0) return undefined;
    if (this._isPlain(e) && !(id === Field.Command && this._text(e) === 'publish')) {
      const p = e * STRIDE;
      return this._buf.subarray(this._ent[p + 1]!, this._ent[p + 2]!);
    }
    return utf8Bytes(this._text(e));
  }

  /**
   * The value as a number. Throws StreamException (`AMPS_BAD_INTEGER`) when the value is not an
   * unsigned decimal integer (a sign, fraction or exponent is invalid) or exceeds 2^53-1.
   */
  getInt(field: FieldKey): number | undefined {
    const id = resolveField(field);
    const e = this._find(id);
    if (e < 0) return undefined;
    let v: number;
    if (this._isPlain(e)) {
      const p = e * STRIDE;
      v = parseUintBytes(this._buf, this._ent[p + 1]!, this._ent[p + 2]!);
    } else {
      const text = this._text(e);
      v = isUintText(text) ? Number(text) : -1;
      if (v > Number.MAX_SAFE_INTEGER) v = -2;
    }
    if (v === -1) throw invalidInteger(this, id, this._text(e), 'is not an unsigned integer');
    if (v === -2) throw invalidInteger(this, id, this._text(e), 'exceeds 2^53-1; use getBigInt()');
    return v;
  }

  /** The value as a bigint, exact at any size; throws StreamException when not an unsigned integer. */
  getBigInt(field: FieldKey): bigint | undefined {
    const id = resolveField(field);
    const e = this._find(id);
    if (e < 0) return undefined;
    let v: bigint | undefined;
    if (this._isPlain(e)) {
      const p = e * STRIDE;
      v = parseBigUintBytes(this._buf, this._ent[p + 1]!, this._ent[p + 2]!);
    } else {
      const text = this._text(e);
      v = isUintText(text) ? BigInt(text) : undefined;
    }
    if (v === undefined) throw invalidInteger(this, id, this._text(e), 'is not an unsigned integer');
    return v;
  }

  /**
   * @internal getSequence(): the value as a bigint. A Sequence is 64-bit: a longer value is
   * refused (`AMPS_BAD_INTEGER`) without being converted.
   */
  _getUint64(id: number): bigint | undefined {
    const e = this._find(id);
    if (e < 0) return undefined;
    let v: bigint | undefined;
    if (this._isPlain(e)) {
      const p = e * STRIDE;
      const start = this._ent[p + 1]!;
      const end = this._ent[p + 2]!;
      if (significantDigits(this._buf, start, end) <= 20) v = parseBigUintBytes(this._buf, start, end);
      else v = parseUintBytes(this._buf, start, end) === -1 ? undefined : OVER_UINT64;
    } else {
      const text = this._text(e);
      if (!isUintText(text)) v = undefined;
      else v = text.length - /^0*/.exec(text)![0].length <= 20 ? BigInt(text) : OVER_UINT64;
    }
    if (v === undefined) throw invalidInteger(this, id, this._text(e), 'is not an unsigned integer');
    if (v >= OVER_UINT64) throw invalidInteger(this, id, this._text(e), 'exceeds 2^64-1');
    return v;
  }

  /** Whether a header field is present. */
  has(field: FieldKey): boolean {
    const id = fieldId(field);
    return id !== undefined ? this._find(id) >= 0 : typeof field === 'string' && this._unknown(field) !== undefined;
  }

  /** The ids of the header fields present, in the order they were decoded or first set. */
  *fields(): IterableIterator<number> {
    for (let e = 0; e < this._n; e++) {
      const id = this._ent[e * STRIDE]!;
      if (id !== UNKNOWN) yield id;
    }
  }

  /** The body: a zero-copy view of the decoded payload, or the bytes given to `setData`. */
  getData(): Uint8Array {
    if (this._data !== undefined) return this._data;
    const buf = this._buf;
    // Cheaper than subarray(), which goes through the species constructor.
    return new Uint8Array(buf.buffer, buf.byteOffset + this._dataStart, this._dataEnd - this._dataStart);
  }

  /** @internal Copies the body into `t` at `o`; returns the offset after it. */
  _copyData(t: Uint8Array, o: number): number {
    const data = this._data;
    return data !== undefined
      ? copyBytes(data, 0, data.length, t, o)
      : copyBytes(this._buf, this._dataStart, this._dataEnd, t, o);
  }

  /** Body length in bytes, without making a view. */
  get dataLength(): number {
    return this._data !== undefined ? this._data.length : this._dataEnd - this._dataStart;
  }

  /**
   * The records of a SOW batch, each with its own header fields and body; empty for any other
   * message. Records inherit nothing from the outer header.
   */
  records(): IterableIterator<Message> {
    if (this._recordList !== undefined) return this._recordList[Symbol.iterator]();
    return readRecords(this._buf, this._recordReader, this._recordsStart, this._recordsEnd, this._recordCount);
  }

  /** The number of records of a SOW batch (0 for any other message), known without reading them. */
  get recordCount(): number {
    return this._recordCount;
  }

  /** Plain object of field names to string values, plus `data` (the body bytes). */
  toObject(): Record<string, string> & { data: Uint8Array } {
    const out: Record<string, string | Uint8Array> = {};
    for (let e = 0; e < this._n; e++) {
      const id = this._ent[e * STRIDE]!;
      if (id !== UNKNOWN) out[FIELDS[id]!.name] = this._text(e);
    }
    out['data'] = this.getData();
    return out as Record<string, string> & { data: Uint8Array };
  }

  // ---- public building ----------------------------------------------------------------------

  /**
   * Sets a header field (numbers, bigints and booleans become their decimal or `true`/`false`
   * text; bytes are read as UTF-8); `undefined` clears it. Returns `this`.
   * Throws CommandException for a name that is not a header field.
   */
  set(field: FieldKey, value: FieldValue): this {
    const id = resolveField(field);
    if (value === undefined) {
      this._remove(id);
      return this;
    }
    const text = valueText(value);
    this._version++;
    let e = this._find(id);
    if (e < 0) {
      e = this._n;
      this._append(id, 0, 0, F_SET, 0, 0);
    } else {
      this._ent[e * STRIDE + 3] = F_SET;
    }
    (this._vals ??= [])[e] = text;
    return this;
  }

  /** @internal Removes field `id`, if present. */
  _remove(id: number): void {
    const e = this._find(id);
    if (e < 0) return;
    this._version++;
    this._ent.copyWithin(e * STRIDE, (e + 1) * STRIDE, this._n * STRIDE);
    if (this._vals !== undefined) this._vals.splice(e, 1);
    this._n--;
  }

  /** Sets the body; a string is stored as UTF-8, bytes are kept by reference (not copied). */
  setData(data: Uint8Array | string): this {
    if (typeof data !== 'string' && !(data instanceof Uint8Array))
      throw new CommandException('setData takes a Uint8Array or a string');
    this._data = typeof data === 'string' ? utf8Bytes(data) : data;
    return this;
  }

  /** Removes every header field, unknown key, record and the body, keeping storage for reuse. */
  clear(): this {
    this._reset(EMPTY, undefined);
    return this;
  }

  /** A deep copy that no longer references the decoded payload. */
  copy(): Message {
    return this._copyInto(new Message(), this._buf.slice());
  }

  /** @internal Copies this message into `target`, pointing it at `buf` (a copy of `_buf`). */
  _copyInto<T extends Message>(target: T, buf: Uint8Array): T {
    target._buf = buf;
    target._codec = this._codec;
    target._ent = this._ent.slice(0, this._n * STRIDE);
    target._n = this._n;
    target._vals = this._vals?.slice();
    target._dataStart = this._dataStart;
    target._dataEnd = this._dataEnd;
    target._data = this._data?.slice();
    target._recordCount = this._recordCount;
    target._recordsStart = this._recordsStart;
    target._recordsEnd = this._recordsEnd;
    target._recordReader = this._recordReader;
    target._recordList = this._recordList?.map((r) => r.copy());
    return target;
  }
}

// Each record becomes a Message only when the iteration reaches it. What the iteration reads is
// fixed when it starts, so decoding into the batch's Message again does not disturb it.
function* readRecords(
  buf: Uint8Array,
  reader: RecordReader | undefined,
  pos: number,
  end: number,
  count: number,
): Generator<Message, void, undefined> {
  for (let k = 0; k < count; k++) {
    const record = new Message();
    pos = reader!(buf, pos, end, record);
    yield record;
  }
}

// ---- named accessors, generated from the field table --------------------------------------

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Message extends MessageAccessors {}

for (const f of FIELDS) {
  for (const name of [f.name, ...f.aliases]) {
    const id = f.id;
    Object.defineProperty(Message.prototype, `get${name}`, {
      value:
        id === Field.Sequence
          ? function (this: Message) {
              return this._getUint64(id);
            }
          : function (this: Message) {
              return this._valueOf(id);
            },
      writable: true,
      configurable: true,
    });
    Object.defineProperty(Message.prototype, `set${name}`, {
      value: function (this: Message, value: FieldValue) {
        return this.set(id, value);
      },
      writable: true,
      configurable: true,
    });
  }
}
