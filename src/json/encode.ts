/**
 * Encoder of the `amps`/`json` header protocol (docs/wire-format.md section 2): `{"c":"<command>",...}` with
 * the other fields in the order they were set, integer fields as bare digits, everything else
 * as JSON strings, no whitespace, then the body bytes.
 *
 * Sequence is never written last when other fields follow the command: 60East's JavaScript
 * client reads it with the pattern `"s":(\d+),` (docs/wire-format.md section 7), so it is moved to right
 * after the command in that case.
 */
import { copyBytes } from '../core/bytes.js';
import { CommandException } from '../core/errors.js';
import { FIELDS, Field } from '../core/fields.js';
import { F_RAW, STRIDE, UNKNOWN, type Message } from '../core/message.js';
import { transcodesRecords, writesEntry, type PayloadWriter } from '../core/protocol.js';
import { JSON_CODEC } from './decode.js';

// Each key as `"key":` bytes, indexed by field id.
const KEY_BYTES: Uint8Array[] = FIELDS.map((f) => {
  const text = `"${f.json}":`;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
});
const IS_INT: boolean[] = FIELDS.map((f) => f.type === 'int');

// For bytes below 0x20 and '"' '\': the letter of a short escape, or 1 for \u00XX; else 0.
const ESCAPE = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) ESCAPE[c] = 1;
ESCAPE[0x22] = 0x22;
ESCAPE[0x5c] = 0x5c;
ESCAPE[0x08] = 0x62;
ESCAPE[0x0c] = 0x66;
ESCAPE[0x0a] = 0x6e;
ESCAPE[0x0d] = 0x72;
ESCAPE[0x09] = 0x74;

const HEX_DIGITS = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66];

function writeUnicodeEscape(code: number, t: Uint8Array, o: number): number {
  t[o] = 0x5c;
  t[o + 1] = 0x75;
  t[o + 2] = HEX_DIGITS[(code >> 12) & 15]!;
  t[o + 3] = HEX_DIGITS[(code >> 8) & 15]!;
  t[o + 4] = HEX_DIGITS[(code >> 4) & 15]!;
  t[o + 5] = HEX_DIGITS[code & 15]!;
  return o + 6;
}

function writeEscapedByte(c: number, t: Uint8Array, o: number): number {
  const e = ESCAPE[c]!;
  if (e === 1) return writeUnicodeEscape(c, t, o);
  t[o] = 0x5c;
  t[o + 1] = e;
  return o + 2;
}

/** Copies UTF-8 bytes as JSON string content, escaping what JSON requires. */
function writeEscapedBytes(src: Uint8Array, start: number, end: number, t: Uint8Array, o: number): number {
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    if (ESCAPE[c] === 0) t[o++] = c;
    else o = writeEscapedByte(c, t, o);
  }
  return o;
}

/**
 * Writes a string as JSON string content in UTF-8. Lone surrogates, which UTF-8 cannot carry,
 * are written as `\uXXXX` escapes so they decode back exactly.
 */
function writeEscapedString(s: string, t: Uint8Array, o: number): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (ESCAPE[c] === 0) t[o++] = c;
      else o = writeEscapedByte(c, t, o);
    } else if (c < 0x800) {
      t[o++] = 0xc0 | (c >> 6);
      t[o++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      t[o++] = 0xe0 | (c >> 12);
      t[o++] = 0x80 | ((c >> 6) & 0x3f);
      t[o++] = 0x80 | (c & 0x3f);
    } else {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && (next & 0xfc00) === 0xdc00) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        t[o++] = 0xf0 | (cp >> 18);
        t[o++] = 0x80 | ((cp >> 12) & 0x3f);
        t[o++] = 0x80 | ((cp >> 6) & 0x3f);
        t[o++] = 0x80 | (cp & 0x3f);
      } else {
        o = writeUnicodeEscape(c, t, o);
      }
    }
  }
  return o;
}

function notAnInteger(id: number, value: string): CommandException {
  return new CommandException(
    `${FIELDS[id]!.name} must be an unsigned integer to be encoded, got ${JSON.stringify(value)}`,
    'AMPS_UNENCODABLE',
  );
}

/** Writes entry `e` of `msg` as `"key":value`. */
function writeMember(msg: Message, e: number, t: Uint8Array, o: number): number {
  const ent = msg._ent;
  const p = e * STRIDE;
  const id = ent[p]!;
  const buf = msg._buf;
  if (id === UNKNOWN) {
    // Only keys this codec decoded are kept, verbatim: their bytes are already valid JSON.
    t[o++] = 0x22;
    o = copyBytes(buf, ent[p + 4]!, ent[p + 5]!, t, o);
    t[o++] = 0x22;
    t[o++] = 0x3a;
    const raw = (ent[p + 3]! & F_RAW) !== 0;
    if (!raw) t[o++] = 0x22;
    o = copyBytes(buf, ent[p + 1]!, ent[p + 2]!, t, o);
    if (!raw) t[o++] = 0x22;
    return o;
  }
  const key = KEY_BYTES[id]!;
  for (let k = 0; k < key.length; k++) t[o++] = key[k]!;
  if (IS_INT[id]) {
    // Digits go bare, except with a leading zero: JSON numbers cannot have one, so "007" is
    // written quoted, which every decoder reads back as the same digits.
    const plain = msg._isPlain(e);
    const text = plain ? '' : msg._text(e);
    const start = plain ? ent[p + 1]! : 0;
    const end = plain ? ent[p + 2]! : text.length;
    if (start === end) throw notAnInteger(id, '');
    const quoted = (plain ? buf[start] : text.charCodeAt(0)) === 0x30 && end - start > 1;
    if (quoted) t[o++] = 0x22;
    for (let i = start; i < end; i++) {
      const c = plain ? buf[i]! : text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) throw notAnInteger(id, msg._text(e));
      t[o++] = c;
    }
    if (quoted) t[o++] = 0x22;
    return o;
  }
  t[o++] = 0x22;
  o = msg._isPlain(e) ? writeEscapedBytes(buf, ent[p + 1]!, ent[p + 2]!, t, o) : writeEscapedString(msg._text(e), t, o);
  t[o++] = 0x22;
  return o;
}

function valueBound(msg: Message, e: number): number {
  const p = e * STRIDE;
  const ent = msg._ent;
  // Worst case: every byte (or UTF-16 unit) becomes a 6-byte \u escape.
  const len = msg._isPlain(e) ? ent[p + 2]! - ent[p + 1]! : msg._text(e).length;
  return 6 * len + (ent[p + 5]! - ent[p + 4]!) + 32;
}

function headerBound(msg: Message): number {
  let n = 2;
  for (let e = 0; e < msg._n; e++) if (writesEntry(msg, e, JSON_CODEC)) n += valueBound(msg, e);
  return n;
}

/** The amps/json PayloadWriter. @internal */
export const jsonWriter: PayloadWriter = {
  bound(msg) {
    if (transcodesRecords(msg, JSON_CODEC)) {
      let n = headerBound(msg);
      for (const r of msg.records()) n += headerBound(r) + r.dataLength;
      return n;
    }
    const cached = msg._header;
    if (cached !== undefined && cached.owner === jsonWriter && cached.version === msg._version)
      return cached.bytes.length + msg.dataLength;
    return headerBound(msg) + msg.dataLength;
  },

  write(msg, t, o) {
    const cached = msg._header;
    if (cached !== undefined && cached.owner === jsonWriter && cached.version === msg._version) {
      o = copyBytes(cached.bytes, 0, cached.bytes.length, t, o);
    } else {
      const start = o;
      o = writeHeader(msg, t, o);
      // A header encoded a second time unchanged is kept, so the next encodes only copy it.
      if (msg._seenBy === jsonWriter && msg._seenVersion === msg._version) {
        msg._header = { owner: jsonWriter, version: msg._version, bytes: t.slice(start, o) };
      }
      msg._seenBy = jsonWriter;
      msg._seenVersion = msg._version;
    }
    if (transcodesRecords(msg, JSON_CODEC)) {
      for (const r of msg.records()) o = r._copyData(t, writeHeader(r, t, o));
      return o;
    }
    return msg._copyData(t, o);
  },
};

/** Writes the header object: Command first, then the other fields in the order set. */
function writeHeader(msg: Message, t: Uint8Array, o: number): number {
  const ent = msg._ent;
  const count = msg._n;
  let command = -1;
  let last = -1;
  for (let e = 0; e < count; e++) {
    if (ent[e * STRIDE] === Field.Command) command = e;
    else if (writesEntry(msg, e, JSON_CODEC)) last = e;
  }
  // Sequence goes right after the command when it would otherwise end the header.
  let early = -1;
  if (last >= 0 && ent[last * STRIDE] === Field.Sequence) {
    for (let e = 0; e < count; e++) {
      if (e !== last && e !== command && writesEntry(msg, e, JSON_CODEC)) {
        early = last;
        break;
      }
    }
  }
  t[o++] = 0x7b;
  let first = true;
  if (command >= 0) {
    o = writeMember(msg, command, t, o);
    first = false;
  }
  if (early >= 0) {
    if (!first) t[o++] = 0x2c;
    o = writeMember(msg, early, t, o);
    first = false;
  }
  for (let e = 0; e < count; e++) {
    if (e === command || e === early || !writesEntry(msg, e, JSON_CODEC)) continue;
    if (!first) t[o++] = 0x2c;
    o = writeMember(msg, e, t, o);
    first = false;
  }
  t[o++] = 0x7d;
  return o;
}
