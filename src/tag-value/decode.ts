/**
 * Decoder of the tag=value header layout that the `fix` and `nvfix` protocols share
 * (docs/wire-format.md section 3). FS and HS are the protocol's field and header separators (`\x01`, `\x02`).
 *
 *   payload  = header HS body
 *   header   = *( tag "=" value FS )          ; the FS of the last field may be left out
 *   tag      = 1*DIGIT                        ; unknown tags are kept by key, never an error
 *   value    = *( any byte but FS and HS )    ; raw bytes, no escaping exists
 *   body     = n OCTET [ FS / HS ]            ; n = MessageLength (20058) when the header has it
 *            / *OCTET                         ; otherwise the rest of the payload
 *
 * When the header has no MessageLength and its Command is publish (`p`) or oof, more header
 * fields may follow the HS: `*( header HS ) header-with-20058 HS n OCTET [ FS / HS ]`.
 * A `sow` without MessageLength is a SOW batch:
 *
 *   batch    = header HS *( header HS ) *record     ; groups before the first record, which
 *   record   = header HS n OCTET [ FS / HS ]        ; have no 20058, extend the outer header
 *
 * Every record header carries MessageLength (n); the outer BatchSize, when present, must equal
 * the number of records.
 */
import { checkDecodeArguments } from '../core/arguments.js';
import { parseUintBytes } from '../core/bytes.js';
import { StreamException, type ErrorCode } from '../core/errors.js';
import { FieldSet } from '../core/field-set.js';
import { Field } from '../core/fields.js';
import { Message, STRIDE, UNKNOWN, type RecordReader } from '../core/message.js';
import { checkBatchSize, entryIs } from '../core/batch-size.js';
import { FIELD_BY_TAG, FIRST_TAG, type TagValueSyntax } from './syntax.js';

// ---- scanning one header ----------------------------------------------------------------------

// What scanHeader reports besides the position: where the MessageLength value of the header
// just scanned lies (-1 when it had none), and, on failure, what went wrong and where.
let lengthStart = -1;
let lengthEnd = -1;
let failure: 'end' | 'tag' | 'tag-digit' | 'fields' = 'end';
let failureAt = 0;
// Fields of the header being read, across its groups: the field limit holds for the whole
// header however many separators cut it up. Callers set it to 0 where a header begins.
let headerFields = 0;

const FAILED = -1;

/** Fields read so far into the header being decoded. */
const seen = new FieldSet();

/**
 * Scans `tag=value` fields from `pos` to just past the header separator, adding each to `msg`
 * (or only checking them when `msg` is undefined). Returns the index after the separator, or
 * FAILED with `failure` and `failureAt` set; it never throws, so it can also test whether bytes
 * would read as a header.
 */
function scanHeader(
  buf: Uint8Array,
  pos: number,
  end: number,
  syntax: TagValueSyntax,
  msg: Message | undefined,
): number {
  const fs = syntax.fieldSeparator;
  const hs = syntax.headerSeparator;
  lengthStart = -1;
  // Into an empty Message, a field's first occurrence is appended without searching for an earlier one.
  const fresh = msg !== undefined && msg._n === 0;
  seen.clear();
  for (;;) {
    if (pos >= end) return fail('end', pos);
    let c = buf[pos]!;
    if (c === hs) return pos + 1;
    const tagStart = pos;
    let tag = 0;
    while (c >= 0x30 && c <= 0x39) {
      tag = tag * 10 + c - 0x30;
      if (++pos >= end) return fail('end', pos);
      c = buf[pos]!;
    }
    if (c !== 0x3d || pos === tagStart) return fail(pos === tagStart ? 'tag' : 'tag-digit', pos);
    const tagEnd = pos++;
    const valueStart = pos;
    while (pos < end && (c = buf[pos]!) !== fs && c !== hs) pos++;
    if (pos >= end) return fail('end', pos);
    if (++headerFields > syntax.maxFields) return fail('fields', tagStart);
    const slot = tag - FIRST_TAG;
    // More than 9 digits could only be an unknown tag, and would lose precision as a number.
    const id = tagEnd - tagStart <= 9 && slot >= 0 && slot < FIELD_BY_TAG.length ? FIELD_BY_TAG[slot]! : UNKNOWN;
    if (id === Field.MessageLength) {
      lengthStart = valueStart;
      lengthEnd = pos;
    }
    if (msg !== undefined) {
      if (id === UNKNOWN) {
        msg._append(id, valueStart, pos, 0, tagStart, tagEnd);
      } else if (fresh && !seen.has(id)) {
        seen.add(id);
        msg._append(id, valueStart, pos, 0, tagStart, tagEnd);
      } else {
        msg._add(id, valueStart, pos, 0, tagStart, tagEnd);
      }
    }
    if (c === hs) return pos + 1;
    pos++;
  }
}

function fail(what: typeof failure, at: number): number {
  failure = what;
  failureAt = at;
  return FAILED;
}

function error(syntax: TagValueSyntax, message: string, code: ErrorCode, offset: number): StreamException {
  return new StreamException(message, code, offset, syntax.name);
}

function separatorName(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

/** scanHeader that throws what it found wrong. */
function readHeader(buf: Uint8Array, pos: number, end: number, syntax: TagValueSyntax, msg: Message): number {
  const next = scanHeader(buf, pos, end, syntax, msg);
  if (next !== FAILED) return next;
  const hs = separatorName(syntax.headerSeparator);
  switch (failure) {
    case 'end':
      throw error(
        syntax,
        `unexpected end of payload, expected a field or the header separator (${hs})`,
        'AMPS_TRUNCATED',
        failureAt,
      );
    case 'tag':
      throw error(syntax, `expected a tag (digits) or the header separator (${hs})`, 'AMPS_BAD_FIX', failureAt);
    case 'tag-digit':
      throw error(syntax, "expected a digit or '=' in the tag", 'AMPS_BAD_FIX', failureAt);
    case 'fields':
      throw error(syntax, `expected at most ${syntax.maxFields} header fields`, 'AMPS_TOO_MANY_FIELDS', failureAt);
  }
}

// ---- bodies ------------------------------------------------------------------------------------

/**
 * The MessageLength found by the last scanHeader as a number; throws when it is not digits or
 * when that many bytes do not follow `bodyStart`.
 */
function messageLength(
  buf: Uint8Array,
  bodyStart: number,
  end: number,
  syntax: TagValueSyntax,
  code: ErrorCode,
): number {
  const n = parseUintBytes(buf, lengthStart, lengthEnd);
  if (n === -1) throw error(syntax, 'expected an unsigned integer as MessageLength (20058)', code, lengthStart);
  if (n === -2 || n > end - bodyStart) {
    throw error(
      syntax,
      `unexpected end of payload, expected ${n === -2 ? 'over 2^53' : n} body bytes (MessageLength 20058), found ${end - bodyStart}`,
      'AMPS_TRUNCATED',
      end,
    );
  }
  return n;
}

/** Whether `bodyEnd` ends the payload, allowing one trailing separator. */
function endsPayload(buf: Uint8Array, bodyEnd: number, end: number, syntax: TagValueSyntax): boolean {
  if (bodyEnd === end) return true;
  const c = buf[bodyEnd];
  return bodyEnd + 1 === end && (c === syntax.fieldSeparator || c === syntax.headerSeparator);
}

const OTHER = 0;
const PUBLISH = 1; // publish, p or oof: more header fields may follow the separator
const SOW = 2;

function commandKind(msg: Message): number {
  const e = msg._find(Field.Command);
  if (e < 0) return OTHER;
  if (entryIs(msg, e, 'sow')) return SOW;
  if (entryIs(msg, e, 'p') || entryIs(msg, e, 'publish') || entryIs(msg, e, 'oof')) return PUBLISH;
  return OTHER;
}

/**
 * Where the body starts if the bytes at `pos` are more header groups ending with one that has
 * MessageLength, followed by exactly that many bytes (and at most one separator); -1 otherwise.
 */
function continuedHeaderEnd(buf: Uint8Array, pos: number, end: number, syntax: TagValueSyntax): number {
  while (pos < end) {
    const next = scanHeader(buf, pos, end, syntax, undefined);
    if (next === FAILED) {
      // Too many fields is a limit, not a sign of a body: under a looser limit these bytes
      // would read as header, so the answer must not depend on where the limit is.
      if (failure === 'fields') {
        throw error(syntax, `expected at most ${syntax.maxFields} header fields`, 'AMPS_TOO_MANY_FIELDS', failureAt);
      }
      return -1;
    }
    if (lengthStart >= 0) {
      const n = parseUintBytes(buf, lengthStart, lengthEnd);
      return n >= 0 && n <= end - next && endsPayload(buf, next + n, end, syntax) ? next : -1;
    }
    pos = next;
  }
  return -1;
}

/**
 * Whether the body `buf[start, end)`, written after the header of a publish or oof without MessageLength, would
 * decode as more header fields rather than as the body; the encoder then adds MessageLength.
 * @internal
 */
export function readsAsMoreHeader(buf: Uint8Array, start: number, end: number, syntax: TagValueSyntax): boolean {
  headerFields = 0;
  try {
    return continuedHeaderEnd(buf, start, end, syntax) >= 0;
  } catch {
    return true; // too many fields to tell: bound the body to be safe
  }
}

// One RecordReader per protocol instance.
const recordReaders = new WeakMap<TagValueSyntax, RecordReader>();

function recordReader(syntax: TagValueSyntax): RecordReader {
  let read = recordReaders.get(syntax);
  if (read !== undefined) return read;
  read = (buf, pos, end, record) => {
    record._reset(buf, syntax.codec);
    const at = pos;
    headerFields = 0;
    const bodyStart = readHeader(buf, pos, end, syntax, record);
    if (lengthStart < 0)
      throw error(syntax, 'expected MessageLength (20058) in the SOW record header', 'AMPS_BAD_SOW_BATCH', at);
    const n = messageLength(buf, bodyStart, end, syntax, 'AMPS_BAD_SOW_BATCH');
    record._setBody(bodyStart, bodyStart + n);
    pos = bodyStart + n;
    if (pos < end) {
      const c = buf[pos];
      if (c !== syntax.fieldSeparator && c !== syntax.headerSeparator) {
        throw error(syntax, 'expected a separator after the SOW record body', 'AMPS_BAD_SOW_BATCH', pos);
      }
      pos++;
    }
    return pos;
  };
  recordReaders.set(syntax, read);
  return read;
}

function readRecords(msg: Message, buf: Uint8Array, start: number, end: number, syntax: TagValueSyntax): void {
  let pos = start;
  const scratch = new Message();
  let outerFields = headerFields;
  // Header groups before the first record (none has MessageLength) belong to the outer header.
  while (pos < end) {
    scratch._reset(buf, syntax.codec);
    const at = pos;
    headerFields = 0;
    const next = readHeader(buf, pos, end, syntax, scratch);
    if (lengthStart >= 0) break;
    outerFields += headerFields;
    if (outerFields > syntax.maxFields)
      throw error(syntax, `expected at most ${syntax.maxFields} header fields`, 'AMPS_TOO_MANY_FIELDS', at);
    const ent = scratch._ent;
    for (let e = 0, p = 0; e < scratch._n; e++, p += STRIDE) {
      msg._add(ent[p]!, ent[p + 1]!, ent[p + 2]!, ent[p + 3]!, ent[p + 4]!, ent[p + 5]!);
    }
    pos = next;
  }
  // Every record is checked now, into the scratch Message; they are read again when iterated.
  const recordsStart = pos;
  const read = recordReader(syntax);
  let count = 0;
  for (; pos < end; count++) pos = read(buf, pos, end, scratch);
  checkBatchSize(msg, count, end, syntax.name, 'BatchSize (20023)');
  msg._setBody(recordsStart, end);
  msg._setRecords(read, recordsStart, end, count);
}

// ---- payload -----------------------------------------------------------------------------------

/**
 * Decodes a fix/nvfix payload (without the 4-byte frame prefix) into a zero-copy Message; pass
 * `into` to reuse one. Throws StreamException on malformed or truncated input.
 * @internal
 */
export function decodeTagValue(payload: Uint8Array, into: Message | undefined, syntax: TagValueSyntax): Message {
  checkDecodeArguments(payload, into);
  const msg = into ?? new Message();
  msg._reset(payload, syntax.codec);
  const end = payload.length;
  headerFields = 0;
  let bodyStart = readHeader(payload, 0, end, syntax, msg);
  if (lengthStart < 0) {
    const kind = bodyStart < end ? commandKind(msg) : OTHER;
    if (kind === SOW) {
      readRecords(msg, payload, bodyStart, end, syntax);
      return msg;
    }
    const counted = headerFields;
    const continued = kind === PUBLISH ? continuedHeaderEnd(payload, bodyStart, end, syntax) : -1;
    headerFields = counted; // the groups are read again below
    if (continued < 0) {
      msg._setBody(bodyStart, end);
      return msg;
    }
    while (bodyStart < continued) bodyStart = readHeader(payload, bodyStart, end, syntax, msg);
  }
  const n = messageLength(payload, bodyStart, end, syntax, 'AMPS_BAD_FIX');
  if (!endsPayload(payload, bodyStart + n, end, syntax)) {
    throw error(
      syntax,
      `expected the end of the payload after the ${n} body bytes MessageLength (20058) gives`,
      'AMPS_BAD_FIX',
      bodyStart + n,
    );
  }
  msg._setBody(bodyStart, bodyStart + n);
  return msg;
}
