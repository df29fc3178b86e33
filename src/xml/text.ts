/**
 * XML character data: references (`&amp; &lt; &gt; &quot; &apos;`, `&#N;`, `&#xH;`) and CDATA
 * sections, checked while decoding and resolved only when a value is read.
 */
import { utf8Slice } from '../core/bytes.js';
import type { ValueCodec } from '../core/message.js';

const DIGIT = new Int8Array(256).fill(-1);
const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) DIGIT[0x30 + i] = HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX[0x41 + i] = HEX[0x61 + i] = 10 + i;

/** The bytes of an ASCII string. */
export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Where scanReference puts the code point of the reference it accepts. */
export interface ReferenceCode {
  code: number;
}

/** scanReference result: the reference is malformed. */
export const BAD_REFERENCE = -1;
/** scanReference result: the input ends inside the reference. */
export const CUT_REFERENCE = -2;

const NAMED: readonly [string, number][] = [
  ['amp;', 0x26],
  ['lt;', 0x3c],
  ['gt;', 0x3e],
  ['quot;', 0x22],
  ['apos;', 0x27],
];

/**
 * Checks the reference whose `&` is at `i`; returns the index after its `;`, or BAD_REFERENCE /
 * CUT_REFERENCE. The code point it stands for goes to `into`, when given.
 */
export function scanReference(buf: Uint8Array, i: number, end: number, into?: ReferenceCode): number {
  let j = i + 1;
  if (j < end && buf[j] === 0x23) {
    j++;
    const hex = j < end && buf[j] === 0x78;
    if (hex) j++;
    const table = hex ? HEX : DIGIT;
    const base = hex ? 16 : 10;
    const digits = j;
    let v = 0;
    while (j < end && table[buf[j]!]! >= 0) {
      v = v * base + table[buf[j]!]!;
      if (v > 0x10ffff) return BAD_REFERENCE;
      j++;
    }
    if (j >= end) return CUT_REFERENCE;
    if (j === digits || buf[j] !== 0x3b || v === 0 || (v >= 0xd800 && v <= 0xdfff)) return BAD_REFERENCE;
    if (into !== undefined) into.code = v;
    return j + 1;
  }
  for (const [name, code] of NAMED) {
    let k = 0;
    while (k < name.length && j + k < end && buf[j + k] === name.charCodeAt(k)) k++;
    if (k === name.length) {
      if (into !== undefined) into.code = code;
      return j + k;
    }
    if (j + k >= end) return CUT_REFERENCE;
  }
  return BAD_REFERENCE;
}

/** The index of the `]]>` that ends a CDATA section whose content starts at `i`, or -1. */
export function cdataEnd(buf: Uint8Array, i: number, end: number): number {
  for (let j = i; j + 2 < end; j++) {
    if (buf[j] === 0x5d && buf[j + 1] === 0x5d && buf[j + 2] === 0x3e) return j;
  }
  return -1;
}

function writeCodePoint(cp: number, out: Uint8Array, o: number): number {
  if (cp < 0x80) {
    out[o] = cp;
    return o + 1;
  }
  if (cp < 0x800) {
    out[o] = 0xc0 | (cp >> 6);
    out[o + 1] = 0x80 | (cp & 0x3f);
    return o + 2;
  }
  if (cp < 0x10000) {
    out[o] = 0xe0 | (cp >> 12);
    out[o + 1] = 0x80 | ((cp >> 6) & 0x3f);
    out[o + 2] = 0x80 | (cp & 0x3f);
    return o + 3;
  }
  out[o] = 0xf0 | (cp >> 18);
  out[o + 1] = 0x80 | ((cp >> 12) & 0x3f);
  out[o + 2] = 0x80 | ((cp >> 6) & 0x3f);
  out[o + 3] = 0x80 | (cp & 0x3f);
  return o + 4;
}

/**
 * The text of element content or an attribute value `buf[start, end)`, already checked by the
 * decoder: references resolved, CDATA sections unwrapped. The bytes are gathered first and
 * decoded once, so a character split across two CDATA sections still reads whole.
 */
function unescape(buf: Uint8Array, start: number, end: number): string {
  // The text is never longer than its markup: a reference is longer than its UTF-8 bytes.
  const out = new Uint8Array(end - start);
  const ref: ReferenceCode = { code: 0 };
  let o = 0;
  let i = start;
  while (i < end) {
    const c = buf[i]!;
    if (c === 0x26) {
      i = scanReference(buf, i, end, ref);
      o = writeCodePoint(ref.code, out, o);
    } else if (c === 0x3c) {
      // `<![CDATA[` is 9 bytes; the decoder let no other markup into a value.
      const close = cdataEnd(buf, i + 9, end);
      out.set(buf.subarray(i + 9, close), o);
      o += close - i - 9;
      i = close + 3;
    } else {
      out[o++] = c;
      i++;
    }
  }
  return utf8Slice(out, 0, o);
}

/** How Messages decoded from xml resolve their escaped values. @internal */
export const XML_CODEC: ValueCodec = Object.freeze({ name: 'xml', unescape });
