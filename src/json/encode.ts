/**
 * Encoder of the `amps`/`json` header protocol (docs/wire-format.md section 2): `{"c":"<command>",...}` with
 * the other fields in the order they were set, integer fields as bare digits, everything else
 * as JSON strings, no whitespace, then the body bytes.
 *
 * Sequence is never written last when other fields follow the command: 60East's JavaScript
 * client reads it with the pattern `"s":(\d+),` (docs/wire-format.md section 7), so it is moved to right
 * after the command in that case.
 */
import { CommandException } from '../core/errors.js';
import { FIELDS, Field } from '../core/fields.js';
import { F_ESCAPED, F_RAW, F_SET, UNKNOWN, type Message } from '../core/message.js';
import { transcodesRecords, writesEntry, type PayloadWriter } from '../core/protocol.js';
import { JSON_CODEC } from './decode.js';
import { type CachedHeader, copyCachedHeader, headerCacheOf, noteHeaderWritten } from './header-cache.js';

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
 * Writes a string as JSON string content in UTF-8, from `s[from]` on. Lone surrogates, which
 * UTF-8 cannot carry, are written as `\uXXXX` escapes so they decode back exactly.
 */
function writeEscapedString(s: string, from: number, t: Uint8Array, o: number): number {
  for (let i = from; i < s.length; i++) {
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

/** {@link writeEscapedString} from the start, in a tight loop while the text is ASCII needing no escape. */
function writeString(s: string, t: Uint8Array, o: number): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || ESCAPE[c] !== 0) return writeEscapedString(s, i, t, o);
    t[o++] = c;
  }
  return o;
}

function notAnInteger(id: number, value: string): CommandException {
  return new CommandException(
    `${FIELDS[id]!.name} must be an unsigned integer to be encoded, got ${JSON.stringify(value)}`,
    'AMPS_UNENCODABLE',
  );
}

/** Writes the unknown key of entry `e`, which this codec decoded, verbatim: its bytes are already valid JSON. */
function writeUnknownMember(msg: Message, e: number, t: Uint8Array, o: number): number {
  t[o++] = 0x22;
  o = msg._copyKey(e, t, o);
  t[o++] = 0x22;
  t[o++] = 0x3a;
  const raw = (msg._flagsAt(e) & F_RAW) !== 0;
  if (!raw) t[o++] = 0x22;
  o = msg._copyValue(e, t, o);
  if (!raw) t[o++] = 0x22;
  return o;
}

/**
 * Writes the value of entry `e`, an integer field. Digits go bare, except with a leading zero:
 * JSON numbers cannot have one, so "007" is written quoted, which every decoder reads back as
 * the same digits.
 */
function writeIntValue(msg: Message, e: number, t: Uint8Array, o: number): number {
  const id = msg._idAt(e);
  const buf = msg._payload();
  const plain = msg._isPlain(e);
  const text = plain ? '' : msg._text(e);
  const start = plain ? msg._valueStart(e) : 0;
  const end = plain ? msg._valueEnd(e) : text.length;
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

/** Writes entry `e` of `msg` as `"key":value`. */
function writeMember(msg: Message, e: number, t: Uint8Array, o: number): number {
  const id = msg._idAt(e);
  if (id === UNKNOWN) return writeUnknownMember(msg, e, t, o);
  const key = KEY_BYTES[id]!;
  for (let k = 0; k < key.length; k++) t[o++] = key[k]!;
  if (IS_INT[id]) return writeIntValue(msg, e, t, o);
  t[o++] = 0x22;
  // A set value is its string; an escaped one is resolved to its string first.
  if (msg._flagsAt(e) & (F_SET | F_ESCAPED)) o = writeString(msg._text(e), t, o);
  else o = writeEscapedBytes(msg._payload(), msg._valueStart(e), msg._valueEnd(e), t, o);
  t[o++] = 0x22;
  return o;
}

/** What planHeader finds in a header for writePlanned, which writes it. */
class HeaderPlan {
  /** The Command entry, or -1. */
  command = -1;
  /** The entry written right after the Command out of turn (a Sequence that would end the header), or -1. */
  early = -1;
  /** Whether every value was set by a setter. */
  allSet = false;
  /** Where writePlanned wrote each entry's member: start and end, two numbers per entry. */
  readonly members: number[] = [];
}

// The header being encoded and, separately, the records of a batch: bounding a batch plans
// its records while the outer header's plan is kept.
const headerPlan = new HeaderPlan();
const recordPlan = new HeaderPlan();

/**
 * Walks the entries the header will hold: returns an upper bound on its encoded size and
 * leaves in `plan` what writing them needs.
 */
function planHeader(msg: Message, plan: HeaderPlan): number {
  const count = msg._count();
  let command = -1;
  let last = -1;
  let others = 0;
  let allSet = true;
  let n = 2;
  for (let e = 0; e < count; e++) {
    const id = msg._idAt(e);
    const flags = msg._flagsAt(e);
    if ((flags & F_SET) === 0) allSet = false;
    if (!writesEntry(msg, e, JSON_CODEC)) continue;
    if (id === UNKNOWN) {
      // Copied verbatim: key, value, quotes, colon and comma.
      n += msg._keyEnd(e) - msg._keyStart(e) + msg._valueEnd(e) - msg._valueStart(e) + 6;
      last = e;
      others++;
      continue;
    }
    // Worst case: every byte (or UTF-16 unit) becomes a 6-byte \u escape.
    const len = flags & (F_SET | F_ESCAPED) ? msg._text(e).length : msg._valueEnd(e) - msg._valueStart(e);
    n += 6 * len + KEY_BYTES[id]!.length + 3;
    if (id === Field.Command) {
      command = e;
    } else {
      last = e;
      others++;
    }
  }
  plan.command = command;
  // Sequence goes right after the command when it would otherwise end the header.
  plan.early = others > 1 && msg._idAt(last) === Field.Sequence ? last : -1;
  plan.allSet = allSet;
  return n;
}

/** Writes entry `e` as a member of the header, noting where it lies in `members`. */
function writeNotedMember(msg: Message, e: number, members: number[], t: Uint8Array, o: number): number {
  members[2 * e] = o;
  o = writeMember(msg, e, t, o);
  members[2 * e + 1] = o;
  return o;
}

/** Writes the header `plan` describes: Command first, then the other fields in the order set. */
function writePlanned(msg: Message, plan: HeaderPlan, t: Uint8Array, o: number): number {
  const command = plan.command;
  const early = plan.early;
  const members = plan.members;
  const count = msg._count();
  t[o++] = 0x7b;
  let first = true;
  if (command >= 0) {
    o = writeNotedMember(msg, command, members, t, o);
    first = false;
  }
  if (early >= 0) {
    if (!first) t[o++] = 0x2c;
    o = writeNotedMember(msg, early, members, t, o);
    first = false;
  }
  for (let e = 0; e < count; e++) {
    if (e === command || e === early || !writesEntry(msg, e, JSON_CODEC)) continue;
    if (!first) t[o++] = 0x2c;
    o = writeNotedMember(msg, e, members, t, o);
    first = false;
  }
  t[o++] = 0x7d;
  return o;
}

function writeRecordHeader(record: Message, t: Uint8Array, o: number): number {
  planHeader(record, recordPlan);
  return writePlanned(record, recordPlan, t, o);
}

/**
 * Brings `cache` up to `msg`'s version by rewriting in place the values set since it was
 * written. Succeeds only when the message holds the same fields, all set by setters, and each
 * changed value encodes to as many bytes as before (a new command id of the same width).
 * Whatever happens, each entry's bytes in the cache stay the encoding of its string in
 * `strings`, or the cache is marked unusable (count -1) until a full write refreshes it.
 */
function patchHeader(msg: Message, cache: CachedHeader): boolean {
  const count = msg._count();
  if (count !== cache.count) return false;
  const ids = cache.ids;
  const strings = cache.strings;
  const members = cache.members;
  const bytes = cache.bytes;
  for (let e = 0; e < count; e++) {
    const id = ids[e]!;
    if (msg._idAt(e) !== id || (msg._flagsAt(e) & F_SET) === 0) return false;
    const s = msg._text(e);
    if (s === strings[e]) continue;
    const start = members[2 * e]!;
    const end = members[2 * e + 1]!;
    if (valueWidth(id, s) !== end - start) return false;
    cache.version = -1;
    // A value that still turns out longer (an escape, a character beyond ASCII) or not an
    // integer may leave bytes of its own and its neighbours' half written.
    cache.count = -1;
    const at = start + KEY_BYTES[id]!.length;
    if ((IS_INT[id] ? writeIntValue(msg, e, bytes, at) : writeString(s, bytes, at + 1) + 1) !== end) return false;
    cache.count = count;
    strings[e] = s;
  }
  cache.version = msg._version;
  if (cache.misses > 0) cache.misses--;
  return true;
}

/** The bytes of the member of field `id` holding `s`, when `s` is ASCII needing no escape. */
function valueWidth(id: number, s: string): number {
  // An integer with a leading zero is quoted (see writeIntValue).
  const quotes = IS_INT[id] ? (s.charCodeAt(0) === 0x30 && s.length > 1 ? 2 : 0) : 2;
  return KEY_BYTES[id]!.length + s.length + quotes;
}

function recordsBound(msg: Message): number {
  let n = 0;
  for (const r of msg.records()) n += planHeader(r, recordPlan) + r.dataLength;
  return n;
}

function writeRecords(msg: Message, t: Uint8Array, o: number): number {
  for (const r of msg.records()) o = r._copyData(t, writeRecordHeader(r, t, o));
  return o;
}

/** Writes `msg` at `t[o]` and returns the end, or -1 (having written nothing) when its bound does not fit. */
function writeMessage(msg: Message, t: Uint8Array, o: number): number {
  const records = transcodesRecords(msg, JSON_CODEC);
  const rest = records ? recordsBound(msg) : msg.dataLength;
  const cache = headerCacheOf(msg);
  if (cache !== undefined && (cache.version === msg._version || patchHeader(msg, cache))) {
    if (cache.length + rest > t.length - o) return -1;
    o = copyCachedHeader(cache, t, o);
  } else {
    if (planHeader(msg, headerPlan) + rest > t.length - o) return -1;
    const start = o;
    o = writePlanned(msg, headerPlan, t, o);
    noteHeaderWritten(msg, cache, t, start, o, headerPlan.allSet ? headerPlan.members : undefined);
  }
  return records ? writeRecords(msg, t, o) : msg._copyData(t, o);
}

/** The amps/json PayloadWriter. @internal */
export const jsonWriter: PayloadWriter = {
  bound(msg) {
    const rest = transcodesRecords(msg, JSON_CODEC) ? recordsBound(msg) : msg.dataLength;
    const cache = headerCacheOf(msg);
    return (cache !== undefined && cache.version === msg._version ? cache.length : planHeader(msg, headerPlan)) + rest;
  },

  write(msg, t, o) {
    const end = writeMessage(msg, t, o);
    if (end < 0) throw new CommandException('the encoded message exceeds the bound given for it', 'AMPS_UNENCODABLE');
    return end;
  },

  writeIfRoom: writeMessage,
};
