/**
 * Encoder of the `xml` header protocol (docs/wire-format.md section 4): the SOAP envelope with one element
 * per field, Command first and then the others in the order they were set, and the body
 * verbatim. Text fields (FieldDescriptor.xmlCdata) go inside CDATA, a `]]>` in them split
 * across two sections; the other fields are written as text with `&`, `<` and `>` escaped.
 * Every value written decodes back to itself.
 */
import { utf8Bytes, writeUtf8 } from '../core/bytes.js';
import { CommandException } from '../core/errors.js';
import { FIELDS, Field } from '../core/fields.js';
import { UNKNOWN, type Message } from '../core/message.js';
import { transcodesRecords, writesEntry, type PayloadWriter } from '../core/protocol.js';
import { XML_CODEC, asciiBytes } from './text.js';

const HEAD = asciiBytes('<SOAP-ENV:Envelope><SOAP-ENV:Header>');
const MIDDLE = asciiBytes('</SOAP-ENV:Header><SOAP-ENV:Body>');
const TAIL = asciiBytes('</SOAP-ENV:Body></SOAP-ENV:Envelope>');
const CDATA_OPEN = asciiBytes('<![CDATA[');
const CDATA_CLOSE = asciiBytes(']]>');
// `]]>` inside CDATA: end the section after `]]`, open another for `>`.
const CDATA_SPLIT = asciiBytes(']]]]><![CDATA[>');
const AMP = asciiBytes('&amp;');
const LT = asciiBytes('&lt;');
const GT = asciiBytes('&gt;');
const QUOT = asciiBytes('&quot;');
const MSG_OPEN = asciiBytes('<Msg');
const MSG_CLOSE = asciiBytes('</Msg>');
const KEY_ATTR = asciiBytes(' key="');
const TS_ATTR = asciiBytes(' ts="');
const LEN_ATTR = asciiBytes(' len="');

// Each field's `<Name>` and `</Name>`, indexed by field id; undefined where it has no element.
const OPEN: (Uint8Array | undefined)[] = FIELDS.map((f) =>
  f.xml === undefined ? undefined : asciiBytes(`<${f.xml}>`),
);
const CLOSE: (Uint8Array | undefined)[] = FIELDS.map((f) =>
  f.xml === undefined ? undefined : asciiBytes(`</${f.xml}>`),
);
const IN_CDATA: boolean[] = FIELDS.map((f) => f.xmlCdata);

// The widest a value byte (or UTF-16 unit) can become: `&amp;`, or `]]>` as 15 bytes.
const EXPANSION = 5;
const MARKUP_BOUND = 2 * 20 + CDATA_OPEN.length + CDATA_CLOSE.length;

function put(bytes: Uint8Array, t: Uint8Array, o: number): number {
  for (let k = 0; k < bytes.length; k++) t[o++] = bytes[k]!;
  return o;
}

/** UTF-8 bytes as CDATA content, each `]]>` split across two sections. */
function writeCdataBytes(src: Uint8Array, start: number, end: number, t: Uint8Array, o: number): number {
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    if (c === 0x3e && i - start >= 2 && src[i - 1] === 0x5d && src[i - 2] === 0x5d) {
      o = put(CDATA_SPLIT, t, o - 2);
    } else {
      t[o++] = c;
    }
  }
  return o;
}

/** UTF-8 bytes as character data, `&`, `<` and `>` escaped. */
function writeTextBytes(src: Uint8Array, start: number, end: number, t: Uint8Array, o: number): number {
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    if (c === 0x26) o = put(AMP, t, o);
    else if (c === 0x3c) o = put(LT, t, o);
    else if (c === 0x3e) o = put(GT, t, o);
    else t[o++] = c;
  }
  return o;
}

/** A value as an attribute value: `&`, `<`, `>` and `"` escaped. */
function writeAttributeValue(msg: Message, e: number, t: Uint8Array, o: number): number {
  const bytes = msg._isPlain(e)
    ? msg._payload().subarray(msg._valueStart(e), msg._valueEnd(e))
    : utf8Bytes(msg._text(e));
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x22) o = put(QUOT, t, o);
    else if (c === 0x26) o = put(AMP, t, o);
    else if (c === 0x3c) o = put(LT, t, o);
    else if (c === 0x3e) o = put(GT, t, o);
    else t[o++] = c;
  }
  return o;
}

/**
 * One SOW record of a batch decoded by another protocol, as `<Msg key len ts>` + body +
 * `</Msg>`. A record field `<Msg>` has no attribute for is a CommandException, not dropped.
 */
function writeRecord(r: Message, t: Uint8Array, o: number): number {
  o = put(MSG_OPEN, t, o);
  for (let e = 0; e < r._count(); e++) {
    const id = r._idAt(e);
    if (id === Field.MessageLength || id === UNKNOWN) continue;
    if (id !== Field.SowKey && id !== Field.Timestamp) {
      throw new CommandException(
        `${FIELDS[id]!.name} cannot be carried by an xml SOW record (<Msg> has key, len and ts)`,
        'AMPS_UNENCODABLE',
      );
    }
    o = put(id === Field.SowKey ? KEY_ATTR : TS_ATTR, t, o);
    o = writeAttributeValue(r, e, t, o);
    t[o++] = 0x22;
  }
  o = put(LEN_ATTR, t, o);
  o = writeUtf8(String(r.dataLength), t, o);
  t[o++] = 0x22;
  t[o++] = 0x3e;
  o = r._copyData(t, o);
  return put(MSG_CLOSE, t, o);
}

/** Whether a string value needs escaping (or, in CDATA, splitting) before it is written. */
function needsEscape(value: string, inCdata: boolean): boolean {
  if (inCdata) return value.includes(']]>');
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x26 || c === 0x3c || c === 0x3e) return true;
  }
  return false;
}

function writeValue(msg: Message, e: number, inCdata: boolean, t: Uint8Array, o: number): number {
  if (inCdata) o = put(CDATA_OPEN, t, o);
  if (msg._isPlain(e)) {
    const buf = msg._payload();
    const start = msg._valueStart(e);
    const end = msg._valueEnd(e);
    o = inCdata ? writeCdataBytes(buf, start, end, t, o) : writeTextBytes(buf, start, end, t, o);
  } else {
    const value = msg._text(e);
    if (!needsEscape(value, inCdata)) {
      o = writeUtf8(value, t, o);
    } else {
      const bytes = utf8Bytes(value);
      o = inCdata ? writeCdataBytes(bytes, 0, bytes.length, t, o) : writeTextBytes(bytes, 0, bytes.length, t, o);
    }
  }
  if (inCdata) o = put(CDATA_CLOSE, t, o);
  return o;
}

function writeElement(msg: Message, e: number, t: Uint8Array, o: number): number {
  const id = msg._idAt(e);
  if (id === UNKNOWN) {
    t[o++] = 0x3c;
    o = msg._copyKey(e, t, o);
    t[o++] = 0x3e;
    o = msg._copyValue(e, t, o);
    t[o++] = 0x3c;
    t[o++] = 0x2f;
    o = msg._copyKey(e, t, o);
    t[o++] = 0x3e;
    return o;
  }
  o = put(OPEN[id]!, t, o);
  o = writeValue(msg, e, IN_CDATA[id]!, t, o);
  return put(CLOSE[id]!, t, o);
}

function recordBound(r: Message): number {
  let n = 64 + r.dataLength;
  for (let e = 0; e < r._count(); e++) {
    n += 6 * (r._isPlain(e) ? r._valueEnd(e) - r._valueStart(e) : 3 * r._text(e).length) + 8;
  }
  return n;
}

/** The xml PayloadWriter. @internal */
export const xmlWriter: PayloadWriter = {
  bound(msg) {
    let n = HEAD.length + MIDDLE.length + TAIL.length;
    if (transcodesRecords(msg, XML_CODEC)) for (const r of msg.records()) n += recordBound(r);
    else n += msg.dataLength;
    for (let e = 0; e < msg._count(); e++) {
      const id = msg._idAt(e);
      if (id !== UNKNOWN && OPEN[id] === undefined) {
        throw new CommandException(`${FIELDS[id]!.name} has no xml element`, 'AMPS_UNENCODABLE');
      }
      if (!writesEntry(msg, e, XML_CODEC)) continue;
      const len = msg._isPlain(e) ? msg._valueEnd(e) - msg._valueStart(e) : msg._text(e).length;
      n += EXPANSION * len + 2 * (msg._keyEnd(e) - msg._keyStart(e)) + MARKUP_BOUND;
    }
    return n;
  },

  write(msg, t, o) {
    o = put(HEAD, t, o);
    const command = msg._find(Field.Command);
    if (command >= 0) o = writeElement(msg, command, t, o);
    for (let e = 0; e < msg._count(); e++)
      if (e !== command && writesEntry(msg, e, XML_CODEC)) o = writeElement(msg, e, t, o);
    o = put(MIDDLE, t, o);
    if (transcodesRecords(msg, XML_CODEC)) for (const r of msg.records()) o = writeRecord(r, t, o);
    else o = msg._copyData(t, o);
    return put(TAIL, t, o);
  },
};
