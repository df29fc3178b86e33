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
import { Message, UNKNOWN, type RecordReader } from '../core/message.js';
import { checkBatchSize, entryIs } from '../core/batch-size.js';
import { FIELD_BY_TAG, FIRST_TAG, type TagValueSyntax } from './syntax.js';

const FAILED = -1;

/** What went wrong in the header a reader was scanning. */
type Failure = 'end' | 'tag' | 'tag-digit' | 'fields';

function error(syntax: TagValueSyntax, message: string, code: ErrorCode, offset: number): StreamException {
  return new StreamException(message, code, offset, syntax.name);
}

function separatorName(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
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
 * Reads the tag=value headers of one protocol, keeping what its scanners report to each other on
 * itself: where MessageLength lies, what a failed scan found, the fields counted so far. Each
 * protocol object owns one for its payloads, its SOW records are read by another of their own,
 * and its encoder has a third, so records read lazily, between decodes, never share state with a
 * decode.
 * @internal
 */
export class TagValueReader {
  private readonly _syntax: TagValueSyntax;
  // What _scanHeader reports besides the position: where the MessageLength value of the header
  // just scanned lies (-1 when it had none), and, on failure, what went wrong and where.
  private _lengthStart = -1;
  private _lengthEnd = -1;
  private _failure: Failure = 'end';
  private _failureAt = 0;
  // Fields of the header being read, across its groups: the field limit holds for the whole
  // header however many separators cut it up. Callers set it to 0 where a header begins.
  private _headerFields = 0;
  /** Fields read so far into the header group being scanned. */
  private readonly _seen = new FieldSet();
  /** Reads the records of the SOW batches this reader decodes; made on the first batch. */
  private _records: TagValueReader | undefined = undefined;

  constructor(syntax: TagValueSyntax) {
    this._syntax = syntax;
  }

  /**
   * Scans `tag=value` fields from `pos` to just past the header separator, adding each to `msg`
   * (or only checking them when `msg` is undefined). Returns the index after the separator, or
   * FAILED with `_failure` and `_failureAt` set; it never throws, so it can also test whether
   * bytes would read as a header.
   */
  private _scanHeader(buf: Uint8Array, pos: number, end: number, msg: Message | undefined): number {
    const syntax = this._syntax;
    const fs = syntax.fieldSeparator;
    const hs = syntax.headerSeparator;
    const seen = this._seen;
    // Separators below the printable range (the defaults, SOH and STX) let the value scan stop
    // on one compare for any byte above both.
    const top = Math.max(fs, hs);
    const controlSeparators = top < 0x20;
    this._lengthStart = -1;
    // Into an empty Message, a field's first occurrence is appended without searching for an earlier one.
    const fresh = msg !== undefined && msg._count() === 0;
    seen.clear();
    for (;;) {
      if (pos >= end) return this._fail('end', pos);
      let c = buf[pos]!;
      if (c === hs) return pos + 1;
      const tagStart = pos;
      let tag = 0;
      // Past the end `c` is undefined, which ends the digits.
      while (c >= 0x30 && c <= 0x39) {
        tag = tag * 10 + c - 0x30;
        c = buf[++pos]!;
      }
      if (c !== 0x3d || pos === tagStart) {
        if (pos >= end) return this._fail('end', pos);
        return this._fail(pos === tagStart ? 'tag' : 'tag-digit', pos);
      }
      const tagEnd = pos++;
      const valueStart = pos;
      if (controlSeparators) {
        // One compare for the usual byte; past the end `c` is undefined and falls through.
        for (;;) {
          c = buf[pos]!;
          if (c > top) {
            pos++;
            continue;
          }
          if (c === fs || c === hs || pos >= end) break;
          pos++;
        }
      } else {
        while (pos < end && (c = buf[pos]!) !== fs && c !== hs) pos++;
      }
      if (pos >= end) return this._fail('end', pos);
      if (++this._headerFields > syntax.maxFields) return this._fail('fields', tagStart);
      const slot = tag - FIRST_TAG;
      // More than 9 digits could only be an unknown tag, and would lose precision as a number.
      const id = tagEnd - tagStart <= 9 && slot >= 0 && slot < FIELD_BY_TAG.length ? FIELD_BY_TAG[slot]! : UNKNOWN;
      if (id === Field.MessageLength) {
        this._lengthStart = valueStart;
        this._lengthEnd = pos;
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

  private _fail(what: Failure, at: number): number {
    this._failure = what;
    this._failureAt = at;
    return FAILED;
  }

  /** The error of too many header fields, at the field past the limit. */
  private _tooManyFields(at: number): StreamException {
    const syntax = this._syntax;
    return error(syntax, `expected at most ${syntax.maxFields} header fields`, 'AMPS_TOO_MANY_FIELDS', at);
  }

  /** _scanHeader that throws what it found wrong. */
  private _readHeader(buf: Uint8Array, pos: number, end: number, msg: Message): number {
    const next = this._scanHeader(buf, pos, end, msg);
    if (next !== FAILED) return next;
    const syntax = this._syntax;
    const hs = separatorName(syntax.headerSeparator);
    const at = this._failureAt;
    switch (this._failure) {
      case 'end':
        throw error(
          syntax,
          `unexpected end of payload, expected a field or the header separator (${hs})`,
          'AMPS_TRUNCATED',
          at,
        );
      case 'tag':
        throw error(syntax, `expected a tag (digits) or the header separator (${hs})`, 'AMPS_BAD_FIX', at);
      case 'tag-digit':
        throw error(syntax, "expected a digit or '=' in the tag", 'AMPS_BAD_FIX', at);
      case 'fields':
        throw this._tooManyFields(at);
    }
  }

  /**
   * The MessageLength found by the last _scanHeader as a number; throws when it is not digits or
   * when that many bytes do not follow `bodyStart`.
   */
  private _messageLength(buf: Uint8Array, bodyStart: number, end: number, code: ErrorCode): number {
    const syntax = this._syntax;
    const n = parseUintBytes(buf, this._lengthStart, this._lengthEnd);
    if (n === -1) throw error(syntax, 'expected an unsigned integer as MessageLength (20058)', code, this._lengthStart);
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

  /**
   * Where the body starts if the bytes at `pos` are more header groups ending with one that has
   * MessageLength, followed by exactly that many bytes (and at most one separator); -1 otherwise.
   */
  private _continuedHeaderEnd(buf: Uint8Array, pos: number, end: number): number {
    while (pos < end) {
      const next = this._scanHeader(buf, pos, end, undefined);
      if (next === FAILED) {
        // Too many fields is a limit, not a sign of a body: under a looser limit these bytes
        // would read as header, so the answer must not depend on where the limit is.
        if (this._failure === 'fields') throw this._tooManyFields(this._failureAt);
        return -1;
      }
      if (this._lengthStart >= 0) {
        const n = parseUintBytes(buf, this._lengthStart, this._lengthEnd);
        return n >= 0 && n <= end - next && endsPayload(buf, next + n, end, this._syntax) ? next : -1;
      }
      pos = next;
    }
    return -1;
  }

  /**
   * Whether the body `buf[start, end)`, written after the header of a publish or oof without
   * MessageLength, would decode as more header fields rather than as the body; the encoder then
   * adds MessageLength.
   */
  readsAsMoreHeader(buf: Uint8Array, start: number, end: number): boolean {
    this._headerFields = 0;
    try {
      return this._continuedHeaderEnd(buf, start, end) >= 0;
    } catch {
      return true; // too many fields to tell: bound the body to be safe
    }
  }

  /** The RecordReader of this protocol's SOW records. */
  readonly readRecord: RecordReader = (buf, pos, end, record) => {
    const syntax = this._syntax;
    record._reset(buf, syntax.codec);
    const at = pos;
    this._headerFields = 0;
    const bodyStart = this._readHeader(buf, pos, end, record);
    if (this._lengthStart < 0)
      throw error(syntax, 'expected MessageLength (20058) in the SOW record header', 'AMPS_BAD_SOW_BATCH', at);
    const n = this._messageLength(buf, bodyStart, end, 'AMPS_BAD_SOW_BATCH');
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

  private _readRecords(msg: Message, buf: Uint8Array, start: number, end: number): void {
    const syntax = this._syntax;
    let pos = start;
    const scratch = new Message();
    let outerFields = this._headerFields;
    // Header groups before the first record (none has MessageLength) belong to the outer header.
    while (pos < end) {
      scratch._reset(buf, syntax.codec);
      const at = pos;
      this._headerFields = 0;
      const next = this._readHeader(buf, pos, end, scratch);
      if (this._lengthStart >= 0) break;
      outerFields += this._headerFields;
      if (outerFields > syntax.maxFields) throw this._tooManyFields(at);
      for (let e = 0; e < scratch._count(); e++) {
        msg._add(
          scratch._idAt(e),
          scratch._valueStart(e),
          scratch._valueEnd(e),
          scratch._flagsAt(e),
          scratch._keyStart(e),
          scratch._keyEnd(e),
        );
      }
      pos = next;
    }
    // Every record is checked now, into the scratch Message; they are read again when iterated.
    const recordsStart = pos;
    this._records ??= new TagValueReader(syntax);
    const read = this._records.readRecord;
    let count = 0;
    for (; pos < end; count++) pos = read(buf, pos, end, scratch);
    checkBatchSize(msg, count, end, syntax.name, 'BatchSize (20023)');
    msg._setBody(recordsStart, end);
    msg._setRecords(read, recordsStart, end, count);
  }

  /**
   * Decodes a fix/nvfix payload (without the 4-byte frame prefix) into a zero-copy Message; pass
   * `into` to reuse one. Throws StreamException on malformed or truncated input.
   */
  decode(payload: Uint8Array, into: Message | undefined): Message {
    checkDecodeArguments(payload, into);
    const syntax = this._syntax;
    const msg = into ?? new Message();
    msg._reset(payload, syntax.codec);
    const end = payload.length;
    this._headerFields = 0;
    let bodyStart = this._readHeader(payload, 0, end, msg);
    if (this._lengthStart < 0) {
      const kind = bodyStart < end ? commandKind(msg) : OTHER;
      if (kind === SOW) {
        this._readRecords(msg, payload, bodyStart, end);
        return msg;
      }
      const counted = this._headerFields;
      const continued = kind === PUBLISH ? this._continuedHeaderEnd(payload, bodyStart, end) : -1;
      this._headerFields = counted; // the groups are read again below
      if (continued < 0) {
        msg._setBody(bodyStart, end);
        return msg;
      }
      while (bodyStart < continued) bodyStart = this._readHeader(payload, bodyStart, end, msg);
    }
    const n = this._messageLength(payload, bodyStart, end, 'AMPS_BAD_FIX');
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
}
