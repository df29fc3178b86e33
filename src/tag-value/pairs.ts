/**
 * The `key=value` pair grammar shared by the tag=value header and the FIX and NVFIX bodies: the
 * separator rule and the scanning steps every body reader (shredders, cursors) is built from.
 *
 * Grammar (docs/wire-format.md section 5):
 *   body  = *(field sep) [field]          ; the separator after the last field is optional
 *   field = pair / ""                     ; empty fields are skipped: AMPS clients write an
 *                                         ; empty map as a lone separator
 *   pair  = key "=" value
 *   key   = 1*DIGIT                       ; FIX: a tag number
 *         / *(any byte except "=" / sep)  ; NVFIX: a name
 *   value = *(any byte except sep)        ; a value may contain "="
 *   sep   = one ASCII byte, default %x01
 */
import { CommandException, StreamException } from '../core/errors.js';

export const EQUALS = 0x3d;
const DIGIT_0 = 0x30;

/** Whether `byte` is an ASCII digit. */
export function isDigit(byte: number): boolean {
  return byte >= DIGIT_0 && byte <= DIGIT_0 + 9;
}

/**
 * The byte of a separator; throws CommandException (`AMPS_INVALID_ARGUMENT`) for anything else. A
 * separator is never `=`, and never a digit where keys are tags (`tags`). A body separator
 * (`inBody`) is a one-character ASCII string, so it is never part of a multi-byte character of a
 * UTF-8 value; a header separator is any other byte, as a one-character string or a number.
 */
export function separatorByte(value: string | number, what: string, tags: boolean, inBody: boolean): number {
  const byte =
    typeof value === 'string' && value.length === 1
      ? value.charCodeAt(0)
      : typeof value === 'number' && !inBody
        ? value
        : -1;
  if (
    !Number.isInteger(byte) ||
    byte < 0 ||
    byte > (inBody ? 0x7f : 0xff) ||
    byte === EQUALS ||
    (tags && isDigit(byte))
  ) {
    throw new CommandException(
      `${what} must be one ${inBody ? 'ASCII character' : 'byte (a one-character string or 0-255)'} other than '='${tags ? ' and the digits' : ''}, got ${JSON.stringify(value)}`,
      'AMPS_INVALID_ARGUMENT',
    );
  }
  return byte;
}

// Small functions that V8 inlines into each loop that calls them: the cursor and the Map-building
// loops share them, and the loops run on local variables rather than on the cursor's fields.

/** The offset of the first byte at or after `i` that is not a separator (empty fields are skipped). */
export function skipEmpty(b: Uint8Array, i: number, sep: number): number {
  const n = b.length;
  while (i < n && b[i] === sep) i++;
  return i;
}

/**
 * What the scanning steps read besides the offset they return, kept by whoever scans (a cursor, a
 * shredder), so scanning allocates nothing and no two scans share it.
 */
export class PairScan {
  /** The tag read by the last {@link tagEnd} call. */
  tag = 0;
  /** Whether the value scanned by the last {@link valueEnd} call was all ASCII. */
  ascii = true;
}

/**
 * Offset of the `=` ending the decimal tag that starts at `i`, leaving the tag in `scan.tag`.
 * Throws StreamException for anything else.
 */
export function tagEnd(b: Uint8Array, i: number, sep: number, protocol: string, scan: PairScan): number {
  const start = i;
  const n = b.length;
  let tag = 0;
  for (;;) {
    if (i === n) throw missingEquals(i, 'tag', protocol);
    const c = b[i]!;
    if (c === EQUALS) break;
    const d = c - DIGIT_0;
    if (d >>> 0 > 9) {
      if (c === sep) throw missingEquals(i, 'tag', protocol);
      throw new StreamException("expected a digit or '=' in the tag", 'AMPS_BAD_BODY', i, protocol);
    }
    tag = tag * 10 + d;
    i++;
  }
  if (i === start) throw new StreamException("expected a tag before '='", 'AMPS_BAD_BODY', i, protocol);
  if (tag > Number.MAX_SAFE_INTEGER)
    throw new StreamException('expected a tag no larger than 2^53-1', 'AMPS_BAD_BODY', start, protocol);
  scan.tag = tag;
  return i;
}

/** Offset of the `=` ending the name that starts at `i`; throws StreamException if there is none. */
export function nameEnd(b: Uint8Array, i: number, sep: number, protocol: string): number {
  const n = b.length;
  for (;;) {
    if (i === n) throw missingEquals(i, 'name', protocol);
    const c = b[i]!;
    if (c === EQUALS) return i;
    if (c === sep) throw missingEquals(i, 'name', protocol);
    i++;
  }
}

/**
 * Offset of the separator ending the value that starts at `i`, or the body's length; notes in
 * `scan.ascii` whether the value was ASCII.
 */
export function valueEnd(b: Uint8Array, i: number, sep: number, scan: PairScan): number {
  const n = b.length;
  let high = 0;
  for (; i < n; i++) {
    const c = b[i]!;
    if (c === sep) break;
    high |= c;
  }
  scan.ascii = high < 0x80;
  return i;
}

function missingEquals(at: number, key: string, protocol: string): StreamException {
  return new StreamException(`expected '=' after the ${key}`, 'AMPS_BAD_BODY', at, protocol);
}
