/**
 * Decoder of the `xml` header protocol (docs/wire-format.md section 4): a SOAP envelope whose header holds
 * one element per field and whose body holds the message body verbatim.
 *
 *   payload  = [BOM] misc envelope misc                       ; misc may hold the <?xml ...?> prolog
 *   envelope = "<" P "Envelope" attrs ">" misc [ header misc ] [ body misc ] "</" P "Envelope>"
 *   header   = "<" P "Header" attrs ">" misc *( field misc ) "</" P "Header>"
 *            / "<" P "Header" attrs "/>"
 *   field    = "<" name attrs ">" content "</" name ">" / "<" name attrs "/>"
 *   content  = *( char-data / reference / "<![CDATA[" *OCTET "]]>" )
 *   body     = "<" P "Body" attrs ">" *OCTET "</" P "Body>" / "<" P "Body" attrs "/>"
 *   misc     = *( whitespace / "<!--" comment "-->" / "<?" instruction "?>" )
 *
 * P is the envelope's prefix (`SOAP-ENV:`). The body's end is found from the end of the
 * payload, so the body may hold anything, `]]>` and `</SOAP-ENV:Body>` included, and a payload
 * cut short is caught by its missing `</SOAP-ENV:Envelope>`. Unknown elements are kept by name,
 * or skipped whole when they hold elements. With Command `sow`, the body holds records:
 *
 *   records  = *( ws "<Msg" attrs ">" n-OCTETs "</Msg>" ) ws  ; attrs: key, len (= n), [ts]
 *
 * A hand-written scanner over byte classes: values are recorded where they lie, and references
 * and CDATA are only checked here, resolved when a value is read (src/xml/text.ts).
 */
import { checkDecodeArguments } from '../core/arguments.js';
import { asciiEquals, utf8Slice } from '../core/bytes.js';
import type { ErrorCode } from '../core/errors.js';
import { describeByte, fail as failWith, failExpected } from '../core/fail.js';
import { FieldSet } from '../core/field-set.js';
import { Field } from '../core/fields.js';
import { F_ESCAPED, Message, UNKNOWN, type RecordReader } from '../core/message.js';
import { checkBatchSize, entryUint, isSowBatch } from '../core/batch-size.js';
import { elementField, packHigh, packStep } from './names.js';
import { BAD_REFERENCE, CUT_REFERENCE, XML_CODEC, asciiBytes, cdataEnd, scanReference } from './text.js';

/** Limits applied while decoding xml. */
export interface XmlDecodeLimits {
  /** Most elements one header may hold, known and unknown (default 4096). */
  readonly maxFields: number;
}

/** @internal */
export const DEFAULT_XML_LIMITS: XmlDecodeLimits = Object.freeze({ maxFields: 4096 });

const PROTOCOL = 'xml';

// ---- byte classes ----------------------------------------------------------------------------

const WS = new Uint8Array(256);
WS[0x20] = WS[0x09] = WS[0x0a] = WS[0x0d] = 1;

// Bytes of element and attribute names (ASCII letters, digits, - _ . : and any non-ASCII byte).
const NAME = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  NAME[c] = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c >= 0x80 ? 1 : 0;
}
NAME[0x2d] = NAME[0x5f] = NAME[0x2e] = NAME[0x3a] = 1;

// Bytes that go on with element content: all but '<' and '&'.
const TEXT = new Uint8Array(256).fill(1);
TEXT[0x3c] = TEXT[0x26] = 0;

const CDATA_OPEN = asciiBytes('<![CDATA[');
const CDATA_CLOSE = asciiBytes(']]>');
const COMMENT_OPEN = asciiBytes('<!--');
const COMMENT_CLOSE = asciiBytes('-->');
const PI_CLOSE = asciiBytes('?>');
const MSG_OPEN = asciiBytes('<Msg');
const MSG_CLOSE = asciiBytes('</Msg>');
const ENVELOPE = asciiBytes('Envelope');
const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);
const HEADER = asciiBytes('Header');
const BODY = asciiBytes('Body');

// ---- errors ------------------------------------------------------------------------------------

function fail(message: string, code: ErrorCode, offset: number): never {
  return failWith(PROTOCOL, message, code, offset);
}

/** Throws "expected ..." at `i`: a truncation when the payload ends there. */
function failAt(buf: Uint8Array, i: number, end: number, expected: string, code: ErrorCode = 'AMPS_BAD_XML'): never {
  return failExpected(PROTOCOL, buf, i, end, expected, code);
}

function badBatch(message: string, offset: number): never {
  fail(message, 'AMPS_BAD_SOW_BATCH', offset);
}

// ---- small scanners --------------------------------------------------------------------------

const MATCH = 1;
const MISMATCH = 0;
const CUT = -1;

/** Whether `bytes` appear at `i`: MATCH, MISMATCH, or CUT when the payload ends inside a match. */
function matchAt(buf: Uint8Array, i: number, end: number, bytes: Uint8Array): number {
  for (let k = 0; k < bytes.length; k++) {
    if (i + k >= end) return CUT;
    if (buf[i + k] !== bytes[k]) return MISMATCH;
  }
  return MATCH;
}

/** Markup of the envelope as servers write it, also as little-endian 32-bit words. */
interface Constant {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
}

function constant(value: string): Constant {
  const bytes = asciiBytes(value);
  const words = new Int32Array(bytes.length >> 2);
  for (let k = 0; k < words.length; k++) {
    words[k] = bytes[4 * k]! | (bytes[4 * k + 1]! << 8) | (bytes[4 * k + 2]! << 16) | (bytes[4 * k + 3]! << 24);
  }
  return { bytes, words };
}

const CANONICAL_HEAD = constant('<SOAP-ENV:Envelope><SOAP-ENV:Header>');
const CANONICAL_MIDDLE = constant('</SOAP-ENV:Header><SOAP-ENV:Body>');
const CANONICAL_TAIL = constant('</SOAP-ENV:Body></SOAP-ENV:Envelope>');

/**
 * Whether `c` appears exactly at `i`. Four bytes are compared at a time: a third of the cost of
 * a byte loop, and this runs for every message.
 */
function constantAt(buf: Uint8Array, i: number, end: number, c: Constant): boolean {
  const bytes = c.bytes;
  if (i < 0 || bytes.length > end - i) return false;
  const words = c.words;
  let j = i;
  for (let k = 0; k < words.length; k++, j += 4) {
    if ((buf[j]! | (buf[j + 1]! << 8) | (buf[j + 2]! << 16) | (buf[j + 3]! << 24)) !== words[k]) return false;
  }
  for (let k = words.length << 2; k < bytes.length; k++, j++) if (buf[j] !== bytes[k]) return false;
  return true;
}

/** The index just after the next `bytes` at or after `i`; throws a truncation when there is none. */
function skipPast(buf: Uint8Array, i: number, end: number, bytes: Uint8Array, expected: string): number {
  const first = bytes[0]!;
  for (;;) {
    i = buf.indexOf(first, i);
    if (i < 0 || i >= end) failAt(buf, end, end, expected);
    if (matchAt(buf, i, end, bytes) === MATCH) return i + bytes.length;
    i++;
  }
}

/** Skips whitespace, comments and processing instructions (the prolog among them). */
function skipMisc(buf: Uint8Array, i: number, end: number): number {
  for (;;) {
    while (i < end && WS[buf[i]!]) i++;
    if (i + 1 >= end || buf[i] !== 0x3c) return i;
    if (buf[i + 1] === 0x3f) {
      i = skipPast(buf, i + 2, end, PI_CLOSE, "'?>'");
      continue;
    }
    const comment = matchAt(buf, i, end, COMMENT_OPEN);
    if (comment === CUT) failAt(buf, end, end, "'<!--'");
    if (comment === MISMATCH) return i;
    i = skipPast(buf, i + 4, end, COMMENT_CLOSE, "'-->'");
  }
}

/** The index after the name that starts at `i`. */
function scanName(buf: Uint8Array, i: number, end: number): number {
  while (i < end && NAME[buf[i]!]) i++;
  return i;
}

/** Checks the reference at `i` (`&`); returns the index after it. */
function reference(buf: Uint8Array, i: number, end: number): number {
  const next = scanReference(buf, i, end);
  if (next === CUT_REFERENCE) failAt(buf, end, end, "a reference ending in ';'");
  if (next === BAD_REFERENCE)
    fail('expected a reference such as &amp; &lt; &gt; &quot; &apos; &#38; or &#x26;', 'AMPS_BAD_XML', i);
  return next;
}

/** Expects the close tag of the element named `buf[name, nameEnd)` at `i`; returns the index after it. */
function closeTag(buf: Uint8Array, i: number, end: number, name: number, nameEnd: number): number {
  // j stops at the first byte that is not the expected one.
  let j = i;
  let ok = j < end && buf[j] === 0x3c && ++j < end && buf[j] === 0x2f;
  if (ok) {
    j++;
    for (let k = name; k < nameEnd; k++, j++) {
      if (j >= end || buf[j] !== buf[k]) {
        ok = false;
        break;
      }
    }
  }
  if (ok && buf[j] !== 0x3e) {
    while (j < end && WS[buf[j]!]) j++;
    ok = j < end && buf[j] === 0x3e;
  }
  if (!ok) failAt(buf, j, end, `'</${utf8Slice(buf, name, nameEnd)}>'`);
  return j + 1;
}

/**
 * Whether the start tag of the envelope's `local` child (`<` + prefix + `local`, then not a name
 * byte) is at `i`; throws a truncation when the payload ends inside it.
 */
function childTagAt(
  buf: Uint8Array,
  i: number,
  end: number,
  prefix: number,
  prefixEnd: number,
  local: Uint8Array,
): boolean {
  if (i >= end || buf[i] !== 0x3c) return false;
  const plen = prefixEnd - prefix;
  const j = i + 1 + plen;
  let match = MATCH;
  for (let k = 0; k < plen && match === MATCH; k++) {
    if (i + 1 + k >= end) match = CUT;
    else if (buf[i + 1 + k] !== buf[prefix + k]) match = MISMATCH;
  }
  if (match === MATCH) match = matchAt(buf, j, end, local);
  if (match === MATCH && j + local.length >= end) match = CUT;
  if (match === CUT)
    failAt(buf, end, end, `'<${utf8Slice(buf, prefix, prefixEnd)}${utf8Slice(local, 0, local.length)}>'`);
  return match === MATCH && !NAME[buf[j + local.length]!];
}

/**
 * The index where the close tag `</` + prefix + `local` + `>` begins if it ends exactly at `t`
 * (whitespace before its `>` allowed), or -1.
 */
function closeTagBefore(
  buf: Uint8Array,
  lo: number,
  t: number,
  prefix: number,
  prefixEnd: number,
  local: Uint8Array,
): number {
  if (t <= lo || buf[t - 1] !== 0x3e) return -1;
  let j = t - 1;
  while (j > lo && WS[buf[j - 1]!]) j--;
  j -= local.length;
  if (j < lo || matchAt(buf, j, t, local) !== MATCH) return -1;
  const plen = prefixEnd - prefix;
  j -= plen + 2;
  if (j < lo || buf[j] !== 0x3c || buf[j + 1] !== 0x2f) return -1;
  for (let k = 0; k < plen; k++) if (buf[j + 2 + k] !== buf[prefix + k]) return -1;
  return j;
}

// ---- header fields -----------------------------------------------------------------------------

/** Whether `<![CDATA[` starts at `i`, spelled out: the check runs for every CDATA value. */
function isCdataOpen(buf: Uint8Array, i: number, end: number): boolean {
  return (
    i + 9 <= end &&
    buf[i + 1] === 0x21 &&
    buf[i + 2] === 0x5b &&
    buf[i + 3] === 0x43 &&
    buf[i + 4] === 0x44 &&
    buf[i + 5] === 0x41 &&
    buf[i + 6] === 0x54 &&
    buf[i + 7] === 0x41 &&
    buf[i + 8] === 0x5b
  );
}

// ---- the reader ------------------------------------------------------------------------------

/**
 * Decodes xml payloads under one set of limits, keeping what its scanners report to each other
 * on itself: the attribute just scanned, and the fields read so far into the header. Each
 * protocol object owns one, and the SOW records it decodes are read by another of their own, so
 * records read lazily, between decodes, never share state with a decode.
 * @internal
 */
export class XmlReader {
  private readonly _limits: XmlDecodeLimits;
  /** The attribute _scanAttribute just scanned: where its name starts, or -1 when the tag ended instead. */
  private _attrName = -1;
  private _attrNameEnd = 0;
  private _attrValue = 0;
  private _attrValueEnd = 0;
  private _attrEscaped = false;
  /** Fields read so far into the header being decoded. */
  private readonly _seen = new FieldSet();
  /** Reads the records of the SOW batches this reader decodes; made on the first batch. */
  private _records: XmlReader | undefined = undefined;

  constructor(limits: XmlDecodeLimits) {
    this._limits = limits;
  }

  /**
   * Scans one attribute of a start tag, or finds the tag's end: returns the index after the
   * attribute, or (with `_attrName` -1) the index of the tag's `>` or of the `/` of `/>`.
   */
  private _scanAttribute(buf: Uint8Array, i: number, end: number): number {
    const spaced = i;
    while (i < end && WS[buf[i]!]) i++;
    if (i >= end) failAt(buf, i, end, "'>'");
    let c = buf[i]!;
    if (c === 0x3e || c === 0x2f) {
      this._attrName = -1;
      return i;
    }
    if (i === spaced || !NAME[c]) failAt(buf, i, end, "whitespace, an attribute, '>' or '/>'");
    this._attrName = i;
    i = scanName(buf, i, end);
    this._attrNameEnd = i;
    while (i < end && WS[buf[i]!]) i++;
    if (i >= end || buf[i] !== 0x3d) failAt(buf, i, end, "'=' after the attribute name");
    i++;
    while (i < end && WS[buf[i]!]) i++;
    const quote = buf[i];
    if (i >= end || (quote !== 0x22 && quote !== 0x27)) failAt(buf, i, end, 'a quoted attribute value');
    this._attrValue = ++i;
    let escaped = false;
    while (i < end && (c = buf[i]!) !== quote) {
      if (c === 0x26) {
        i = reference(buf, i, end);
        escaped = true;
      } else if (c === 0x3c) {
        fail("expected '&lt;' rather than '<' in an attribute value", 'AMPS_BAD_XML', i);
      } else {
        i++;
      }
    }
    if (i >= end) failAt(buf, i, end, 'the closing quote of the attribute value');
    this._attrEscaped = escaped;
    this._attrValueEnd = i;
    return i + 1;
  }

  /** Skips a start tag's attributes; returns the index of its `>` or of the `/` of `/>`. */
  private _skipAttributes(buf: Uint8Array, i: number, end: number): number {
    do i = this._scanAttribute(buf, i, end);
    while (this._attrName >= 0);
    return i;
  }

  /**
   * Skips the rest of an unknown element that holds elements, from the `<` of its first child;
   * returns the index after its own close tag.
   */
  private _skipChildren(buf: Uint8Array, i: number, end: number, name: number, nameEnd: number): number {
    let depth = 1;
    for (;;) {
      i = buf.indexOf(0x3c, i);
      if (i < 0 || i >= end) failAt(buf, end, end, `'</${utf8Slice(buf, name, nameEnd)}>'`);
      if (matchAt(buf, i, end, CDATA_OPEN) === MATCH) {
        i = skipPast(buf, i + 9, end, CDATA_CLOSE, "']]>'");
      } else if (matchAt(buf, i, end, COMMENT_OPEN) === MATCH) {
        i = skipPast(buf, i + 4, end, COMMENT_CLOSE, "'-->'");
      } else if (i + 1 < end && buf[i + 1] === 0x3f) {
        i = skipPast(buf, i + 2, end, PI_CLOSE, "'?>'");
      } else if (i + 1 < end && buf[i + 1] === 0x2f) {
        if (--depth === 0) return closeTag(buf, i, end, name, nameEnd);
        i = scanName(buf, i + 2, end);
        while (i < end && WS[buf[i]!]) i++;
        if (i >= end || buf[i] !== 0x3e) failAt(buf, i, end, "'>'");
        i++;
      } else {
        const start = i + 1;
        i = scanName(buf, start, end);
        if (i === start) failAt(buf, i, end, 'an element name');
        i = this._skipAttributes(buf, i, end);
        if (buf[i] === 0x2f) {
          if (i + 1 >= end || buf[i + 1] !== 0x3e) failAt(buf, i + 1, end, "'>'");
          i += 2;
        } else {
          depth++;
          i++;
        }
      }
    }
  }

  /**
   * Reads one header element whose name starts at `i` (after its `<`) into `msg`; returns the
   * index after its close tag. `end` must be `buf.length`: the scans stop on the undefined a load
   * past it gives.
   */
  private _readField(buf: Uint8Array, i: number, end: number, msg: Message): number {
    const name = i;
    let lo = 0;
    let hi = 0;
    // Past the end of `buf` (this decoder's `end`) a load gives undefined, which ends the scans
    // below without a bounds check per byte.
    let c = buf[i]!;
    while (NAME[c] === 1) {
      hi = packHigh(lo, hi);
      lo = packStep(lo, c);
      c = buf[++i]!;
    }
    const nameEnd = i;
    if (nameEnd === name) failAt(buf, i, end, 'an element name');
    const id = elementField(buf, name, nameEnd, lo, hi);
    if (c !== 0x3e || i >= end) {
      i = this._skipAttributes(buf, i, end);
      if (buf[i] === 0x2f) {
        if (i + 1 >= end || buf[i + 1] !== 0x3e) failAt(buf, i + 1, end, "'>'");
        msg._add(id, i, i, 0, name, nameEnd);
        if (id !== UNKNOWN) this._seen.add(id);
        return i + 2;
      }
    }
    const start = ++i;
    let escaped = false;
    let sections = 0;
    let lastSectionEnd = -1;
    for (;;) {
      // Past the end a load gives undefined, which is not TEXT: no bounds check per byte.
      while (TEXT[(c = buf[i]!)] === 1) i++;
      if (i >= end) failAt(buf, i, end, `'</${utf8Slice(buf, name, nameEnd)}>'`);
      if (c === 0x26) {
        i = reference(buf, i, end);
        escaped = true;
        continue;
      }
      // '<': a CDATA section goes on with the value; anything else ends it.
      if (i + 1 < end && buf[i + 1] !== 0x21) break;
      if (!isCdataOpen(buf, i, end)) {
        if (matchAt(buf, i, end, CDATA_OPEN) === CUT) failAt(buf, end, end, "'<![CDATA['");
        break;
      }
      const close = cdataEnd(buf, i + 9, end);
      if (close < 0) failAt(buf, end, end, "']]>'");
      if (sections++ === 0 && i !== start) escaped = true;
      i = lastSectionEnd = close + 3;
    }
    let valueStart = start;
    let valueEnd = i;
    if (i + 1 < end && buf[i + 1] !== 0x2f) {
      if (id !== UNKNOWN) failAt(buf, i, end, `text, CDATA or '</${utf8Slice(buf, name, nameEnd)}>'`);
      return this._skipChildren(buf, i, end, name, nameEnd);
    }
    // The close tag as written, `</name>`, checked here; anything else goes to closeTag to report.
    // Past the end a load gives undefined, which matches no byte.
    let j = i + 2;
    for (let k = name; k < nameEnd; k++, j++) {
      if (buf[j] !== buf[k]) {
        j = -1;
        break;
      }
    }
    i = j >= 0 && buf[j] === 0x3e ? j + 1 : closeTag(buf, i, end, name, nameEnd);
    let flags = escaped || sections > 1 ? F_ESCAPED : 0;
    if (sections === 1 && flags === 0) {
      if (lastSectionEnd === valueEnd && id !== UNKNOWN) {
        // One whole CDATA section: its content is the value, as plain bytes.
        valueStart += 9;
        valueEnd -= 3;
      } else {
        flags = F_ESCAPED;
      }
    }
    if (id === UNKNOWN) {
      msg._append(id, valueStart, valueEnd, flags, name, nameEnd);
    } else if (!this._seen.has(id)) {
      this._seen.add(id);
      msg._append(id, valueStart, valueEnd, flags, name, nameEnd);
    } else {
      msg._add(id, valueStart, valueEnd, flags, name, nameEnd);
    }
    return i;
  }

  /**
   * Reads the fields of the header named `buf[name, nameEnd)` from `i`; returns the index of the
   * `<` of its close tag, which the caller checks.
   */
  private _readFields(buf: Uint8Array, i: number, end: number, msg: Message, name: number, nameEnd: number): number {
    const maxFields = this._limits.maxFields;
    let count = 0;
    this._seen.clear();
    for (;;) {
      // The usual case is a field's start tag right here (past the end, NAME[undefined] is not 1).
      if (buf[i] !== 0x3c || NAME[buf[i + 1]!] !== 1) {
        i = skipMisc(buf, i, end);
        if (i >= end || buf[i] !== 0x3c) failAt(buf, i, end, `a header field or '</${utf8Slice(buf, name, nameEnd)}>'`);
        if (i + 1 < end && buf[i + 1] === 0x2f) return i;
      }
      if (++count > maxFields) fail(`expected at most ${maxFields} header fields`, 'AMPS_TOO_MANY_FIELDS', i);
      i = this._readField(buf, i + 1, end, msg);
    }
  }

  /** The field the `<Msg>` attribute just scanned gives: key, len and ts; others are kept by name. */
  private _attributeField(buf: Uint8Array): number {
    const name = this._attrName;
    const nameEnd = this._attrNameEnd;
    if (asciiEquals(buf, name, nameEnd, 'key')) return Field.SowKey;
    if (asciiEquals(buf, name, nameEnd, 'len')) return Field.MessageLength;
    if (asciiEquals(buf, name, nameEnd, 'ts')) return Field.Timestamp;
    return UNKNOWN;
  }

  /** The RecordReader of `<Msg>` records; the whitespace before a record is skipped. */
  readonly readRecord: RecordReader = (buf, i, end, record) => {
    while (i < end && WS[buf[i]!]) i++;
    const at = i;
    if (matchAt(buf, i, end, MSG_OPEN) !== MATCH || (i + 4 < end && NAME[buf[i + 4]!]))
      badBatch("expected '<Msg' to open a SOW record", i);
    record._reset(buf, XML_CODEC);
    i += 4;
    const maxFields = this._limits.maxFields;
    for (let count = 0; ; ) {
      i = this._scanAttribute(buf, i, end);
      const name = this._attrName;
      if (name < 0) break;
      if (++count > maxFields) fail(`expected at most ${maxFields} attributes on <Msg>`, 'AMPS_TOO_MANY_FIELDS', name);
      const flags = this._attrEscaped ? F_ESCAPED : 0;
      record._add(this._attributeField(buf), this._attrValue, this._attrValueEnd, flags, name, this._attrNameEnd);
    }
    if (buf[i] !== 0x3e) badBatch("expected '>' to end the <Msg> start tag", i);
    i++;
    const e = record._find(Field.MessageLength);
    if (e < 0) badBatch('expected a len attribute on <Msg>', at);
    const n = entryUint(record, e);
    if (n === -1) badBatch('expected an unsigned integer in the len attribute of <Msg>', record._valueStart(e));
    if (n === -2 || n > end - i)
      badBatch(
        `expected ${n === -2 ? 'over 2^53' : n} record bytes (len) before the end of the body, found ${end - i}`,
        end,
      );
    record._setBody(i, i + n);
    i += n;
    if (matchAt(buf, i, end, MSG_CLOSE) !== MATCH) badBatch(`expected '</Msg>' after the ${n} record bytes`, i);
    return i + MSG_CLOSE.length;
  };

  private _readRecords(msg: Message, buf: Uint8Array, start: number, end: number): void {
    this._records ??= new XmlReader(this._limits);
    const read = this._records.readRecord;
    // Every record is checked now, into one scratch Message; they are read again when iterated.
    const scratch = new Message();
    let count = 0;
    for (let i = start; ; count++) {
      while (i < end && WS[buf[i]!]) i++;
      if (i >= end) break;
      i = read(buf, i, end, scratch);
    }
    checkBatchSize(msg, count, end, PROTOCOL, 'BtchSz');
    msg._setRecords(read, start, end, count);
  }

  private _withBody(msg: Message, buf: Uint8Array, bodyStart: number, bodyEnd: number): Message {
    msg._setBody(bodyStart, bodyEnd);
    if (bodyEnd > bodyStart && isSowBatch(msg)) this._readRecords(msg, buf, bodyStart, bodyEnd);
    return msg;
  }

  // ---- payload ---------------------------------------------------------------------------------

  /**
   * Decodes an xml payload (without the 4-byte frame prefix) into a zero-copy Message; pass
   * `into` to reuse one. Throws StreamException on malformed or truncated input.
   */
  decode(payload: Uint8Array, into: Message | undefined): Message {
    checkDecodeArguments(payload, into);
    const msg = into ?? new Message();
    msg._reset(payload, XML_CODEC);
    const buf = payload;
    const end = buf.length;
    let envelope: number;
    let envelopeEnd: number;
    let i: number;
    if (constantAt(buf, 0, end, CANONICAL_HEAD)) {
      // The envelope as servers write it: no prolog, no attributes, no whitespace.
      envelope = 1;
      envelopeEnd = 18;
      i = this._readFields(buf, CANONICAL_HEAD.bytes.length, end, msg, 20, 35);
      const bodyStart = i + CANONICAL_MIDDLE.bytes.length;
      const bodyEnd = end - CANONICAL_TAIL.bytes.length;
      if (
        bodyEnd >= bodyStart &&
        constantAt(buf, i, end, CANONICAL_MIDDLE) &&
        constantAt(buf, bodyEnd, end, CANONICAL_TAIL)
      ) {
        return this._withBody(msg, buf, bodyStart, bodyEnd);
      }
      i = closeTag(buf, i, end, 20, 35);
    } else {
      const bom = matchAt(buf, 0, end, BOM);
      if (bom === CUT && end > 0) failAt(buf, end, end, 'the rest of the byte order mark');
      i = bom === MATCH ? 3 : 0;
      i = skipMisc(buf, i, end);
      // <P:Envelope ...>
      if (i >= end || buf[i] !== 0x3c) failAt(buf, i, end, "'<SOAP-ENV:Envelope>'");
      envelope = i + 1;
      i = scanName(buf, envelope, end);
      envelopeEnd = i;
      const prefixEnd = envelopeEnd - ENVELOPE.length;
      if (
        prefixEnd < envelope ||
        matchAt(buf, prefixEnd, envelopeEnd, ENVELOPE) !== MATCH ||
        (prefixEnd > envelope && buf[prefixEnd - 1] !== 0x3a)
      ) {
        failAt(buf, i >= end ? i : envelope - 1, end, "'<SOAP-ENV:Envelope>'");
      }
      i = this._skipAttributes(buf, i, end);
      if (buf[i] !== 0x3e) failAt(buf, i, end, "'>'");
      i = skipMisc(buf, i + 1, end);
      // <P:Header ...> fields </P:Header>
      if (childTagAt(buf, i, end, envelope, prefixEnd, HEADER)) {
        const name = i + 1;
        const nameEnd = name + prefixEnd - envelope + HEADER.length;
        i = this._skipAttributes(buf, nameEnd, end);
        if (buf[i] === 0x2f) {
          if (i + 1 >= end || buf[i + 1] !== 0x3e) failAt(buf, i + 1, end, "'>'");
          i += 2;
        } else {
          i = closeTag(buf, this._readFields(buf, i + 1, end, msg, name, nameEnd), end, name, nameEnd);
        }
      }
    }
    // The prefix (`SOAP-ENV:`) is the envelope's name without `Envelope`.
    const prefix = envelope;
    const prefixEnd = envelopeEnd - ENVELOPE.length;
    i = skipMisc(buf, i, end);

    // <P:Body ...> body </P:Body>, the end found from the end of the payload.
    if (childTagAt(buf, i, end, prefix, prefixEnd, BODY)) {
      i = this._skipAttributes(buf, i + 1 + prefixEnd - prefix + BODY.length, end);
      if (buf[i] !== 0x2f) {
        const bodyStart = i + 1;
        let t = end;
        while (t > bodyStart && WS[buf[t - 1]!]) t--;
        t = closeTagBefore(buf, bodyStart, t, prefix, prefixEnd, ENVELOPE);
        if (t < 0) failAt(buf, end, end, `'</${utf8Slice(buf, envelope, envelopeEnd)}>' at the end of the payload`);
        while (t > bodyStart && WS[buf[t - 1]!]) t--;
        const bodyEnd = closeTagBefore(buf, bodyStart, t, prefix, prefixEnd, BODY);
        if (bodyEnd < 0)
          fail(
            `expected '</${utf8Slice(buf, prefix, prefixEnd)}Body>' before '</${utf8Slice(buf, envelope, envelopeEnd)}>'`,
            'AMPS_BAD_XML',
            t,
          );
        return this._withBody(msg, buf, bodyStart, bodyEnd);
      }
      if (i + 1 >= end || buf[i + 1] !== 0x3e) failAt(buf, i + 1, end, "'>'");
      i = skipMisc(buf, i + 2, end);
    }

    // </P:Envelope>, then nothing but misc.
    i = closeTag(buf, i, end, envelope, envelopeEnd);
    i = skipMisc(buf, i, end);
    if (i < end)
      fail(
        `unexpected ${describeByte(buf[i]!)}, expected nothing after '</${utf8Slice(buf, envelope, envelopeEnd)}>'`,
        'AMPS_BAD_XML',
        i,
      );
    msg._setBody(end, end);
    return msg;
  }
}
