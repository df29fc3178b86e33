/**
 * Decoder of the `amps` (a.k.a. `json`) header protocol, docs/wire-format.md section 2.
 *
 *   payload = ws header body
 *   header  = "{" ws [ member *( ws "," ws member ) ] ws "}"
 *   member  = string ws ":" ws value
 *   value   = string / number / "true" / "false" / "null"
 *           / object / array                 ; skipped, and only under unknown keys
 *   body    = *OCTET                         ; for "c":"sow": *( header l*OCTET ), l = the record's "l"
 *
 * One pass over the header records, per field, where its value lies (Message index entries);
 * values become strings only when read. Compact headers, the form servers and clients write, take
 * a fast path (compact.ts); the parser here reads everything else. Its keys are matched by a hash
 * computed while scanning, then verified byte for byte.
 */
import { checkDecodeArguments } from '../core/arguments.js';
import { utf8Slice } from '../core/bytes.js';
import { checkBatchSize, entryUint, isSowBatch } from '../core/batch-size.js';
import type { ErrorCode } from '../core/errors.js';
import { describeByte, fail as failWith, failExpected } from '../core/fail.js';
import { FieldSet } from '../core/field-set.js';
import { scanCompactHeader } from './compact.js';
import { FIELDS, Field } from '../core/fields.js';
import { NameTable, hashStep } from '../core/name-table.js';
import {
  F_ESCAPED,
  F_KEY_ESCAPED,
  F_RAW,
  Message,
  UNKNOWN,
  type RecordReader,
  type ValueCodec,
} from '../core/message.js';

/** Limits applied while decoding; each is checked before the work it bounds. */
export interface JsonDecodeLimits {
  /** Deepest nesting of objects/arrays skipped under unknown keys (default 64). */
  readonly maxDepth: number;
  /** Most members one header may hold, known and unknown (default 4096). */
  readonly maxFields: number;
}

export const DEFAULT_LIMITS: JsonDecodeLimits = Object.freeze({ maxDepth: 64, maxFields: 4096 });

const PROTOCOL = 'amps';

// ---- byte classes ----------------------------------------------------------------------------

const WS = new Uint8Array(256);
WS[0x20] = WS[0x09] = WS[0x0a] = WS[0x0d] = 1;

// Bytes that stop a string scan: 1 for '"', 2 for '\\'.
const STRING_STOP = new Uint8Array(256);
STRING_STOP[0x22] = 1;
STRING_STOP[0x5c] = 2;

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX[0x41 + i] = HEX[0x61 + i] = 10 + i;

// The character a one-letter escape stands for; 0 marks an invalid escape.
const SIMPLE_ESCAPE = new Uint16Array(256);
SIMPLE_ESCAPE[0x22] = 0x22;
SIMPLE_ESCAPE[0x5c] = 0x5c;
SIMPLE_ESCAPE[0x2f] = 0x2f;
SIMPLE_ESCAPE[0x62] = 0x08;
SIMPLE_ESCAPE[0x66] = 0x0c;
SIMPLE_ESCAPE[0x6e] = 0x0a;
SIMPLE_ESCAPE[0x72] = 0x0d;
SIMPLE_ESCAPE[0x74] = 0x09;

// ---- key lookup, built from the field table --------------------------------------------------

const KEYS = new NameTable(FIELDS.flatMap((f) => [f.json, ...f.jsonAliases].map((key) => [key, f.id] as const)));

// ---- values ------------------------------------------------------------------------------------

function fail(message: string, code: ErrorCode, offset: number): never {
  return failWith(PROTOCOL, message, code, offset);
}

function failAt(buf: Uint8Array, i: number, end: number, expected: string): never {
  return failExpected(PROTOCOL, buf, i, end, expected, 'AMPS_BAD_JSON');
}

/** Resolves the JSON escapes of a string's content `buf[start, end)`, validated while scanning. */
function unescape(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  let run = start;
  let i = start;
  while (i < end) {
    if (buf[i] !== 0x5c) {
      i++;
      continue;
    }
    if (run < i) out += utf8Slice(buf, run, i);
    const e = buf[i + 1]!;
    if (e === 0x75) {
      out += String.fromCharCode(
        (HEX[buf[i + 2]!]! << 12) | (HEX[buf[i + 3]!]! << 8) | (HEX[buf[i + 4]!]! << 4) | HEX[buf[i + 5]!]!,
      );
      i += 6;
    } else {
      out += String.fromCharCode(SIMPLE_ESCAPE[e]!);
      i += 2;
    }
    run = i;
  }
  if (run < end) out += utf8Slice(buf, run, end);
  return out;
}

/** How Messages decoded by this protocol resolve escaped values. @internal */
export const JSON_CODEC: ValueCodec = Object.freeze({ name: PROTOCOL, unescape });

/**
 * Scans a string from `i` (inside it), validating its escapes; returns the index of its closing
 * quote. Header keys and values scan plain text first and come here only at a backslash, so for
 * them a string that reaches here holds an escape.
 */
function scanString(buf: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const stop = STRING_STOP[buf[i]!]!;
    if (stop === 0) {
      i++;
      continue;
    }
    if (stop === 1) return i;
    if (i + 1 >= end) failAt(buf, i + 1, end, 'an escaped character');
    const e = buf[i + 1]!;
    if (e === 0x75) {
      for (let k = 2; k < 6; k++) {
        if (i + k >= end || HEX[buf[i + k]!]! < 0) failAt(buf, i + k, end, 'four hex digits after \\u');
      }
      i += 6;
    } else if (SIMPLE_ESCAPE[e] !== 0) {
      i += 2;
    } else {
      fail(`invalid escape \\${String.fromCharCode(e)}`, 'AMPS_BAD_JSON', i);
    }
  }
  failAt(buf, i, end, "a closing '\"'");
}

/** Scans a JSON number starting at `i`; returns the index after it. */
function scanNumber(buf: Uint8Array, i: number, end: number): number {
  if (buf[i] === 0x2d) i++;
  if (i >= end) failAt(buf, i, end, 'a digit');
  if (buf[i] === 0x30) i++;
  else if (buf[i]! >= 0x31 && buf[i]! <= 0x39) while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
  else failAt(buf, i, end, 'a digit');
  if (i < end && buf[i] === 0x2e) {
    i++;
    const digits = i;
    while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
    if (i === digits) failAt(buf, i, end, "a digit after '.'");
  }
  if (i < end && (buf[i] === 0x65 || buf[i] === 0x45)) {
    i++;
    if (i < end && (buf[i] === 0x2b || buf[i] === 0x2d)) i++;
    const digits = i;
    while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
    if (i === digits) failAt(buf, i, end, 'a digit in the exponent');
  }
  return i;
}

function scanLiteral(buf: Uint8Array, i: number, end: number, word: string): number {
  for (let k = 0; k < word.length; k++) {
    if (i + k >= end || buf[i + k] !== word.charCodeAt(k)) failAt(buf, i + k, end, `'${word}'`);
  }
  return i + word.length;
}

/** Skips a nested object or array starting at `i` without recursion; returns the index after it. */
function skipNested(buf: Uint8Array, i: number, end: number, maxDepth: number): number {
  // A bracket stack of one bit per level would do, but validating nesting only needs the
  // expected closer per level; depth is bounded by maxDepth, so the stack is small.
  const closers: number[] = [];
  while (i < end) {
    const c = buf[i]!;
    if (c === 0x7b || c === 0x5b) {
      if (closers.length >= maxDepth) fail(`nesting deeper than ${maxDepth}`, 'AMPS_TOO_DEEP', i);
      closers.push(c + 2); // '{' → '}', '[' → ']'
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      if (closers.pop() !== c) fail(`unexpected ${describeByte(c)}`, 'AMPS_BAD_JSON', i);
      i++;
      if (closers.length === 0) return i;
    } else if (c === 0x22) {
      i = scanString(buf, i + 1, end) + 1;
    } else {
      // Scalars, commas and colons inside skipped values are not validated token by token:
      // the value is never read as a field, only its extent matters.
      i++;
    }
  }
  failAt(buf, i, end, `'${String.fromCharCode(closers[closers.length - 1] ?? 0x7d)}'`);
}

// ---- header ------------------------------------------------------------------------------------

/**
 * Parses the header object starting at `pos` (leading whitespace allowed) into `msg`; returns
 * the index just after its closing brace.
 */
function parseHeader(buf: Uint8Array, pos: number, end: number, msg: Message, limits: JsonDecodeLimits): number {
  const compactEnd = scanCompactHeader(buf, pos, msg, KEYS, limits.maxFields);
  if (compactEnd >= 0) return compactEnd;
  msg._dropFields();
  return parseAnyHeader(buf, pos, end, msg, limits);
}

/** parseHeader for any header the grammar allows: whitespace, escapes, repeated keys, any value. */
function parseAnyHeader(buf: Uint8Array, pos: number, end: number, msg: Message, limits: JsonDecodeLimits): number {
  let i = pos;
  while (i < end && WS[buf[i]!]) i++;
  if (i >= end || buf[i] !== 0x7b) failAt(buf, i, end, "'{' to open the header");
  i++;
  while (i < end && WS[buf[i]!]) i++;
  if (i < end && buf[i] === 0x7d) return i + 1;
  let members = 0;
  // Fields read so far: a field's first occurrence is appended without searching for an earlier one.
  const seen = new FieldSet();
  for (;;) {
    if (i >= end || buf[i] !== 0x22) failAt(buf, i, end, "'\"' to open a key");
    if (++members > limits.maxFields) fail(`more than ${limits.maxFields} header members`, 'AMPS_TOO_MANY_FIELDS', i);
    // Key, hashed as it is scanned.
    const keyStart = ++i;
    let h = 0;
    let c = 0;
    while (i < end && (c = buf[i]!) !== 0x22 && c !== 0x5c) {
      h = hashStep(h, c);
      i++;
    }
    let id: number;
    let keyFlags = 0;
    if (c === 0x5c) {
      i = scanString(buf, keyStart, end);
      id = KEYS.get(unescape(buf, keyStart, i));
      keyFlags = F_KEY_ESCAPED;
    } else {
      if (i >= end) failAt(buf, i, end, "a closing '\"' after the key");
      id = KEYS.lookup(buf, keyStart, i, h);
    }
    const keyEnd = i++;
    if (i < end && buf[i] === 0x3a) i++;
    else {
      while (i < end && WS[buf[i]!]) i++;
      if (i >= end || buf[i] !== 0x3a) failAt(buf, i, end, "':' after the key");
      i++;
    }
    while (i < end && WS[buf[i]!]) i++;
    // Value.
    if (i >= end) failAt(buf, i, end, 'a value');
    c = buf[i]!;
    let start: number;
    let valueEnd: number;
    let flags: number;
    if (c === 0x22) {
      start = ++i;
      // Fast path for the usual value without escapes; scanString validates the rest.
      while (i < end && (c = buf[i]!) !== 0x22 && c !== 0x5c) i++;
      flags = keyFlags;
      if (i >= end || c === 0x5c) {
        i = scanString(buf, i, end); // throws when the string does not end
        flags |= F_ESCAPED;
      }
      valueEnd = i++;
    } else if (c === 0x6e) {
      i = scanLiteral(buf, i, end, 'null');
      if (id !== UNKNOWN) {
        msg._remove(id); // a known key with null is not set
        seen.delete(id);
      }
      start = -1;
      valueEnd = flags = 0;
    } else {
      start = i;
      if (c === 0x2d || (c >= 0x30 && c <= 0x39)) i = scanNumber(buf, i, end);
      else if (c === 0x74) i = scanLiteral(buf, i, end, 'true');
      else if (c === 0x66) i = scanLiteral(buf, i, end, 'false');
      else if (c !== 0x7b && c !== 0x5b) failAt(buf, i, end, 'a value');
      else if (id !== UNKNOWN)
        fail(`the value of '${FIELDS[id]!.json}' must be a string, number, true, false or null`, 'AMPS_BAD_JSON', i);
      else i = skipNested(buf, i, end, limits.maxDepth);
      valueEnd = i;
      flags = id === UNKNOWN ? F_RAW | keyFlags : 0;
    }
    if (start < 0) {
      // null: nothing to record
    } else if (id === UNKNOWN) {
      msg._append(id, start, valueEnd, flags, keyStart, keyEnd);
    } else if (!seen.has(id)) {
      seen.add(id);
      msg._append(id, start, valueEnd, flags, keyStart, keyEnd);
    } else {
      msg._add(id, start, valueEnd, flags, keyStart, keyEnd);
    }
    while (i < end && WS[buf[i]!]) i++;
    if (i < end && buf[i] === 0x2c) {
      i++;
      while (i < end && WS[buf[i]!]) i++;
      continue;
    }
    if (i < end && buf[i] === 0x7d) return i + 1;
    failAt(buf, i, end, "',' or '}' after a value");
  }
}

// ---- payload -----------------------------------------------------------------------------------

function recordLength(record: Message, at: number, remaining: number): number {
  const e = record._find(Field.MessageLength);
  if (e < 0) fail("SOW record header has no 'l' (MessageLength)", 'AMPS_BAD_SOW_BATCH', at);
  const n = entryUint(record, e);
  if (n < 0)
    fail("SOW record 'l' (MessageLength) is not an unsigned integer", 'AMPS_BAD_SOW_BATCH', record._valueStart(e));
  if (n > remaining)
    fail(`SOW record body of ${n} bytes runs past the end of the payload`, 'AMPS_TRUNCATED', at + remaining);
  return n;
}

/** A RecordReader for records decoded under `limits`. */
function recordReader(limits: JsonDecodeLimits): RecordReader {
  return (buf, i, end, record) => {
    record._reset(buf, JSON_CODEC);
    const bodyStart = parseHeader(buf, i, end, record, limits);
    const n = recordLength(record, bodyStart, end - bodyStart);
    record._setBody(bodyStart, bodyStart + n);
    return bodyStart + n;
  };
}

const DEFAULT_RECORD_READER = recordReader(DEFAULT_LIMITS);

function parseRecords(msg: Message, buf: Uint8Array, start: number, end: number, limits: JsonDecodeLimits): void {
  const read = limits === DEFAULT_LIMITS ? DEFAULT_RECORD_READER : recordReader(limits);
  // Every record is checked now, into one scratch Message; they are read again when iterated.
  const scratch = new Message();
  let count = 0;
  for (let i = start; i < end; count++) i = read(buf, i, end, scratch);
  checkBatchSize(msg, count, end, PROTOCOL, "'bs' (BatchSize)");
  msg._setRecords(read, start, end, count);
}

/**
 * Decodes an amps/json payload (without the 4-byte frame prefix) into a zero-copy Message.
 * Pass `into` to reuse a Message. Throws StreamException on malformed input.
 */
export function decodeJson(payload: Uint8Array, into: Message | undefined, limits: JsonDecodeLimits): Message {
  checkDecodeArguments(payload, into);
  const msg = into ?? new Message();
  msg._reset(payload, JSON_CODEC);
  const end = payload.length;
  const headerEnd = parseHeader(payload, 0, end, msg, limits);
  msg._setBody(headerEnd, end);
  if (headerEnd < end && isSowBatch(msg)) parseRecords(msg, payload, headerEnd, end, limits);
  return msg;
}
