/**
 * How the decoders report bad bytes, written once (like ws's `createError`): every message names
 * the byte found and what was expected, and a payload that stops short is a truncation at its end.
 */
import { StreamException, type ErrorCode } from './errors.js';

/** Throws StreamException for `protocol` at `offset`. */
export function fail(protocol: string, message: string, code: ErrorCode, offset: number): never {
  throw new StreamException(message, code, offset, protocol);
}

/**
 * Throws "unexpected <byte>, expected `expected`" at `i` with `code`; when `i` is at or past `end`
 * the payload ended first: `AMPS_TRUNCATED` at `end`.
 */
export function failExpected(
  protocol: string,
  buf: Uint8Array,
  i: number,
  end: number,
  expected: string,
  code: ErrorCode,
): never {
  if (i >= end) fail(protocol, `unexpected end of payload, expected ${expected}`, 'AMPS_TRUNCATED', end);
  fail(protocol, `unexpected ${describeByte(buf[i]!)}, expected ${expected}`, code, i);
}

/** A byte from the wire as an error message shows it: `'x'` when printable ASCII, else `byte 0x1f`. */
export function describeByte(c: number): string {
  return c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
