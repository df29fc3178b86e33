/**
 * Byte helpers shared by every codec: UTF-8 in and out of `Uint8Array` without Node's `Buffer`,
 * unsigned integer parsing straight from digits, and big-endian lengths.
 */

// ignoreBOM: a value that starts with U+FEFF keeps it.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

// Below this many bytes a char-code loop beats TextDecoder's call overhead for ASCII text.
const SHORT_TEXT = 48;

/** The bytes `[start, end)` of `buf` as a string (UTF-8; invalid sequences become U+FFFD). */
export function utf8Slice(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT_TEXT) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return utf8Decoder.decode(view(buf, start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8Decoder.decode(view(buf, start, end));
}

/**
 * `buf[start, end)` to hand to a decoder: `buf` itself when that is all of it, else a view made
 * directly (a Node Buffer's subarray() goes through its species constructor, at several times the cost).
 */
function view(buf: Uint8Array, start: number, end: number): Uint8Array {
  return start === 0 && end === buf.length ? buf : new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
}

/** A string as newly allocated UTF-8 bytes. */
export function utf8Bytes(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/**
 * Writes `text` as UTF-8 at `target[offset]`; returns the offset after it. The caller guarantees
 * room for `3 * text.length` bytes. Lone surrogates are written as U+FFFD, as TextEncoder does.
 */
export function writeUtf8(text: string, target: Uint8Array, offset: number): number {
  let o = offset;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      target[o++] = c;
      continue;
    }
    if (c < 0x800) {
      target[o++] = 0xc0 | (c >> 6);
      target[o++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && (next & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        target[o++] = 0xf0 | (c >> 18);
        target[o++] = 0x80 | ((c >> 12) & 0x3f);
        target[o++] = 0x80 | ((c >> 6) & 0x3f);
        target[o++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    target[o++] = 0xe0 | (c >> 12);
    target[o++] = 0x80 | ((c >> 6) & 0x3f);
    target[o++] = 0x80 | (c & 0x3f);
  }
  return o;
}

/** Whether `text` is exactly the bytes `[start, end)` of `buf` (ASCII `text` only). */
export function asciiEquals(buf: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (buf[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Reads a 4-byte big-endian unsigned integer. The caller guarantees 4 bytes are there. */
export function readUint32BE(buf: Uint8Array, offset: number): number {
  return ((buf[offset]! << 24) | (buf[offset + 1]! << 16) | (buf[offset + 2]! << 8) | buf[offset + 3]!) >>> 0;
}

/** Writes a 4-byte big-endian unsigned integer. The caller guarantees room for 4 bytes. */
export function writeUint32BE(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = value >>> 24;
  buf[offset + 1] = (value >>> 16) & 0xff;
  buf[offset + 2] = (value >>> 8) & 0xff;
  buf[offset + 3] = value & 0xff;
}

/**
 * The unsigned decimal integer in bytes `[start, end)`: digits only, no sign, fraction or
 * exponent. Returns -1 when the bytes are not such an integer, -2 when it is one but exceeds
 * 2^53-1 (not exactly representable as a number).
 */
export function parseUintBytes(buf: Uint8Array, start: number, end: number): number {
  if (start >= end) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v > Number.MAX_SAFE_INTEGER ? -2 : v;
}

const TEN_10 = 10_000_000_000n;
const highHalf = { digits: -1, value: 0n };

/** The unsigned decimal integer in bytes `[start, end)` as a bigint; undefined if not digits only. */
export function parseBigUintBytes(buf: Uint8Array, start: number, end: number): bigint | undefined {
  if (start >= end) return undefined;
  // Halves of at most 10 digits are exact doubles; up to 2^53 one BigInt conversion suffices.
  // Each BigInt operation allocates, so 64-bit values take three of them, never more.
  if (end - start <= 20) {
    const mid = end - start > 10 ? end - 10 : start;
    let high = 0;
    for (let i = start; i < mid; i++) {
      const d = buf[i]! - 0x30;
      if (d < 0 || d > 9) return undefined;
      high = high * 10 + d;
    }
    let low = 0;
    for (let i = mid; i < end; i++) {
      const d = buf[i]! - 0x30;
      if (d < 0 || d > 9) return undefined;
      low = low * 10 + d;
    }
    const whole = high * 1e10 + low;
    if (whole <= Number.MAX_SAFE_INTEGER) return BigInt(whole);
    // Sequences of a stream share their high digits for billions of messages: keeping the last
    // high half as a bigint saves two of the four BigInt operations.
    if (high !== highHalf.digits) {
      highHalf.digits = high;
      highHalf.value = BigInt(high) * TEN_10;
    }
    return highHalf.value + BigInt(low);
  }
  // Longer: checked here, converted by BigInt() from the text, which (unlike accumulating
  // digits into a bigint, quadratic in the length) stays close to linear for long values.
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return undefined;
  }
  return BigInt(utf8Slice(buf, start, end));
}

/** Digits of the unsigned decimal integer in bytes `[start, end)` once leading zeros are dropped. */
export function significantDigits(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end - 1 && buf[i] === 0x30) i++;
  return end - i;
}

// A direct-mapped cache of short ASCII strings, for values that repeat from message to message
// (commands, topics, subscription ids): a hit returns the same string without allocating.
const INTERN_SLOTS = 1024;
const INTERN_MAX = 32;
const interned: (string | undefined)[] = new Array(INTERN_SLOTS).fill(undefined);

/**
 * The bytes `[start, end)` as a string, shared with earlier calls for the same short ASCII
 * bytes. Falls back to {@link utf8Slice} for long or non-ASCII values.
 */
export function internedSlice(buf: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len > INTERN_MAX) return utf8Slice(buf, start, end);
  let h = len;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c >= 0x80) return utf8Slice(buf, start, end);
    h = (Math.imul(h, 31) + c) | 0;
  }
  const slot = (h ^ (h >>> 10)) & (INTERN_SLOTS - 1);
  const hit = interned[slot];
  if (hit !== undefined && hit.length === len) {
    let same = true;
    for (let k = 0; k < len; k++) {
      if (hit.charCodeAt(k) !== buf[start + k]) {
        same = false;
        break;
      }
    }
    if (same) return hit;
  }
  const text = utf8Slice(buf, start, end);
  interned[slot] = text;
  return text;
}

/** Whether `text` is an unsigned decimal integer (digits only, at least one). */
export function isUintText(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * Copies `src[start, end)` into `t` at `o`; returns the offset after it. Short ranges are
 * copied in a loop: `subarray()` allocates a view, which only pays off for long copies.
 */
export function copyBytes(src: Uint8Array, start: number, end: number, t: Uint8Array, o: number): number {
  if (start === 0 && end === src.length && end > 16) {
    t.set(src, o);
    return o + end;
  }
  if (end - start > 64) {
    t.set(view(src, start, end), o);
    return o + end - start;
  }
  for (let i = start; i < end; i++) t[o++] = src[i]!;
  return o;
}

/** The concatenation of `parts` as one new array. */
export function concatBytes(parts: readonly Uint8Array[], total?: number): Uint8Array {
  let size = total ?? 0;
  if (total === undefined) for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * `buf` if it has room for `extra` more bytes after the first `used`, else a larger copy of its
 * first `used` bytes (doubling, so appends stay amortised O(1)).
 */
export function ensureRoom(buf: Uint8Array, used: number, extra: number): Uint8Array {
  const need = used + extra;
  if (need <= buf.length) return buf;
  const grown = new Uint8Array(Math.max(need, buf.length * 2, 64));
  grown.set(buf.subarray(0, used));
  return grown;
}

/** Whether `buf[start, end)` holds exactly the bytes of `key`. */
export function bytesEqual(buf: Uint8Array, start: number, end: number, key: Uint8Array): boolean {
  if (end - start !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (buf[start + i] !== key[i]) return false;
  return true;
}
