/**
 * Encoder of the tag=value header layout of `fix` and `nvfix` (docs/wire-format.md section 3):
 * `TAG=value` FS per field, Command first and then the others in the order they were set, the
 * header separator, then the body bytes.
 */
import { parseUintBytes, writeUtf8 } from '../core/bytes.js';
import { CommandException } from '../core/errors.js';
import { FIELDS, Field } from '../core/fields.js';
import { UNKNOWN, type Message } from '../core/message.js';
import { transcodesRecords, writesEntry, type PayloadWriter } from '../core/protocol.js';
import { TagValueReader } from './decode.js';
import type { TagValueSyntax } from './syntax.js';

// Each field's `TAG=` as bytes, indexed by field id; undefined where the field has no tag.
const TAG_BYTES: (Uint8Array | undefined)[] = FIELDS.map((f) => {
  if (f.fixTag === undefined) return undefined;
  const text = `${f.fixTag}=`;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
});

function unencodable(message: string): CommandException {
  return new CommandException(message, 'AMPS_UNENCODABLE');
}

/** A tag=value PayloadWriter for one protocol's separators. @internal */
export function tagValueWriter(syntax: TagValueSyntax): PayloadWriter {
  const fs = syntax.fieldSeparator;
  const hs = syntax.headerSeparator;

  // Unknown tags are written back only into the protocol that decoded them (writesEntry): their
  // keys are digits and their values hold no separator of this protocol, so the bytes are valid as-is.
  const codec = syntax.codec;
  // Tells whether a body would read as more header fields.
  const bodyCheck = new TagValueReader(syntax);

  function writeField(msg: Message, e: number, t: Uint8Array, o: number): number {
    const id = msg._idAt(e);
    if (id === UNKNOWN) {
      o = msg._copyKey(e, t, o);
      t[o++] = 0x3d;
      o = msg._copyValue(e, t, o);
      t[o++] = fs;
      return o;
    }
    const tag = TAG_BYTES[id]!;
    for (let k = 0; k < tag.length; k++) t[o++] = tag[k]!;
    const start = o;
    o = msg._isPlain(e) ? msg._copyValue(e, t, o) : writeUtf8(msg._text(e), t, o);
    for (let i = start; i < o; i++) {
      const c = t[i];
      if (c === fs || c === hs) {
        throw unencodable(
          `${FIELDS[id]!.name} holds a ${syntax.name} separator (${c === fs ? 'field' : 'header'}) and cannot be encoded`,
        );
      }
    }
    if (id === Field.MessageLength && parseUintBytes(t, start, o) !== msg.dataLength) {
      throw unencodable(
        `MessageLength ${JSON.stringify(msg._text(e))} does not match the body length ${msg.dataLength}`,
      );
    }
    t[o++] = fs;
    return o;
  }

  // A publish or oof body that would decode as more header fields (docs/wire-format.md section 3) is
  // bounded with MessageLength, the only way the format has to say where the header ends.
  function needsLength(msg: Message): boolean {
    if (msg.dataLength === 0 || msg._find(Field.MessageLength) >= 0) return false;
    const command = msg.get(Field.Command);
    if (command !== 'publish' && command !== 'oof') return false;
    const data = msg._data;
    return data !== undefined
      ? bodyCheck.readsAsMoreHeader(data, 0, data.length)
      : bodyCheck.readsAsMoreHeader(msg._payload(), msg._dataStart, msg._dataEnd);
  }

  function writeLength(length: number, t: Uint8Array, o: number): number {
    const tag = TAG_BYTES[Field.MessageLength]!;
    for (let k = 0; k < tag.length; k++) t[o++] = tag[k]!;
    o = writeUtf8(String(length), t, o);
    t[o++] = fs;
    return o;
  }

  function headerBound(msg: Message): number {
    let n = 24; // the separator, and MessageLength should the encoder add it
    for (let e = 0; e < msg._count(); e++) {
      const id = msg._idAt(e);
      if (id !== UNKNOWN && TAG_BYTES[id] === undefined) {
        throw unencodable(`${FIELDS[id]!.name} has no ${syntax.name} tag`);
      }
      if (!writesEntry(msg, e, codec)) continue;
      const len = msg._isPlain(e) ? msg._valueEnd(e) - msg._valueStart(e) : 3 * msg._text(e).length;
      n += len + (msg._keyEnd(e) - msg._keyStart(e)) + 8;
    }
    return n;
  }

  function writeFields(msg: Message, t: Uint8Array, o: number): number {
    const command = msg._find(Field.Command);
    if (command >= 0) o = writeField(msg, command, t, o);
    for (let e = 0; e < msg._count(); e++)
      if (e !== command && writesEntry(msg, e, codec)) o = writeField(msg, e, t, o);
    return o;
  }

  return {
    bound(msg) {
      let n = headerBound(msg);
      if (!transcodesRecords(msg, codec)) return n + msg.dataLength;
      for (const r of msg.records()) n += headerBound(r) + r.dataLength + 1;
      return n;
    },

    write(msg, t, o) {
      o = writeFields(msg, t, o);
      if (transcodesRecords(msg, codec)) {
        t[o++] = hs;
        for (const r of msg.records()) {
          o = writeFields(r, t, o);
          if (r._find(Field.MessageLength) < 0) o = writeLength(r.dataLength, t, o);
          t[o++] = hs;
          o = r._copyData(t, o);
          t[o++] = fs;
        }
        return o;
      }
      if (needsLength(msg)) o = writeLength(msg.dataLength, t, o);
      t[o++] = hs;
      return msg._copyData(t, o);
    },
  };
}
